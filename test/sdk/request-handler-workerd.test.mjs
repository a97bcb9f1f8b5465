// The request handler in Cloudflare workerd (through miniflare): a Worker bundled as wrangler bundles
// it, with the real @aws-sdk/client-kms and the package's workerd entry, runs every shared conformance
// scenario through the real SDK and our request handler.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot, startWorker } from "../lib/workerd-bundle.mjs";
import { bundleSdkWorker } from "./lib/bundle-sdk-worker.mjs";

const workerSource = fileURLToPath(new URL("./workerd/worker.mjs", import.meta.url));
const scenarioDir = join(repoRoot, "testdata", "conformance");
const files = readdirSync(scenarioDir)
  .filter((f) => f.endsWith(".json"))
  .sort();
let bundle, mf;

before(async () => {
  bundle = await bundleSdkWorker(workerSource);
  mf = await startWorker(bundle);
});

after(async () => {
  await mf?.dispose();
  await bundle?.close();
});

async function post(path, body) {
  const response = await mf.dispatchFetch(`http://worker${path}`, { method: "POST", body: JSON.stringify(body ?? {}) });
  const answer = await response.json();
  assert.equal(response.status, 200, answer.error);
  return answer;
}

test("the real SDK in workerd with our request handler: create, encrypt, decrypt, NotFoundException", async () => {
  const direct = await post("/direct");
  assert.match(direct.arn, /^arn:aws:kms:ap-southeast-2:444455556666:key\//);
  assert.equal(direct.text, "from workerd");
  assert.deepEqual(direct.notFound, {
    isClass: true,
    name: "NotFoundException",
    message: "Alias arn:aws:kms:ap-southeast-2:444455556666:alias/missing is not found.",
  });
});

for (const file of files) {
  test(`conformance ${file} in workerd through the real SDK and our request handler`, async () => {
    const scenario = JSON.parse(readFileSync(join(scenarioDir, file), "utf8"));
    const summary = await post("/scenario", { file, scenario });
    assert.equal(summary.error, undefined, summary.error);
    assert.equal(summary.failed, 0, summary.failures);
    assert.ok(summary.passed > 0, `${file}: no step ran`);
  });
}
