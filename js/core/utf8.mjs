// The package's one UTF-8 encoder and decoder. TextEncoder and TextDecoder are globals in every runtime
// wasmkms targets, but not in jest's jsdom window; there the code runs in Node, whose node:util has
// them (their Uint8Arrays are of Node's realm, which the package accepts: see realm.mjs).

import { nodeBuiltin } from "./node-host.mjs";

const util =
  globalThis.TextEncoder === undefined || globalThis.TextDecoder === undefined ? nodeBuiltin("node:util") : null;
const Encoder = globalThis.TextEncoder ?? util?.TextEncoder;
const Decoder = globalThis.TextDecoder ?? util?.TextDecoder;
if (Encoder === undefined || Decoder === undefined) {
  throw new Error("wasmkms needs TextEncoder and TextDecoder (globals of browsers, Node, Deno and workerd)");
}

export const utf8Encoder = new Encoder();
export const utf8Decoder = new Decoder();

/** A decoder of its own, for a caller that decodes a stream ({ stream: true } keeps state between calls). */
export function newUtf8Decoder() {
  return new Decoder();
}
