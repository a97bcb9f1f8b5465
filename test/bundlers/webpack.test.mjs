// The webpack recipe (README, "Other runtimes"): the app imports "wasmkms", webpack builds it with
// test/bundlers/webpack/webpack.config.js, and the page round-trips in Chromium. The module is emitted
// once (webpack's asset for the browser entry's `new URL("./wasmkms.wasm", import.meta.url)`) and is the
// only .wasm the page fetches.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { assertRoundTrip, makeApp } from "./lib/app.mjs";
import { pageHtml, serveFolder, startBrowser } from "./lib/page.mjs";
import { chromiumMissing } from "../lib/chromium.mjs";

const missing = chromiumMissing(); // throws in CI when the browser is missing
const skip = missing ?? false;
const config = fileURLToPath(new URL("./webpack/webpack.config.js", import.meta.url));
let app, browser, built;

before(async () => {
  if (missing) return;
  app = await makeApp({
    tools: ["webpack", "webpack-cli"],
    files: { "webpack.config.js": await readFile(config, "utf8") },
  });
  built = await app.run("webpack-cli", [], { command: "webpack-cli" });
  await writeFile(app.path("dist", "index.html"), pageHtml("./main.js", { module: false }));
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

test("webpack: the module is emitted once, with no size warning", { skip }, async () => {
  const wasm = (await readdir(app.path("dist"))).filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one module in dist/, not ${wasm.join(", ")}`);
  assert.doesNotMatch(built.stdout, /WARNING/, built.stdout);
});

test("webpack: the built page round-trips in Chromium", { skip }, async () => {
  const server = await serveFolder(app.path("dist"));
  try {
    const { result, wasm, errors } = await browser.open(`${server.origin}/index.html`);
    assertRoundTrip(result, "hello from a bundle");
    assert.deepEqual(errors, []);
    assert.equal(wasm.length, 1, JSON.stringify(wasm));
    assert.equal(wasm[0].type, "application/wasm");
  } finally {
    await server.close();
  }
});
