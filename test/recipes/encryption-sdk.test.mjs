// Recipe: the AWS Encryption SDK for JavaScript (@aws-crypto/client-node) makes its own KMS clients,
// one per region, through its keyring's `clientProvider`. Give it wasmkms clients, either wasmkms's
// aggregated KMS client or the real @aws-sdk/client-kms answering through createRequestHandler():
// its messages encrypt and decrypt with real cryptography, under keys the test fixed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildClient, CommitmentPolicy, getClient, KmsKeyringNode } from "@aws-crypto/client-node";
import { KMS as SdkKMS } from "@aws-sdk/client-kms";
import { KMS, createRequestHandler, createWorld } from "wasmkms";

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

// Two keys of us-west-2, as fixtures; the keyrings name them by ARN.
const keys = [
  { keyId: "0f2a8b7e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", region: "us-west-2" },
  { keyId: "7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f", region: "us-west-2" },
];
const [generatorKeyId, otherKeyId] = keys.map(({ keyId }) => `arn:aws:kms:us-west-2:111122223333:key/${keyId}`);

// Encrypts under both keys (GenerateDataKey with the generator, Encrypt with the other), decrypts with
// a keyring that knows only the other key (its Decrypt unwraps that data key), and checks the calls
// the Encryption SDK made.
async function roundTrip(world, clientProvider) {
  const keyring = new KmsKeyringNode({ generatorKeyId, keyIds: [otherKeyId], clientProvider });
  const plaintext = Buffer.from("a message for the AWS Encryption SDK, ".repeat(100));
  const { result, messageHeader } = await encrypt(keyring, plaintext, { encryptionContext: { tenant: "a" } });
  assert.deepEqual(
    messageHeader.encryptedDataKeys.map((key) => key.providerInfo),
    [generatorKeyId, otherKeyId],
  );

  const decryptKeyring = new KmsKeyringNode({ keyIds: [otherKeyId], clientProvider });
  const { plaintext: decrypted, messageHeader: header } = await decrypt(decryptKeyring, result);
  assert.deepEqual(decrypted, plaintext);
  assert.equal(header.encryptionContext.tenant, "a");

  const calls = await world.calls();
  assert.deepEqual(
    calls.map((call) => [call.operation, call.input.KeyId, call.input.EncryptionContext?.tenant]),
    [
      ["GenerateDataKey", generatorKeyId, "a"],
      ["Encrypt", otherKeyId, "a"],
      ["Decrypt", otherKeyId, "a"],
    ],
  );
}

test("KmsKeyringNode whose clientProvider makes wasmkms KMS clients", async () => {
  const world = createWorld({ fixtures: { keys } });
  const clientProvider = getClient(KMS, { world }); // the Encryption SDK's getClient, given wasmkms's KMS
  assert.ok(clientProvider("us-west-2") instanceof KMS);
  await roundTrip(world, clientProvider);
});

test("KmsKeyringNode whose clientProvider makes real SDK clients over createRequestHandler()", async () => {
  const world = createWorld({ fixtures: { keys } });
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "test" };
  const clientProvider = getClient(SdkKMS, { credentials, requestHandler: createRequestHandler({ world }) });
  assert.ok(clientProvider("us-west-2") instanceof SdkKMS);
  await roundTrip(world, clientProvider);
});
