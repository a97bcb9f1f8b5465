// world.snapshot() and world.restore() of a world of 10,000 keys, in-process. Target (issue 12): at most
// 200 ms each (median). Also shown: createWorld({ snapshot }) to its first answer (the restore a new
// world does when it attaches), the snapshot's JSON size, and, as the same run's baseline, JSON.parse
// plus JSON.stringify of the snapshot object (what any JS copy of that much state costs).
//
// The world: 10,000 keys made through client.send, as a suite would, of the shapes tests use most:
// 9,000 SYMMETRIC_DEFAULT (every tenth with an alias and tags), 500 HMAC_256 and 500 ECC_NIST_P256.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  KMSClient,
  ListKeysCommand,
  createWorld,
} from "wasmkms";
import { median } from "./lib/timing.mjs";

const KEYS = 10_000;
const SAMPLES = 7;
const TARGET_MS = 200;

const world = createWorld();
const client = new KMSClient({ region: "us-east-1", world });
const made = performance.now();
let firstKeyId;
for (let i = 0; i < KEYS; i++) {
  const shape =
    i % 20 === 1
      ? { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" }
      : i % 20 === 2
        ? { KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }
        : i % 10 === 0
          ? { Tags: [{ TagKey: "team", TagValue: `team-${i}` }] }
          : {};
  const { KeyMetadata } = await client.send(new CreateKeyCommand(shape));
  firstKeyId ??= KeyMetadata.KeyId;
  if (i % 10 === 0) {
    await client.send(new CreateAliasCommand({ AliasName: `alias/key-${i}`, TargetKeyId: KeyMetadata.KeyId }));
  }
}
const makeMs = performance.now() - made;
const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: firstKeyId, Plaintext: "kept" }));

// Milliseconds of fn, wall-clock; and of the process's CPU, in cpuMs (on a shared machine the CPU time is
// the steadier figure: it leaves out the time the process waited for a core).
const cpuMs = new Map();
async function timed(fn, samples) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const { user, system } = process.cpuUsage(cpu);
  if (samples !== undefined) cpuMs.set(samples, [...(cpuMs.get(samples) ?? []), (user + system) / 1000]);
  return performance.now() - start;
}
const cpuMedian = (samples) => median(cpuMs.get(samples));

let snapshot;
const snapshotMs = [];
for (let i = 0; i < SAMPLES; i++)
  snapshotMs.push(await timed(async () => (snapshot = await world.snapshot()), "snapshot"));

const copyMs = [];
for (let i = 0; i < SAMPLES; i++) copyMs.push(await timed(async () => JSON.parse(JSON.stringify(snapshot)), "copy"));

// restore() into another world, attached beforehand (so that attaching is not counted).
const target = createWorld();
await target.clock.now();
const restoreMs = [];
for (let i = 0; i < SAMPLES; i++) restoreMs.push(await timed(() => target.restore(snapshot), "restore"));

const createMs = [];
for (let i = 0; i < SAMPLES; i++) createMs.push(await timed(() => createWorld({ snapshot }).clock.now(), "create"));

// The restored world is the same world: the blob made before the snapshot decrypts, every key is there.
const restored = new KMSClient({ region: "us-east-1", world: target });
const { Plaintext } = await restored.send(new DecryptCommand({ CiphertextBlob }));
if (new TextDecoder().decode(Plaintext) !== "kept") throw new Error("the restored world did not decrypt");
let listed = 0;
let Marker;
do {
  const page = await restored.send(new ListKeysCommand({ Limit: 1000, Marker }));
  listed += page.Keys.length;
  Marker = page.NextMarker;
} while (Marker);
if (listed !== KEYS) throw new Error(`the restored world lists ${listed} keys, not ${KEYS}`);

const verdict = (ms) =>
  `${ms <= TARGET_MS ? "met" : "MISSED"}: target ≤ ${TARGET_MS} ms, ${(ms / TARGET_MS).toFixed(2)}x`;
const line = (name, ms, samples) =>
  `  ${name} ${ms.toFixed(1)} ms (${verdict(ms)}); CPU ${cpuMedian(samples).toFixed(1)} ms (${verdict(cpuMedian(samples))})`;
console.log(`World of ${KEYS} keys, medians of ${SAMPLES} — node bench/world-snapshot.mjs`);
console.log(`  made through client.send in ${(makeMs / 1000).toFixed(1)} s`);
console.log(line("world.snapshot()", median(snapshotMs), "snapshot"));
console.log(line("world.restore() ", median(restoreMs), "restore"));
console.log(
  `  createWorld({ snapshot }) to its first answer ${median(createMs).toFixed(1)} ms (CPU ${cpuMedian("create").toFixed(1)} ms)`,
);
console.log(
  `  the snapshot: ${(JSON.stringify(snapshot).length / 1e6).toFixed(2)} MB of JSON; ` +
    `baseline JSON.parse(JSON.stringify(it)) ${median(copyMs).toFixed(1)} ms (CPU ${cpuMedian("copy").toFixed(1)} ms)`,
);
