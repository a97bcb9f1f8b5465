// The WASI (preview 1) imports of wasmkms.wasm, implemented here so that the package needs no WASI
// library in any runtime. It implements exactly what Go's wasip1 runtime imports for this module (the
// module has no files, no arguments, no environment) and nothing more: an import the module gains and
// this shim lacks fails at instantiation, and the wasm harness's import test names it.

import { newUtf8Decoder } from "./utf8.mjs";

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_INVAL = 28;

const CLOCK_MONOTONIC = 1; // realtime is 0
const TWO_12 = 2 ** 12;
const TWO_20 = 2 ** 20;
const TWO_32 = 2 ** 32;

const FILETYPE_CHARACTER_DEVICE = 2;
const EVENTTYPE_CLOCK = 0;
const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;

// getRandomValues refuses more than 65536 bytes per call (Web Crypto's quota).
const RANDOM_CHUNK = 65536;
const RANDOM_POOL_SIZE = 4096;

/** Thrown by proc_exit: the module asked to end, so the instance cannot be used again. */
export class WASIExit extends Error {
  constructor(code) {
    super(`the wasm module exited with code ${code}`);
    this.name = "WASIExit";
    this.code = code;
  }
}

/** The names the shim implements, for the test that compares them with the module's imports. */
export const wasiImportNames = Object.freeze([
  "args_get",
  "args_sizes_get",
  "environ_get",
  "environ_sizes_get",
  "clock_time_get",
  "fd_write",
  "fd_read",
  "fd_close",
  "fd_fdstat_get",
  "fd_fdstat_set_flags",
  "fd_prestat_get",
  "fd_prestat_dir_name",
  "path_open",
  "path_filestat_get",
  "random_get",
  "poll_oneoff",
  "sched_yield",
  "proc_exit",
]);

/**
 * createWASI returns the import object for one instance and `bind(instance)`, which must be called
 * after instantiation (the imports read the instance's memory, replaced whenever it grows).
 * Output on fd 1 and 2 goes to `console.log` / `console.error`, a line at a time.
 */
export function createWASI({ log = (line) => console.log(line), error = (line) => console.error(line) } = {}) {
  let memory = null;
  // One DataView of the memory, made again only when memory.buffer was replaced (the memory grew): the
  // clock is read several times a call.
  let viewBuffer = null;
  let viewCache = null;
  const view = () => {
    const buffer = memory.buffer;
    if (buffer !== viewBuffer) {
      viewBuffer = buffer;
      viewCache = new DataView(buffer);
    }
    return viewCache;
  };
  // A wasm i32 argument arrives in JS as a signed number: an address past 2 GiB is negative until made
  // unsigned (>>> 0), which every pointer argument below is.
  const bytes = (ptr, len) => new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0);
  const decoder = newUtf8Decoder(); // its own: fd_write decodes a stream
  const pending = { 1: "", 2: "" };
  const sinks = { 1: log, 2: error };
  const monotonicOrigin = performance.now();
  // Small random requests (a nonce per Encrypt) are served from a pool refilled by one getRandomValues
  // call: each call into WebCrypto costs microseconds, more than AES-GCM on 32 bytes.
  const pool = new Uint8Array(RANDOM_POOL_SIZE);
  let poolOffset = RANDOM_POOL_SIZE;

  // Writes a clock's nanoseconds at ptr as a u64 in two u32 halves: no BigInt, whose conversions cost
  // more than this arithmetic, and Go reads a clock some four times a call (BENCHMARKS.md, issue 15).
  const writeNanoseconds = (v, ptr, clockId) => {
    let high;
    let low;
    if (clockId === CLOCK_MONOTONIC) {
      const ns = Math.round((performance.now() - monotonicOrigin) * 1e6); // far below 2^53
      high = Math.floor(ns / TWO_32);
      low = ns - high * TWO_32;
    } else {
      // Realtime and the CPU-time clocks: wall time is the best a JS host has. ms * 10^6 passes 2^53,
      // so it is put together from ms = msHigh * 2^20 + msLow, each product exact.
      const ms = Date.now();
      const msHigh = Math.floor(ms / TWO_20);
      const a = msHigh * 1e6; // ns = a * 2^20 + (ms - msHigh * 2^20) * 10^6
      const aHigh = Math.floor(a / TWO_12); // a * 2^20 = aHigh * 2^32 + (a - aHigh * 2^12) * 2^20
      const sum = (a - aHigh * TWO_12) * TWO_20 + (ms - msHigh * TWO_20) * 1e6; // below 2^42
      const carry = Math.floor(sum / TWO_32);
      high = aHigh + carry;
      low = sum - carry * TWO_32;
    }
    v.setUint32(ptr, low, true);
    v.setUint32(ptr + 4, high, true);
  };

  const wasi = {
    args_sizes_get(argcPtr, bufSizePtr) {
      const v = view();
      v.setUint32(argcPtr >>> 0, 0, true);
      v.setUint32(bufSizePtr >>> 0, 0, true);
      return ERRNO_SUCCESS;
    },
    args_get() {
      return ERRNO_SUCCESS;
    },
    environ_sizes_get(countPtr, bufSizePtr) {
      const v = view();
      v.setUint32(countPtr >>> 0, 0, true);
      v.setUint32(bufSizePtr >>> 0, 0, true);
      return ERRNO_SUCCESS;
    },
    environ_get() {
      return ERRNO_SUCCESS;
    },
    clock_time_get(clockId, _precision, timePtr) {
      if (clockId > 3) return ERRNO_INVAL;
      writeNanoseconds(view(), timePtr >>> 0, clockId);
      return ERRNO_SUCCESS;
    },
    fd_write(fd, iovsPtr, iovsLen, nwrittenPtr) {
      const v = view();
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      let written = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = v.getUint32((iovsPtr >>> 0) + i * 8, true);
        const len = v.getUint32((iovsPtr >>> 0) + i * 8 + 4, true);
        pending[fd] += decoder.decode(bytes(ptr, len), { stream: true });
        written += len;
      }
      const lines = pending[fd].split("\n");
      pending[fd] = lines.pop();
      for (const line of lines) sinks[fd](line);
      v.setUint32(nwrittenPtr >>> 0, written, true);
      return ERRNO_SUCCESS;
    },
    fd_read() {
      return ERRNO_BADF;
    },
    fd_close() {
      return ERRNO_BADF;
    },
    fd_fdstat_get(fd, statPtrArgument) {
      if (fd > 2) return ERRNO_BADF;
      const statPtr = statPtrArgument >>> 0;
      const v = view();
      v.setUint8(statPtr, FILETYPE_CHARACTER_DEVICE);
      v.setUint16(statPtr + 2, 0, true);
      v.setBigUint64(statPtr + 8, 0n, true);
      v.setBigUint64(statPtr + 16, 0n, true);
      return ERRNO_SUCCESS;
    },
    fd_fdstat_set_flags(fd) {
      return fd <= 2 ? ERRNO_SUCCESS : ERRNO_BADF;
    },
    // No preopened directories: EBADF ends the runtime's enumeration of them.
    fd_prestat_get() {
      return ERRNO_BADF;
    },
    fd_prestat_dir_name() {
      return ERRNO_BADF;
    },
    // The module has no directories (none is preopened), so every path is relative to a bad fd. Go's
    // time package looks for zoneinfo files this way and falls back to UTC.
    path_open() {
      return ERRNO_BADF;
    },
    path_filestat_get() {
      return ERRNO_BADF;
    },
    random_get(ptr, len) {
      if (len <= RANDOM_POOL_SIZE / 4) {
        // nonces and IDs: from the pool, each byte handed out once
        if (poolOffset + len > RANDOM_POOL_SIZE) {
          crypto.getRandomValues(pool);
          poolOffset = 0;
        }
        bytes(ptr, len).set(pool.subarray(poolOffset, poolOffset + len));
        pool.fill(0, poolOffset, poolOffset + len);
        poolOffset += len;
        return ERRNO_SUCCESS;
      }
      for (let offset = 0; offset < len; offset += RANDOM_CHUNK) {
        crypto.getRandomValues(bytes((ptr >>> 0) + offset, Math.min(RANDOM_CHUNK, len - offset)));
      }
      return ERRNO_SUCCESS;
    },
    // Go's scheduler and garbage collector sleep through poll_oneoff and treat an error as fatal. A
    // reactor never has anything to wait for, so every subscription is reported as having fired at once.
    poll_oneoff(inPtr, outPtr, nsubscriptions, neventsPtr) {
      const v = view();
      for (let i = 0; i < nsubscriptions; i++) {
        const sub = (inPtr >>> 0) + i * SUBSCRIPTION_SIZE;
        const event = (outPtr >>> 0) + i * EVENT_SIZE;
        const tag = v.getUint8(sub + 8);
        v.setBigUint64(event, v.getBigUint64(sub, true), true);
        v.setUint16(event + 8, tag === EVENTTYPE_CLOCK ? ERRNO_SUCCESS : ERRNO_BADF, true);
        v.setUint8(event + 10, tag);
        v.setBigUint64(event + 16, 0n, true);
        v.setUint16(event + 24, 0, true);
      }
      v.setUint32(neventsPtr >>> 0, nsubscriptions, true);
      return ERRNO_SUCCESS;
    },
    sched_yield() {
      return ERRNO_SUCCESS;
    },
    proc_exit(code) {
      throw new WASIExit(code);
    },
  };

  return {
    imports: { wasi_snapshot_preview1: wasi },
    bind(instance) {
      memory = instance.exports.memory;
    },
  };
}
