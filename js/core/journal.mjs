// The call journal as users read it: world.calls() turns the core's records (WasmKMS.Calls: AWS JSON
// inputs and outputs) into the SDK's shapes, and world.cloudTrail() into CloudTrail records shaped as
// AWS logs KMS events (the AWS KMS Developer Guide's "Examples of AWS KMS log entries"): member names
// in camelCase, no plaintext, ciphertext, message, signature, MAC, key material or secret in them, and
// responseElements null for the cryptographic and read-only operations. Runtime-neutral.

import { cryptographicOperations, operations } from "./operations.mjs";
import { inputFromBody, outputFromBody } from "./serde.mjs";
import { uuidOf } from "./prng.mjs";

/** A core journal record (internal/kms/journal.go, callRecord) as world.calls() answers it. */
export function callOf(record) {
  const known = operations[record.operation] !== undefined;
  const call = {
    time: new Date(record.time),
    operation: record.operation,
    account: record.account,
    region: record.region,
    principal: record.principal,
    input: known ? inputFromBody(record.operation, structuredClone(record.input ?? {})) : record.input,
  };
  if (record.error !== undefined) call.error = { name: record.error.name, message: record.error.message };
  else call.output = known ? outputFromBody(record.operation, structuredClone(record.output ?? {})) : record.output;
  call.requestId = record.requestId;
  return call;
}

// ---- CloudTrail ----

// Operations that change nothing: the cryptographic ones and every Describe, Get and List.
const isReadOnly = (operation) => cryptographicOperations.has(operation) || /^(Describe|Get|List)/.test(operation);

// Output members that are secrets or bearer tokens, left out of responseElements as AWS leaves them out
// (CreateGrant's entry shows the grant ID, never the token).
const SECRET_OUTPUT = new Set(["GrantToken"]);

// Members whose value is a map of the caller's own keys (kept as they are, not camelCased).
const isMapMember = (name) => /EncryptionContext/.test(name);

/**
 * camelCase of a member name as CloudTrail writes it: the first letter lowered ("KeyId" -> "keyId"),
 * unless the name starts with an acronym ("AWSAccountId" stays).
 */
function camelName(name) {
  if (name.length > 1 && name[1] >= "A" && name[1] <= "Z") return name;
  return name[0].toLowerCase() + name.slice(1);
}

function camelCased(value) {
  if (Array.isArray(value)) return value.map(camelCased);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) out[camelName(key)] = isMapMember(key) ? item : camelCased(item);
  return out;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A timestamp member as CloudTrail writes it in parameters: "Aug 10, 2022, 10:38:27 PM" (UTC). */
function cloudTrailDate(epochSeconds) {
  const d = new Date(Math.round(epochSeconds * 1000));
  const hours = d.getUTCHours();
  const two = (n) => String(n).padStart(2, "0");
  return (
    `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ` +
    `${hours % 12 || 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`
  );
}

// Deletes the value at a path ("A.B", "A[].B") of a JSON value.
function deletePath(object, segments) {
  if (object === null || typeof object !== "object") return;
  const [segment, ...rest] = segments;
  const isList = segment.endsWith("[]");
  const key = isList ? segment.slice(0, -2) : segment;
  if (rest.length === 0) {
    delete object[key];
  } else if (isList) {
    if (Array.isArray(object[key])) for (const item of object[key]) deletePath(item, rest);
  } else {
    deletePath(object[key], rest);
  }
}

// Rewrites the numbers at a path of a JSON value.
function datesAt(object, segments) {
  if (object === null || typeof object !== "object") return;
  const [segment, ...rest] = segments;
  const isList = segment.endsWith("[]");
  const key = isList ? segment.slice(0, -2) : segment;
  const value = object[key];
  if (isList) {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      if (rest.length === 0) value[i] = typeof value[i] === "number" ? cloudTrailDate(value[i]) : value[i];
      else datesAt(value[i], rest);
    }
  } else if (rest.length === 0) {
    if (typeof value === "number") object[key] = cloudTrailDate(value);
  } else {
    datesAt(value, rest);
  }
}

// The request as CloudTrail logs it: no blob (plaintext, ciphertext, message, signature, MAC, import
// token, key material, public key) and no sensitive member (passwords, credentials); timestamps as
// dates; Decrypt's encryptionAlgorithm and keyId always (AWS adds them when the request has none).
function requestParameters(operation, input, output) {
  const op = operations[operation];
  const params = structuredClone(input ?? {});
  if (op !== undefined) {
    for (const path of [...(op.inputBlobs ?? []), ...(op.sensitiveInput ?? [])]) deletePath(params, path.split("."));
    for (const member of op.inputTimestamps ?? []) datesAt(params, [member]);
  }
  if (operation === "Decrypt") {
    params.EncryptionAlgorithm ??= output?.EncryptionAlgorithm ?? "SYMMETRIC_DEFAULT";
    if (params.KeyId === undefined && typeof output?.KeyId === "string") params.KeyId = output.KeyId;
  }
  return camelCased(params);
}

// The answer as CloudTrail logs it: null for failures, cryptographic and read-only operations, and
// empty answers; else the output without blobs, secrets and sensitive members, timestamps as dates.
function responseElements(operation, output, failed) {
  if (failed || isReadOnly(operation) || output == null) return null;
  const op = operations[operation];
  const elements = structuredClone(output);
  for (const member of SECRET_OUTPUT) delete elements[member];
  if (op !== undefined) {
    for (const path of [...(op.outputBlobs ?? []), ...(op.sensitiveOutput ?? [])])
      deletePath(elements, path.split("."));
    for (const path of op.outputTimestamps ?? []) datesAt(elements, path.split("."));
  }
  return Object.keys(elements).length === 0 ? null : camelCased(elements);
}

const KEY_ARN = /^arn:[^:]+:kms:[^:]+:\d{12}:key\/.+$/;
const BARE_KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

// The key ARN a KeyId names, when it names one without a lookup (an ARN or a bare key ID; an alias
// needs the world, and its key comes from the answer when the answer has it).
function keyArnOf(keyId, record) {
  if (typeof keyId !== "string") return undefined;
  if (KEY_ARN.test(keyId)) return keyId;
  if (BARE_KEY_ID.test(keyId)) {
    return `arn:${record.partition}:kms:${record.region}:${record.account}:key/${keyId}`;
  }
  return undefined;
}

// The keys a call acted on, as CloudTrail's resources: the source key before the destination key.
function resources(record) {
  const input = record.input ?? {};
  const output = record.output ?? {};
  const arns = [
    keyArnOf(output.SourceKeyId, record) ?? keyArnOf(input.SourceKeyId, record),
    keyArnOf(output.KeyMetadata?.Arn, record),
    keyArnOf(output.ReplicaKeyMetadata?.Arn, record),
    keyArnOf(output.KeyId, record) ?? keyArnOf(input.KeyId, record),
    keyArnOf(input.TargetKeyId, record),
    keyArnOf(input.DestinationKeyId, record),
  ];
  const seen = new Set();
  const list = [];
  for (const arn of arns) {
    if (arn === undefined || seen.has(arn)) continue;
    seen.add(arn);
    list.push({ accountId: arn.split(":")[4], type: "AWS::KMS::Key", ARN: arn });
  }
  return list;
}

// A stable identifier of AWS's shape for a principal ("AIDA" and 17 characters for an IAM user), from
// its ARN, so that the same principal has the same ID in every record.
function uniqueIdOf(prefix, arn) {
  const hex = uuidOf(`principal\u0000${arn}`).replaceAll("-", "");
  return prefix + BigInt(`0x${hex}`).toString(36).toUpperCase().padStart(17, "0").slice(0, 17);
}

/** CloudTrail's userIdentity of a caller: the account's root, an IAM user, an assumed role, or other. */
function userIdentity(record) {
  const arn = record.principal;
  const parts = /^arn:[^:]+:(iam|sts)::(\d{12}):(.*)$/.exec(arn);
  const accountId = parts?.[2] ?? record.account;
  const resource = parts?.[3] ?? "";
  if (resource === "root") return { type: "Root", principalId: accountId, arn, accountId };
  if (parts?.[1] === "iam" && resource.startsWith("user/")) {
    return {
      type: "IAMUser",
      principalId: uniqueIdOf("AIDA", arn),
      arn,
      accountId,
      userName: resource.split("/").pop(),
    };
  }
  if (parts?.[1] === "sts" && resource.startsWith("assumed-role/")) {
    const [, role, session] = resource.split("/");
    return {
      type: "AssumedRole",
      principalId: `${uniqueIdOf("AROA", `arn:${record.partition}:iam::${accountId}:role/${role}`)}:${session}`,
      arn,
      accountId,
    };
  }
  return { type: "AWSAccount", principalId: uniqueIdOf("AIDA", arn), arn, accountId };
}

/** A core journal record as a CloudTrail record of a KMS event. */
export function cloudTrailOf(record) {
  const failed = record.error !== undefined;
  const entry = {
    eventVersion: "1.08",
    userIdentity: userIdentity(record),
    eventTime: new Date(record.time).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "kms.amazonaws.com",
    eventName: record.operation,
    awsRegion: record.region,
    sourceIPAddress: "127.0.0.1",
    userAgent: "wasmkms",
  };
  if (failed) {
    entry.errorCode = record.error.name;
    entry.errorMessage = record.error.message;
  }
  entry.requestParameters = requestParameters(record.operation, record.input, record.output);
  entry.responseElements = responseElements(record.operation, record.output, failed);
  entry.requestID = record.requestId ?? uuidOf(`request\u0000${record.seq}\u0000${record.time}`);
  entry.eventID = uuidOf(`event\u0000${record.seq}\u0000${record.time}\u0000${record.requestId ?? ""}`);
  entry.readOnly = isReadOnly(record.operation);
  const keys = resources(record);
  if (keys.length > 0) entry.resources = keys;
  entry.eventType = "AwsApiCall";
  entry.managementEvent = true;
  entry.recipientAccountId = record.account;
  entry.eventCategory = "Management";
  return entry;
}
