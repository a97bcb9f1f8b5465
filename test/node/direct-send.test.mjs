// KMSClient.send on the direct path answers at once once the world has taken the client's caller
// (client.mjs, sendDirect: no promise in between), and nothing a test can see changes with that: each
// send is one call in the journal, maxAttempts given as a provider is asked on every send as the SDK
// asks it, a first attempt that fails is retried as any other, and send() rejects rather than throws.
import { test } from "node:test";
import assert from "node:assert/strict";

import { createWorld, CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "wasmkms";

const START = "2031-06-01T00:00:00Z";

test("each direct send is one call of the world's direct path and one entry of its journal", async () => {
  const world = createWorld();
  const client = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  await world.clearCalls();
  const before = world.directCalls;
  const sends = [];
  for (let i = 0; i < 20; i++) {
    sends.push(client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: new Uint8Array([i]) })));
  }
  const sealed = await Promise.all(sends);
  assert.equal(world.directCalls - before, 20);
  const calls = await world.calls({ operation: "Encrypt" });
  assert.equal(calls.length, 20);
  assert.deepEqual(
    calls.map((call) => call.requestId),
    sealed.map((output) => output.$metadata.requestId),
  );
  for (const [i, output] of sealed.entries()) {
    assert.deepEqual(output.$metadata.attempts, 1);
    const { Plaintext } = await client.send(new DecryptCommand({ CiphertextBlob: output.CiphertextBlob }));
    assert.deepEqual(Plaintext, new Uint8Array([i]));
  }
});

test("maxAttempts given as a provider is asked on every direct send, and bounds its retries", async () => {
  const world = createWorld({ clock: START });
  let asked = 0;
  let attempts = 1;
  const client = new KMSClient({
    region: "us-east-1",
    world,
    maxAttempts: async () => {
      asked++;
      return attempts;
    },
  });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const encrypt = () => client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "x" }));
  asked = 0;
  await encrypt();
  await encrypt();
  assert.equal(asked, 2);

  await world.faults.add({ operation: "Encrypt", error: "ThrottlingException", times: 1 });
  const error = await encrypt().then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  assert.equal(error.name, "ThrottlingException");
  assert.equal(error.$metadata.attempts, 1);

  attempts = 3;
  await world.faults.add({ operation: "Encrypt", error: "ThrottlingException", times: 1 });
  const sealed = await encrypt();
  assert.equal(sealed.$metadata.attempts, 2);
  assert.ok(sealed.$metadata.totalRetryDelay >= 0);
});

test("a throttled first attempt is retried from the answer at once, on a manual clock", async () => {
  const world = createWorld({ clock: START, seed: "direct-send" });
  const client = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "caller known" }));
  await world.faults.add({ operation: "Encrypt", error: "ThrottlingException", times: 2 });
  const sealed = await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "third time" }));
  assert.equal(sealed.$metadata.attempts, 3);
  assert.ok(sealed.$metadata.totalRetryDelay > 0);
  const encrypts = await world.calls({ operation: "Encrypt" });
  assert.deepEqual(
    encrypts.slice(-3).map((call) => call.error?.name ?? "ok"),
    ["ThrottlingException", "ThrottlingException", "ok"],
  );
});

test("send() rejects, never throws, when a world fails at once on the direct path", async () => {
  // A world of the test's own, as a user may pass one: it takes the caller, then fails every direct call
  // at once, both the one without waiting (the client's common case) and the one awaited (its retries).
  const failure = new Error("the world fails");
  let direct = 0;
  const world = {
    async call() {
      return { status: 200, body: "{}", requestId: "r" };
    },
    async callDirect() {
      direct++;
      throw failure;
    },
    [Symbol.for("wasmkms.World.callDirectNow")]() {
      direct++;
      throw failure;
    },
  };
  const client = new KMSClient({ region: "us-east-1", world });
  for (let i = 0; i < 2; i++) {
    let promise;
    assert.doesNotThrow(() => {
      promise = client.send(new EncryptCommand({ KeyId: "alias/any", Plaintext: "x" }));
    });
    const error = await promise.then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.equal(error, failure);
    assert.equal(error.$metadata.attempts, 1, "not retried: not a KMS error");
  }
  assert.equal(direct, 2);
});
