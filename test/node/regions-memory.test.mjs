// Requests that name made-up Regions and accounts leave nothing behind in the world: in a world made
// with allowAnyRegion, which takes them all, the module's linear memory (memory.buffer.byteLength,
// which never shrinks) does not grow from the 10,000th such request (the call journal full by then)
// to the 50,000th, beyond the garbage collector's slack. Reads and refused changes, through
// world.call and through KMSClients made for each Region.
import { test } from "node:test";
import assert from "node:assert/strict";

import { createWorld, KMSClient, ListAliasesCommand } from "wasmkms";

const WARMUP = 10_000;
const TOTAL = 50_000;
const SLACK = 2 << 20; // the module's heap grows 4 MiB at a time: one step is a leak

// The world's own module instance, and its memory: WebAssembly.instantiate is watched while the
// world attaches (the one instantiation of this test's module source).
async function worldAndMemory() {
  const world = createWorld({ allowAnyRegion: true, wasm: new URL("../../js/wasmkms.wasm", import.meta.url) });
  const instantiate = WebAssembly.instantiate;
  let memory;
  WebAssembly.instantiate = async (...args) => {
    const result = await instantiate.apply(WebAssembly, args);
    memory ??= (result.instance ?? result).exports.memory;
    return result;
  };
  try {
    await world.clock.now(); // attaches
  } finally {
    WebAssembly.instantiate = instantiate;
  }
  assert.ok(memory instanceof WebAssembly.Memory, "the world's instance was not seen");
  return { world, memory };
}

test(`linear memory stays flat from ${WARMUP} to ${TOTAL} requests in random Regions and accounts`, async () => {
  const { world, memory } = await worldAndMemory();
  const created = await world.call({}, "TrentService.CreateKey", "{}");
  const keyId = JSON.parse(created.body).KeyMetadata.KeyId;
  const requests = [
    ["DescribeKey", JSON.stringify({ KeyId: keyId })],
    ["ListKeys", "{}"],
    ["Encrypt", JSON.stringify({ KeyId: "alias/app", Plaintext: "eA==" })],
    ["CreateAlias", JSON.stringify({ AliasName: "alias/app", TargetKeyId: keyId })], // refused there
    ["GetKeyPolicy", JSON.stringify({ KeyId: keyId, PolicyName: "default" })],
  ];
  // An alias of another made-up account, by its ARN in the caller's Region.
  const otherAccountsAlias = (region) =>
    JSON.stringify({ KeyId: `arn:aws:kms:${region}:${String(random() % 1e12).padStart(12, "0")}:alias/app` });
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  let afterWarmup = 0;
  const started = Date.now();
  for (let i = 1; i <= TOTAL; i++) {
    const caller = { account: String(random() % 1e12).padStart(12, "0"), region: `made-up-${random()}` };
    if (i % 100 === 0) {
      // A client of its own for the Region, as a test of a multi-Region app makes them.
      const { Aliases } = await new KMSClient({ region: caller.region, world }).send(new ListAliasesCommand({}));
      assert.ok(Aliases.length > 0);
    } else {
      const [operation, body] =
        i % 2 ? requests[i % requests.length] : ["DescribeKey", otherAccountsAlias(caller.region)];
      const answer = await world.call(caller, `TrentService.${operation}`, body);
      assert.ok(answer.status < 500, `${operation}: ${answer.status} ${answer.body}`);
      if (operation === "CreateAlias") assert.equal(answer.status, 400, answer.body);
    }
    if (i === WARMUP) afterWarmup = memory.buffer.byteLength;
  }
  const final = memory.buffer.byteLength;
  const note = `${afterWarmup} bytes after ${WARMUP} requests, ${final} after ${TOTAL} (${Date.now() - started} ms)`;
  assert.ok(final <= afterWarmup + SLACK, `linear memory grew: ${note}`);
  console.log(`# linear memory: ${note}`);
});
