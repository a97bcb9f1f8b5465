// The WASI shim's clocks: clock_time_get writes the nanoseconds as two u32 halves without BigInt
// (wasi.mjs), so these hold the halves to BigInt arithmetic: realtime is Date.now() * 10^6 exactly,
// across the whole range of dates, and the monotonic clock never goes back, also after the memory grew.
import { test } from "node:test";
import assert from "node:assert/strict";

import { createWASI } from "../../js/core/wasi.mjs";

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const ERRNO_INVAL = 28;

function shim() {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const wasi = createWASI();
  wasi.bind({ exports: { memory } });
  const clock = (id, ptr = 64) => {
    assert.equal(wasi.imports.wasi_snapshot_preview1.clock_time_get(id, 0n, ptr), 0);
    return new DataView(memory.buffer).getBigUint64(ptr, true);
  };
  return { memory, clock, fns: wasi.imports.wasi_snapshot_preview1 };
}

test("the realtime clock is Date.now() in nanoseconds, exactly, for any date", (t) => {
  const { clock } = shim();
  const edges = [0, 1, 999, 2 ** 20 - 1, 2 ** 20, 2 ** 32 - 1, 2 ** 32, 1_796_187_197_615, 4_102_444_800_000];
  const random = Array.from({ length: 20_000 }, () => Math.floor(Math.random() * 2 ** 44));
  let ms = 0;
  t.mock.method(Date, "now", () => ms);
  for (ms of [...edges, 2 ** 44 - 1, ...random]) {
    assert.equal(clock(CLOCK_REALTIME), BigInt(ms) * 1_000_000n, `Date.now() = ${ms}`);
  }
  t.mock.restoreAll();
  const before = BigInt(Date.now()) * 1_000_000n;
  const now = clock(CLOCK_REALTIME);
  assert.ok(now >= before && now <= BigInt(Date.now()) * 1_000_000n);
});

test("the monotonic clock never goes back, also after the memory grew", () => {
  const { memory, clock } = shim();
  let last = clock(CLOCK_MONOTONIC);
  for (let i = 0; i < 1000; i++) {
    if (i === 500) memory.grow(1); // the shim's cached view must follow the new buffer
    const now = clock(CLOCK_MONOTONIC, 8 + (i % 8) * 8);
    assert.ok(now >= last, `${now} after ${last}`);
    last = now;
  }
});

test("an unknown clock is EINVAL and writes nothing", () => {
  const { memory, fns } = shim();
  new DataView(memory.buffer).setBigUint64(64, 7n, true);
  assert.equal(fns.clock_time_get(4, 0n, 64), ERRNO_INVAL);
  assert.equal(new DataView(memory.buffer).getBigUint64(64, true), 7n);
});
