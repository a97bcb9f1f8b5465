// Key import (BYOK) as AWS's documentation tells a user to do it, with node:crypto (OpenSSL) doing all the
// wrapping: no wasmkms code on the user's side. GetParametersForImport gives an SPKI DER wrapping public key
// and an import token; the user wraps their material with RSAES-OAEP (RSAES_OAEP_SHA_1/256) or, for material
// too long for OAEP, with RSA_AES_KEY_WRAP_SHA_1/256 (a fresh 32-byte AES key under OAEP, then the material
// under AES key wrap with padding, RFC 5649, OpenSSL's id-aes256-wrap-pad with the default IV A65959A6, the
// two concatenated); ImportKeyMaterial; then the key works with the user's material: Encrypt/Decrypt, a MAC
// equal to node:crypto's HMAC, signatures that the user's own public key verifies, GetPublicKey equal to the
// user's SPKI. Then the refusals a user meets, checked with the package's exception classes.
// The expiry of imported material (ValidTo passing) runs on a manual clock (createWorld({ clock })).
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";

import {
  KMSClient,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  DeleteImportedKeyMaterialCommand,
  EncryptCommand,
  DecryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  VerifyMacCommand,
  SignCommand,
  VerifyCommand,
  GetPublicKeyCommand,
  KMSInvalidStateException,
  InvalidImportTokenException,
  InvalidCiphertextException,
  IncorrectKeyMaterialException,
  createWorld,
} from "wasmkms";
import { assertClientFault } from "./lib/client-fault.mjs";

const world = createWorld();
const client = new KMSClient({ region: "us-east-1", world });

// ---- the user's side: node:crypto only ----

const OAEP_HASH = {
  RSAES_OAEP_SHA_1: "sha1",
  RSAES_OAEP_SHA_256: "sha256",
  RSA_AES_KEY_WRAP_SHA_1: "sha1",
  RSA_AES_KEY_WRAP_SHA_256: "sha256",
};

// RSAES-OAEP with the wrapping public key (SPKI DER, as GetParametersForImport answers it).
function oaepEncrypt(publicKeyDer, hash, data) {
  return crypto.publicEncrypt(
    {
      key: crypto.createPublicKey({ key: Buffer.from(publicKeyDer), format: "der", type: "spki" }),
      padding: crypto.constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: hash,
    },
    data,
  );
}

// AES key wrap with padding (RFC 5649) under a 256-bit key, with the RFC's default IV.
function aesKeyWrapPad(kek, data) {
  const cipher = crypto.createCipheriv("id-aes256-wrap-pad", kek, Buffer.from("A65959A6", "hex"));
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

// What the user sends as EncryptedKeyMaterial for a wrapping algorithm.
function wrap(publicKeyDer, algorithm, material) {
  const hash = OAEP_HASH[algorithm];
  if (algorithm.startsWith("RSAES_OAEP_")) return oaepEncrypt(publicKeyDer, hash, material);
  const aesKey = crypto.randomBytes(32);
  return Buffer.concat([oaepEncrypt(publicKeyDer, hash, aesKey), aesKeyWrapPad(aesKey, material)]);
}

// ---- the KMS side ----

async function externalKey(input = {}) {
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Origin: "EXTERNAL", ...input }));
  assert.equal(KeyMetadata.Origin, "EXTERNAL");
  assert.equal(KeyMetadata.KeyState, "PendingImport");
  return KeyMetadata;
}

async function parameters(KeyId, WrappingAlgorithm = "RSAES_OAEP_SHA_256", WrappingKeySpec = "RSA_4096") {
  return client.send(new GetParametersForImportCommand({ KeyId, WrappingAlgorithm, WrappingKeySpec }));
}

// The whole import: parameters, wrapping by node:crypto, ImportKeyMaterial.
async function importMaterial(KeyId, material, { algorithm = "RSAES_OAEP_SHA_256", spec = "RSA_4096", ...extra } = {}) {
  const { ImportToken, PublicKey } = await parameters(KeyId, algorithm, spec);
  return client.send(
    new ImportKeyMaterialCommand({
      KeyId,
      ImportToken,
      EncryptedKeyMaterial: wrap(PublicKey, algorithm, material),
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      ...extra,
    }),
  );
}

async function describe(KeyId) {
  return (await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
}

// Asserts that `promise` rejects with the package's exception class `Class`, named so, a client fault.
async function rejectsWith(promise, Class, message) {
  const err = await promise.then(
    () => assert.fail(`expected ${Class.name}, the call succeeded`),
    (e) => e,
  );
  assertClientFault(err, Class, `${err?.name}: ${err?.message} is not a ${Class.name}`);
  if (message !== undefined) assert.equal(err.message, message);
  return err;
}

const utf8 = (s) => new TextEncoder().encode(s);

test("symmetric: 32 random bytes wrapped with RSAES_OAEP_SHA_256 under an RSA_4096 key, then Encrypt/Decrypt", async () => {
  const key = await externalKey({ Description: "BYOK" });
  const material = crypto.randomBytes(32);

  const params = await parameters(key.KeyId, "RSAES_OAEP_SHA_256", "RSA_4096");
  assert.equal(params.KeyId, key.Arn);
  assert.ok(params.ImportToken instanceof Uint8Array && params.ImportToken.length > 0);
  assert.ok(params.ParametersValidTo instanceof Date);
  const wrappingKey = crypto.createPublicKey({ key: Buffer.from(params.PublicKey), format: "der", type: "spki" });
  assert.equal(wrappingKey.asymmetricKeyType, "rsa");
  assert.equal(wrappingKey.asymmetricKeyDetails.modulusLength, 4096);

  const encryptedKeyMaterial = crypto.publicEncrypt(
    { key: wrappingKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    material,
  );
  const imported = await client.send(
    new ImportKeyMaterialCommand({
      KeyId: key.KeyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: encryptedKeyMaterial,
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
    }),
  );
  assert.equal(imported.KeyId, key.Arn);
  assert.match(imported.KeyMaterialId, /^[0-9a-f]{64}$/);
  assert.equal(imported.$metadata.httpStatusCode, 200);

  const after = await describe(key.KeyId);
  assert.equal(after.KeyState, "Enabled");
  assert.equal(after.Enabled, true);
  assert.equal(after.Origin, "EXTERNAL");
  assert.equal(after.KeySpec, "SYMMETRIC_DEFAULT");
  assert.equal(after.ExpirationModel, "KEY_MATERIAL_DOES_NOT_EXPIRE");
  assert.equal(after.ValidTo, undefined);
  assert.equal(after.CurrentKeyMaterialId, imported.KeyMaterialId);

  const context = { purpose: "byok" };
  const { CiphertextBlob, KeyId } = await client.send(
    new EncryptCommand({ KeyId: key.KeyId, Plaintext: utf8("under imported material"), EncryptionContext: context }),
  );
  assert.equal(KeyId, key.Arn);
  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
  assert.equal(new TextDecoder().decode(decrypted.Plaintext), "under imported material");
  assert.equal(decrypted.KeyId, key.Arn);

  const dataKey = await client.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_256" }));
  assert.equal(dataKey.KeyMaterialId, imported.KeyMaterialId);
});

// The model: "KeyMaterialId: the identifier of the key material used to decrypt the ciphertext. This field is
// present only when the operation uses a symmetric encryption KMS key" (DecryptResponse).
test("Decrypt names the imported key material (KeyMaterialId) that opened the blob", async () => {
  const key = await externalKey();
  const { KeyMaterialId } = await importMaterial(key.KeyId, crypto.randomBytes(32));
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: utf8("x") }));
  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(decrypted.KeyMaterialId, KeyMaterialId);
});

test("symmetric: RSA_AES_KEY_WRAP_SHA_256 as AWS documents it (OAEP-SHA256 AES key || RFC 5649 wrap)", async () => {
  const key = await externalKey();
  const material = crypto.randomBytes(32);
  const { ImportToken, PublicKey } = await parameters(key.KeyId, "RSA_AES_KEY_WRAP_SHA_256", "RSA_3072");

  const aesKey = crypto.randomBytes(32);
  const encryptedAesKey = oaepEncrypt(PublicKey, "sha256", aesKey);
  assert.equal(encryptedAesKey.length, 384);
  const wrappedMaterial = aesKeyWrapPad(aesKey, material);
  assert.equal(wrappedMaterial.length, 40); // 32 bytes of material, 8 of integrity check
  const { KeyMaterialId } = await client.send(
    new ImportKeyMaterialCommand({
      KeyId: key.KeyId,
      ImportToken,
      EncryptedKeyMaterial: Buffer.concat([encryptedAesKey, wrappedMaterial]),
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
    }),
  );
  assert.match(KeyMaterialId, /^[0-9a-f]{64}$/);
  assert.equal((await describe(key.KeyId)).KeyState, "Enabled");

  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: utf8("wrapped") }));
  const { Plaintext } = await client.send(new DecryptCommand({ CiphertextBlob, KeyId: key.Arn }));
  assert.equal(new TextDecoder().decode(Plaintext), "wrapped");
});

test("every RSA wrapping algorithm and wrapping key spec takes material wrapped by node:crypto", async () => {
  for (const algorithm of Object.keys(OAEP_HASH)) {
    for (const spec of ["RSA_2048", "RSA_3072", "RSA_4096"]) {
      const key = await externalKey();
      const material = crypto.randomBytes(32);
      await importMaterial(key.KeyId, material, { algorithm, spec });
      const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: material }));
      const { Plaintext } = await client.send(new DecryptCommand({ CiphertextBlob }));
      assert.deepEqual(Buffer.from(Plaintext), material, `${algorithm} with ${spec}`);
    }
  }
});

test("the same material imported into two keys: each key's blobs are its own", async () => {
  const material = crypto.randomBytes(32);
  const a = await externalKey();
  const b = await externalKey();
  const idA = (await importMaterial(a.KeyId, material)).KeyMaterialId;
  const idB = (await importMaterial(b.KeyId, material)).KeyMaterialId;
  assert.notEqual(idA, idB);
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: utf8("a") }));
  assert.equal((await client.send(new DecryptCommand({ CiphertextBlob }))).KeyId, a.Arn);
});

test("HMAC_256 with imported material: GenerateMac equals node:crypto's HMAC-SHA256 of the message", async () => {
  for (const length of [32, 64]) {
    const key = await externalKey({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    const material = crypto.randomBytes(length);
    const imported = await importMaterial(key.KeyId, material);
    assert.equal(imported.KeyId, key.Arn);
    assert.equal((await describe(key.KeyId)).KeyState, "Enabled");

    const message = utf8(`a message MACed by KMS with ${length} bytes of imported material`);
    const { Mac, MacAlgorithm } = await client.send(
      new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: "HMAC_SHA_256" }),
    );
    assert.equal(MacAlgorithm, "HMAC_SHA_256");
    const expected = crypto.createHmac("sha256", material).update(message).digest();
    assert.deepEqual(Buffer.from(Mac), expected);

    // And a MAC the user made offline verifies in KMS.
    const other = utf8("made offline");
    const { MacValid } = await client.send(
      new VerifyMacCommand({
        KeyId: key.KeyId,
        Message: other,
        MacAlgorithm: "HMAC_SHA_256",
        Mac: crypto.createHmac("sha256", material).update(other).digest(),
      }),
    );
    assert.equal(MacValid, true);
  }
});

// Signing keys with the user's own private key (PKCS#8 DER from node:crypto), wrapped with
// RSA_AES_KEY_WRAP_SHA_256 since a private key is too long for OAEP alone. RSA_2048 and ECC_NIST_P256 are
// the cases AWS's documentation walks through; the others are the remaining curves OpenSSL can make.
const SIGNING = [
  {
    spec: "RSA_2048",
    generate: () => crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }),
    algorithms: ["RSASSA_PSS_SHA_256", "RSASSA_PKCS1_V1_5_SHA_256"],
  },
  {
    spec: "ECC_NIST_P256",
    generate: () => crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }),
    algorithms: ["ECDSA_SHA_256"],
  },
  {
    spec: "ECC_NIST_P384",
    generate: () => crypto.generateKeyPairSync("ec", { namedCurve: "P-384" }),
    algorithms: ["ECDSA_SHA_384"],
  },
  {
    spec: "ECC_NIST_P521",
    generate: () => crypto.generateKeyPairSync("ec", { namedCurve: "P-521" }),
    algorithms: ["ECDSA_SHA_512"],
  },
  {
    spec: "ECC_SECG_P256K1",
    generate: () => crypto.generateKeyPairSync("ec", { namedCurve: "secp256k1" }),
    algorithms: ["ECDSA_SHA_256"],
  },
  {
    spec: "ECC_NIST_EDWARDS25519",
    generate: () => crypto.generateKeyPairSync("ed25519"),
    algorithms: ["ED25519_SHA_512"],
  },
];

function offlineVerify(publicKey, algorithm, message, signature) {
  if (algorithm === "ED25519_SHA_512") return crypto.verify(null, message, publicKey, signature);
  const hash = `sha${algorithm.match(/SHA_(\d+)$/)[1]}`;
  if (algorithm.startsWith("RSASSA_PSS_")) {
    const saltLength = { sha256: 32, sha384: 48, sha512: 64 }[hash];
    return crypto.verify(
      hash,
      message,
      { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength },
      signature,
    );
  }
  if (algorithm.startsWith("RSASSA_PKCS1_V1_5_")) {
    return crypto.verify(hash, message, { key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
  }
  return crypto.verify(hash, message, { key: publicKey, dsaEncoding: "der" }, signature);
}

for (const { spec, generate, algorithms } of SIGNING) {
  test(`${spec} SIGN_VERIFY with an imported private key: KMS signs, the user's public key verifies`, async () => {
    const { publicKey, privateKey } = generate();
    const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
    const spki = publicKey.export({ type: "spki", format: "der" });

    const key = await externalKey({ KeySpec: spec, KeyUsage: "SIGN_VERIFY" });
    const imported = await importMaterial(key.KeyId, pkcs8, { algorithm: "RSA_AES_KEY_WRAP_SHA_256" });
    assert.equal(imported.KeyId, key.Arn);
    assert.equal(imported.KeyMaterialId, undefined); // symmetric keys only
    const after = await describe(key.KeyId);
    assert.equal(after.KeyState, "Enabled");
    assert.equal(after.Origin, "EXTERNAL");
    assert.equal(after.KeySpec, spec);

    const got = await client.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(Buffer.from(got.PublicKey), spki, "GetPublicKey is the user's own SPKI");
    assert.equal(got.KeySpec, spec);
    assert.equal(got.KeyUsage, "SIGN_VERIFY");

    const message = utf8(`signed by KMS with the user's ${spec} key`);
    for (const SigningAlgorithm of algorithms) {
      const { Signature } = await client.send(
        new SignCommand({ KeyId: key.KeyId, Message: message, MessageType: "RAW", SigningAlgorithm }),
      );
      assert.ok(offlineVerify(publicKey, SigningAlgorithm, message, Signature), `${SigningAlgorithm}`);
      assert.equal(offlineVerify(publicKey, SigningAlgorithm, utf8("another message"), Signature), false);

      // And the user's own signature verifies in KMS.
      const own =
        SigningAlgorithm === "ED25519_SHA_512"
          ? crypto.sign(null, message, privateKey)
          : SigningAlgorithm.startsWith("RSASSA_PSS_")
            ? crypto.sign("sha256", message, {
                key: privateKey,
                padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
                saltLength: 32,
              })
            : crypto.sign(`sha${SigningAlgorithm.match(/SHA_(\d+)$/)[1]}`, message, {
                key: privateKey,
                dsaEncoding: "der",
              });
      const { SignatureValid } = await client.send(
        new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature: own, SigningAlgorithm }),
      );
      assert.equal(SignatureValid, true, `KMS verifies the user's own ${SigningAlgorithm} signature`);
    }
  });
}

test("a private key of another spec, or a symmetric key's length of bytes, is IncorrectKeyMaterialException", async () => {
  const p256 = await externalKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
  const p384 = crypto
    .generateKeyPairSync("ec", { namedCurve: "P-384" })
    .privateKey.export({ type: "pkcs8", format: "der" });
  await rejectsWith(
    importMaterial(p256.KeyId, p384, { algorithm: "RSA_AES_KEY_WRAP_SHA_256" }),
    IncorrectKeyMaterialException,
  );
  assert.equal((await describe(p256.KeyId)).KeyState, "PendingImport");

  const symmetric = await externalKey();
  await rejectsWith(importMaterial(symmetric.KeyId, crypto.randomBytes(16)), IncorrectKeyMaterialException);
  assert.equal((await describe(symmetric.KeyId)).KeyState, "PendingImport");
});

test("ExpirationModel KEY_MATERIAL_EXPIRES with a ValidTo: DescribeKey shows both", async () => {
  const key = await externalKey();
  const validTo = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3600_000); // whole seconds, an hour ahead
  await importMaterial(key.KeyId, crypto.randomBytes(32), {
    ExpirationModel: "KEY_MATERIAL_EXPIRES",
    ValidTo: validTo,
  });
  const after = await describe(key.KeyId);
  assert.equal(after.KeyState, "Enabled");
  assert.equal(after.ExpirationModel, "KEY_MATERIAL_EXPIRES");
  assert.ok(after.ValidTo instanceof Date);
  assert.equal(after.ValidTo.getTime(), validTo.getTime());
});

test("imported material expires when the world's clock passes ValidTo", async () => {
  const start = new Date("2030-01-01T00:00:00Z");
  const clocked = createWorld({ clock: start });
  const kms = new KMSClient({ region: "us-east-1", world: clocked });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL" }));
  const material = crypto.randomBytes(32);
  const importOnce = async (extra) => {
    const { ImportToken, PublicKey } = await kms.send(
      new GetParametersForImportCommand({
        KeyId: KeyMetadata.KeyId,
        WrappingAlgorithm: "RSAES_OAEP_SHA_256",
        WrappingKeySpec: "RSA_2048",
      }),
    );
    return kms.send(
      new ImportKeyMaterialCommand({
        KeyId: KeyMetadata.KeyId,
        ImportToken,
        EncryptedKeyMaterial: wrap(PublicKey, "RSAES_OAEP_SHA_256", material),
        ...extra,
      }),
    );
  };
  const validTo = new Date(start.getTime() + 10 * 60_000);
  await importOnce({ ExpirationModel: "KEY_MATERIAL_EXPIRES", ValidTo: validTo });

  await clocked.clock.advance(10 * 60_000 - 1000);
  const { CiphertextBlob } = await kms.send(
    new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "before ValidTo" }),
  );
  await clocked.clock.advance({ seconds: 1 });
  const described = (await kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }))).KeyMetadata;
  assert.equal(described.KeyState, "PendingImport");
  await rejectsWith(
    kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "after ValidTo" })),
    KMSInvalidStateException,
    `${KeyMetadata.Arn} is pending import.`,
  );

  // The same material imported again (now without expiry) opens the blob made before ValidTo.
  await importOnce({ ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" });
  const opened = await kms.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(new TextDecoder().decode(opened.Plaintext), "before ValidTo");
});

test("refused: an import token from another GetParametersForImport call", async () => {
  const key = await externalKey();
  const other = await externalKey();
  const material = crypto.randomBytes(32);

  // Another key's token: InvalidImportTokenException, even with material wrapped under that call's public key.
  const foreign = await parameters(other.KeyId);
  await rejectsWith(
    client.send(
      new ImportKeyMaterialCommand({
        KeyId: key.KeyId,
        ImportToken: foreign.ImportToken,
        EncryptedKeyMaterial: wrap(foreign.PublicKey, "RSAES_OAEP_SHA_256", material),
        ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      }),
    ),
    InvalidImportTokenException,
    "The import token is invalid or is associated with a different KMS key.",
  );

  // The same key's token from a second call, with material wrapped under the first call's public key: the
  // token's private key cannot open it.
  const first = await parameters(key.KeyId);
  const second = await parameters(key.KeyId);
  assert.notDeepEqual(Buffer.from(first.PublicKey), Buffer.from(second.PublicKey));
  await rejectsWith(
    client.send(
      new ImportKeyMaterialCommand({
        KeyId: key.KeyId,
        ImportToken: second.ImportToken,
        EncryptedKeyMaterial: wrap(first.PublicKey, "RSAES_OAEP_SHA_256", material),
        ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      }),
    ),
    InvalidCiphertextException,
  );
  assert.equal((await describe(key.KeyId)).KeyState, "PendingImport");

  // Each call's own pair still works, an older one included.
  await client.send(
    new ImportKeyMaterialCommand({
      KeyId: key.KeyId,
      ImportToken: first.ImportToken,
      EncryptedKeyMaterial: wrap(first.PublicKey, "RSAES_OAEP_SHA_256", material),
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
    }),
  );
  assert.equal((await describe(key.KeyId)).KeyState, "Enabled");
});

test("refused: different material reimported with ImportType EXISTING_KEY_MATERIAL", async () => {
  const key = await externalKey();
  const material = crypto.randomBytes(32);
  const { KeyMaterialId } = await importMaterial(key.KeyId, material);

  const err = await rejectsWith(
    importMaterial(key.KeyId, crypto.randomBytes(32), { ImportType: "EXISTING_KEY_MATERIAL" }),
    IncorrectKeyMaterialException,
  );
  assert.ok(err.message.length > 0);
  const after = await describe(key.KeyId);
  assert.equal(after.KeyState, "Enabled");
  assert.equal(after.CurrentKeyMaterialId, KeyMaterialId);

  // The same material reimported as EXISTING_KEY_MATERIAL is accepted, with the same KeyMaterialId.
  const again = await importMaterial(key.KeyId, material, { ImportType: "EXISTING_KEY_MATERIAL" });
  assert.equal(again.KeyMaterialId, KeyMaterialId);
});

test("refused: Encrypt after DeleteImportedKeyMaterial is KMSInvalidStateException (pending import)", async () => {
  const key = await externalKey();
  const material = crypto.randomBytes(32);
  const { KeyMaterialId } = await importMaterial(key.KeyId, material);
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: utf8("kept") }));

  const deleted = await client.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
  assert.equal(deleted.KeyId, key.Arn);
  assert.equal(deleted.KeyMaterialId, KeyMaterialId);
  const after = await describe(key.KeyId);
  assert.equal(after.KeyState, "PendingImport");
  assert.equal(after.Enabled, false);
  assert.equal(after.ExpirationModel, undefined);

  await rejectsWith(
    client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: utf8("no material") })),
    KMSInvalidStateException,
    `${key.Arn} is pending import.`,
  );
  await rejectsWith(
    client.send(new DecryptCommand({ CiphertextBlob })),
    KMSInvalidStateException,
    `${key.Arn} is pending import.`,
  );

  // The same material imported again brings the key and its old blobs back.
  await importMaterial(key.KeyId, material);
  assert.equal((await describe(key.KeyId)).KeyState, "Enabled");
  const { Plaintext } = await client.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(new TextDecoder().decode(Plaintext), "kept");
});
