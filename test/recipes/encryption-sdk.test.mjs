// The AWS Encryption SDK for JavaScript, a library that builds and calls its own KMS client: through
// the real @aws-sdk/client-kms with our request handler, and through our own KMS client, it wraps data
// keys with GenerateDataKey and unwraps them with Decrypt, and its messages decrypt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildClient, CommitmentPolicy, KmsKeyringNode, getClient } from "@aws-crypto/client-node";
import { CreateKeyCommand, KMS as RealKMS } from "@aws-sdk/client-kms";
import * as wasmkms from "./lib/wasmkms.mjs";
import { createRequestHandler, createWorld } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const REGION = "us-west-2";
const CREDENTIALS = { accessKeyId: "AKIDWASMKMSTEST", secretAccessKey: "wasmkms-test-secret" };

async function roundTrip(clientProvider, keyArns) {
  const [generatorKeyId, ...keyIds] = keyArns;
  const keyring = new KmsKeyringNode({ generatorKeyId, keyIds, clientProvider });
  const plaintext = Buffer.from("a message for the AWS Encryption SDK, ".repeat(100));
  const encryptionContext = { tenant: "wasmkms", purpose: "test" };
  const { result, messageHeader } = await encrypt(keyring, plaintext, { encryptionContext });
  // One encrypted data key per KMS key: GenerateDataKey with the generator, Encrypt with the others.
  assert.deepEqual(
    messageHeader.encryptedDataKeys.map((key) => key.providerInfo),
    keyArns,
  );

  // Decrypt with a keyring that knows only the last key: its Decrypt must unwrap that data key.
  const decryptKeyring = new KmsKeyringNode({ keyIds: [keyArns.at(-1)], clientProvider });
  const { plaintext: decrypted, messageHeader: header } = await decrypt(decryptKeyring, result);
  assert.deepEqual(decrypted, plaintext);
  assert.equal(header.encryptionContext.tenant, "wasmkms");
}

async function createKeys(world, count) {
  const client = realClient({ region: REGION, requestHandler: createRequestHandler({ world }) });
  const arns = [];
  for (let i = 0; i < count; i++) arns.push((await client.send(new CreateKeyCommand({}))).KeyMetadata.Arn);
  return arns;
}

test("KmsKeyringNode over the real @aws-sdk/client-kms with our request handler", async () => {
  const world = createWorld();
  const clientProvider = getClient(RealKMS, {
    credentials: CREDENTIALS,
    requestHandler: createRequestHandler({ world }),
  });
  assert.ok(clientProvider(REGION) instanceof RealKMS);
  await roundTrip(clientProvider, await createKeys(world, 2));
});

test("KmsKeyringNode whose clientProvider returns our own KMS client", async () => {
  assert.equal(typeof wasmkms.KMS, "function", "the package exports the aggregated KMS client");
  const world = createWorld();
  const clientProvider = (region) => new wasmkms.KMS({ region, credentials: CREDENTIALS, world });
  await roundTrip(clientProvider, await createKeys(world, 2));
});
