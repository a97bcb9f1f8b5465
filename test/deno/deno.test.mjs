// Deno (the npm package's binary): an application folder that has wasmkms in node_modules imports it
// by name, so Deno resolves the package's `deno` export condition, then runs the shared conformance
// scenarios, the bad-input cases and the differential test of the host's primitives with only
// --allow-read. The answers must match Node's.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import * as nodePackage from "../../js/node.mjs";
import { runBadInputCases } from "../lib/bad-input-cases.mjs";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const denoBinary = join(repoRoot, "node_modules", ".bin", "deno");
const missing = existsSync(denoBinary) ? null : `Deno not found at ${denoBinary} (npm ci installs it)`;
if (missing && process.env.CI) throw new Error(missing);
const skip = missing ?? false;

let appDir, report;

before(async () => {
  if (missing) return;
  appDir = await mkdtemp(join(tmpdir(), "wasmkms-deno-"));
  await mkdir(join(appDir, "node_modules"));
  await symlink(repoRoot, join(appDir, "node_modules", "wasmkms"), "dir");
  await writeFile(
    join(appDir, "package.json"),
    JSON.stringify({ name: "deno-app", type: "module", dependencies: { wasmkms: "*" } }),
  );
  const checks = pathToFileURL(join(repoRoot, "test", "deno", "checks.mjs")).href;
  await writeFile(
    join(appDir, "main.mjs"),
    `import * as wasmkms from "wasmkms";\n` +
      `import { main } from ${JSON.stringify(checks)};\n` +
      `await main(wasmkms, import.meta.resolve("wasmkms"));\n`,
  );
  await writeFile(
    join(appDir, "load-error.mjs"),
    `import * as wasmkms from "wasmkms";\n` +
      `import { loadError } from ${JSON.stringify(checks)};\n` +
      `await loadError(wasmkms, new URL("./no-such-module.wasm", import.meta.url));\n`,
  );
  report = await runDeno("main.mjs");
});

/** Runs a script of the application folder with only --allow-read; resolves to its last stdout line, parsed. */
async function runDeno(script) {
  const { stdout } = await promisify(execFile)(denoBinary, ["run", "--allow-read", script], {
    cwd: appDir,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(appDir, ".deno"), NO_COLOR: "1" },
    timeout: 240_000,
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

after(async () => {
  if (appDir) await rm(appDir, { recursive: true, force: true });
});

test("Deno resolves the package's deno entry", { skip }, () => {
  assert.match(report.resolvedEntry, /\/js\/deno\.mjs$/);
});

test("the conformance scenarios pass in Deno", { skip }, (t) => {
  const { totals, conformance } = report;
  t.diagnostic(
    `Deno ${report.deno} conformance: ${totals.files} files, ${totals.passed} steps passed, ` +
      `${totals.failed} failed, ${totals.skipped} skipped, ${totals.errors} files errored`,
  );
  assert.ok(totals.files > 0);
  for (const s of conformance) {
    assert.equal(s.error, undefined, `${s.file}: ${s.error}`);
    assert.equal(s.failed, 0, s.failures);
  }
  assert.ok(totals.passed > 0);
});

test("Deno's node:crypto supplies the host's primitives, and twin seeded worlds answer alike", { skip }, (t) => {
  const { calls, mismatches, host, pure, asymmetric } = report.hostCrypto;
  t.diagnostic(`Deno: ${calls} calls on each world; the host ran ${host.primitivesRun} primitives`);
  assert.deepEqual(mismatches, []);
  assert.equal(host.inUse, true);
  assert.equal(pure.inUse, false);
  assert.ok(
    asymmetric > 20 && host.primitivesRun > asymmetric,
    `the host ran ${host.primitivesRun} primitives for ${asymmetric} private-key operations it supplies`,
  );
  // Every primitive but P-521's base point (Deno's createECDH has no secp521r1): the module multiplies
  // on P-521 itself there.
  assert.equal(host.capabilities, 1 | 2 | 4 | 8 | 16 | (0b1011 << 8));
});

test("bad input gives the same exceptions in Deno as in Node, and changes nothing", { skip }, async () => {
  const inNode = await runBadInputCases(nodePackage);
  assert.deepEqual(report.badInput.results, inNode.results);
  assert.equal(report.badInput.keysAfter, report.badInput.keysBefore);
});

test("a module file that is not there: one clear error naming it, then a retry loads", { skip }, async (t) => {
  const { failed, retried } = await runDeno("load-error.mjs");
  t.diagnostic(failed.message);
  assert.equal(failed.ok, false);
  assert.equal(failed.name, "WasmKMSError");
  assert.ok(failed.message.includes(pathToFileURL(join(appDir, "no-such-module.wasm")).href), failed.message);
  assert.match(failed.message, /No such file|not found|NotFound/i);
  assert.deepEqual(retried, { ok: true, keys: 0 });
});
