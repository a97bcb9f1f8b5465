// Recipe: a rotation test that moves the clock. A key with automatic rotation on rotates when the
// world's manual clock passes its rotation date; a ciphertext made before still decrypts (under the
// material it was made with), and new ones use the new material.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateKeyCommand,
  DecryptCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  KMSClient,
  ListKeyRotationsCommand,
  createWorld,
} from "wasmkms";

test("a key rotates a year on, and what it sealed before still opens", async () => {
  const world = createWorld({ clock: "2030-01-01T00:00:00Z" });
  const kms = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const KeyId = KeyMetadata.KeyId;
  await kms.send(new EnableKeyRotationCommand({ KeyId })); // every 365 days unless RotationPeriodInDays says
  const before = await kms.send(new EncryptCommand({ KeyId, Plaintext: "sealed in 2030" }));

  await world.clock.advance({ days: 365 });

  const { Rotations } = await kms.send(new ListKeyRotationsCommand({ KeyId }));
  assert.equal(Rotations.length, 1);
  assert.equal(Rotations[0].RotationType, "AUTOMATIC");
  assert.deepEqual(Rotations[0].RotationDate, new Date("2031-01-01T00:00:00Z"));

  const opened = await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
  assert.equal(new TextDecoder().decode(opened.Plaintext), "sealed in 2030");
  const after = await kms.send(new EncryptCommand({ KeyId, Plaintext: "sealed in 2031" }));
  const reopened = await kms.send(new DecryptCommand({ CiphertextBlob: after.CiphertextBlob }));
  assert.notEqual(reopened.KeyMaterialId, opened.KeyMaterialId); // the new material
});
