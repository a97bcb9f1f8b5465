// The AWS JSON 1.1 protocol layer, as @aws-sdk/client-kms does it, so that everything the service
// validates reaches the Go core unchanged:
// - input: a non-object input is sent as {}; only the operation's members, in the SDK's order; null and
//   undefined members (and list/map entries) are left out; a blob member that is a string is sent as its
//   UTF-8 bytes, a Uint8Array as its bytes, both base64; any other value goes as JSON as it is (the
//   service then answers SerializationException, as it does to the SDK).
// - output: only the operation's members; blobs as fresh Uint8Arrays, timestamps as Dates, then $metadata.

import { operations } from "./operations.mjs";
import { fromBase64, toBase64 } from "./base64.mjs";
import { capBlob } from "./blob-cap.mjs";
import { exceptionClasses, KMSServiceException } from "./exceptions.mjs";
import { isDate, isPlainObject, isUint8Array } from "./realm.mjs";
import { utf8Encoder as utf8 } from "./utf8.mjs";

/** Splits the table's paths ("A.B", "A[].B") once, per operation. */
function compilePaths(paths = []) {
  return paths.map((path) => path.split("."));
}

const compiled = Object.fromEntries(
  Object.entries(operations).map(([name, op]) => [
    name,
    {
      input: op.input,
      topLevelBlobs: new Set((op.inputBlobs ?? []).filter((path) => !path.includes("."))),
      nestedBlobs: groupNestedBlobs(op.inputBlobs ?? []),
      inputTimestamps: new Set(op.inputTimestamps ?? []),
      output: op.output,
      inputBlobs: compilePaths(op.inputBlobs),
      outputBlobs: compilePaths(op.outputBlobs),
      outputTimestamps: compilePaths(op.outputTimestamps),
    },
  ]),
);

// Nested blob paths ("Recipient.AttestationDocument") by their top-level member.
function groupNestedBlobs(paths) {
  const byMember = new Map();
  for (const path of paths.filter((p) => p.includes("."))) {
    const segments = path.split(".");
    const member = segments[0].replace(/\[\]$/, "");
    if (!byMember.has(member)) byMember.set(member, []);
    byMember.get(member).push(segments);
  }
  return byMember;
}

/** Rewrites the value at each path (segments; "X[]" maps over a list) in place. */
function rewrite(object, segments, index, fn) {
  if (object === null || typeof object !== "object") return;
  const segment = segments[index];
  const isList = segment.endsWith("[]");
  const key = isList ? segment.slice(0, -2) : segment;
  const value = object[key];
  if (value === undefined || value === null) return;
  const last = index === segments.length - 1;
  if (isList) {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      if (last) value[i] = fn(value[i]);
      else rewrite(value[i], segments, index + 1, fn);
    }
  } else if (last) {
    object[key] = fn(value);
  } else {
    rewrite(value, segments, index + 1, fn);
  }
}

// A blob as the SDK sends it: strings as UTF-8, Uint8Arrays (Buffers included, of any realm) as bytes;
// one longer than any the service takes is cut (blob-cap.mjs).
function encodeBlob(value) {
  if (typeof value === "string") return toBase64(capBlob(utf8.encode(value)));
  if (isUint8Array(value)) return toBase64(capBlob(value));
  return value;
}

// Drops null and undefined members and list entries, recursively, as the SDK's serializer does; blobs
// (Uint8Array) and other non-plain objects are kept as they are.
function withoutNulls(value) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = [];
    for (const item of value) if (item !== null && item !== undefined) out.push(withoutNulls(item));
    return out;
  }
  if (!isPlainObject(value)) return value;
  const out = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== null && item !== undefined) out[key] = withoutNulls(item);
  }
  return out;
}

/** The JSON request body for an operation's input. */
export function serializeInput(operation, input) {
  const op = compiled[operation];
  if (input === null || typeof input !== "object" || Array.isArray(input)) return "{}";
  // Written member by member: a top-level blob's base64 text goes in as it is (its alphabet needs no
  // JSON escaping), so a 4 KiB plaintext is not scanned again by JSON.stringify.
  let json = "";
  for (const member of op.input) {
    const value = input[member];
    if (value === null || value === undefined) continue;
    let fragment;
    if (op.topLevelBlobs.has(member)) {
      const encoded = encodeBlob(value);
      fragment = encoded === value ? JSON.stringify(withoutNulls(value)) : `"${encoded}"`;
    } else if (op.inputTimestamps.has(member) && isDate(value)) {
      fragment = String(value.getTime() / 1000); // epoch seconds, as the SDK sends timestamps
    } else {
      const clean = withoutNulls(value);
      const nested = op.nestedBlobs.get(member);
      if (nested !== undefined) for (const path of nested) rewrite({ [member]: clean }, path, 0, encodeBlob);
      fragment = JSON.stringify(clean);
    }
    if (fragment === undefined) continue; // a function or a symbol: JSON has no such value, the SDK drops it
    json += `${json === "" ? "{" : ","}"${member}":${fragment}`;
  }
  return json === "" ? "{}" : `${json}}`;
}

/** The $metadata of an answer, with the keys and order the SDK gives it. */
export function metadataOf(httpStatusCode, requestId) {
  return { httpStatusCode, requestId, extendedRequestId: undefined, cfId: undefined, attempts: 1, totalRetryDelay: 0 };
}

function parseBody(text) {
  if (text === "") return {};
  const parsed = JSON.parse(text);
  return parsed !== null && typeof parsed === "object" ? parsed : {};
}

/**
 * The output of a 2xx answer, or throws the exception of an error answer. `response` is the
 * HTTP-like response ({ statusCode, headers, body }) of the terminal handler.
 */
export function deserializeAnswer(operation, response) {
  const $metadata = metadataOf(response.statusCode, response.headers["x-amzn-requestid"]);
  const body = parseBody(response.body);
  if (response.statusCode >= 300) throw exceptionFromAnswer(response.statusCode, body, $metadata, response);
  const output = outputFromBody(operation, body);
  output.$metadata = $metadata;
  return output;
}

const blobFromWire = (v) => (typeof v === "string" ? fromBase64(v) : v);
const dateFromWire = (v) => (typeof v === "number" ? new Date(Math.round(v * 1000)) : v);

/**
 * The output of a parsed 2xx AWS JSON body as the SDK gives it, without $metadata: only the operation's
 * members, blobs as fresh Uint8Arrays, timestamps as Dates. `body` is changed (its members are reused).
 */
export function outputFromBody(operation, body) {
  const op = compiled[operation];
  const output = {};
  for (const member of op.output) {
    if (body[member] !== undefined && body[member] !== null) output[member] = body[member];
  }
  for (const path of op.outputBlobs) rewrite(output, path, 0, blobFromWire);
  for (const path of op.outputTimestamps) rewrite(output, path, 0, dateFromWire);
  return output;
}

/**
 * The input a parsed AWS JSON request body stands for, in the SDK's shapes (the reverse of
 * serializeInput): the operation's members in the SDK's order, blobs as Uint8Arrays, timestamps as
 * Dates. A member of the wrong JSON type is kept as it is. `body` is changed (its members are reused).
 */
export function inputFromBody(operation, body) {
  const op = compiled[operation];
  const input = {};
  for (const member of op.input) {
    if (body[member] !== undefined && body[member] !== null) input[member] = body[member];
  }
  for (const path of op.inputBlobs) rewrite(input, path, 0, blobFromWire);
  for (const member of op.inputTimestamps) rewrite(input, [member], 0, dateFromWire);
  return input;
}

const SENSITIVE = "***SensitiveInformation***";

/** The input or output as the logger shows it: sensitive members hidden, as the SDK's log filter does. */
export function filterSensitive(operation, direction, data) {
  const op = operations[operation];
  if (data === null || typeof data !== "object") return data;
  const members = direction === "input" ? op.input : op.output;
  const hidden = (direction === "input" ? op.sensitiveInput : op.sensitiveOutput) ?? [];
  const out = {};
  for (const member of members) if (data[member] != null) out[member] = data[member];
  for (const path of hidden) hide(out, path.split("."));
  return out;
}

// Replaces the value at a path with the SDK's marker, copying the objects on the way (the caller's
// input must not change).
function hide(object, [segment, ...rest]) {
  if (object === null || typeof object !== "object" || object[segment] == null) return;
  if (rest.length === 0) {
    object[segment] = SENSITIVE;
  } else if (typeof object[segment] === "object" && !Array.isArray(object[segment])) {
    object[segment] = { ...object[segment] };
    hide(object[segment], rest);
  }
}

// ---- The direct path (wasm/ABI.md, "Direct exports"): the hot operations without JSON. ----

const DIRECT_INPUT_KINDS = new Set(["string", "blob", "context", "integer", "boolean"]);
const DIRECT_OUTPUT_KINDS = new Set(["string", "blob", "boolean", "json", "keylist"]);
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * An operation's direct plan, from its entry in the operations table (operations.mjs, `direct`, the
 * list of what the direct export carries): `fields`, the [member, kind] of the export's request fields;
 * `refused`, every other input member of the table (an input holding any of them goes as JSON, so a
 * member the SDK adds is never dropped by the direct path); `output`, the answer's fields as [member,
 * field index, kind] in the order deserializeAnswer writes the output's members; `nested`, the table's
 * output blob and timestamp paths inside a "json" member, with their conversion. Throws for a `direct`
 * entry that does not fit its operation's members.
 */
export function compileDirect(name, op) {
  const { direct } = op;
  const carried = direct.input.map(([member]) => member);
  const blobs = op.inputBlobs ?? [];
  for (const [member, kind] of direct.input) {
    if (!op.input.includes(member))
      throw new Error(`operations.mjs: ${name}.direct carries ${member}, not an input member`);
    if (!DIRECT_INPUT_KINDS.has(kind) || (kind === "blob") !== blobs.includes(member)) {
      throw new Error(
        `operations.mjs: ${name}.direct carries ${member} as ${kind}, not as the table's input blobs say`,
      );
    }
  }
  const outputBlobs = op.outputBlobs ?? [];
  for (const [member, kind] of direct.output) {
    if (!op.output.includes(member))
      throw new Error(`operations.mjs: ${name}.direct answers ${member}, not an output member`);
    if (!DIRECT_OUTPUT_KINDS.has(kind) || (kind === "blob") !== outputBlobs.includes(member)) {
      throw new Error(
        `operations.mjs: ${name}.direct answers ${member} as ${kind}, not as the table's output blobs say`,
      );
    }
  }
  const answered = direct.output.map(([member]) => member);
  const inJSONMember = (path) => {
    const segments = path.split(".");
    const top = segments[0].replace(/\[\]$/, "");
    return segments.length > 1 && direct.output.some(([member, kind]) => member === top && kind === "json");
  };
  return {
    fields: direct.input,
    refused: op.input.filter((member) => !carried.includes(member)),
    output: op.output
      .filter((member) => answered.includes(member))
      .map((member) => [member, answered.indexOf(member), direct.output[answered.indexOf(member)][1]]),
    nested: [
      ...outputBlobs.filter(inJSONMember).map((path) => [path.split("."), blobFromWire]),
      ...(op.outputTimestamps ?? []).filter(inJSONMember).map((path) => [path.split("."), dateFromWire]),
    ],
  };
}

const DIRECT_OPERATIONS = Object.fromEntries(
  Object.entries(operations)
    .filter(([, op]) => op.direct !== undefined)
    .map(([name, op]) => [name, compileDirect(name, op)]),
);

/**
 * The direct export's fields for an input, or null when the input must go as JSON: an operation without
 * a direct export, a member the export does not carry, or a value whose JSON the service would read
 * differently from the field (a string member that is not a string, a blob that is neither a string nor
 * a Uint8Array, a context that is not a plain object of strings, an integer that is not an int32 number,
 * a boolean that is not a boolean), or a string with a lone surrogate. Each field is what serializeInput would send: null and undefined are
 * absent, a string blob is its UTF-8, null context entries are left out; an integer is its 4 bytes
 * (little-endian), a boolean its byte.
 */
export function directRequestFields(operation, input) {
  const direct = DIRECT_OPERATIONS[operation];
  if (direct === undefined || input === null || typeof input !== "object" || Array.isArray(input)) return null;
  for (const member of direct.refused) if (input[member] !== null && input[member] !== undefined) return null;
  const fields = [];
  for (const [member, kind] of direct.fields) {
    const value = input[member];
    if (value === null || value === undefined) {
      fields.push(undefined);
    } else if (kind === "string") {
      if (typeof value !== "string" || !wellFormed(value)) return null;
      fields.push(value);
    } else if (kind === "blob") {
      // Cut as the JSON path cuts it (blob-cap.mjs): the answer is the same, and a 130 MiB Plaintext
      // is never copied into the module.
      if (typeof value === "string") fields.push(capBlob(utf8.encode(value)));
      else if (isUint8Array(value)) fields.push(capBlob(value));
      else return null;
    } else if (kind === "integer") {
      if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) return null;
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setInt32(0, value, true);
      fields.push(bytes);
    } else if (kind === "boolean") {
      if (typeof value !== "boolean") return null;
      fields.push(new Uint8Array([value ? 1 : 0]));
    } else {
      const pairs = contextPairs(value);
      if (pairs === null) return null;
      fields.push(pairs);
    }
  }
  return fields;
}

// An encryption context's [key, value] pairs, or null for anything but a plain object of strings.
function contextPairs(value) {
  if (!isPlainObject(value)) return null;
  const pairs = [];
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === null || item === undefined) continue;
    if (typeof item !== "string" || !wellFormed(key) || !wellFormed(item)) return null;
    pairs.push([key, item]);
  }
  return pairs;
}

// Whether a string has no lone surrogate. One that has goes as JSON: the service reads "\ud800" in JSON
// as U+FFFD, as it reads the UTF-8 of a field, but the journal keeps the body as it was sent, and
// world.calls() must show the request the JSON path would show.
const LONE_SURROGATE = /\p{Surrogate}/u;
const wellFormed =
  typeof String.prototype.isWellFormed === "function" ? (s) => s.isWellFormed() : (s) => !LONE_SURROGATE.test(s);

/**
 * The output of a direct export's 200 answer (its fields: text, or Uint8Arrays), exactly as deserializeAnswer
 * builds it from the JSON answer: the operation's members in order, blobs as fresh Uint8Arrays, strings
 * decoded, booleans, a "json" member parsed with its blobs and timestamps converted, a "keylist" as its
 * entries ({ KeyId, KeyArn }), then $metadata.
 */
export function directOutput(operation, fields, $metadata) {
  const plan = DIRECT_OPERATIONS[operation];
  const output = {};
  for (const [member, index, kind] of plan.output) {
    const field = fields[index];
    if (field === undefined) continue; // absent, as the JSON answer leaves it out
    if (kind === "blob") output[member] = field;
    else if (kind === "string")
      output[member] = field; // decoded by module.mjs
    else if (kind === "boolean") output[member] = field[0] === 1;
    else if (kind === "keylist") output[member] = keyList(field);
    else {
      const value = JSON.parse(field);
      if (value !== null) output[member] = value;
    }
  }
  for (const [segments, fn] of plan.nested) rewrite(output, segments, 0, fn);
  output.$metadata = $metadata;
  return output;
}

// ListKeys' Keys from a "keylist" field (module.mjs): the entries the JSON answer holds, in its order of
// members; each ARN is the core's prefix for the page's Region and the key's ID.
function keyList({ prefix, ids }) {
  const keys = [];
  for (let i = 0; i < ids.length; i++) keys.push({ KeyId: ids[i], KeyArn: prefix + ids[i] });
  return keys;
}

/**
 * The exception for an error answer, built as the SDK's AWS JSON 1.1 protocol builds it: the name from
 * `__type` (without a `namespace#` prefix or a `:suffix`), the modeled class if there is one, else a
 * KMSServiceException with that name and the fault the status implies; every member of the body copied
 * onto it; an empty or absent message becomes "UnknownError".
 */
function exceptionFromAnswer(status, body, $metadata, $response) {
  const rawName = String(body.__type ?? body.code ?? "Unknown");
  const name = rawName.split("#").pop().split(":")[0];
  const Modeled = exceptionClasses[name];
  const exception = Modeled
    ? new Modeled({ $metadata })
    : new KMSServiceException({ name, $fault: status < 500 ? "client" : "server", $metadata });
  // The SDK sets a modeled exception's message before copying the body; an unmodeled one gets it from
  // the body copy (so the order of its own keys differs, as in the SDK).
  if (Modeled) exception.message = body.message ?? body.Message;
  for (const [key, value] of Object.entries(body)) {
    if (value !== undefined && (exception[key] == null || exception[key] === "")) exception[key] = value;
  }
  exception.message = exception.message || exception.Message || "UnknownError";
  delete exception.Message;
  exception.$response = $response;
  return exception;
}
