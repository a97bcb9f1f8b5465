// Multi-Region keys with imported key material, as AWS's Developer Guide ("Importing key material into
// multi-Region keys") tells a user to make them: CreateKey with MultiRegion and Origin EXTERNAL, the
// material wrapped by the user with node:crypto and imported into the primary, ReplicateKey into another
// Region (the replica has no material: KMS does not copy imported material), then the SAME material
// imported into the replica with the replica's own import parameters. Then a ciphertext made in either
// Region decrypts in the other, and an imported signing key signs in the replica's Region what the user's
// own public key verifies. One world, one client per Region.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";

import {
  KMSClient,
  CreateKeyCommand,
  DescribeKeyCommand,
  ReplicateKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  EncryptCommand,
  DecryptCommand,
  SignCommand,
  ListKeyRotationsCommand,
  KMSInvalidStateException,
  IncorrectKeyMaterialException,
  UnsupportedOperationException,
  createWorld,
} from "wasmkms";
import { assertClientFault } from "./lib/client-fault.mjs";

const world = createWorld();
const virginia = new KMSClient({ region: "us-east-1", world });
const ireland = new KMSClient({ region: "eu-west-1", world });

// ---- the user's side: node:crypto only ----

// RSAES-OAEP with SHA-256 under the wrapping public key (SPKI DER, as GetParametersForImport answers it).
function oaep(publicKeyDer, data) {
  const key = crypto.createPublicKey({ key: Buffer.from(publicKeyDer), format: "der", type: "spki" });
  return crypto.publicEncrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, data);
}

// RSA_AES_KEY_WRAP_SHA_256: a fresh AES-256 key under OAEP, then the material under AES key wrap with
// padding (RFC 5649, the RFC's default IV), the two concatenated.
function rsaAesWrap(publicKeyDer, material) {
  const aesKey = crypto.randomBytes(32);
  const cipher = crypto.createCipheriv("id-aes256-wrap-pad", aesKey, Buffer.from("A65959A6", "hex"));
  return Buffer.concat([oaep(publicKeyDer, aesKey), cipher.update(material), cipher.final()]);
}

// The whole import into the key of KeyId in the client's Region: that key's own parameters, the
// user's wrapping, ImportKeyMaterial.
async function importInto(client, KeyId, material, { algorithm = "RSAES_OAEP_SHA_256", ...extra } = {}) {
  const { ImportToken, PublicKey } = await client.send(
    new GetParametersForImportCommand({ KeyId, WrappingAlgorithm: algorithm, WrappingKeySpec: "RSA_4096" }),
  );
  const EncryptedKeyMaterial =
    algorithm === "RSAES_OAEP_SHA_256" ? oaep(PublicKey, material) : rsaAesWrap(PublicKey, material);
  return client.send(
    new ImportKeyMaterialCommand({
      KeyId,
      ImportToken,
      EncryptedKeyMaterial,
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      ...extra,
    }),
  );
}

async function state(client, KeyId) {
  return (await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata.KeyState;
}

async function rejectsWith(promise, Class) {
  const err = await promise.then(
    () => assert.fail(`expected ${Class.name}, the call succeeded`),
    (e) => e,
  );
  assertClientFault(err, Class, `${err?.name}: ${err?.message} is not a ${Class.name}`);
  return err;
}

const utf8 = (s) => new TextEncoder().encode(s);
const text = (bytes) => new TextDecoder().decode(bytes);

test("symmetric: the same 32 bytes imported into the primary and its replica decrypt each other's ciphertexts", async () => {
  const material = crypto.randomBytes(32);
  const { KeyMetadata } = await virginia.send(
    new CreateKeyCommand({ MultiRegion: true, Origin: "EXTERNAL", Description: "BYOK, two Regions" }),
  );
  const KeyId = KeyMetadata.KeyId;
  assert.match(KeyId, /^mrk-[0-9a-f]{32}$/);
  assert.equal(KeyMetadata.KeyState, "PendingImport");
  const { KeyMaterialId } = await importInto(virginia, KeyId, material);
  const { CiphertextBlob } = await virginia.send(new EncryptCommand({ KeyId, Plaintext: utf8("made in us-east-1") }));

  const { ReplicaKeyMetadata } = await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: "eu-west-1" }));
  assert.equal(ReplicaKeyMetadata.Arn, `arn:aws:kms:eu-west-1:111122223333:key/${KeyId}`);
  assert.equal(ReplicaKeyMetadata.Origin, "EXTERNAL");
  assert.equal(await state(ireland, KeyId), "PendingImport");
  await rejectsWith(ireland.send(new DecryptCommand({ CiphertextBlob })), KMSInvalidStateException);

  // The replica knows the material it waits for by its KeyMaterialId, and takes no other.
  const { Rotations } = await ireland.send(
    new ListKeyRotationsCommand({ KeyId, IncludeKeyMaterial: "ALL_KEY_MATERIAL" }),
  );
  assert.deepEqual(
    Rotations.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState]),
    [[KeyMaterialId, "CURRENT", "PENDING_IMPORT"]],
  );
  await rejectsWith(importInto(ireland, KeyId, crypto.randomBytes(32)), IncorrectKeyMaterialException);
  await rejectsWith(
    importInto(ireland, KeyId, material, { ImportType: "NEW_KEY_MATERIAL" }),
    UnsupportedOperationException,
  );

  // The same material, wrapped the other way AWS documents, with a ValidTo of the replica's own.
  const ValidTo = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const imported = await importInto(ireland, KeyId, material, {
    algorithm: "RSA_AES_KEY_WRAP_SHA_256",
    ExpirationModel: "KEY_MATERIAL_EXPIRES",
    ValidTo,
  });
  assert.equal(imported.KeyMaterialId, KeyMaterialId);
  const replica = (await ireland.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
  assert.equal(replica.KeyState, "Enabled");
  assert.equal(replica.ExpirationModel, "KEY_MATERIAL_EXPIRES");
  assert.equal(replica.ValidTo.getTime(), ValidTo.getTime());
  assert.equal(
    (await virginia.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata.ExpirationModel,
    "KEY_MATERIAL_DOES_NOT_EXPIRE",
  );

  const opened = await ireland.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(text(opened.Plaintext), "made in us-east-1");
  assert.equal(opened.KeyId, replica.Arn);
  const back = await ireland.send(new EncryptCommand({ KeyId, Plaintext: utf8("made in eu-west-1") }));
  assert.equal(
    text((await virginia.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob }))).Plaintext),
    "made in eu-west-1",
  );
});

test("asymmetric: a P-256 private key from node:crypto, imported into both Regions, signs in eu-west-1 what the user's public key verifies", async () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const material = privateKey.export({ format: "der", type: "pkcs8" });
  const { KeyMetadata } = await virginia.send(
    new CreateKeyCommand({ MultiRegion: true, Origin: "EXTERNAL", KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }),
  );
  const KeyId = KeyMetadata.KeyId;
  await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: "eu-west-1" }));
  // New material goes into the primary first.
  await rejectsWith(
    importInto(ireland, KeyId, material, { algorithm: "RSA_AES_KEY_WRAP_SHA_256" }),
    UnsupportedOperationException,
  );
  await importInto(virginia, KeyId, material, { algorithm: "RSA_AES_KEY_WRAP_SHA_256" });
  const other = crypto
    .generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ format: "der", type: "pkcs8" });
  await rejectsWith(
    importInto(ireland, KeyId, other, { algorithm: "RSA_AES_KEY_WRAP_SHA_256" }),
    IncorrectKeyMaterialException,
  );
  await importInto(ireland, KeyId, material, { algorithm: "RSA_AES_KEY_WRAP_SHA_256" });
  assert.equal(await state(ireland, KeyId), "Enabled");

  const message = utf8("signed in eu-west-1");
  const { Signature } = await ireland.send(
    new SignCommand({ KeyId, Message: message, SigningAlgorithm: "ECDSA_SHA_256" }),
  );
  assert.ok(crypto.verify("sha256", message, publicKey, Buffer.from(Signature)));
});
