// What a call costs after the thread has been idle (issue 15, the endpoint's CPU): a direct Encrypt 32 B
// through KMSClient.send and Node's native AES-256-GCM envelope, each measured after no gap (a loop),
// after spinning on the thread for 300 µs, and after sleeping 300 µs and 3 ms (Atomics.wait), in the
// process's CPU time around each call alone. A server answering one request at a time sleeps before
// every request; if a call after a sleep costs several times a call in a loop while the same time spent
// spinning does not, the difference is the core's idle, not the call's data or the time between calls.
//   node bench/idle-gap.mjs        ROUNDS and CALLS in the environment change the sample.
import { createCipheriv, randomBytes } from "node:crypto";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "wasmkms";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CALLS = Number(process.env.CALLS ?? 2000);
const GAPS = [
  ["none (a loop)", null, 0],
  ["300 µs spinning", "spin", 300],
  ["300 µs asleep", "sleep", 300],
  ["3 ms asleep", "sleep", 3000],
];

const client = new KMSClient({ region: "us-east-1" });
const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
const plaintext = new Uint8Array(32);
const dataKey = randomBytes(32);
const calls = {
  module: () => client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext })),
  native: async () => {
    const cipher = createCipheriv("aes-256-gcm", dataKey, randomBytes(12));
    return [cipher.update(plaintext), cipher.final(), cipher.getAuthTag()];
  },
};

const cell = new Int32Array(new SharedArrayBuffer(4));
function gap(kind, µs) {
  if (kind === "sleep") Atomics.wait(cell, 0, 0, µs / 1000);
  if (kind === "spin") {
    const end = process.hrtime.bigint() + BigInt(µs * 1000);
    while (process.hrtime.bigint() < end);
  }
}
const cpuµs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
// Mean CPU µs of one call of `fn`, each after its gap; the gap itself is outside the measure.
async function measure(fn, kind, µs) {
  let total = 0;
  for (let i = 0; i < CALLS; i++) {
    gap(kind, µs);
    const start = cpuµs();
    await fn();
    total += cpuµs() - start;
  }
  return total / CALLS;
}

for (const fn of Object.values(calls)) for (let i = 0; i < 20000; i++) await fn(); // tiered up
const results = Object.fromEntries(GAPS.map(([name]) => [name, { module: [], native: [] }]));
for (let round = 0; round < ROUNDS; round++)
  for (const [name, kind, µs] of GAPS)
    for (const [side, fn] of Object.entries(calls)) results[name][side].push(await measure(fn, kind, µs));

console.log(`µs of CPU per call after each gap, ${ROUNDS} rounds of ${CALLS} calls — node bench/idle-gap.mjs`);
for (const [name, { module, native }] of Object.entries(results))
  console.log(
    `  ${name.padEnd(16)} module's Encrypt 32 B ${module.map((x) => x.toFixed(1)).join(", ")} | native envelope ${native.map((x) => x.toFixed(1)).join(", ")}`,
  );
