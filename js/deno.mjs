// The Deno entry: the browser entry's web APIs, plus reading the module from disk. The package
// resolves to a file: URL in Deno, which the loader reads with the file reader registered here
// (Deno.readFile needs --allow-read for the package's folder).
import { setFileReader, setModuleSource } from "./core/loader.mjs";

setFileReader((url) => Deno.readFile(url));
setModuleSource(() => new URL("./wasmkms.wasm", import.meta.url));

export * from "./core/index.mjs";
