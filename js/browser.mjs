// The browser entry: plain ES modules, no bundler. The module is fetched from next to this file on the
// first call (streamed into the compiler when served as application/wasm, compiled from the bytes
// otherwise; see core/loader.mjs). configure({ wasm }) with a URL, bytes or a WebAssembly.Module wins.
//
// Under a DOM emulation in Node (jest's jsdom environment with ESM) that URL is a file: URL, which fetch
// cannot read there: it is read from disk with Node's fs instead (core/node-host.mjs). In a real browser
// the reader is null and nothing changes.
import { setFileReader, setModuleSource } from "./core/loader.mjs";
import { nodeFileReader } from "./core/node-host.mjs";

// The literal pattern that bundlers (vite, webpack) turn into the URL of the asset they emit.
setModuleSource(() => new URL("./wasmkms.wasm", import.meta.url));
const nodeReader = nodeFileReader();
if (nodeReader !== null) setFileReader(nodeReader);

export * from "./core/index.mjs";
