// Attested requests (Recipient) the way an enclave's test suite uses them: a test enclave key, a test
// attestation document from the world, GenerateDataKey/Decrypt with the Recipient, and the enclave's
// side opening CiphertextForRecipient — with the world's helper and with OpenSSL's CMS, an independent
// implementation.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  createWorld,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateRandomCommand,
  KMSClient,
  CreateKeyCommand,
} from "../../js/node.mjs";

function enclaveKey() {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    spki: new Uint8Array(publicKey.export({ type: "spki", format: "der" })),
    pkcs8: new Uint8Array(privateKey.export({ type: "pkcs8", format: "der" })),
  };
}

function openWithOpenSSL(pkcs8, sealed) {
  const dir = mkdtempSync(join(tmpdir(), "wasmkms-cms-"));
  try {
    writeFileSync(join(dir, "key.der"), pkcs8);
    writeFileSync(join(dir, "in.der"), sealed);
    return new Uint8Array(
      execFileSync("openssl", [
        "cms",
        "-decrypt",
        "-inform",
        "DER",
        "-in",
        join(dir, "in.der"),
        "-inkey",
        join(dir, "key.der"),
        "-keyform",
        "DER",
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("an attested GenerateDataKey and Decrypt answer only CiphertextForRecipient, which the enclave opens", async () => {
  const world = createWorld({ clock: "2030-06-01T00:00:00Z" });
  const kms = new KMSClient({ region: "us-east-1", world });
  const enclave = enclaveKey();
  const AttestationDocument = await world.attestationDocument({
    publicKey: enclave.spki,
    pcrs: { 0: "ab".repeat(48) },
  });
  const Recipient = { KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256", AttestationDocument };
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));

  const dataKey = await kms.send(
    new GenerateDataKeyCommand({ KeyId: KeyMetadata.KeyId, KeySpec: "AES_256", Recipient }),
  );
  assert.equal(dataKey.Plaintext, undefined);
  const opened = await world.openForRecipient(enclave.pkcs8, dataKey.CiphertextForRecipient);
  assert.equal(opened.length, 32);
  assert.deepEqual(openWithOpenSSL(enclave.pkcs8, dataKey.CiphertextForRecipient), opened);
  const plain = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
  assert.deepEqual(plain.Plaintext, opened, "CiphertextBlob holds the same data key");

  const { CiphertextBlob } = await kms.send(
    new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "for the enclave" }),
  );
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob, Recipient }));
  assert.equal(decrypted.Plaintext, undefined);
  assert.equal(decrypted.KeyMaterialId, undefined);
  assert.equal(
    new TextDecoder().decode(openWithOpenSSL(enclave.pkcs8, decrypted.CiphertextForRecipient)),
    "for the enclave",
  );

  const random = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 16, Recipient }));
  assert.equal((await world.openForRecipient(enclave.pkcs8, random.CiphertextForRecipient)).length, 16);
});

test("a document that does not verify, or whose certificate expired, is refused with ValidationException", async () => {
  const world = createWorld({ clock: "2030-06-01T00:00:00Z" });
  const kms = new KMSClient({ region: "us-east-1", world });
  const doc = await world.attestationDocument({ publicKey: enclaveKey().spki });
  const tampered = doc.slice();
  tampered[tampered.length - 1] ^= 1;
  const random = (AttestationDocument) =>
    kms.send(
      new GenerateRandomCommand({
        NumberOfBytes: 8,
        Recipient: { KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256", AttestationDocument },
      }),
    );
  await assert.rejects(random(tampered), { name: "ValidationException", $fault: "client" });
  await world.clock.advance({ hours: 4 });
  await assert.rejects(
    random(doc),
    (err) => err.name === "ValidationException" && /not a valid attestation document/.test(err.message),
  );
});
