// Recipe: a retry test with a throttling fault. KMSClient retries as the SDK's standard strategy does;
// on a manual clock its back-off advances the clock instead of sleeping, so the test takes no real
// time. The call journal shows every attempt, the throttled ones included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, EncryptCommand, KMSClient, KMSServiceException, createWorld } from "wasmkms";

test("two throttled attempts: the client retries past them, and the journal shows all three", async () => {
  const world = createWorld({ clock: "2030-01-01T00:00:00Z" });
  const kms = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  await world.faults.add({ operation: "Encrypt", error: "ThrottlingException", times: 2 });

  const out = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "x" }));
  assert.equal(out.$metadata.attempts, 3);
  assert.ok(out.$metadata.totalRetryDelay > 0); // waited on the world's clock, not in real time

  const calls = await world.calls({ operation: "Encrypt" });
  assert.deepEqual(
    calls.map((call) => call.error?.name ?? "answered"),
    ["ThrottlingException", "ThrottlingException", "answered"],
  );
});

test("with retries off, the throttling reaches the code under test", async () => {
  const world = createWorld({ clock: "2030-01-01T00:00:00Z" });
  const kms = new KMSClient({ region: "us-east-1", world, maxAttempts: 1 });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  await world.faults.add({ operation: "Encrypt", error: "ThrottlingException", times: 1 });

  const error = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "x" })).catch((e) => e);
  assert.ok(error instanceof KMSServiceException); // as in the SDK, which has no class of its own for it
  assert.equal(error.name, "ThrottlingException");
  assert.equal(error.$fault, "client");
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.$metadata.attempts, 1);
});
