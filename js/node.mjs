// The Node entry (ESM): the module is the wasmkms.wasm file next to this one, read from disk.
import * as nodeCrypto from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { setHostCrypto } from "./core/host-crypto.mjs";
import { setFileReader, setModuleSource } from "./core/loader.mjs";

setHostCrypto(nodeCrypto); // the module's host primitives (AES-GCM, RSA, ECDSA's base point, ...)

setFileReader((url) => readFile(fileURLToPath(url.href))); // a URL of any realm (jsdom's, under vitest)
// Not written as `new URL("./wasmkms.wasm", import.meta.url)`: vitest's jsdom and happy-dom environments
// run the package through vite when they inline it (a workspace link), and vite and vitest rewrite that
// pattern to a dev server's URL, which nothing serves there.
const thisFile = import.meta.url;
setModuleSource(() => new URL("./wasmkms.wasm", thisFile));

export * from "./core/index.mjs";
export { serve } from "./node-only/serve.mjs";
export { loadFixtures } from "./node-only/fixtures-file.mjs";
