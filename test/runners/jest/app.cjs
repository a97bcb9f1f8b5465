// The code under test: it uses @aws-sdk/client-kms as it would in production.
const { KMSClient, EncryptCommand, DecryptCommand } = require("@aws-sdk/client-kms");

const kms = new KMSClient({ region: "eu-west-1" });

async function seal(keyId, text) {
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text) }));
  return CiphertextBlob;
}

async function unseal(ciphertext) {
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }));
  return Buffer.from(Plaintext).toString();
}

module.exports = { seal, unseal };
