// Warm start: in a fresh Node process, how much slower the first calls are than the same process's
// steady state, while V8 runs the module's code through its baseline compiler (Liftoff) and compiles
// the hot functions again with its optimizing one (TurboFan) on other threads. Each process imports
// the package, makes a key (ready), sends 2,000 Encrypts of 32 B through client.send, then 10,000
// more, then measures 2,000 as the steady state. The target (issue 15): calls 1-2,000 at most 1.5x the
// steady state. Medians over several processes.
//
// Wall time is what a test feels, but on a loaded machine it is mostly time spent waiting for a core,
// so the process's CPU time is shown beside it: the main thread's (Linux: /proc) and the other
// threads', which is mostly V8 compiling the module.
//
// WASMKMS_WARM_PACKAGES (paths of package entries, separated by spaces) compares builds of the
// package, their processes interleaved; the default is this repository's. WASMKMS_WARM_NODE_FLAGS are
// flags for the processes' command line (V8's: --no-wasm-lazy-compilation, ...), and
// WASMKMS_WARM_V8_FLAGS flags that the process sets itself before importing the package
// (v8.setFlagsFromString, what a library could do), to compare V8's options.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./lib/timing.mjs";

const RUNS = Number(process.env.WASMKMS_WARM_RUNS ?? 7);
const FIRST = 2000;
const packages = (process.env.WASMKMS_WARM_PACKAGES ?? fileURLToPath(new URL("../js/node.mjs", import.meta.url)))
  .split(" ")
  .filter(Boolean);

const nodeFlags = (process.env.WASMKMS_WARM_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const v8Flags = process.env.WASMKMS_WARM_V8_FLAGS ?? "";

const probe = (entry) => `
  import { readFileSync } from "node:fs";
  import { setFlagsFromString } from "node:v8";
  if (${JSON.stringify(v8Flags)}) setFlagsFromString(${JSON.stringify(v8Flags)});
  // CPU time of the main thread (ms) where /proc has it, else undefined; and of the whole process.
  // schedstat's run time is in nanoseconds and moves every millisecond or so; stat's user and system
  // times are in ticks of 10 ms, a third of the steady 2,000 calls, which made the ratio jump.
  const mainCpu = () => {
    try {
      return Number(readFileSync("/proc/self/task/" + process.pid + "/schedstat", "utf8").split(" ")[0]) / 1e6;
    } catch {
      return undefined;
    }
  };
  const allCpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
  const mark = () => ({ wall: performance.now(), main: mainCpu(), all: allCpu() });
  const since = (m) => {
    const now = mark();
    const main = m.main === undefined ? undefined : now.main - m.main;
    return { wall: now.wall - m.wall, main, others: main === undefined ? undefined : now.all - m.all - main };
  };
  const start = mark();
  const { KMSClient, CreateKeyCommand, EncryptCommand } = await import(${JSON.stringify(entry)});
  const client = new KMSClient({ region: "us-east-1" });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const ready = since(start);
  const input = { KeyId: KeyMetadata.KeyId, Plaintext: new Uint8Array(32) };
  const calls = async (n) => { for (let i = 0; i < n; i++) await client.send(new EncryptCommand(input)); };
  let m = mark();
  await calls(${FIRST});
  const first = since(m);
  await calls(10000);
  m = mark();
  await calls(${FIRST});
  const steady = since(m);
  console.log(JSON.stringify({ ready, first, steady }));`;

const results = new Map(packages.map((entry) => [entry, []]));
for (let run = 0; run < RUNS; run++) {
  for (const entry of run % 2 ? [...packages].reverse() : packages) {
    const out = execFileSync(process.execPath, [...nodeFlags, "--input-type=module", "-e", probe(entry)], {
      encoding: "utf8",
    });
    results.get(entry).push(JSON.parse(out));
  }
}

const ms = (x) => (x === undefined || Number.isNaN(x) ? "-" : `${x.toFixed(0)} ms`);
const med = (runs, f) => median(runs.map(f));
const flags = [...nodeFlags, ...(v8Flags ? [`setFlagsFromString("${v8Flags}")`] : [])].join(" ");
console.log(
  `Warm start, Encrypt 32 B through client.send, median of ${RUNS} processes${flags ? ` (${flags})` : ""}` +
    " — node bench/node-warm-start.mjs",
);
for (const [entry, runs] of results) {
  const wallRatio = med(runs, (r) => r.first.wall / r.steady.wall);
  const mainRatio = med(runs, (r) => r.first.main / r.steady.main);
  console.log(`  ${packages.length > 1 ? `${entry}: ` : ""}ready ${ms(med(runs, (r) => r.ready.wall))} wall`);
  console.log(
    `    (main thread ${ms(med(runs, (r) => r.ready.main))} CPU, other threads ${ms(med(runs, (r) => r.ready.others))})`,
  );
  console.log(
    `    calls 1-${FIRST}: ${ms(med(runs, (r) => r.first.wall))} wall, main thread ${ms(med(runs, (r) => r.first.main))} CPU,` +
      ` other threads ${ms(med(runs, (r) => r.first.others))} CPU`,
  );
  console.log(
    `    steady ${FIRST}: ${ms(med(runs, (r) => r.steady.wall))} wall, main thread ${ms(med(runs, (r) => r.steady.main))} CPU`,
  );
  console.log(
    `    calls 1-${FIRST} ÷ steady: ${wallRatio.toFixed(1)}x wall, ${Number.isNaN(mainRatio) ? "-" : `${mainRatio.toFixed(1)}x`} main-thread CPU` +
      ` (target ≤ 1.5x: ${wallRatio <= 1.5 ? "met" : "MISSED"})`,
  );
}
