// The Cloudflare workerd entry. Workers refuse to compile WebAssembly from bytes at run time, so the
// module is imported statically: wrangler (and miniflare's CompiledWasm rule) turns this import into a
// compiled WebAssembly.Module bound at deploy time.
import wasmkmsModule from "./wasmkms.wasm";
import { setModuleSource } from "./core/loader.mjs";

setModuleSource(() => wasmkmsModule);

export * from "./core/index.mjs";
