// The miniflare recipe's test (README, "Other runtimes"): a Node test of a Worker built into dist/ (by
// `wrangler deploy --dry-run --outdir dist`, or by miniflare/bundle.sh), which miniflare runs in workerd.
// test/bundlers/miniflare.test.mjs and wrangler.test.mjs run it with `node --test` in the app's folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";

let mf;

before(() => {
  mf = new Miniflare({
    modules: true,
    scriptPath: "dist/worker.js",
    modulesRoot: "dist", // module names are paths below it: workerd refuses names with ".."
    // wrangler's default rule for .wasm imports: a WebAssembly.Module, compiled as the Worker loads
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01",
  });
});

after(() => mf.dispose());

test("the Worker encrypts and decrypts", async () => {
  const response = await mf.dispatchFetch("http://localhost/");
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.text, "hello from a Worker");
  assert.equal(body.decryptedBy, body.keyArn);
});
