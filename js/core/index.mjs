// Every public export of the package, whatever the runtime; the runtime entry files re-export this.
export { World, sharedWorld, createWorld } from "./world.mjs";
export { configure, setModuleSource } from "./loader.mjs";
export { WasmKMSError, ABI_VERSION } from "./module.mjs";
export { KMSClient, DEFAULT_ACCOUNT } from "./client.mjs";
export { KMS } from "./kms.mjs";
export * from "./commands.mjs";
export * from "./exceptions.mjs";
export { operations, operationNames } from "./operations.mjs";
export * from "./paginators.mjs";
export * from "./enums.mjs";
export { createRequestHandler } from "./request-handler.mjs";
