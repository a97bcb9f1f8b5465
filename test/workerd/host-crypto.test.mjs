// The host's primitives in workerd (through miniflare): with the nodejs_compat flag, workerd's
// node:crypto supplies them (js/workerd.mjs reaches it through process.getBuiltinModule) and twin
// seeded worlds, one on them and one on the module's own Go code, answer alike. (Without the flag the
// imports are stubs and the module runs its own code: test/workerd/workerd.test.mjs.)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { bundleWorker, compiledWasmRule } from "../lib/workerd-bundle.mjs";

const workerSource = fileURLToPath(new URL("./host-crypto-worker.mjs", import.meta.url));
let bundle;

before(async () => {
  bundle = await bundleWorker(workerSource);
});

after(async () => {
  await bundle?.close();
});

async function run(compatibilityFlags, path) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundle.scriptPath,
    modulesRoot: bundle.dir,
    modulesRules: [compiledWasmRule],
    compatibilityDate: "2025-01-01",
    compatibilityFlags,
  });
  try {
    const response = await mf.dispatchFetch(`http://worker${path}`);
    const report = await response.json();
    assert.equal(response.status, 200, report.error);
    return report;
  } finally {
    await mf.dispose();
  }
}

test("with nodejs_compat, workerd's node:crypto supplies the host's primitives, and twin worlds answer alike", async (t) => {
  const { calls, mismatches, host, pure, asymmetric } = await run(["nodejs_compat"], "/differential");
  t.diagnostic(`workerd: ${calls} calls on each world; the host ran ${host.primitivesRun} primitives`);
  assert.deepEqual(mismatches, []);
  assert.equal(host.inUse, true);
  assert.equal(pure.inUse, false);
  assert.ok(
    asymmetric > 20 && host.primitivesRun > asymmetric,
    `the host ran ${host.primitivesRun} primitives for ${asymmetric} private-key operations it supplies`,
  );
  // Every primitive but secp256k1's base point (workerd's createECDH has no such curve).
  assert.equal(host.capabilities, 1 | 2 | 4 | 8 | 16 | (0b0111 << 8));
});
