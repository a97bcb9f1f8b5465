// Builds the CommonJS entries, run by ./build.sh build after the module: dist/node.cjs for
// require("wasmkms") in Node, and dist/browser.cjs for require("wasmkms") under the `browser` condition
// (jest's jsdom environment, bundlers resolving require() for a browser). The ESM files in js/ are the
// source; each CommonJS file is one esbuild bundle of the same core with its entry's setup. dist/ is not
// in git.
//
// The CommonJS and ESM entries are two copies of the package's code in a program that uses both (the
// dual-package hazard). They share the one shared world (kept on the global object, see
// core/world.mjs's sharedWorld), and exceptions match across copies with instanceof (by shape ID and
// name, as the SDK's do).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

// Node: the module is js/wasmkms.wasm, read from disk relative to dist/.
const nodeEntry = `
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setFileReader, setModuleSource } from "./js/core/loader.mjs";

setFileReader((url) => readFile(url));
setModuleSource(() => pathToFileURL(join(__dirname, "..", "js", "wasmkms.wasm")));

export * from "./js/core/index.mjs";
export { serve } from "./js/node-only/serve.mjs";
export { loadFixtures } from "./js/node-only/fixtures-file.mjs";
`;

// The browser condition, for require(). CommonJS has no import.meta.url, so this entry knows where the
// module is only in Node (a DOM emulation such as jest's jsdom): js/wasmkms.wasm in the package, read
// through Node's fs as core/node-host.mjs reaches it (no Node import for a bundler to trip on). Bundled
// for a real browser, it has no module source: configure({ wasm }) with the URL the app serves it at.
const browserEntry = `
import { setFileReader, setModuleSource } from "./js/core/loader.mjs";
import { nodeFileReader, nodeFileURL } from "./js/core/node-host.mjs";

const nodeReader = nodeFileReader();
if (nodeReader !== null) {
  setFileReader(nodeReader);
  setModuleSource(() => nodeFileURL(__dirname + "/../js/wasmkms.wasm"));
}

export * from "./js/core/index.mjs";
`;

for (const [name, contents, platform, target] of [
  ["node", nodeEntry, "node", "node20"],
  ["browser", browserEntry, "neutral", "es2022"],
]) {
  await build({
    stdin: { contents, resolveDir: root, sourcefile: `${name}-commonjs-entry.mjs`, loader: "js" },
    outfile: `${root}dist/${name}.cjs`,
    bundle: true,
    format: "cjs",
    platform,
    target,
    logLevel: "warning",
    // The core must not pull in anything at run time; everything outside js/ stays external.
    packages: "external",
    // CommonJS has no import.meta: the one module that reads import.meta.url (package-version.mjs)
    // falls back to __dirname when it is undefined. Said here, so esbuild has nothing to warn about.
    define: { "import.meta.url": "undefined" },
  });
  console.log(`built dist/${name}.cjs`);
}
