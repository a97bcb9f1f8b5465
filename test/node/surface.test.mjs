// The package's public surface, from every entry (js/node.mjs, dist/node.cjs, js/browser.mjs,
// js/deno.mjs, js/workerd.mjs):
// - it exports every command, exception class and enum object of the installed @aws-sdk/client-kms
//   (enums with the same values, exceptions with the same fault), so code written for the SDK loads;
// - its run-time exports are exactly the values js/index.d.ts declares, both ways (the Node entries
//   add `serve` and `loadFixtures`, which the declarations mark Node only).
// Nothing here calls the module, so importing several entries into one process is harmless.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import ts from "typescript";

const root = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(import.meta.url);
const sdk = require("@aws-sdk/client-kms");

// js/workerd.mjs imports wasmkms.wasm statically, which Node cannot: it is bundled with the module
// replaced by a stub (its value is only read at the first call).
async function importWorkerdEntry() {
  const dir = mkdtempSync(join(tmpdir(), "wasmkms-surface-"));
  try {
    const out = join(dir, "workerd-entry.mjs");
    await build({
      entryPoints: [join(root, "js/workerd.mjs")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile: out,
      logLevel: "silent",
      plugins: [
        {
          name: "wasm-stub",
          setup(b) {
            b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: args.path, namespace: "wasm-stub" }));
            b.onLoad({ filter: /.*/, namespace: "wasm-stub" }, () => ({
              contents: "export default null;",
              loader: "js",
            }));
          },
        },
      ],
    });
    return await import(pathToFileURL(out).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entries = {
  "js/node.mjs": { load: () => import("../../js/node.mjs"), node: true },
  "dist/node.cjs": { load: async () => require("../../dist/node.cjs"), node: true },
  "js/browser.mjs": { load: () => import("../../js/browser.mjs") },
  "js/deno.mjs": { load: () => import("../../js/deno.mjs") },
  "js/workerd.mjs": { load: importWorkerdEntry },
};

// What the SDK exports, by kind.
const isEnumObject = (value) =>
  value !== null &&
  typeof value === "object" &&
  !Array.isArray(value) &&
  Object.keys(value).length > 0 &&
  Object.values(value).every((v) => typeof v === "string");
// Schemas end with "$" (EncryptRequest$); $Command is smithy's base class, not a KMS command.
const sdkNames = Object.keys(sdk).filter((name) => !name.endsWith("$") && !name.startsWith("$"));
const sdkCommands = sdkNames.filter((name) => name.endsWith("Command") && typeof sdk[name] === "function");
const sdkExceptions = sdkNames.filter(
  (name) =>
    typeof sdk[name] === "function" &&
    (sdk[name] === sdk.KMSServiceException || sdk[name].prototype instanceof sdk.KMSServiceException),
);
const sdkEnums = sdkNames.filter((name) => isEnumObject(sdk[name]));

test("the SDK has what this test looks for (commands, exceptions, enums)", () => {
  assert.ok(sdkCommands.length > 50, `${sdkCommands.length} commands`);
  assert.ok(sdkExceptions.length > 40, `${sdkExceptions.length} exceptions`);
  assert.ok(sdkEnums.length > 25, `${sdkEnums.length} enums`);
});

// The value names js/index.d.ts exports (classes, functions, consts; not the types and interfaces).
function declaredValueNames() {
  const file = join(root, "js/index.d.ts");
  const program = ts.createProgram([file], { noEmit: true, noLib: true, types: [] });
  const checker = program.getTypeChecker();
  return checker
    .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)))
    .filter((symbol) => symbol.flags & ts.SymbolFlags.Value)
    .map((symbol) => symbol.name)
    .sort();
}
const declared = declaredValueNames();

const missing = (names, pkg) => names.filter((name) => !(name in pkg));

for (const [entry, { load, node }] of Object.entries(entries)) {
  test(`${entry} exports every command of @aws-sdk/client-kms`, async () => {
    const pkg = await load();
    assert.deepEqual(
      missing(sdkCommands, pkg),
      [],
      "commands the SDK has and wasmkms does not export: add their " +
        "operations to js/core/operations.mjs and the commands to commands.mjs and core/index.mjs",
    );
    for (const name of sdkCommands) {
      assert.ok(pkg[name].prototype instanceof pkg.Command, `${name} is a command class`);
    }
  });

  test(`${entry} exports every exception class of @aws-sdk/client-kms, with the same fault`, async () => {
    const pkg = await load();
    assert.deepEqual(missing(sdkExceptions, pkg), [], "exception classes the SDK has and wasmkms does not export");
    for (const name of sdkExceptions.filter((n) => n !== "KMSServiceException")) {
      assert.ok(pkg[name].prototype instanceof pkg.KMSServiceException, `${name} extends KMSServiceException`);
      const ours = new pkg[name]({ $metadata: {}, message: "m" });
      const theirs = new sdk[name]({ $metadata: {}, message: "m" });
      assert.deepEqual([ours.name, ours.$fault], [theirs.name, theirs.$fault], name);
    }
  });

  test(`${entry} exports every enum object of @aws-sdk/client-kms, with the same values`, async () => {
    const pkg = await load();
    assert.deepEqual(
      missing(sdkEnums, pkg),
      [],
      "enums the SDK has and wasmkms does not export: " +
        "run node js/build-types.mjs, then export them from js/core/index.mjs",
    );
    for (const name of sdkEnums) assert.deepEqual({ ...pkg[name] }, { ...sdk[name] }, name);
  });

  test(`${entry} exports exactly the values js/index.d.ts declares`, async () => {
    const pkg = await load();
    const runtime = Object.keys(pkg)
      .filter((name) => name !== "default" && name !== "__esModule")
      .sort();
    const expected = node ? declared : declared.filter((name) => name !== "serve" && name !== "loadFixtures");
    assert.deepEqual(
      runtime.filter((name) => !expected.includes(name)),
      [],
      "exported but not declared in js/index.d.ts (declare them in js/index-head.d.ts, or stop exporting them)",
    );
    assert.deepEqual(
      expected.filter((name) => !runtime.includes(name)),
      [],
      "declared in js/index.d.ts but not exported (export them from js/core/index.mjs)",
    );
  });
}
