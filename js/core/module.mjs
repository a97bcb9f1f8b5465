// The host side of the module's ABI (wasm/ABI.md) over one instance. Everything here is synchronous:
// a call runs to completion inside the module, so the JS side never sees a half-done request.

import { createWASI } from "./wasi.mjs";
import { createHostCrypto } from "./host-crypto.mjs";
import { operations } from "./operations.mjs";
import { utf8Decoder as decoder, utf8Encoder as encoder } from "./utf8.mjs";

/** The ABI version this host speaks (wasm/ABI.md). */
export const ABI_VERSION = 1;

const NodeBuffer = globalThis.Buffer;

const HEADER_SIZE = 20; // five u32 lengths: account, region, principal, target, body
const ANSWER_AREA_SIZE = 8; // the module writes the answer's pointer and length there

// A direct request field's length meaning "absent" (wasm/ABI.md, "Direct exports").
export const ABSENT_FIELD = 0xffffffff;
// The direct exports by operation, and how each field of their 200 answers is read: text (kinds
// "string" and "json"), decoded straight out of the memory instead of copied first; a key list
// ("keylist"); bytes (the others): from the operations table (operations.mjs, `direct`), the one place
// that says what each export carries.
const DIRECT_EXPORTS = {};
const DIRECT_ANSWER_READS = {};
const READ_BYTES = 0;
const READ_TEXT = 1;
const READ_KEY_LIST = 2;
for (const [operation, { direct }] of Object.entries(operations)) {
  if (direct === undefined) continue;
  DIRECT_EXPORTS[operation] = direct.export;
  DIRECT_ANSWER_READS[operation] = direct.output.map(([, kind]) =>
    kind === "string" || kind === "json" ? READ_TEXT : kind === "keylist" ? READ_KEY_LIST : READ_BYTES,
  );
}

// The largest buffer the module allocates (internal/abi's MaxAllocation): a request larger than this
// is refused here, before anything is allocated, so that every world goes on serving.
export const MAX_ALLOCATION = 128 * 1024 * 1024;

// The state flags (wasm/ABI.md, "State flags"; internal/kms/changeflags.go): the world of the last call
// has changes a take writes at once; it has last uses (or seeded draws) a take writes lazily.
export const STATE_CHANGED = 1;
export const STATE_USAGE_WAITING = 2;
// ... and the call's changes were taken at its end (the world's host asked so: StateLogTake with
// eachCall), their record left where the state area says (its address and length, at these offsets).
export const STATE_RECORD_TAKEN = 4;
// ... and the world's log has outgrown it since its writing whole (its records replaced more than three
// times what the world holds): a host that keeps the log writes it whole.
export const STATE_LOG_OUTGROWN = 8;
export const STATE_RECORD_AT = 4;
export const STATE_RECORD_LENGTH = 8;

// The result of a malformed request (the -4 of ABI_ERRORS).
const BAD_HEADER = -4;

export const ABI_ERRORS = {
  [-1]: "a pointer or length outside a live allocation",
  [-2]: "a world config that is not valid JSON",
  [-3]: "an unknown world",
  [-4]: "a malformed request header",
};

/**
 * The error of everything that goes wrong below the KMS API: a module that cannot load, a trapped
 * (dead) instance, an ABI violation. The SDK client lets it through as is, as the real SDK lets a
 * network error through: it is not a KMS answer.
 */
export class WasmKMSError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "WasmKMSError";
  }
}

/**
 * ModuleInstance is one instantiated wasmkms module. When an export traps (or the module exits), the
 * instance is marked dead: the call that trapped throws a WasmKMSError naming the cause, and every
 * later use throws one saying the instance is dead. A dead instance is never used again; the worlds
 * it held are gone with it (see world.mjs for what a World does then).
 */
export class ModuleInstance {
  #exports;
  #requestPtr = 0;
  #requestCapacity = 0;
  #answerArea = 0;
  #stateFlagsAt = 0; // where the module keeps its state flags (wasm/ABI.md, "State flags"); 0: it has none
  /** Why the instance died, or null while it is alive. */
  deathCause = null;

  constructor(instance) {
    this.#exports = instance.exports;
  }

  /**
   * Instantiates `module` (a WebAssembly.Module), initializes the reactor and checks the ABI version.
   * `nodeCrypto` overrides the runtime's node:crypto for the host's primitives (null: none, as in a browser).
   */
  static async instantiate(module, { nodeCrypto } = {}) {
    const wasi = createWASI();
    const hostCrypto = createHostCrypto(nodeCrypto); // the host's primitives (host-crypto.mjs), stubs where it has none
    let instance;
    try {
      instance = await WebAssembly.instantiate(module, { ...wasi.imports, ...hostCrypto.imports });
    } catch (cause) {
      throw new WasmKMSError(`wasmkms: the module cannot be instantiated: ${cause?.message ?? cause}`, { cause });
    }
    wasi.bind(instance);
    hostCrypto.bind(instance);
    const host = new ModuleInstance(instance);
    host.#guard("_initialize", () => instance.exports._initialize());
    const version = host.#guard("wasmkms_abi_version", () => instance.exports.wasmkms_abi_version());
    if (version !== ABI_VERSION) {
      host.deathCause = `ABI version ${version}`;
      throw new WasmKMSError(
        `wasmkms: the module speaks ABI version ${version}, this package speaks version ${ABI_VERSION}; ` +
          "use the wasmkms.wasm that ships with this package",
      );
    }
    host.#answerArea = host.#alloc(ANSWER_AREA_SIZE);
    if (typeof instance.exports.wasmkms_state_flags === "function") {
      host.#stateFlagsAt = host.#guard("wasmkms_state_flags", () => instance.exports.wasmkms_state_flags()) >>> 0;
    }
    return host;
  }

  get alive() {
    return this.deathCause === null;
  }

  /** Whether the module keeps state flags (an older one does not: its worlds cannot be kept outside it). */
  get hasStateFlags() {
    return this.#stateFlagsAt !== 0;
  }

  /**
   * The state flags the last call left (STATE_CHANGED, STATE_USAGE_WAITING): one read of the module's
   * memory, no call. Only for a module that has them (hasStateFlags).
   */
  stateFlags() {
    return this.#views().view.getUint32(this.#stateFlagsAt, true);
  }

  /**
   * The record of the last call's changes, taken at its end (STATE_RECORD_TAKEN among the flags): a
   * view of its UTF-8 in the module's memory, which the next call uses again (the caller copies or
   * decodes it before).
   */
  takenRecord() {
    const { bytes, view } = this.#views();
    const at = view.getUint32(this.#stateFlagsAt + STATE_RECORD_AT, true);
    const length = view.getUint32(this.#stateFlagsAt + STATE_RECORD_LENGTH, true);
    return bytes.subarray(at, at + length);
  }

  /**
   * Creates a world in this instance and returns its handle. `config` is the ABI's world config; an
   * empty one is sent as no config at all, which the module need not parse.
   */
  newWorld(config = {}) {
    const text = JSON.stringify(config);
    if (text === "{}") return this.#worldNew(0, 0);
    const json = encoder.encode(text);
    const ptr = this.#alloc(json.length);
    try {
      this.#memory().set(json, ptr);
      return this.#worldNew(ptr, json.length);
    } finally {
      this.#free(ptr);
    }
  }

  #worldNew(ptr, length) {
    const handle = this.#guard("wasmkms_world_new", () => this.#exports.wasmkms_world_new(ptr, length));
    if (handle < 1) throw this.#abiError("wasmkms_world_new", handle);
    return handle;
  }

  /** Drops a world; a dead instance has nothing left to drop. */
  dropWorld(handle) {
    if (!this.alive) return;
    const result = this.#guard("wasmkms_world_drop", () => this.#exports.wasmkms_world_drop(handle));
    if (result !== 0) throw this.#abiError("wasmkms_world_drop", result);
  }

  // Whether the module reads the request ID field (wasm/ABI.md, "The request ID"); a module older than
  // the field answers -4 to a request that carries one, and is then sent none.
  #requestIds = true;

  /**
   * One request: caller strings (empty = the module's defaults), target and JSON body, and the call's
   * request ID (the journal keeps it; empty or undefined: none). Returns `{ status, body }`, the body
   * copied out of wasm memory as a string at once. The body may be a Uint8Array of UTF-8, sent as it
   * is (a state log's pieces: no decoding to a string and back).
   */
  call(handle, account, region, principal, target, body, requestId) {
    const withId = Boolean(requestId) && this.#requestIds;
    const fields = [account, region, principal, target, body];
    let worst = HEADER_SIZE + (withId ? 4 + requestId.length * 3 : 0);
    for (const field of fields) worst += typeof field === "string" ? field.length * 3 : field.length; // UTF-16 unit -> at most 3 UTF-8 bytes
    if (worst > this.#requestCapacity) {
      this.#reserve(worst, () => {
        let exact = HEADER_SIZE + (withId ? 4 + utf8Length(requestId) : 0);
        for (const field of fields) exact += typeof field === "string" ? utf8Length(field) : field.length;
        return exact;
      });
    }

    const ptr = this.#requestPtr;
    const memory = this.#memory();
    const header = new DataView(memory.buffer, ptr, HEADER_SIZE);
    let offset = ptr + HEADER_SIZE;
    for (let i = 0; i < fields.length; i++) {
      if (typeof fields[i] !== "string") {
        memory.set(fields[i], offset);
        header.setUint32(i * 4, fields[i].length, true);
        offset += fields[i].length;
        continue;
      }
      const { written } = encoder.encodeInto(fields[i], memory.subarray(offset, ptr + this.#requestCapacity));
      header.setUint32(i * 4, written, true);
      offset += written;
    }
    if (withId) {
      const { written } = encoder.encodeInto(requestId, memory.subarray(offset + 4, ptr + this.#requestCapacity));
      new DataView(memory.buffer).setUint32(offset, written, true);
      offset += 4 + written;
    }
    const status = this.#guard("wasmkms_call", () =>
      this.#exports.wasmkms_call(handle, ptr, offset - ptr, this.#answerArea),
    );
    if (status === BAD_HEADER && withId) {
      this.#requestIds = false; // an older module: nothing ran, send it again without the ID
      return this.call(handle, account, region, principal, target, body);
    }
    if (status < 0) throw this.#abiError("wasmkms_call", status);

    const answer = new DataView(this.#exports.memory.buffer, this.#answerArea, ANSWER_AREA_SIZE);
    const answerPtr = answer.getUint32(0, true);
    const answerLen = answer.getUint32(4, true);
    const text = decoder.decode(new Uint8Array(this.#exports.memory.buffer, answerPtr, answerLen));
    this.#free(answerPtr);
    return { status, body: text };
  }

  /** Whether the module has the direct export of an operation ("Encrypt", "Decrypt"). */
  hasDirect(operation) {
    const name = DIRECT_EXPORTS[operation];
    return name !== undefined && typeof this.#exports[name] === "function";
  }

  /**
   * An operation through its direct export (wasm/ABI.md, "Direct exports"). `fields` are the request's
   * fields after the caller, in the ABI's order: strings, Uint8Arrays (blobs, and the bytes of integers
   * and booleans), a context (an array of [key, value] string pairs) or undefined for an absent member.
   * Returns `{ status, fields }` with the answer's fields (`direct.output` in operations.mjs) for status
   * 200, "string" and "json" ones as their text, a "keylist" as `{ prefix, ids }` (strings) and the
   * others as Uint8Arrays (fresh copies), else
   * `{ status, body }` with the JSON error text.
   * `requestId` as for call().
   */
  callDirect(handle, operation, account, region, principal, fields, requestId) {
    const withId = Boolean(requestId) && this.#requestIds;
    let worst = 12 + (account.length + region.length + principal.length) * 3 + (withId ? 4 + requestId.length * 3 : 0);
    for (let i = 0; i < fields.length; i++) worst += 4 + directFieldSize(fields[i], utf8Bound);
    if (worst > this.#requestCapacity) {
      this.#reserve(worst, () => {
        let exact = 12 + utf8Length(account) + utf8Length(region) + utf8Length(principal);
        if (withId) exact += 4 + utf8Length(requestId);
        for (let i = 0; i < fields.length; i++) exact += 4 + directFieldSize(fields[i], utf8Length);
        return exact;
      });
    }

    const ptr = this.#requestPtr;
    this.#directEnd = ptr + this.#requestCapacity;
    const { bytes, view } = this.#views();
    let offset = this.#putDirectString(bytes, view, ptr, account);
    offset = this.#putDirectString(bytes, view, offset, region);
    offset = this.#putDirectString(bytes, view, offset, principal);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      if (field === undefined) {
        view.setUint32(offset, ABSENT_FIELD, true);
        offset += 4;
      } else if (typeof field === "string") {
        offset = this.#putDirectString(bytes, view, offset, field);
      } else if (!Array.isArray(field)) {
        // bytes (a Uint8Array of any realm: serde.mjs's directRequestFields checked it)
        view.setUint32(offset, field.length, true);
        bytes.set(field, offset + 4);
        offset += 4 + field.length;
      } else {
        // a context: [key, value] pairs
        const start = offset;
        view.setUint32(offset + 4, field.length, true);
        offset += 8;
        for (const [key, value] of field) {
          offset = this.#putDirectString(bytes, view, offset, key);
          offset = this.#putDirectString(bytes, view, offset, value);
        }
        view.setUint32(start, offset - start - 4, true);
      }
    }
    if (withId) offset = this.#putDirectString(bytes, view, offset, requestId);
    const name = DIRECT_EXPORTS[operation];
    const status = this.#guard(name, () => this.#exports[name](handle, ptr, offset - ptr, this.#answerArea));
    if (status === BAD_HEADER && withId) {
      this.#requestIds = false; // an older module: nothing ran, send it again without the ID
      return this.callDirect(handle, operation, account, region, principal, fields);
    }
    if (status < 0) throw this.#abiError(name, status);

    const answer = this.#views(); // the memory may have grown during the call
    const answerPtr = answer.view.getUint32(this.#answerArea, true);
    const answerLen = answer.view.getUint32(this.#answerArea + 4, true);
    let result;
    if (status === 200) {
      const out = [];
      let at = answerPtr;
      const reads = DIRECT_ANSWER_READS[operation];
      for (let i = 0; i < reads.length; i++) {
        const n = answer.view.getUint32(at, true);
        if (n === ABSENT_FIELD) {
          out.push(undefined); // an absent member (KeyMaterialId of an asymmetric key)
          at += 4;
          continue;
        }
        const start = at + 4;
        const field = answer.bytes.subarray(start, start + n);
        const read = reads[i];
        if (read === READ_TEXT) out.push(decoder.decode(field));
        else if (read === READ_KEY_LIST) out.push(readKeyList(field, answer.view, start));
        else out.push(field.slice()); // a blob: a copy, a buffer of its own
        at = start + n;
      }
      result = { status, fields: out };
    } else {
      result = { status, body: decoder.decode(answer.bytes.subarray(answerPtr, answerPtr + answerLen)) };
    }
    this.#free(answerPtr);
    return result;
  }

  #directEnd = 0;

  // Writes a string field (u32 length, UTF-8) at offset; answers the offset after it.
  #putDirectString(bytes, view, offset, text) {
    let written = 0;
    if (text.length > 0) written = encoder.encodeInto(text, bytes.subarray(offset + 4, this.#directEnd)).written;
    view.setUint32(offset, written, true);
    return offset + 4 + written;
  }

  #viewBuffer = null;
  #viewCache = null;

  // Views of the whole memory, made again only when memory.buffer was replaced (the memory grew).
  #views() {
    const buffer = this.#exports.memory.buffer;
    if (buffer !== this.#viewBuffer) {
      this.#viewBuffer = buffer;
      this.#viewCache = { bytes: new Uint8Array(buffer), view: new DataView(buffer) };
    }
    return this.#viewCache;
  }

  // Makes the request buffer hold a request of at most `worst` bytes, or of `exact()` bytes when that
  // bound is past what the module allocates (a string's UTF-8 is rarely 3 bytes a unit). A request
  // larger than the module takes is refused before anything is allocated or sent.
  #reserve(worst, exact) {
    let size = worst;
    if (size > MAX_ALLOCATION) {
      size = exact();
      if (size > MAX_ALLOCATION) {
        throw new WasmKMSError(
          `wasmkms: a request of ${size} bytes is more than the module takes (${MAX_ALLOCATION} bytes); it was not sent`,
        );
      }
    }
    if (size > this.#requestCapacity) this.#growRequestBuffer(size);
  }

  // The new buffer is allocated before the old one is freed: when the module refuses it, the old
  // buffer and its capacity stay, and the next call works (a buffer freed first, with its capacity
  // kept, made every later call of every world fail with a pointer outside a live allocation).
  #growRequestBuffer(size) {
    const capacity = Math.min(Math.max(size, 4096, this.#requestCapacity * 2), MAX_ALLOCATION);
    const ptr = this.#alloc(capacity);
    if (this.#requestPtr !== 0) this.#free(this.#requestPtr);
    this.#requestPtr = ptr;
    this.#requestCapacity = capacity;
  }

  #alloc(size) {
    const ptr = this.#guard("wasmkms_alloc", () => this.#exports.wasmkms_alloc(size));
    if (ptr === 0) throw new WasmKMSError(`wasmkms: the module refused to allocate ${size} bytes`);
    return ptr >>> 0;
  }

  #free(ptr) {
    const result = this.#guard("wasmkms_free", () => this.#exports.wasmkms_free(ptr));
    if (result !== 0) throw this.#abiError("wasmkms_free", result);
  }

  // memory.buffer is replaced when the module's memory grows: take a fresh view for every use.
  #memory() {
    return new Uint8Array(this.#exports.memory.buffer);
  }

  #abiError(name, code) {
    return new WasmKMSError(`wasmkms: ${name} answered ${code} (${ABI_ERRORS[code] ?? "unknown ABI error"})`);
  }

  // Runs one export; a trap or an exit kills the instance, and the error says so.
  #guard(name, fn) {
    if (this.deathCause !== null) {
      throw new WasmKMSError(
        `wasmkms: the module instance is dead (it trapped earlier: ${this.deathCause}); its worlds are lost`,
      );
    }
    try {
      return fn();
    } catch (cause) {
      this.deathCause = `${name}: ${cause?.name ?? "Error"}: ${cause?.message ?? cause}`;
      throw new WasmKMSError(
        `wasmkms: the module trapped in ${this.deathCause}; the instance is dead and will not be used again`,
        { cause },
      );
    }
  }
}

// A "keylist" answer field (wasm/ABI.md: a u32 count n, n+1 u32 byte lengths, then the ARN prefix's
// and the IDs' UTF-8 back to back) as `{ prefix, ids }`. The text is decoded in one piece and cut where
// it is ASCII (as the core's key IDs and prefixes are), so that a page of 100 keys is one decode; other
// text is decoded piece by piece, as the JSON path's strings would be. `start` is field's offset in view.
function readKeyList(field, view, start) {
  const count = view.getUint32(start, true);
  const textAt = 8 + 4 * count;
  const text = decoder.decode(field.subarray(textAt));
  // The same length and no U+FFFD: every byte was ASCII (a longer sequence decodes to fewer units,
  // an invalid byte to U+FFFD), so byte offsets are the text's.
  const ascii = text.length === field.length - textAt && !text.includes("\ufffd");
  let at = 0;
  const piece = (i) => {
    const n = view.getUint32(start + 4 + 4 * i, true);
    const s = ascii ? text.slice(at, at + n) : decoder.decode(field.subarray(textAt + at, textAt + at + n));
    at += n;
    return s;
  };
  const prefix = piece(0);
  const ids = [];
  for (let i = 1; i <= count; i++) ids.push(piece(i));
  return { prefix, ids };
}

// The bytes a direct request field takes after its length, its strings measured by textSize: a
// context its count and every key and value with their lengths.
function directFieldSize(field, textSize) {
  if (field === undefined) return 0;
  if (typeof field === "string") return textSize(field);
  if (!Array.isArray(field)) return field.length; // bytes; a context is an array of pairs
  let size = 4;
  for (const [key, value] of field) size += 8 + textSize(key) + textSize(value);
  return size;
}

// The most UTF-8 bytes a string can take: 3 per UTF-16 unit.
function utf8Bound(text) {
  return text.length * 3;
}

// The UTF-8 length of a string, exactly as the encoder writes it (Node's Buffer counts it without a copy).
function utf8Length(text) {
  return NodeBuffer ? NodeBuffer.byteLength(text, "utf8") : encoder.encode(text).length;
}
