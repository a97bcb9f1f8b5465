// The conformance engine's `call` over the package's SDK surface (KMSClient and the command classes),
// for every runtime: pass the package's exports as they are imported there. A step's JSON request
// becomes a command input (base64 blob members -> Uint8Array, as a user would pass bytes), is sent with
// a KMSClient for the step's caller, and the output or exception is turned back into the JSON level the
// scenarios speak: Uint8Array -> base64, Date -> epoch seconds, exception -> { __type, message },
// status from $metadata.httpStatusCode.
//
//   const call = createSdkCall(pkg, { world: pkg.createWorld() });
//   const result = await runScenario(scenario, call, { sdk: true });
//
// The one lossy step: the SDK turns an absent or empty error message into "UnknownError"
// (decorateServiceException); the adapter turns "UnknownError" back into an absent message.

const SDK_UNKNOWN_MESSAGE = "UnknownError";

function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text) {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

// Rewrites the value at a table path ("A.B", "A[].B") in place.
function rewrite(object, segments, fn) {
  if (object === null || typeof object !== "object" || segments.length === 0) return;
  const [segment, ...rest] = segments;
  const isList = segment.endsWith("[]");
  const key = isList ? segment.slice(0, -2) : segment;
  if (!(key in object) || object[key] == null) return;
  if (isList) {
    if (!Array.isArray(object[key])) return;
    object[key] = object[key].map((item) => {
      if (rest.length === 0) return fn(item);
      rewrite(item, rest, fn);
      return item;
    });
  } else if (rest.length === 0) {
    object[key] = fn(object[key]);
  } else {
    rewrite(object[key], rest, fn);
  }
}

/** JSON-level form of an SDK output value: bytes as base64, dates as epoch seconds. */
export function toWireJSON(value) {
  if (value instanceof Uint8Array) return toBase64(value);
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWireJSON);
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = toWireJSON(item);
    return out;
  }
  return value;
}

/** The command input for a step's JSON request: its base64 blob members decoded to bytes. */
export function commandInputOf(pkg, op, request) {
  const input = structuredClone(request ?? {});
  for (const path of pkg.operations[op].inputBlobs ?? []) {
    rewrite(input, path.split("."), (value) => (typeof value === "string" ? fromBase64(value) : value));
  }
  return input;
}

/**
 * createSdkCall(pkg, { world }) returns the engine's `call`. One KMSClient per caller, all on `world`;
 * the caller's account goes in `credentials.accountId`, as with the SDK. No retries (maxAttempts 1, as
 * the real SDK's clients of the scenarios have): a step checks one answer, LimitExceededException too.
 */
export function createSdkCall(pkg, { world } = {}) {
  const clients = new Map();
  const clientFor = ({ account, region, principal }) => {
    const key = `${account}\n${region}\n${principal}`;
    if (!clients.has(key)) {
      clients.set(
        key,
        new pkg.KMSClient({
          region,
          credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wasmkms", accountId: account },
          principal,
          world,
          maxAttempts: 1,
        }),
      );
    }
    return clients.get(key);
  };

  return async function call({ caller, op, request }) {
    const CommandCtor = pkg[`${op}Command`];
    if (CommandCtor === undefined)
      throw new Error(`the package has no ${op}Command: add ${op} to js/core/operations.mjs`);
    const command = new CommandCtor(commandInputOf(pkg, op, request));
    try {
      const { $metadata, ...output } = await clientFor(caller).send(command);
      return { status: $metadata.httpStatusCode, body: toWireJSON(output) };
    } catch (error) {
      if (!(error instanceof pkg.KMSServiceException)) throw error;
      const body = { __type: error.name };
      if (error.message !== SDK_UNKNOWN_MESSAGE) body.message = error.message;
      return { status: error.$metadata.httpStatusCode, body };
    }
  };
}
