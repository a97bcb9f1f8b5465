// The esbuild recipe (README, "Other runtimes"): test/bundlers/esbuild/browser.sh and node.sh, run in the
// app's folder as a user types them. esbuild leaves the entries' `new URL("./wasmkms.wasm",
// import.meta.url)` as it is, so an ES-module bundle looks for the module beside itself, where the
// recipe copies it. The page (the package's `browser` entry) round-trips in Chromium, fetching the
// module from beside the bundle; the Node bundle (the `node` entry) round-trips in Node.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { assertRoundTrip, makeApp, toolEnv } from "./lib/app.mjs";
import { pageHtml, serveFolder, startBrowser } from "./lib/page.mjs";
import { chromiumMissing } from "../lib/chromium.mjs";

const missing = chromiumMissing(); // throws in CI when the browser is missing
const recipe = (name) => fileURLToPath(new URL(`./esbuild/${name}`, import.meta.url));
let app;

before(async () => {
  app = await makeApp({ tools: ["esbuild"] });
  await app.script(recipe("browser.sh"));
  await app.script(recipe("node.sh"));
  await writeFile(app.path("dist/browser/index.html"), pageHtml("./main.js"));
});

after(() => app?.close());

test("esbuild for the browser: the page round-trips in Chromium, the module fetched beside the bundle", {
  skip: missing ?? false,
}, async () => {
  const server = await serveFolder(app.path("dist/browser"));
  const browser = await startBrowser();
  try {
    const { result, wasm, errors } = await browser.open(`${server.origin}/index.html`);
    assertRoundTrip(result, "hello from a bundle");
    assert.deepEqual(errors, []);
    assert.deepEqual(
      wasm.map((w) => new URL(w.url).pathname),
      ["/wasmkms.wasm"],
    );
  } finally {
    await browser.close();
    await server.close();
  }
});

test("esbuild for Node: the bundle round-trips in Node, reading the module beside it", async () => {
  // From another working directory: the bundle finds the module by its own location.
  const { stdout } = await promisify(execFile)(process.execPath, [app.path("dist/node/main.mjs")], {
    cwd: app.path("dist"),
    env: toolEnv,
    timeout: 60_000,
  });
  assertRoundTrip(JSON.parse(stdout), "hello from a Node bundle");
});
