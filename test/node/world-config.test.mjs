// A world's config reaches the module with only what differs from the module's defaults, and an empty
// one as none at all (wasmkms_world_new(0, 0), wasm/ABI.md): the module then parses nothing, which
// spares a default world the JSON decoding V8 would otherwise compile twice at start-up. The options
// still take effect: the module's own answers show them.
import { test } from "node:test";
import assert from "node:assert/strict";

import { ModuleInstance } from "../../js/core/module.mjs";
import { createWorld, CreateKeyCommand, KMSClient } from "wasmkms";

// A ModuleInstance over exports that record what wasmkms_world_new was given.
function recordingInstance() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const calls = [];
  const exports = {
    memory,
    wasmkms_alloc: () => 1024,
    wasmkms_free: () => 0,
    wasmkms_world_new: (ptr, length) => {
      calls.push(length === 0 ? "" : new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, length)));
      return calls.length;
    },
  };
  return { instance: new ModuleInstance({ exports }), calls };
}

test("an empty config is sent as none; any other as its JSON", () => {
  const { instance, calls } = recordingInstance();
  assert.equal(instance.newWorld({}), 1);
  assert.equal(instance.newWorld(), 2);
  assert.equal(instance.newWorld({ seed: "s", journal: false }), 3);
  assert.deepEqual(calls, ["", "", '{"seed":"s","journal":false}']);
});

test("createWorld's options reach the module, and a default world is the module's default", async () => {
  const defaults = await createWorld().call({}, "WasmKMS.GetClock", "");
  assert.equal(JSON.parse(defaults.body).manual, false);
  const manual = createWorld({ clock: "2031-06-01T00:00:00Z", seed: "config" });
  assert.equal(JSON.parse((await manual.call({}, "WasmKMS.GetClock", "")).body).now, "2031-06-01T00:00:00Z");
  // A seeded world's keys are its seed's, world after world.
  const keyOf = async (world) =>
    (await new KMSClient({ region: "us-east-1", world }).send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
  assert.equal(await keyOf(manual), await keyOf(createWorld({ seed: "config" })));
  // A world without its journal says so; a default world has one.
  const quiet = createWorld({ journal: false });
  await keyOf(quiet);
  await assert.rejects(quiet.calls(), /this world keeps no journal/);
  const journaled = createWorld();
  await keyOf(journaled);
  assert.equal((await journaled.calls()).length, 1);
});
