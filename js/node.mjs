// The Node entry (ESM): the module is the wasmkms.wasm file next to this one, read from disk.
import { readFile } from "node:fs/promises";
import { setFileReader, setModuleSource } from "./core/loader.mjs";

setFileReader((url) => readFile(url));
setModuleSource(() => new URL("./wasmkms.wasm", import.meta.url));

export * from "./core/index.mjs";
export { serve } from "./node-only/serve.mjs";
