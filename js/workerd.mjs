// The Cloudflare workerd entry. Workers refuse to compile WebAssembly from bytes at run time, so the
// module is imported statically: wrangler (and miniflare's CompiledWasm rule) turns this import into a
// compiled WebAssembly.Module bound at deploy time.
//
// With the nodejs_compat flag, workerd's node:crypto supplies the module's host primitives
// (core/host-crypto.mjs). It is reached through process.getBuiltinModule, which a Worker without the
// flag lacks (and bundlers do not resolve), so the entry works either way: without it, the module
// runs its own Go cryptography.
import wasmkmsModule from "./wasmkms.wasm";
import { builtinNodeCrypto, setHostCrypto } from "./core/host-crypto.mjs";
import { setModuleSource } from "./core/loader.mjs";

setModuleSource(() => wasmkmsModule);
setHostCrypto(builtinNodeCrypto());

export * from "./core/index.mjs";
