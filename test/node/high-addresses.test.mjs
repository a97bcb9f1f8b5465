// A module's memory grows past 2 GiB with a large world (a 1,000,000-key state file did): a wasm i32
// argument then reaches JS as a negative number, and an import that takes it as an address fails (a
// RangeError, which killed the instance). The WASI shim and the host primitives take every address as
// unsigned. The memory here is a plain 2 GiB + 1 MiB buffer, the addresses just past 2 GiB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { builtinNodeCrypto, createHostCrypto, HOST_MODULE } from "../../js/core/host-crypto.mjs";
import { createWASI } from "../../js/core/wasi.mjs";

const HIGH = 2 ** 31 + 4096; // an address past 2 GiB
const signed = (address) => address | 0; // what the engine hands an import for an i32 argument

function highMemory() {
  const buffer = new ArrayBuffer(2 ** 31 + 2 ** 20);
  return { exports: { memory: { buffer } }, bytes: new Uint8Array(buffer), view: new DataView(buffer) };
}

test("WASI: random_get, clock_time_get and fd_write at addresses past 2 GiB", () => {
  const instance = highMemory();
  const lines = [];
  const wasi = createWASI({ log: (line) => lines.push(line) });
  wasi.bind(instance);
  const imports = wasi.imports.wasi_snapshot_preview1;
  assert.ok(signed(HIGH) < 0);

  assert.equal(imports.random_get(signed(HIGH), 32), 0);
  assert.ok(
    instance.bytes.subarray(HIGH, HIGH + 32).some((b) => b !== 0),
    "the random bytes landed there",
  );
  assert.equal(imports.random_get(signed(HIGH + 64), 100_000), 0); // the chunked path
  assert.ok(instance.bytes.subarray(HIGH + 64, HIGH + 64 + 100_000).some((b) => b !== 0));

  assert.equal(imports.clock_time_get(0, 0n, signed(HIGH + 200_000)), 0);
  const ms = Number(instance.view.getBigUint64(HIGH + 200_000, true) / 1_000_000n);
  assert.ok(Math.abs(ms - Date.now()) < 60_000, "the clock's time landed there");

  const text = new TextEncoder().encode("past two gibibytes\n");
  const at = HIGH + 300_000;
  instance.bytes.set(text, at);
  instance.view.setUint32(HIGH + 299_000, at, true); // one iovec: address, length
  instance.view.setUint32(HIGH + 299_004, text.length, true);
  assert.equal(imports.fd_write(1, signed(HIGH + 299_000), 1, signed(HIGH + 299_100)), 0);
  assert.deepEqual(lines, ["past two gibibytes"]);
  assert.equal(instance.view.getUint32(HIGH + 299_100, true), text.length);
});

test("host primitives: a digest and AES-GCM at addresses past 2 GiB", () => {
  const instance = highMemory();
  const host = createHostCrypto(builtinNodeCrypto());
  host.bind(instance);
  const imports = host.imports[HOST_MODULE];
  const input = new TextEncoder().encode("wasmkms");
  instance.bytes.set(input, HIGH);
  assert.equal(imports.digest(2, signed(HIGH), input.length, signed(HIGH + 1024)), 0); // 2: SHA-256
  assert.deepEqual(
    Buffer.from(instance.bytes.subarray(HIGH + 1024, HIGH + 1056)),
    createHash("sha256").update(input).digest(),
  );

  const key = HIGH + 2048;
  const nonce = HIGH + 2048 + 32;
  instance.bytes.fill(7, key, key + 44);
  assert.equal(
    imports.aes_gcm_seal(signed(key), signed(nonce), signed(HIGH), input.length, 0, 0, signed(HIGH + 4096)),
    0,
  );
  assert.equal(
    imports.aes_gcm_open(signed(key), signed(nonce), signed(HIGH + 4096), input.length + 16, 0, 0, signed(HIGH + 8192)),
    0,
  );
  assert.deepEqual(instance.bytes.subarray(HIGH + 8192, HIGH + 8192 + input.length), input);
});
