// Loading the module: compiled lazily on first use, once per JS realm, single-flight (concurrent first
// calls share one compile). Each runtime's entry file registers where the module comes from with
// setModuleSource; a user may override it with configure({ wasm }). A failed load rejects every waiting
// call with one error naming the cause, and is forgotten, so the next call tries again.

import { ModuleInstance, WasmKMSError } from "./module.mjs";
import { isArrayBuffer, isResponseLike, isURLLike, isWasmModule } from "./realm.mjs";

let defaultSource = null; // () => source, registered by the runtime's entry file
let userSource = null; // set by configure({ wasm })
let fileReader = null; // (URL) => Promise<BufferSource>, registered by runtimes that have files

let compiling = null; // Promise<WebAssembly.Module> while loading or once loaded
let sharedInstance = null; // Promise<ModuleInstance>: the realm's instance, replaced when it dies

/** Registers how this runtime finds the module: `fn()` returns anything `configure({ wasm })` accepts. */
export function setModuleSource(fn) {
  defaultSource = fn;
}

/** Registers how this runtime reads a `file:` URL (Node, Deno); others fetch every URL. */
export function setFileReader(fn) {
  fileReader = fn;
}

/**
 * configure({ wasm }) chooses the module for this realm: a `WebAssembly.Module`, the module's bytes
 * (ArrayBuffer, typed array), a `Response` or a promise of one, or a URL (URL object or string;
 * `file:` URLs are read from disk where the runtime has files, others are fetched). It must come
 * before the first call: once a module is loaded, changing it would leave worlds on two modules.
 */
export function configure({ wasm } = {}) {
  if (wasm === undefined) return;
  if (compiling !== null && userSource !== wasm) {
    throw new WasmKMSError(
      "wasmkms: configure({ wasm }) must be called before the first call (a module is already loaded)",
    );
  }
  userSource = wasm;
}

/** The realm's compiled module, compiling it on the first call. */
export function loadModule() {
  if (compiling === null) {
    const source = userSource ?? defaultSource?.();
    compiling = compileFrom(source).catch((cause) => {
      compiling = null; // the next call may retry
      throw new WasmKMSError(
        `wasmkms: cannot load the WebAssembly module from ${describe(source)}: ${cause?.message ?? cause}`,
        { cause },
      );
    });
  }
  return compiling;
}

/**
 * The realm's shared instance, which every world created in this realm lives in. A dead instance is
 * replaced by a fresh one here, for the worlds created after it died.
 */
export function sharedModuleInstance() {
  if (sharedInstance === null) {
    sharedInstance = loadModule().then((module) => ModuleInstance.instantiate(module));
    sharedInstance.catch(() => {
      sharedInstance = null;
    });
    return sharedInstance;
  }
  return sharedInstance.then((instance) => {
    if (instance.alive) return instance;
    sharedInstance = null;
    return sharedModuleInstance();
  });
}

/**
 * Compiles any accepted module source into a WebAssembly.Module. Sources of another realm (a URL or
 * bytes of Node's realm inside a jsdom window) are taken as their own realm's (see realm.mjs).
 */
export async function compileFrom(source) {
  source = await source;
  if (source == null) throw new Error("no module source is registered for this runtime; pass configure({ wasm })");
  if (isWasmModule(source)) return source;
  if (ArrayBuffer.isView(source) || isArrayBuffer(source)) return WebAssembly.compile(source);
  if (typeof source === "string" || isURLLike(source)) {
    const url = new URL(typeof source === "string" ? source : source.href, pageLocation());
    if (url.protocol === "file:") {
      if (fileReader === null) {
        throw new Error("this runtime cannot read file: URLs; pass configure({ wasm }) the module's bytes");
      }
      return WebAssembly.compile(await fileReader(url));
    }
    return compileResponse(await fetch(url));
  }
  if (isResponseLike(source)) return compileResponse(source);
  throw new TypeError(
    `unsupported module source ${Object.prototype.toString.call(source)}: pass a WebAssembly.Module, bytes, a Response or a URL`,
  );
}

// Streams the compile where the server says application/wasm; otherwise compiles the bytes (a server
// with another MIME type is common in tests and must still work). A Response that compileStreaming
// refuses before reading it (another fetch implementation's, e.g. a DOM emulation's in Node) is
// compiled from its bytes too.
async function compileResponse(response) {
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const type = response.headers.get("content-type") ?? "";
  if (typeof WebAssembly.compileStreaming === "function" && type.split(";")[0].trim() === "application/wasm") {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (cause) {
      if (response.bodyUsed) throw cause;
    }
  }
  try {
    return await WebAssembly.compile(await response.arrayBuffer());
  } catch (cause) {
    // Name what was served: HTML at the module's URL (a wrong path behind a catch-all route) is the
    // usual cause, and the compile error alone ("expected magic word") does not say so.
    throw new Error(`${cause?.message ?? cause} (served as ${type || "no content type"})`, { cause });
  }
}

// The page's address, for relative URL strings; undefined where there is none (Node; Deno throws on
// reading location when it was not given one).
function pageLocation() {
  try {
    return globalThis.location?.href;
  } catch {
    return undefined;
  }
}

function describe(source) {
  if (source == null) return "nowhere (no module source)";
  if (isWasmModule(source)) return "a WebAssembly.Module";
  if (typeof source === "string") return source;
  if (isURLLike(source)) return source.href;
  if (ArrayBuffer.isView(source) || isArrayBuffer(source)) return `${source.byteLength} bytes`;
  return Object.prototype.toString.call(source);
}
