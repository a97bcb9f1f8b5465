// Application code that builds its own real SDK client, with no endpoint, region or credentials in
// code: the SDK takes them from its configuration (environment, profiles), as in production. The
// recipe test (serve-global-setup.test.mjs) points that configuration at a wasmkms endpoint.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";

const kms = () => new KMSClient({});

/** Envelope encryption: a fresh data key from KMS for each document, the document sealed with it. */
export async function sealDocument(keyId, document, context) {
  const { Plaintext, CiphertextBlob } = await kms().send(
    new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256", EncryptionContext: context }),
  );
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Plaintext, iv);
  const body = Buffer.concat([cipher.update(document, "utf8"), cipher.final()]);
  return { encryptedKey: CiphertextBlob, iv, body, tag: cipher.getAuthTag() };
}

export async function openDocument({ encryptedKey, iv, body, tag }, context) {
  const { Plaintext } = await kms().send(
    new DecryptCommand({ CiphertextBlob: encryptedKey, EncryptionContext: context }),
  );
  const decipher = createDecipheriv("aes-256-gcm", Plaintext, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}
