// The browser entry: plain ES modules, no bundler. The module is fetched from next to this file on the
// first call (streamed into the compiler when served as application/wasm, compiled from the bytes
// otherwise; see core/loader.mjs). configure({ wasm }) with a URL, bytes or a WebAssembly.Module wins.
import { setModuleSource } from "./core/loader.mjs";

setModuleSource(() => new URL("./wasmkms.wasm", import.meta.url));

export * from "./core/index.mjs";
