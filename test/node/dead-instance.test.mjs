// A broken module is reported clearly and never reused: a trap marks the instance dead, the world on it
// says it was lost until reset() starts it on a fresh instance, and a module of another ABI version is
// refused. The broken modules are a few hand-assembled bytes with the ABI's exports.
import { test } from "node:test";
import assert from "node:assert/strict";

import { createWorld, KMSClient, ListKeysCommand, WasmKMSError, ABI_VERSION } from "wasmkms";

const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const vec = (items) => [...leb(items.length), ...items.flat()];
const name = (s) => [...leb(s.length), ...new TextEncoder().encode(s)];
const I32 = 0x7f;

/** A module with the ABI's exports whose wasmkms_call executes `unreachable`, and the given version. */
function brokenModule({ version = ABI_VERSION } = {}) {
  const types = [
    [0x60, 0, 0],
    [0x60, 0, 1, I32],
    [0x60, 1, I32, 1, I32],
    [0x60, 2, I32, I32, 1, I32],
    [0x60, 4, I32, I32, I32, I32, 1, I32],
  ];
  const i32const = (n) => [0x41, ...leb(n)]; // small non-negative constants only
  const bodies = [
    [], // _initialize
    i32const(version), // wasmkms_abi_version
    i32const(1024), // wasmkms_alloc
    i32const(0), // wasmkms_free
    i32const(1), // wasmkms_world_new
    i32const(0), // wasmkms_world_drop
    [0x00], // wasmkms_call: unreachable
  ].map((code) => {
    const body = [0, ...code, 0x0b];
    return [...leb(body.length), ...body];
  });
  const exportNames = [
    "_initialize",
    "wasmkms_abi_version",
    "wasmkms_alloc",
    "wasmkms_free",
    "wasmkms_world_new",
    "wasmkms_world_drop",
    "wasmkms_call",
  ];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(3, vec([[0], [1], [2], [2], [3], [2], [4]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([...exportNames.map((n, i) => [...name(n), 0x00, i]), [...name("memory"), 0x02, 0]])),
    ...section(10, vec(bodies)),
  ]);
}

test("a trap kills the instance: the call says so, the world says it is lost, reset() starts afresh", async () => {
  const world = createWorld({ wasm: brokenModule() });
  const first = await world.call({}, "TrentService.ListKeys", "{}").then(
    () => null,
    (e) => e,
  );
  assert.ok(first instanceof WasmKMSError);
  assert.match(first.message, /trapped in wasmkms_call: RuntimeError: unreachable; the instance is dead/);
  const second = await world.call({}, "TrentService.ListKeys", "{}").then(
    () => null,
    (e) => e,
  );
  assert.match(second.message, /this world was lost when its module instance trapped .*call reset\(\)/);
  world.reset();
  const third = await world.call({}, "TrentService.ListKeys", "{}").then(
    () => null,
    (e) => e,
  );
  assert.match(third.message, /trapped in wasmkms_call/, "after reset, a fresh instance (which traps again)");
});

test("through KMSClient the WasmKMSError comes as it is, not as a KMS exception", async () => {
  const client = new KMSClient({ region: "us-east-1", world: createWorld({ wasm: brokenModule() }) });
  await assert.rejects(
    client.send(new ListKeysCommand({})),
    (e) => e instanceof WasmKMSError && e.name === "WasmKMSError",
  );
});

test("a module of another ABI version is refused with a clear error", async () => {
  const world = createWorld({ wasm: brokenModule({ version: ABI_VERSION + 1 }) });
  await assert.rejects(
    world.call({}, "TrentService.ListKeys", "{}"),
    new RegExp(`speaks ABI version ${ABI_VERSION + 1}, this package speaks version ${ABI_VERSION}`),
  );
});

test("a Go panic is not a trap: KMSInternalException (500), and the instance keeps serving", async () => {
  const { CreateKeyCommand } = await import("wasmkms");
  const world = createWorld({ testHooks: true });
  const client = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const answer = await world.call({}, "WasmKMS.Panic", "{}");
  assert.equal(answer.status, 500);
  assert.equal(JSON.parse(answer.body).__type, "KMSInternalException");
  const keys = await client.send(new ListKeysCommand({}));
  assert.deepEqual(
    keys.Keys.map((k) => k.KeyId),
    [KeyMetadata.KeyId],
    "same instance, same state",
  );
});

test("a middleware cannot reach the administration targets through KMSClient", async () => {
  const { KMSServiceException } = await import("wasmkms");
  const world = createWorld({ testHooks: true });
  const client = new KMSClient({ region: "us-east-1", world });
  client.middlewareStack.add(
    (next) => (args) => {
      args.request.headers["x-amz-target"] = "WasmKMS.Panic";
      return next(args);
    },
    { step: "build", name: "retarget" },
  );
  const error = await client.send(new ListKeysCommand({})).then(
    () => null,
    (e) => e,
  );
  assert.ok(error instanceof KMSServiceException);
  assert.equal(error.name, "UnknownOperationException");
  assert.equal(error.$metadata.httpStatusCode, 400);
});
