// Type checks that hold across JS realms. `instanceof` answers false for a value made in another realm
// (another global object): a Buffer or a URL of Node's realm inside jest's jsdom window, a Uint8Array of
// an iframe, a Date of a vm context. A test runner's DOM emulation mixes realms as a matter of course,
// so everything the package accepts from a caller is recognised by its internal slots (ArrayBuffer.isView,
// the typed arrays' tag getter, Object.prototype.toString) or by its shape, never by its constructor.
// `instanceof` is tried first only because it is the fast answer in the common case.

const objectTag = (value) => Object.prototype.toString.call(value);

// %TypedArray%.prototype[Symbol.toStringTag] reads the typed array's internal name ("Uint8Array" for a
// Buffer too); it ignores an own Symbol.toStringTag, and works on a typed array of any realm.
const typedArrayName = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype),
  Symbol.toStringTag,
).get;

/** A Uint8Array (a Buffer included) of any realm. */
export function isUint8Array(value) {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && typedArrayName.call(value) === "Uint8Array");
}

/** An ArrayBuffer or SharedArrayBuffer of any realm. */
export function isArrayBuffer(value) {
  if (value instanceof ArrayBuffer) return true;
  const tag = objectTag(value);
  return tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]";
}

/** A Date of any realm. */
export function isDate(value) {
  return value instanceof Date || objectTag(value) === "[object Date]";
}

/** A WebAssembly.Module of any realm. */
export function isWasmModule(value) {
  return value instanceof WebAssembly.Module || objectTag(value) === "[object WebAssembly.Module]";
}

/**
 * A URL of any realm or implementation (Node's, a browser's, jsdom's whatwg-url, happy-dom's): an
 * object with a string href and protocol. Read it as `new URL(value.href)`.
 */
export function isURLLike(value) {
  return (
    (typeof URL !== "undefined" && value instanceof URL) ||
    (value !== null &&
      typeof value === "object" &&
      typeof value.href === "string" &&
      typeof value.protocol === "string")
  );
}

/**
 * A fetch Response of any realm or implementation, by its shape. Never touches the Response global: in
 * Node its first use loads (and compiles) the whole fetch stack.
 */
export function isResponseLike(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof value.arrayBuffer === "function" &&
    typeof value.ok === "boolean" &&
    typeof value.headers?.get === "function"
  );
}

/** An Error (a DOMException included) of any realm: by its slot, else by a string name and message. */
export function isErrorLike(value) {
  return (
    value instanceof Error ||
    objectTag(value) === "[object Error]" ||
    (value !== null && typeof value === "object" && typeof value.name === "string" && typeof value.message === "string")
  );
}

/**
 * A plain object ({...}, Object.create(null), JSON.parse's) of any realm: its prototype is null, or an
 * Object.prototype, which is an ordinary object whose own prototype is null.
 */
export function isPlainObject(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return true;
  return Object.getPrototypeOf(proto) === null && objectTag(value) === "[object Object]";
}
