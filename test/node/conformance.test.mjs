// The shared conformance scenarios (testdata/conformance/*.json) through the package's KMSClient in
// Node, each file in a fresh world, skipping only the steps an SDK-level host cannot express.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import * as pkg from "wasmkms";
import { formatFailures, runScenario } from "../lib/conformance.mjs";
import { createSdkCall } from "../lib/sdk-adapter.mjs";

const scenarioDir = fileURLToPath(new URL("../../testdata/conformance/", import.meta.url));
const files = readdirSync(scenarioDir)
  .filter((f) => f.endsWith(".json"))
  .sort();

test("there are scenarios to run", () => assert.ok(files.length > 0));

// Every scenario runs three times: with the direct path (the hot operations through the module's direct
// exports, no JSON), without it (everything through the generic call), and with the direct path but
// without the host's primitives (hostCrypto: false, the module's own Go cryptography, as in a browser),
// so that every path is held to the same expected answers.
const modes = [
  { name: "direct path on", directPath: true, hostCrypto: true },
  { name: "direct path off", directPath: false, hostCrypto: true },
  { name: "host primitives off", directPath: true, hostCrypto: false },
];
const directCalls = {};
const hostCrypto = {}; // by mode: worlds on the host's primitives, and the primitives the host ran
for (const { name, directPath, hostCrypto: useHostCrypto } of modes) {
  directCalls[name] = 0;
  hostCrypto[name] = { inUse: 0, primitivesRun: 0 };
  for (const file of files) {
    test(`conformance ${file} through KMSClient (${name})`, async () => {
      const scenario = JSON.parse(readFileSync(scenarioDir + file, "utf8"));
      const world = pkg.createWorld({ directPath, hostCrypto: useHostCrypto });
      const status = async () => JSON.parse((await world.call({}, "WasmKMS.HostCrypto", "")).body);
      const before = (await status()).primitivesRun;
      const call = createSdkCall(pkg, { world });
      const result = await runScenario(scenario, call, { sdk: true, file });
      directCalls[name] += world.directCalls;
      const after = await status();
      hostCrypto[name].inUse += after.inUse ? 1 : 0;
      hostCrypto[name].primitivesRun += after.primitivesRun - before;
      assert.equal(result.failed, 0, formatFailures(result));
      assert.ok(result.passed > 0 || result.skipped === scenario.steps.length, `${file}: no step ran`);
    });
  }
}

test("the direct path ran with it on, and never with it off", () => {
  assert.ok(directCalls["direct path on"] > 0, "no operation took the direct path");
  assert.equal(directCalls["direct path off"], 0);
});

test("the host's primitives ran with them on, and never with them off", () => {
  assert.equal(hostCrypto["direct path on"].inUse, files.length);
  assert.ok(hostCrypto["direct path on"].primitivesRun > 0, "the scenarios never reached a host primitive");
  assert.deepEqual(hostCrypto["host primitives off"], { inUse: 0, primitivesRun: 0 });
});
