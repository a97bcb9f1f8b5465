// Faults and retries, as a user's tests of error paths use them: a fault's error comes as the SDK would
// surface AWS's (class, name, $fault, status), KMSClient retries throttling and transient errors as the
// SDK's standard strategy does (on a manual clock without waiting), the real SDK retries by itself
// through createRequestHandler(), and latency faults slow calls in the world's time.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "@aws-sdk/client-kms";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";

import * as pkg from "wasmkms";

const {
  CreateKeyCommand,
  DecryptCommand,
  DependencyTimeoutException,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  KMSInternalException,
  KMSServiceException,
  KeyUnavailableException,
  ListKeysCommand,
  WasmKMSError,
  createRequestHandler,
  createWorld,
} = pkg;

const START = "2031-06-01T00:00:00Z";

async function withKey(options = {}) {
  const world = createWorld(options);
  const client = new KMSClient({ region: "us-east-1", world, ...options.client });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  return { world, client, keyId: KeyMetadata.KeyId };
}

const failure = (promise) =>
  promise.then(
    () => assert.fail("resolved"),
    (e) => e,
  );

test("a fault's error is AWS's: the same class, name, message, $fault and status as the real SDK gives", async () => {
  const world = createWorld();
  const ours = new KMSClient({ region: "us-east-1", world, maxAttempts: 1 });
  const real = new sdk.KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
    requestHandler: createRequestHandler({ world }),
    maxAttempts: 1,
  });
  const cases = [
    ["ThrottlingException", 400, "client", KMSServiceException, "Rate exceeded"],
    ["KMSInternalException", 500, "server", KMSInternalException, "fault 2"],
    ["DependencyTimeoutException", 503, "server", DependencyTimeoutException, "fault 3"],
    ["KeyUnavailableException", 500, "server", KeyUnavailableException, "fault 4"],
  ];
  for (const [name, status, fault, Class, message] of cases) {
    const spec = { operation: "ListKeys", error: name, times: 2 };
    if (name !== "ThrottlingException") spec.message = message;
    await world.faults.add(spec);
    const a = await failure(ours.send(new ListKeysCommand({})));
    const b = await failure(real.send(new sdk.ListKeysCommand({})));
    for (const e of [a, b]) {
      assert.equal(e.name, name);
      assert.equal(e.message, message);
      assert.equal(e.$fault, fault, `${name}.$fault`);
      assert.equal(e.$metadata.httpStatusCode, status, `${name}'s status`);
      assert.equal(e.$metadata.attempts, 1);
    }
    assert.equal(a.constructor.name, b.constructor.name);
    assert.equal(a.$retryable, b.$retryable);
    assert.ok(a instanceof Class);
    if (Class === KMSServiceException) {
      assert.equal(a.constructor, KMSServiceException, "ThrottlingException has no class of its own, as in the SDK");
      assert.equal(b.constructor, sdk.KMSServiceException);
    } else {
      assert.ok(b instanceof sdk[name]);
      assert.ok(a instanceof sdk[name], "the real SDK's class recognises ours");
    }
  }
  // Both faults used up: the calls go through again.
  assert.deepEqual((await ours.send(new ListKeysCommand({}))).Keys, []);
});

test("retries: a throttled Encrypt succeeds on the third attempt, without real waiting on a manual clock", async () => {
  const { world, client, keyId } = await withKey({ clock: START });
  await world.faults.add({ operation: "Encrypt", keyId, error: "ThrottlingException", times: 2 });
  const started = Date.now();
  const sealed = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "eventually" }));
  assert.equal(sealed.$metadata.attempts, 3);
  assert.ok(sealed.$metadata.totalRetryDelay > 0, `totalRetryDelay ${sealed.$metadata.totalRetryDelay}`);
  assert.ok(sealed.$metadata.totalRetryDelay < 3000, "full jitter under 1000 + 2000 ms");
  assert.ok(Date.now() - started < 1000, "the back-off advanced the world's clock instead of sleeping");
  const now = await world.clock.now();
  assert.equal(
    now.getTime() - new Date(START).getTime(),
    sealed.$metadata.totalRetryDelay,
    "the clock moved by the back-off",
  );

  const attempts = await world.calls({ operation: "Encrypt" });
  assert.deepEqual(
    attempts.map((c) => c.error?.name ?? "ok"),
    ["ThrottlingException", "ThrottlingException", "ok"],
  );
  assert.equal(attempts.at(-1).requestId, sealed.$metadata.requestId, "the output has the last attempt's request ID");
  assert.equal(new Set(attempts.map((c) => c.requestId)).size, 3, "each attempt has its own request ID");
  const opened = await client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
  assert.equal(new TextDecoder().decode(opened.Plaintext), "eventually");
});

test("retries: transient server errors are retried, client errors are not, and the last error says how many attempts", async () => {
  const { world, client, keyId } = await withKey({ clock: START });
  // KMSInternalException (500) is transient: retried, then success.
  await world.faults.add({ operation: "DescribeKey", error: "KMSInternalException", times: 1 });
  const described = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
  assert.equal(described.$metadata.attempts, 2);
  // Every attempt refused: the third error is thrown, with attempts 3.
  await world.faults.add({ operation: "DescribeKey", error: "DependencyTimeoutException" });
  const error = await failure(client.send(new DescribeKeyCommand({ KeyId: keyId })));
  assert.ok(error instanceof DependencyTimeoutException);
  assert.equal(error.$metadata.attempts, 3);
  assert.ok(error.$metadata.totalRetryDelay >= 0);
  await world.faults.clear();
  // A client error (NotFoundException) is final at once.
  const missing = await failure(client.send(new DescribeKeyCommand({ KeyId: "alias/none" })));
  assert.equal(missing.name, "NotFoundException");
  assert.equal(missing.$metadata.attempts, 1);
  assert.equal(missing.$metadata.totalRetryDelay, 0);
  // maxAttempts: 1 turns retries off.
  const once = new KMSClient({ region: "us-east-1", world, maxAttempts: 1 });
  await world.faults.add({ operation: "DescribeKey", error: "ThrottlingException", times: 1 });
  assert.equal((await failure(once.send(new DescribeKeyCommand({ KeyId: keyId })))).$metadata.attempts, 1);
});

test("retries go through user middleware's stack too, and a seeded world's back-off is reproducible", async () => {
  const run = async () => {
    const { world, client, keyId } = await withKey({ clock: START, seed: "backoff" });
    const seen = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        seen.push(args.request.headers["x-amz-target"]);
        return next(args);
      },
      { step: "finalizeRequest", name: "count-attempts" },
    );
    await world.faults.add({ operation: "Encrypt", error: "ThrottlingException", times: 2 });
    const sealed = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "x" }));
    assert.equal(seen.length, 3, "a finalizeRequest middleware sees every attempt, as in the SDK");
    assert.ok(client.middlewareStack.identify().includes("retryMiddleware - finalizeRequest"));
    return [sealed.$metadata.attempts, sealed.$metadata.totalRetryDelay, sealed.$metadata.requestId];
  };
  const first = await run();
  assert.equal(first[0], 3);
  assert.deepEqual(await run(), first);
});

test("the real SDK through createRequestHandler() retries a throttling fault by itself", async () => {
  const world = createWorld();
  const client = new sdk.KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
    requestHandler: createRequestHandler({ world }),
    retryStrategy: new ConfiguredRetryStrategy(3, 1), // the SDK's own retries, with a 1 ms back-off
  });
  await world.faults.add({ operation: "ListKeys", error: "ThrottlingException", times: 2 });
  const listed = await client.send(new sdk.ListKeysCommand({}));
  assert.equal(listed.$metadata.attempts, 3);
  const journal = await world.calls({ operation: "ListKeys" });
  assert.deepEqual(
    journal.map((c) => c.error?.name ?? "ok"),
    ["ThrottlingException", "ThrottlingException", "ok"],
    "the request handler answered each attempt",
  );
  // And with its default strategy: the SDK classifies our ThrottlingException as throttling.
  const standard = new sdk.KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
    requestHandler: createRequestHandler({ world }),
  });
  await world.faults.add({ operation: "ListKeys", error: "ThrottlingException", times: 1 });
  const again = await standard.send(new sdk.ListKeysCommand({}));
  assert.equal(again.$metadata.attempts, 2);
});

test("latency: a manual clock advances by the fault's latency, and no real time passes", async () => {
  const { world, client, keyId } = await withKey({ clock: START });
  const fault = await world.faults.add({ operation: "Encrypt", latencyMs: 5000 });
  const started = Date.now();
  const sealed = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "slow" }));
  assert.equal(sealed.$metadata.attempts, 1, "latency alone is no error");
  assert.ok(Date.now() - started < 1000);
  assert.deepEqual(await world.clock.now(), new Date(new Date(START).getTime() + 5000));
  // Other operations are not slowed; a removed fault slows nothing.
  await client.send(new DescribeKeyCommand({ KeyId: keyId }));
  await fault.remove();
  await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "fast" }));
  assert.deepEqual(await world.clock.now(), new Date(new Date(START).getTime() + 5000));
  // The JSON path (a world without the direct path) is slowed the same way.
  await world.faults.add({ operation: "Encrypt", latencyMs: 250, times: 1 });
  const json = new KMSClient({ region: "us-east-1", world, logger: { ...console, info() {} } });
  await json.send(new EncryptCommand({ KeyId: keyId, Plaintext: "x" }));
  assert.deepEqual(await world.clock.now(), new Date(new Date(START).getTime() + 5250));
});

test("latency: with a real clock the call takes that long", async () => {
  const { world, client, keyId } = await withKey();
  await world.faults.add({ operation: "Encrypt", keyId, latencyMs: 150, times: 1 });
  const started = performance.now();
  await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "slow" }));
  assert.ok(performance.now() - started >= 140, `took ${performance.now() - started} ms`);
  const again = performance.now();
  await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "fast" }));
  assert.ok(performance.now() - again < 140, "the fault was used up");
  // Through the real SDK's request handler too.
  const real = new sdk.KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
    requestHandler: createRequestHandler({ world }),
  });
  await world.faults.add({ operation: "ListKeys", latencyMs: 120, times: 1 });
  const t0 = performance.now();
  await real.send(new sdk.ListKeysCommand({}));
  assert.ok(performance.now() - t0 >= 110);
});

test("faults: matchers, probability, list, remove and clear; reset() clears them", async () => {
  const { world, client, keyId } = await withKey({ seed: "faults" });
  const other = (await client.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
  const handle = await world.faults.add({ keyId, error: "KeyUnavailableException" });
  assert.match(handle.id, /./);
  const noRetry = new KMSClient({ region: "us-east-1", world, maxAttempts: 1 });
  await assert.rejects(noRetry.send(new EncryptCommand({ KeyId: keyId, Plaintext: "x" })), KeyUnavailableException);
  await noRetry.send(new EncryptCommand({ KeyId: other, Plaintext: "x" }));
  const otherRegion = new KMSClient({ region: "eu-west-1", world, maxAttempts: 1 });
  await world.faults.add({ region: "eu-west-1", error: "KMSInternalException" });
  await assert.rejects(otherRegion.send(new ListKeysCommand({})), KMSInternalException);
  assert.deepEqual(
    (await world.faults.list()).map((f) => f.error),
    ["KeyUnavailableException", "KMSInternalException"],
  );
  await handle.remove();
  await noRetry.send(new EncryptCommand({ KeyId: keyId, Plaintext: "x" }));
  await world.faults.clear();
  assert.deepEqual(await world.faults.list(), []);

  await world.faults.add({ operation: "ListKeys", error: "ThrottlingException", probability: 0.5 });
  let refused = 0;
  for (let i = 0; i < 40; i++) {
    refused += await noRetry.send(new ListKeysCommand({})).then(
      () => 0,
      () => 1,
    );
  }
  assert.ok(refused > 5 && refused < 35, `${refused} of 40 refused at probability 0.5`);
  world.reset();
  assert.deepEqual(await world.faults.list(), [], "reset() clears the faults");

  await assert.rejects(world.faults.add({ error: "NoSuchError" }), WasmKMSError);
  await assert.rejects(world.faults.add({ operation: "ListKeys" }), /needs an error, a latencyMs, or both/);
  await assert.rejects(world.faults.add({ Error: "ThrottlingException" }), {
    name: "TypeError",
    message: /no member "Error"/,
  });
});
