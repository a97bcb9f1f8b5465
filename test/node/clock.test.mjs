// The world's clock, as a user's tests move it: a manual clock from createWorld({ clock }), set and
// advanced forwards only; rotation a year on, deletion at the end of the pending window, and no real
// time spent waiting for either.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  DecryptCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  KMSInvalidStateException,
  ListKeyRotationsCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  WasmKMSError,
  createWorld,
} from "wasmkms";

const START = new Date("2031-03-01T12:00:00Z");
const DAY = 86_400_000;

function setup(options = {}) {
  const world = createWorld({ clock: START, ...options });
  return { world, client: new KMSClient({ region: "us-east-1", world }) };
}

test("a manual clock stands still until it is moved, and stamps what the world makes", async () => {
  const { world, client } = setup();
  assert.deepEqual(await world.clock.now(), START);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await world.clock.now(), START, "no real time reaches a manual clock");
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  assert.deepEqual(KeyMetadata.CreationDate, START);

  assert.deepEqual(await world.clock.advance(1500), new Date(START.getTime() + 1500));
  assert.deepEqual(
    await world.clock.advance({ days: 1, hours: 2, minutes: 3, seconds: 4 }),
    new Date(START.getTime() + 1500 + DAY + 2 * 3_600_000 + 3 * 60_000 + 4000),
  );
  const later = new Date("2032-01-01T00:00:00Z");
  assert.deepEqual(await world.clock.set(later), later);
  assert.deepEqual(await world.clock.set("2032-01-02T00:00:00Z"), new Date("2032-01-02T00:00:00Z"));
  assert.deepEqual(await world.clock.now(), new Date("2032-01-02T00:00:00Z"));
});

test("the clock only moves forwards", async () => {
  const { world } = setup();
  await assert.rejects(world.clock.advance(-1), { name: "RangeError", message: /only moves forwards/ });
  await assert.rejects(world.clock.advance({ days: -1 }), RangeError);
  await assert.rejects(world.clock.set(new Date(START.getTime() - 1)), (e) => {
    assert.ok(e instanceof WasmKMSError);
    assert.match(e.message, /only moves forwards/);
    return true;
  });
  await assert.rejects(world.clock.set("yesterday"), { name: "TypeError", message: /not a valid date/ });
  await assert.rejects(world.clock.advance({ weeks: 1 }), { name: "TypeError", message: /no member "weeks"/ });
  await assert.rejects(world.clock.advance("1000"), TypeError);
  assert.deepEqual(await world.clock.now(), START, "refused moves leave the clock alone");
});

test("a real clock follows time until set or advanced, then stops there", async () => {
  const world = createWorld();
  const before = Date.now();
  const now = await world.clock.now();
  assert.ok(Math.abs(now.getTime() - before) < 5000, `${now.toISOString()} is about now`);
  const stopped = await world.clock.advance({ hours: 1 });
  assert.ok(stopped.getTime() >= before + 3_600_000);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await world.clock.now(), stopped);
});

test("rotation: a year on the clock, and the key has new key material", async () => {
  const { world, client } = setup();
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const first = KeyMetadata.CurrentKeyMaterialId;
  assert.ok(first, "a symmetric key has a CurrentKeyMaterialId");
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "old" }));
  await client.send(new EnableKeyRotationCommand({ KeyId: KeyMetadata.KeyId }));
  const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: KeyMetadata.KeyId }));
  assert.deepEqual(status.NextRotationDate, new Date(START.getTime() + 365 * DAY));

  const started = Date.now();
  await world.clock.advance({ days: 364 });
  assert.equal(
    (await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }))).KeyMetadata.CurrentKeyMaterialId,
    first,
    "not yet",
  );
  await world.clock.advance({ days: 1 });
  const rotated = (await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }))).KeyMetadata;
  assert.notEqual(rotated.CurrentKeyMaterialId, first);
  const { Rotations } = await client.send(new ListKeyRotationsCommand({ KeyId: KeyMetadata.KeyId }));
  assert.equal(Rotations.length, 1);
  assert.equal(Rotations[0].RotationType, "AUTOMATIC");
  assert.deepEqual(Rotations[0].RotationDate, new Date(START.getTime() + 365 * DAY));
  // The old ciphertext still decrypts, with the old material.
  const opened = await client.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(new TextDecoder().decode(opened.Plaintext), "old");
  assert.equal(opened.KeyMaterialId, first);
  assert.ok(Date.now() - started < 5000, "a year passed without waiting for it");
});

test("deletion: the key is gone at the end of its pending window, not before", async () => {
  const { world, client } = setup();
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const scheduled = await client.send(
    new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 }),
  );
  assert.deepEqual(scheduled.DeletionDate, new Date(START.getTime() + 7 * DAY));
  await assert.rejects(
    client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "x" })),
    KMSInvalidStateException,
  );
  await world.clock.advance(7 * DAY - 1);
  assert.equal(
    (await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }))).KeyMetadata.KeyState,
    "PendingDeletion",
  );
  await world.clock.advance(1);
  await assert.rejects(client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId })), NotFoundException);
});

test("reset() puts a manual clock back at its starting instant", async () => {
  const { world } = setup();
  await world.clock.advance({ days: 30 });
  world.reset();
  assert.deepEqual(await world.clock.now(), START);
});
