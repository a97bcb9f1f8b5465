// Fixtures files (Node only): loadFixtures(path) reads one for createWorld({ fixtures }), and serve()
// and --fixtures read theirs through it. JSON, or YAML for a name ending in .yaml or .yml. The package
// has no run-time dependencies: YAML needs the `yaml` package, an optional peer dependency, imported
// only when a YAML file is read. What a key may hold is checked by the core when the world loads the
// fixtures, so a bad member is named by its path (keys[2].material) whatever the file's format.

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const YAML_NAME = /\.ya?ml$/i;

/**
 * loadFixtures reads a fixtures file ({ keys: [...] }, as js/fixtures.schema.json describes it): JSON,
 * or YAML when the name ends in .yaml or .yml (which needs the `yaml` package installed).
 *
 * @param {string | URL} path
 * @returns {Promise<{ keys: object[] }>}
 */
export async function loadFixtures(path) {
  const name = path instanceof URL ? fileURLToPath(path) : path;
  if (typeof name !== "string") throw new TypeError("wasmkms: loadFixtures takes a file path or a file: URL");
  const text = await readFile(name, "utf8");
  const yaml = YAML_NAME.test(name);
  const parse = yaml ? await yamlParse(name) : JSON.parse;
  let document;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`wasmkms: fixtures file ${name} is not ${yaml ? "YAML" : "JSON"}: ${error.message}`);
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new Error(`wasmkms: fixtures file ${name} must hold an object { keys: [...] }`);
  }
  return document;
}

// The `yaml` package's parse; when it is not installed, an error that says what to do.
async function yamlParse(name) {
  try {
    return (await import("yaml")).parse;
  } catch (error) {
    if (!["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"].includes(error?.code)) throw error;
    throw new Error(
      `wasmkms: fixtures file ${name} is YAML, which needs the yaml package: install it ` +
        "(npm install --save-dev yaml), or write the fixtures as JSON",
    );
  }
}
