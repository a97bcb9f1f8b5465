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
const files = readdirSync(scenarioDir).filter((f) => f.endsWith(".json")).sort();

test("there are scenarios to run", () => assert.ok(files.length > 0));

for (const file of files) {
  test(`conformance ${file} through KMSClient`, async () => {
    const scenario = JSON.parse(readFileSync(scenarioDir + file, "utf8"));
    const call = createSdkCall(pkg, { world: pkg.createWorld() });
    const result = await runScenario(scenario, call, { sdk: true, file });
    assert.equal(result.failed, 0, formatFailures(result));
    assert.ok(result.passed > 0 || result.skipped === scenario.steps.length, `${file}: no step ran`);
  });
}
