// The wrangler recipe (README, "Other runtimes"): test/bundlers/wrangler/wrangler.toml and a Worker
// that imports "wasmkms". `wrangler deploy --dry-run --outdir dist` builds it as a deploy would, with no
// account: the `workerd` entry, the module as a separate compiled-wasm module. The upload's compressed
// size is within the Workers Free plan's 3 MB, and the miniflare recipe's test
// (test/bundlers/miniflare/worker-test.mjs) runs the built Worker in workerd and its round trip passes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { makeApp } from "./lib/app.mjs";

/**
 * A Node that wrangler runs on (it refuses those older than 22.12): this one, or the one ./build.sh test
 * names in WASMKMS_WRANGLER_NODE when it runs the suites on Node 20. Null when there is none.
 */
function nodeForWrangler() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return process.execPath;
  return process.env.WASMKMS_WRANGLER_NODE || null;
}

const node = nodeForWrangler();
const missing =
  node === null
    ? `wrangler needs Node >= 22.12 and this is ${process.version}: run ./build.sh test, or set WASMKMS_WRANGLER_NODE`
    : null;
if (missing && process.env.CI) throw new Error(missing);
const skip = missing ?? false;
const FREE_PLAN_LIMIT = 3 * 1024 * 1024; // Workers Free: 3 MB after compression (Paid: 10 MB)
const recipe = (path) => fileURLToPath(new URL(path, import.meta.url));
let app, deploy;

before(async () => {
  if (missing) return;
  app = await makeApp({
    tools: ["wrangler", "miniflare"],
    files: {
      "wrangler.toml": await readFile(recipe("./wrangler/wrangler.toml"), "utf8"),
      "worker-test.mjs": await readFile(recipe("./miniflare/worker-test.mjs"), "utf8"),
    },
  });
  deploy = await app.run("wrangler", ["deploy", "--dry-run", "--outdir", "dist"], {
    node,
    env: {
      // Offline and self-contained: no banner (its update check), metrics or error reports, and
      // wrangler's config and logs in the app's folder rather than the home directory.
      WRANGLER_HIDE_BANNER: "true",
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      XDG_CONFIG_HOME: app.path(".config"),
      WRANGLER_LOG_PATH: app.path(".wrangler-logs"),
    },
  });
});

after(() => app?.close());

test("wrangler deploy --dry-run: the Worker and the module as a separate file, within the Free plan's size", {
  skip,
}, async (t) => {
  const files = await readdir(app.path("dist"));
  assert.ok(files.includes("worker.js"), files.join(", "));
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, wasm.join(", "));
  assert.match(wasm[0], /-wasmkms\.wasm$/);
  // The module is imported, not inlined: workerd refuses to compile WebAssembly from bytes.
  assert.match(await readFile(app.path("dist", "worker.js"), "utf8"), new RegExp(`from\\s*"\\./${wasm[0]}"`));
  const [, total, gzip] = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(deploy.stdout) ?? [];
  assert.ok(gzip, deploy.stdout);
  t.diagnostic(`wrangler: total upload ${total} KiB, gzip ${gzip} KiB (Free plan limit ${FREE_PLAN_LIMIT / 1024} KiB)`);
  assert.ok(Number(gzip) * 1024 <= FREE_PLAN_LIMIT, `${gzip} KiB compressed`);
});

test("the Worker wrangler built runs in workerd (the miniflare recipe's test), and its round trip passes", {
  skip,
}, async () => {
  const { passed, failed, output } = await app.nodeTest("worker-test.mjs");
  assert.deepEqual({ passed, failed }, { passed: 1, failed: 0 }, output);
});
