// The package's version, as its package.json says (Node only): `wasmkms --version` and the endpoint's
// health document answer it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// package.json is found from this file in ESM (js/node-only/), and from dist/ in the CommonJS bundle
// (dist/node.cjs), which has no import.meta.url: esbuild leaves it undefined there, and createRequire
// of undefined threw when require("wasmkms") loaded.
function packageJsonURL() {
  if (import.meta.url) return new URL("../../package.json", import.meta.url);
  return pathToFileURL(join(__dirname, "..", "package.json")); // CommonJS's __dirname: dist/
}

export const PACKAGE_VERSION = JSON.parse(readFileSync(packageJsonURL(), "utf8")).version;
