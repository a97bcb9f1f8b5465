// What a world's recovery after a trap costs (createWorld's recovery, on by default): the same calls
// in a world that keeps a copy of its state outside the module instance and in one that keeps none
// (recovery: false), in one process, their batches interleaved, in CPU time (on a shared machine the
// wall clock mostly measures the wait for a core). Encrypt and Decrypt change nothing a take writes at
// once: they pay one read of the state flags (and a take of last uses every 1,024 calls); CreateKey
// pays a take of the key it made; a new world pays the writing of its (empty) copy.
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, createWorld } from "wasmkms";
import { median } from "./lib/timing.mjs";

const ROUNDS = Number(process.env.ROUNDS ?? 41);
const BATCH = 200;
const NEW_WORLDS = 20; // a batch of new worlds (each stays in the instance: fewer)
const plaintext = new Uint8Array(32).fill(7);

async function side(recovery) {
  const world = createWorld({ recovery });
  const client = new KMSClient({ region: "us-east-1", world });
  const { KeyId } = (await client.send(new CreateKeyCommand({}))).KeyMetadata;
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId, Plaintext: plaintext }));
  return {
    "Encrypt 32 B": [BATCH, () => client.send(new EncryptCommand({ KeyId, Plaintext: plaintext }))],
    "Decrypt 32 B": [BATCH, () => client.send(new DecryptCommand({ CiphertextBlob }))],
    "CreateKey (symmetric)": [BATCH, () => client.send(new CreateKeyCommand({}))],
    "createWorld and its first call (CreateKey)": [
      NEW_WORLDS,
      () => new KMSClient({ region: "us-east-1", world: createWorld({ recovery }) }).send(new CreateKeyCommand({})),
    ],
  };
}

const sides = { on: await side(true), off: await side(false) };
const names = Object.keys(sides.on);
const samples = { on: {}, off: {} };
for (const name of names) {
  for (const which of ["on", "off"]) {
    const [n, fn] = sides[which][name];
    for (let i = 0; i < 5 * n; i++) await fn(); // warm-up
  }
}
for (let round = 0; round < ROUNDS; round++) {
  for (const name of names) {
    for (const which of round % 2 ? ["off", "on"] : ["on", "off"]) {
      const [n, fn] = sides[which][name];
      const start = process.cpuUsage();
      for (let i = 0; i < n; i++) await fn();
      const used = process.cpuUsage(start);
      samples[which][name] ??= [];
      samples[which][name].push((used.user + used.system) / n);
    }
  }
}

console.log(
  `µs of CPU a call, recovery on and off, medians of ${ROUNDS} interleaved rounds — node bench/world-recovery.mjs`,
);
for (const name of names) {
  const on = samples.on[name];
  const off = samples.off[name];
  const ratio = median(on.map((x, i) => x / off[i]));
  console.log(`  ${name}: on ${median(on).toFixed(2)} | off ${median(off).toFixed(2)} | on/off ${ratio.toFixed(3)}`);
}
