// The package's version, as its package.json says (Node only): `wasmkms --version` and the endpoint's
// health document answer it. Read when first asked, not when the module loads: js/node.mjs imports
// the endpoint (serve), so a failure here would stop `import "wasmkms"` itself — as it did under
// vitest's jsdom environment, whose import.meta.url is not a file: URL.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

let version;

export function packageVersion() {
  version ??= JSON.parse(readFileSync(packageJsonURL(), "utf8")).version;
  return version;
}

// package.json is found from this file in ESM (js/node-only/), and from dist/ in the CommonJS bundle
// (dist/node.cjs), which has no import.meta.url (esbuild leaves it undefined there).
function packageJsonURL() {
  const here = import.meta.url;
  if (here === undefined) return pathToFileURL(join(__dirname, "..", "package.json")); // CommonJS's __dirname: dist/
  if (here.startsWith("file:")) return new URL("../../package.json", here);
  throw new Error(`wasmkms: the package's version cannot be read here: this module's URL is ${here}, not a file`);
}
