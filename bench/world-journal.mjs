// What the call journal costs: Encrypt 32 B through client.send in a world with the journal on (the
// default) and in one with it off (createWorld({ journal: false })), measured in one run in alternating
// batches, so that both see the same machine. Target (issue 12): the journal costs at most 10%
// (on/off ≤ 1.10). The figure is the median of the per-pair ratios (each pair two batches run back to
// back) of the process's CPU time per call; the wall-clock figures are shown beside it.
// Also shown: the same through the JSON path (directPath: false), where the journal keeps the
// request's bytes.
import { randomBytes } from "node:crypto";
import { CreateKeyCommand, EncryptCommand, KMSClient, createWorld } from "wasmkms";
import { median } from "./lib/timing.mjs";

const BATCH = 200;
const PAIRS = 61;
const TARGET = 1.1;

async function encrypter(options) {
  const client = new KMSClient({ region: "us-east-1", world: createWorld(options) });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const plaintext = new Uint8Array(randomBytes(32));
  return () => client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext }));
}

// One batch of fn: microseconds per call, of wall time and of the process's CPU time. On a shared
// machine the CPU time is the steadier: it leaves out the time the process waited for a core.
async function batch(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < BATCH; i++) await fn();
  const wall = ((performance.now() - start) * 1000) / BATCH;
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: (user + system) / BATCH };
}

async function compare(on, off) {
  for (let i = 0; i < 2 * BATCH; i++) await Promise.all([on(), off()]); // warm-up
  const pairs = [];
  for (let s = 0; s < PAIRS; s++) {
    // Alternate which goes first, so that neither always follows the other's garbage.
    if (s % 2 === 0) {
      const a = await batch(on);
      pairs.push([a, await batch(off)]);
    } else {
      const b = await batch(off);
      pairs.push([await batch(on), b]);
    }
  }
  const of = (clock) => ({
    on: median(pairs.map(([a]) => a[clock])),
    off: median(pairs.map(([, b]) => b[clock])),
    ratio: median(pairs.map(([a, b]) => a[clock] / b[clock])),
  });
  return { wall: of("wall"), cpu: of("cpu") };
}

const direct = await compare(await encrypter({}), await encrypter({ journal: false }));
const json = await compare(
  await encrypter({ directPath: false }),
  await encrypter({ directPath: false, journal: false }),
);

console.log(
  "Encrypt 32 B through client.send, journal on and off, medians (µs per call) — node bench/world-journal.mjs",
);
for (const [name, r] of [
  ["direct path (the default)", direct],
  ["JSON path (directPath: false)", json],
]) {
  const { wall, cpu } = r;
  console.log(
    `  ${name}: CPU on ${cpu.on.toFixed(2)} | off ${cpu.off.toFixed(2)} | on/off ${cpu.ratio.toFixed(3)} ` +
      `(target ≤ ${TARGET}: ${cpu.ratio <= TARGET ? "met" : "MISSED"}); ` +
      `wall on ${wall.on.toFixed(2)} | off ${wall.off.toFixed(2)} | on/off ${wall.ratio.toFixed(3)}`,
  );
}
