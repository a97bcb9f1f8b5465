// The shared conformance scenarios (testdata/conformance) through the real @aws-sdk/client-kms, both
// ways: in-process with our request handler, and over HTTP against the endpoint. Every step an SDK can
// express must pass both ways; and every step, raw bodies and raw targets included, must pass as raw
// HTTP requests to the endpoint. Each scenario runs in a fresh world.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatFailures, runScenario } from "../lib/conformance.mjs";
import { createWorld } from "./lib/wasmkms.mjs";
import { endpointCall, endpointWireCall, requestHandlerCall } from "./lib/real-sdk-adapter.mjs";

const SCENARIOS = fileURLToPath(new URL("../../testdata/conformance/", import.meta.url));
const files = readdirSync(SCENARIOS)
  .filter((name) => name.endsWith(".json"))
  .sort();

test("there are scenarios to run", () => assert.ok(files.length > 0));

for (const file of files) {
  const scenario = JSON.parse(readFileSync(SCENARIOS + file, "utf8"));

  test(`${file} through the real SDK and our request handler`, async () => {
    const result = await runScenario(scenario, requestHandlerCall(createWorld()), { sdk: true, file });
    assert.equal(result.failed, 0, formatFailures(result));
    assert.ok(result.passed > 0, `${file}: no step ran`);
  });

  test(`${file} through the real SDK and the HTTP endpoint`, async (t) => {
    const { call, close } = endpointCall(createWorld());
    t.after(close);
    const result = await runScenario(scenario, call, { sdk: true, file });
    assert.equal(result.failed, 0, formatFailures(result));
    assert.ok(result.passed > 0, `${file}: no step ran`);
  });

  test(`${file} as raw HTTP requests to the endpoint (every step)`, async (t) => {
    const { call, close } = endpointWireCall(createWorld());
    t.after(close);
    const result = await runScenario(scenario, call, { sdk: false, file });
    assert.equal(result.failed, 0, formatFailures(result));
    assert.equal(result.skipped, 0);
  });
}
