// The Deno entry: the browser entry's web APIs, plus reading the module from disk. The package
// resolves to a file: URL in Deno, which the loader reads with the file reader registered here
// (Deno.readFile needs --allow-read for the package's folder). Deno's node:crypto supplies the module's
// host primitives (core/host-crypto.mjs; it has no P-521 ECDH, so the module multiplies on P-521 itself).
import { builtinNodeCrypto, setHostCrypto } from "./core/host-crypto.mjs";
import { setFileReader, setModuleSource } from "./core/loader.mjs";

setHostCrypto(builtinNodeCrypto());

setFileReader((url) => Deno.readFile(url));
setModuleSource(() => new URL("./wasmkms.wasm", import.meta.url));

export * from "./core/index.mjs";
