// The package's layout rules: js/core is runtime-neutral and self-contained (it imports nothing from
// outside js/core: no js/node-only, no Node built-ins, no packages), and the entries of the other
// runtimes (browser, workerd, deno) import js/core only, never js/node-only. Imports are read with
// TypeScript's own pre-processor (static imports, re-exports, dynamic imports, require calls).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(fileURLToPath(new URL("../../", import.meta.url)));
const core = join(root, "js", "core");

const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((file) => /\.(mjs|cjs|js)$/.test(file));

// Every module a file imports: a path for relative specifiers, the specifier itself otherwise.
function importsOf(file) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles.map(({ fileName }) =>
    fileName.startsWith("./") || fileName.startsWith("../") ? resolve(dirname(file), fileName) : fileName,
  );
}
const inside = (dir, path) => path.startsWith(dir + sep);

test("the rule sees imports (js/core/index.mjs imports several core files)", () => {
  assert.ok(importsOf(join(core, "index.mjs")).filter((path) => inside(core, path)).length > 5);
});

test("no file under js/core imports anything from outside js/core", () => {
  const outside = [];
  for (const file of filesUnder(core)) {
    for (const path of importsOf(file)) {
      if (!inside(core, path))
        outside.push(`${relative(root, file)} imports ${inside(root, path) ? relative(root, path) : path}`);
    }
  }
  assert.deepEqual(
    outside,
    [],
    "js/core must stay runtime-neutral and self-contained (Node-only code lives in js/node-only)",
  );
});

test("the browser, workerd and deno entries import js/core only (and the workerd entry the module)", () => {
  const outside = [];
  for (const entry of ["browser.mjs", "workerd.mjs", "deno.mjs"]) {
    const file = join(root, "js", entry);
    for (const path of importsOf(file)) {
      if (!inside(core, path) && path !== join(root, "js", "wasmkms.wasm")) outside.push(`js/${entry} imports ${path}`);
    }
  }
  assert.deepEqual(outside, []);
});
