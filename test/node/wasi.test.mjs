// The WASI shim: it implements every import the built module has (and says which it implements), and
// the imports that matter behave: random_get in WebCrypto-sized chunks and from its pool, poll_oneoff
// answering every subscription, fd_write a line at a time, fd_prestat_get EBADF, proc_exit throwing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { createHostCrypto, HOST_MODULE } from "../../js/core/host-crypto.mjs";
import { createWASI, wasiImportNames, WASIExit } from "../../js/core/wasi.mjs";

const ERRNO_BADF = 8;

function shimWithMemory(sinks) {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const wasi = createWASI(sinks);
  wasi.bind({ exports: { memory } });
  return { fns: wasi.imports.wasi_snapshot_preview1, memory, view: () => new DataView(memory.buffer) };
}

test("every import of js/wasmkms.wasm is implemented, and the list says so", () => {
  const module = new WebAssembly.Module(readFileSync(new URL("../../js/wasmkms.wasm", import.meta.url)));
  const { fns } = shimWithMemory();
  // The host's primitives are the other import module (host-crypto.mjs, held to internal/abi by
  // host-crypto-abi.test.mjs); every other import is WASI's.
  const hostPrimitives = createHostCrypto(null).imports[HOST_MODULE];
  const imports = WebAssembly.Module.imports(module).filter(({ module: namespace, name, kind }) => {
    if (namespace !== HOST_MODULE) return true;
    assert.equal(kind, "function", name);
    assert.equal(typeof hostPrimitives[name], "function", `host-crypto.mjs lacks ${name}`);
    return false;
  });
  assert.ok(imports.length > 0);
  for (const { module: namespace, name, kind } of imports) {
    assert.equal(namespace, "wasi_snapshot_preview1", name);
    assert.equal(kind, "function", name);
    assert.equal(typeof fns[name], "function", `the shim lacks ${name}`);
    assert.ok(wasiImportNames.includes(name), `${name} is missing from wasiImportNames`);
  }
  assert.deepEqual(Object.keys(fns).sort(), [...wasiImportNames].sort());
});

test("random_get: large requests in chunks, small ones from the pool, never repeated", () => {
  const { fns, memory } = shimWithMemory();
  const bytes = new Uint8Array(memory.buffer);
  assert.equal(fns.random_get(1024, 200_000), 0); // above WebCrypto's 65536 per call
  assert.ok(bytes.subarray(1024 + 150_000, 1024 + 200_000).some((b) => b !== 0));
  const nonces = new Set();
  for (let i = 0; i < 2000; i++) {
    // crosses many pool refills
    assert.equal(fns.random_get(0, 12), 0);
    nonces.add(Buffer.from(bytes.subarray(0, 12)).toString("hex"));
  }
  assert.equal(nonces.size, 2000);
});

test("poll_oneoff answers every subscription at once (Go's scheduler and GC need it)", () => {
  const { fns, view } = shimWithMemory();
  const v = view();
  const input = 0,
    output = 1024,
    nevents = 2048;
  v.setBigUint64(input, 42n, true);
  v.setUint8(input + 8, 0); // clock subscription, userdata 42
  v.setBigUint64(input + 48, 7n, true);
  v.setUint8(input + 48 + 8, 1); // fd_read subscription, userdata 7
  assert.equal(fns.poll_oneoff(input, output, 2, nevents), 0);
  assert.equal(v.getUint32(nevents, true), 2);
  assert.equal(v.getBigUint64(output, true), 42n);
  assert.equal(v.getUint16(output + 8, true), 0);
  assert.equal(v.getBigUint64(output + 32, true), 7n);
  assert.equal(v.getUint16(output + 32 + 8, true), ERRNO_BADF, "no file descriptors to wait for");
});

test("fd_write goes to the console a line at a time; other descriptors are EBADF", () => {
  const lines = { log: [], error: [] };
  const { fns, memory, view } = shimWithMemory({ log: (l) => lines.log.push(l), error: (l) => lines.error.push(l) });
  const write = (fd, text) => {
    const data = new TextEncoder().encode(text);
    new Uint8Array(memory.buffer).set(data, 256);
    view().setUint32(0, 256, true);
    view().setUint32(4, data.length, true);
    return fns.fd_write(fd, 0, 1, 16);
  };
  assert.equal(write(2, "panic: half a "), 0);
  assert.deepEqual(lines.error, []);
  assert.equal(write(2, "line\nnext"), 0);
  assert.deepEqual(lines.error, ["panic: half a line"]);
  assert.equal(write(1, "out\n"), 0);
  assert.deepEqual(lines.log, ["out"]);
  assert.equal(write(3, "x"), ERRNO_BADF);
});

test("no preopened directories, no files; proc_exit throws", () => {
  const { fns } = shimWithMemory();
  assert.equal(fns.fd_prestat_get(3, 0), ERRNO_BADF);
  assert.equal(fns.path_open(3, 0, 0, 0, 0, 0n, 0n, 0, 0), ERRNO_BADF);
  assert.throws(
    () => fns.proc_exit(2),
    (e) => e instanceof WASIExit && e.code === 2,
  );
});

test("clock_time_get: realtime near Date.now, monotonic never going back", () => {
  const { fns, view } = shimWithMemory();
  assert.equal(fns.clock_time_get(0, 0n, 0), 0);
  const realtime = Number(view().getBigUint64(0, true) / 1_000_000n);
  assert.ok(Math.abs(realtime - Date.now()) < 1000);
  fns.clock_time_get(1, 0n, 8);
  const a = view().getBigUint64(8, true);
  fns.clock_time_get(1, 0n, 8);
  assert.ok(view().getBigUint64(8, true) >= a);
});
