// The TypeScript declarations: js/index.d.ts and js/core/enums.mjs are what js/build-types.mjs makes
// from the operations table and the installed SDK now (regenerated into a temporary folder and
// compared), and typed usage files compile with tsc --noEmit --strict, their @ts-expect-error lines
// proving that the types are not `any`: test/node/types/usage.ts and sdk-interop.ts (dependency
// injection: a wasmkms client where the SDK's is expected) here, without-sdk.ts in a folder where
// @aws-sdk/client-kms cannot be found.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

test("without @aws-sdk/client-kms installed, the declarations stand alone (tsc --noEmit, strict)", () => {
  // A folder outside the repository: "wasmkms" resolves to a copy of js/index.d.ts, and nothing else
  // is installed, so the declarations' optional import of the SDK's types resolves to nothing.
  const dir = mkdtempSync(join(tmpdir(), "wasmkms-types-alone-"));
  try {
    const pkg = join(dir, "node_modules", "wasmkms");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: "wasmkms", type: "module", types: "./index.d.ts" }),
    );
    copyFileSync(join(root, "js/index.d.ts"), join(pkg, "index.d.ts"));
    copyFileSync(join(root, "test/node/types/without-sdk.ts"), join(dir, "without-sdk.ts"));
    const { compilerOptions } = JSON.parse(readFileSync(join(root, "test/node/types/tsconfig.json"), "utf8"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { ...compilerOptions, types: [] }, files: ["without-sdk.ts"] }),
    );
    try {
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], {
        cwd: dir,
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (error) {
      assert.fail(`tsc failed without the SDK:\n${error.stdout}${error.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
