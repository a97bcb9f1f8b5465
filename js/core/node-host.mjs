// What the browser entries need when they run in Node under a DOM emulation (jest's jsdom environment,
// vitest's jsdom and happy-dom): there the page is Node, a file: URL cannot be fetched, and jest's jsdom
// window lacks TextEncoder and TextDecoder. Node's own modules are reached through
// process.getBuiltinModule (Node 20.16 and later), never an import, so that a bundler building the
// browser entry for a real browser sees no Node module; in a browser, workerd or Deno nothing here runs.

/** One of Node's built-in modules when this code runs in Node, else null. */
export function nodeBuiltin(name) {
  const process = globalThis.process;
  if (typeof process?.versions?.node !== "string" || typeof process.getBuiltinModule !== "function") return null;
  return process.getBuiltinModule(name) ?? null;
}

/** A file reader for the loader (setFileReader) in Node, else null: reads a file: URL of any realm. */
export function nodeFileReader() {
  const fs = nodeBuiltin("node:fs/promises");
  const url = nodeBuiltin("node:url");
  if (fs === null || url === null) return null;
  return (fileURL) => fs.readFile(url.fileURLToPath(fileURL.href));
}

/** The file: URL of a path, in Node. */
export function nodeFileURL(path) {
  return nodeBuiltin("node:url").pathToFileURL(path);
}
