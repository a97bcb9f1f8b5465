// Builds the CommonJS entry (dist/node.cjs) for require("wasmkms"), run by ./build.sh build after the
// module. The ESM files in js/ are the source; the CommonJS file is one esbuild bundle of the same core
// with the Node entry's setup, reading js/wasmkms.wasm relative to itself. dist/ is not in git.
//
// The CommonJS and ESM entries are two copies of the package's state (the dual-package hazard): a
// program that uses both has two shared worlds. Exceptions still match across copies with instanceof
// (by shape ID and name, as the SDK's do).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

const commonJSEntry = `
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setFileReader, setModuleSource } from "./js/core/loader.mjs";

setFileReader((url) => readFile(url));
setModuleSource(() => pathToFileURL(join(__dirname, "..", "js", "wasmkms.wasm")));

export * from "./js/core/index.mjs";
export { serve } from "./js/node-only/serve.mjs";
`;

await build({
  stdin: { contents: commonJSEntry, resolveDir: root, sourcefile: "node-commonjs-entry.mjs", loader: "js" },
  outfile: `${root}dist/node.cjs`,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // The core must not pull in anything at run time; everything outside js/ stays external.
  packages: "external",
});
console.log("built dist/node.cjs");
