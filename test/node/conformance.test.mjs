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

// Every scenario runs twice: with the direct path (Encrypt and Decrypt through the module's direct
// exports, no JSON) and without it (everything through the generic call), so that both paths are held
// to the same expected answers.
const directCalls = { on: 0, off: 0 };
for (const directPath of [true, false]) {
  const mode = directPath ? "on" : "off";
  for (const file of files) {
    test(`conformance ${file} through KMSClient (direct path ${mode})`, async () => {
      const scenario = JSON.parse(readFileSync(scenarioDir + file, "utf8"));
      const world = pkg.createWorld({ directPath });
      const call = createSdkCall(pkg, { world });
      const result = await runScenario(scenario, call, { sdk: true, file });
      directCalls[mode] += world.directCalls;
      assert.equal(result.failed, 0, formatFailures(result));
      assert.ok(result.passed > 0 || result.skipped === scenario.steps.length, `${file}: no step ran`);
    });
  }
}

test("the direct path ran with it on, and never with it off", () => {
  assert.ok(directCalls.on > 0, "no Encrypt or Decrypt took the direct path");
  assert.equal(directCalls.off, 0);
});
