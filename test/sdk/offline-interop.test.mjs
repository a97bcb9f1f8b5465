// Ciphertext made offline by implementations no one here wrote, with the public key GetPublicKey gives:
// Node's OpenSSL (RSA OAEP with SHA-1 and SHA-256) and sm-crypto (SM2), which Decrypt must open.
import { test } from "node:test";
import assert from "node:assert/strict";
import { constants, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import { CreateKeyCommand, DecryptCommand, GetPublicKeyCommand } from "@aws-sdk/client-kms";
import smCrypto from "sm-crypto";
import { createRequestHandler, createWorld } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";
import { sm2DerFromC1C3C2Hex, sm2PublicKeyHexFromSpki } from "./lib/sm2-ciphertext.mjs";

// The largest plaintexts KMS takes for each RSA key spec and OAEP hash (kms-facts: 214/190, 342/318, 470/446).
const RSA_CASES = [
  { keySpec: "RSA_2048", algorithm: "RSAES_OAEP_SHA_1", oaepHash: "sha1", maxPlaintext: 214 },
  { keySpec: "RSA_2048", algorithm: "RSAES_OAEP_SHA_256", oaepHash: "sha256", maxPlaintext: 190 },
  { keySpec: "RSA_3072", algorithm: "RSAES_OAEP_SHA_1", oaepHash: "sha1", maxPlaintext: 342 },
  { keySpec: "RSA_4096", algorithm: "RSAES_OAEP_SHA_256", oaepHash: "sha256", maxPlaintext: 446 },
];

async function createAsymmetricKey(client, keySpec) {
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: "ENCRYPT_DECRYPT" }));
  const publicKey = await client.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
  return { keyId: KeyMetadata.Arn, publicKey };
}

for (const { keySpec, algorithm, oaepHash, maxPlaintext } of RSA_CASES) {
  test(`${keySpec} ${algorithm}: Node's publicEncrypt with the GetPublicKey key gives ciphertext Decrypt opens`, async () => {
    const client = realClient({ requestHandler: createRequestHandler({ world: createWorld() }) });
    const { keyId, publicKey } = await createAsymmetricKey(client, keySpec);
    assert.ok(publicKey.EncryptionAlgorithms.includes(algorithm), JSON.stringify(publicKey.EncryptionAlgorithms));
    const key = createPublicKey({ key: Buffer.from(publicKey.PublicKey), format: "der", type: "spki" });
    assert.equal(key.asymmetricKeyDetails.modulusLength, Number(keySpec.slice(4)));

    for (const size of [1, 32, maxPlaintext]) {
      const plaintext = randomBytes(size);
      const ciphertext = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
      const decrypted = await client.send(
        new DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: algorithm }),
      );
      assert.deepEqual(Buffer.from(decrypted.Plaintext), plaintext, `${size} bytes`);
      assert.equal(decrypted.KeyId, keyId);
      assert.equal(decrypted.EncryptionAlgorithm, algorithm);
    }
  });
}

test("SM2 (cn-north-1): sm-crypto's C1C3C2 output, converted to DER, is opened by Decrypt with SM2PKE", async () => {
  const client = realClient({ region: "cn-north-1", requestHandler: createRequestHandler({ world: createWorld() }) });
  const { keyId, publicKey } = await createAsymmetricKey(client, "SM2");
  assert.match(keyId, /^arn:aws-cn:kms:cn-north-1:/);
  assert.deepEqual(publicKey.EncryptionAlgorithms, ["SM2PKE"]);
  const publicKeyHex = sm2PublicKeyHexFromSpki(publicKey.PublicKey);

  for (const size of [1, 32, 1024]) {
    const plaintext = randomBytes(size);
    const c1c3c2 = smCrypto.sm2.doEncrypt(Array.from(plaintext), publicKeyHex, 1);
    const ciphertext = sm2DerFromC1C3C2Hex(c1c3c2);
    const decrypted = await client.send(
      new DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: "SM2PKE" }),
    );
    assert.deepEqual(Buffer.from(decrypted.Plaintext), plaintext, `${size} bytes`);
  }
});
