// The package's version, as its package.json says (Node only): `wasmkms --version` and the endpoint's
// health document answer it.
import { createRequire } from "node:module";

export const PACKAGE_VERSION = createRequire(import.meta.url)("../../package.json").version;
