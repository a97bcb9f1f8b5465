// The endpoint's request log (Node only; `wasmkms serve --log`, serve({ log })): one line a call, when
// it was answered:
//
//   2030-01-01T00:00:00.000Z CreateKey 1234abcd-12ab-34cd-56ef-1234567890ab 200 OK 4ms
//   2030-01-01T00:00:00.000Z Decrypt - 400 InvalidCiphertextException 1ms
//   2030-01-01T00:00:00.000Z POST /_wasmkms/faults - 200 OK 0ms
//
// time the call arrived, the operation (or an administration request's method and path), the key it
// names ("-" for none), the HTTP status and the error's name (OK for a success), how long it took.

import { KMS_TARGET_PREFIX } from "../core/kms-wire.mjs";

// Where a request names its key: most operations KeyId; ReEncrypt its destination; CreateAlias and
// UpdateAlias their target.
const REQUEST_KEY_MEMBERS = ["KeyId", "DestinationKeyId", "TargetKeyId"];

const decoder = new TextDecoder();

/**
 * requestLogLine formats one call.
 *
 * @param {object} call
 * @param {number} call.start Date.now() when the request arrived
 * @param {string} [call.target] the X-Amz-Target header (a KMS call), or
 * @param {string} [call.method] with call.path: an administration request
 * @param {Uint8Array} [call.body] the request's body, when read
 * @param {number} call.status the answer's HTTP status
 * @param {string} call.text the answer's JSON body
 */
export function requestLogLine({ start, target, method, path, body, status, text }) {
  const operation =
    path !== undefined
      ? `${method} ${path}`
      : typeof target === "string" && target.startsWith(KMS_TARGET_PREFIX)
        ? target.slice(KMS_TARGET_PREFIX.length)
        : target || "-";
  const answer = parsed(text);
  const key = path === undefined ? (keyOf(parsed(body)) ?? keyOf(answer) ?? answer?.KeyMetadata?.KeyId) : undefined;
  const outcome = status === 200 ? "OK" : (errorName(answer?.__type) ?? "-");
  return `${new Date(start).toISOString()} ${operation} ${oneWord(key ?? "-")} ${status} ${outcome} ${Date.now() - start}ms`;
}

function keyOf(document) {
  if (document === null || typeof document !== "object") return undefined;
  for (const member of REQUEST_KEY_MEMBERS) {
    if (typeof document[member] === "string" && document[member] !== "") return document[member];
  }
  return undefined;
}

// An error's __type may carry a namespace ("com.amazonaws.kms#NotFoundException"): the name alone.
function errorName(type) {
  return typeof type === "string" ? type.slice(type.lastIndexOf("#") + 1) : undefined;
}

function parsed(body) {
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(typeof body === "string" ? body : decoder.decode(body));
  } catch {
    return undefined;
  }
}

// A key as a client wrote it may hold anything: the line keeps one short word per field (a key ID or
// ARN is far shorter than the cut).
function oneWord(text) {
  const word = String(text).replace(/\s/g, "_");
  return word.length > 300 ? `${word.slice(0, 300)}...` : word;
}
