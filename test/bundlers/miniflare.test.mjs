// The miniflare recipe (README, "Other runtimes"), without wrangler: test/bundlers/miniflare/bundle.sh
// bundles the Worker with esbuild as wrangler would (the `workerd` entry, the .wasm import a separate
// module), then the user's test, test/bundlers/miniflare/worker-test.mjs, runs it in workerd through
// miniflare with `node --test`, and its round trip passes. No Node 22 needed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { makeApp } from "./lib/app.mjs";

const recipe = (name) => fileURLToPath(new URL(`./miniflare/${name}`, import.meta.url));
let app;

before(async () => {
  app = await makeApp({
    tools: ["esbuild", "miniflare"],
    files: { "worker-test.mjs": await readFile(recipe("worker-test.mjs"), "utf8") },
  });
  await app.script(recipe("bundle.sh"));
});

after(() => app?.close());

test("esbuild's Worker bundle imports the module as a separate file", async () => {
  assert.match(await readFile(app.path("dist/worker.js"), "utf8"), /from\s*"\.\/wasmkms\.wasm"/);
});

test("the user's miniflare test runs the Worker in workerd, and its round trip passes", async () => {
  const { passed, failed, output } = await app.nodeTest("worker-test.mjs");
  assert.deepEqual({ passed, failed }, { passed: 1, failed: 0 }, output);
});
