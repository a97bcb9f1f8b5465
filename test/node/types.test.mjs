// The TypeScript declarations: js/index.d.ts and js/core/enums.mjs are what js/build-types.mjs makes
// from the operations table and the installed SDK now (regenerated into a temporary folder and
// compared), and a typed usage file (test/node/types/usage.ts) compiles with tsc --noEmit, its
// @ts-expect-error lines proving that the types are not `any`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = (args) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: "pipe" });

test("js/index.d.ts and js/core/enums.mjs are not stale (regenerated, they are the same)", () => {
  const dir = mkdtempSync(join(tmpdir(), "wasmkms-types-"));
  try {
    run(["js/build-types.mjs", "--out-dir", dir]);
    for (const [generated, committed] of [
      ["index.d.ts", "js/index.d.ts"],
      ["enums.mjs", "js/core/enums.mjs"],
    ]) {
      assert.ok(
        readFileSync(join(dir, generated), "utf8") === readFileSync(join(root, committed), "utf8"),
        `${committed} is stale: run node js/build-types.mjs (or ./build.sh build) and commit it`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a typed usage file compiles against the declarations (tsc --noEmit)", () => {
  try {
    run(["node_modules/typescript/bin/tsc", "-p", "test/node/types"]);
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});
