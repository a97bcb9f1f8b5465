// The AWS JSON 1.1 answer both wire doors (the SDK request handler and the HTTP endpoint) give: only
// `TrentService.*` targets reach the world (the `WasmKMS.*` administration targets never do), every
// answer carries the call's request id (the world's: reproducible in a seeded world) and the JSON 1.1
// content type. Runtime-neutral.

import { isArrayBuffer } from "./realm.mjs";
import { utf8Decoder as decoder } from "./utf8.mjs";

export const KMS_TARGET_PREFIX = "TrentService.";
export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

/**
 * errorBodyText is the JSON text of every error body the JS side builds itself (the core builds the
 * others): `{"__type": name, "message": message}`, the message absent when empty, as internal/kms's
 * ErrorAnswer encodes it; without a name, a bare `{"message": ...}`, the endpoint's own refusal of a
 * request below the KMS API (testdata/endpoint/malformed.json).
 *
 * @param {string | undefined} name the error's __type
 * @param {string} [message]
 */
export function errorBodyText(name, message) {
  const body = {};
  if (name !== undefined) body.__type = name;
  if (message) body.message = message;
  return JSON.stringify(body);
}

// What the service answers for a target it does not serve: a 400 with a bare type and no message, the
// same answer the core gives for an unknown `TrentService.*` operation (test/sdk/endpoint-wire.test.mjs holds
// the two together).
const UNKNOWN_OPERATION_BODY = errorBodyText("UnknownOperationException");

/**
 * answerKmsCall runs one KMS wire call against a world. A target that is not a KMS operation is
 * answered without touching the world.
 *
 * @param {{call(caller, target: string, body: string): Promise<{status: number, body: string}>}} world
 * @param {{account: string, region: string, principal: string}} caller
 * @param {string | undefined} target the X-Amz-Target header
 * @param {string | Uint8Array | undefined} body the request body
 * @returns {Promise<{status: number, text: string, requestId: string}>} the HTTP status, the JSON
 *   answer and the request ID the world gave the call (its journal has the same; a fresh one when the
 *   call never reached the world)
 */
export async function answerKmsCall(world, caller, target, body) {
  if (typeof target === "string" && target.startsWith(KMS_TARGET_PREFIX)) {
    const answer = await world.call(caller, target, bodyText(body));
    return { status: answer.status, text: answer.body, requestId: answer.requestId ?? randomRequestId() };
  }
  return { status: 400, text: UNKNOWN_OPERATION_BODY, requestId: randomRequestId() };
}

/**
 * responseHeaders are the headers of every answer, for a JSON body of byteLength bytes: requestId is
 * the call's (answerKmsCall's), a fresh one when the answer never reached a world.
 */
export function responseHeaders(byteLength, requestId = randomRequestId()) {
  return {
    "x-amzn-requestid": requestId,
    "content-type": JSON_CONTENT_TYPE,
    "content-length": String(byteLength),
  };
}

/**
 * bodyText accepts what SDK versions send: bytes (a Uint8Array or a subclass, any view, an ArrayBuffer;
 * of any realm), a string, or nothing.
 */
export function bodyText(body) {
  if (body == null) return "";
  if (typeof body === "string") return body;
  if (ArrayBuffer.isView(body)) return decoder.decode(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  if (isArrayBuffer(body)) return decoder.decode(new Uint8Array(body));
  throw new TypeError(
    `wasmkms: cannot read a request body of type ${Object.prototype.toString.call(body)}; expected bytes or a string`,
  );
}

/**
 * randomRequestId is a version 4 UUID, like the request ids KMS answers with. crypto.randomUUID exists
 * only in secure contexts of browsers, getRandomValues everywhere.
 */
export function randomRequestId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
