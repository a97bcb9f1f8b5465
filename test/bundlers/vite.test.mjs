// The vite recipe (README, "Other runtimes"): `import { KMSClient } from "wasmkms"` and nothing else.
// The browser entry's `new URL("./wasmkms.wasm", import.meta.url)` is the pattern vite turns into an
// asset: `vite build` emits the module once, beside the code that fetches it, and the dev server
// (which pre-bundles the package) serves it from the package's folder. The page round-trips in Chromium
// in both, and fetches the module once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdir } from "node:fs/promises";
import { createServer } from "node:net";
import { assertRoundTrip, binOf, makeApp, toolEnv } from "./lib/app.mjs";
import { pageHtml, serveFolder, startBrowser } from "./lib/page.mjs";
import { chromiumMissing } from "../lib/chromium.mjs";

const missing = chromiumMissing(); // throws in CI when the browser is missing
const skip = missing ?? false;
let app, browser;

before(async () => {
  if (missing) return;
  // index.html at the app's root is vite's entry.
  app = await makeApp({ tools: ["vite"], files: { "index.html": pageHtml("/src/page.js") } });
  await app.run("vite", ["build", "--logLevel", "warn"]);
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

/** Every file below dir, as paths relative to it. */
async function filesBelow(dir) {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => `${e.parentPath.slice(dir.length + 1)}/${e.name}`.replace(/^\//, ""));
}

test("vite build: the module is emitted once, as a hashed asset", { skip }, async () => {
  const files = await filesBelow(app.path("dist"));
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one module in dist/, not ${wasm.join(", ")}`);
  assert.match(wasm[0], /^assets\/wasmkms-[\w-]+\.wasm$/);
});

test("vite build: the built page round-trips in Chromium", { skip }, async () => {
  const server = await serveFolder(app.path("dist"));
  try {
    const { result, wasm, errors } = await browser.open(`${server.origin}/index.html`);
    assertRoundTrip(result, "hello from a bundle");
    assert.deepEqual(errors, []);
    assert.equal(wasm.length, 1, JSON.stringify(wasm));
    assert.match(new URL(wasm[0].url).pathname, /^\/assets\/wasmkms-[\w-]+\.wasm$/);
  } finally {
    await server.close();
  }
});

test("vite dev server: the page round-trips in Chromium, the package pre-bundled", { skip }, async () => {
  const port = await freePort();
  const vite = spawn(process.execPath, [await binOf("vite"), "--host", "127.0.0.1", "--port", port, "--strictPort"], {
    cwd: app.dir,
    env: toolEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    await waitForOutput(vite, /Local:\s+http:\/\/127\.0\.0\.1:\d+/, 120_000);
    const { result, wasm, errors } = await browser.open(`http://127.0.0.1:${port}/`);
    assertRoundTrip(result, "hello from a bundle");
    assert.deepEqual(errors, []);
    // Vite's optimizer bundles the package into node_modules/.vite/deps and rewrites the module's URL
    // to the package's own file, which the dev server serves as application/wasm.
    assert.equal(wasm.length, 1, JSON.stringify(wasm));
    assert.equal(wasm[0].status, 200);
    assert.equal(wasm[0].type, "application/wasm");
    assert.equal(new URL(wasm[0].url).pathname, "/node_modules/wasmkms/js/wasmkms.wasm");
  } finally {
    if (vite.exitCode === null && vite.signalCode === null) {
      const exited = once(vite, "exit");
      vite.kill();
      await exited; // before the app's folder is removed
    }
  }
});

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(String(port)));
    });
    server.on("error", fail);
  });
}

// Resolves once the child's output matches `pattern`; rejects when it exits or the time is up.
function waitForOutput(child, pattern, timeoutMs) {
  return new Promise((ok, fail) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (pattern.test(output)) {
        clearTimeout(timer);
        ok(output);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before ${pattern}:\n${output}`));
    });
  });
}
