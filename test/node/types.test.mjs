// The TypeScript declarations: js/index.d.ts is up to date with the operations table, and a typed
// usage file (test/node/types/usage.ts) compiles with tsc --noEmit, its @ts-expect-error lines
// proving that the types are not `any`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = (args) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: "pipe" });

test("js/index.d.ts is generated from the current operations table", () => {
  run(["js/build-types.mjs", "--check"]);
});

test("a typed usage file compiles against the declarations (tsc --noEmit)", () => {
  try {
    run(["node_modules/typescript/bin/tsc", "-p", "test/node/types"]);
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});
