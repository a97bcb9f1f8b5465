// Every public export of the package, whatever the runtime; the runtime entry files re-export this.
export { World, sharedWorld, createWorld } from "./world.mjs";
export { configure, setModuleSource } from "./loader.mjs";
export { WasmKMSError, ABI_VERSION } from "./module.mjs";
export { createRequestHandler } from "../adapters/request-handler.mjs";
