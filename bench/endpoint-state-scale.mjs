// The endpoint's state file at scale (issue 14, part 3): `serve --state` CreateKey's median latency with
// 100 keys in the world and with KEYS (100,000 by default) in one run, and the start of an endpoint on
// the file of KEYS keys (serve() to listening, which loads the whole log). Targets: CreateKey at
// 100,000 keys at most 2 ms median and at most 2x its cost at 100 keys; start at most 1 s.
//
// Baselines, same run, interleaved with the CreateKeys: DescribeKey, a read, which writes nothing (what
// a call costs without the disk); and the disk's floor, a bare append of a CreateKey record's size and
// an fdatasync, in the same directory (on a shared disk its latency swings: compare against it). The world grows through the administration API's fixtures route (5,000 keys a call), as a
// suite's setup would. `node bench/endpoint-state-scale.mjs [keys]`; 1000000 checks that a million
// keys load and serve (it takes minutes).
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand, DecryptCommand } from "@aws-sdk/client-kms";
import { createWorld, serve } from "wasmkms";
import { realClient } from "../test/sdk/lib/real-sdk.mjs";
import { median } from "./lib/timing.mjs";

const KEYS = Number(process.argv[2] ?? 100_000);
const CALLS = 300;
const BATCH = 5_000;
const TARGET_MS = 2;
const START_TARGET_MS = 1000;

const directory = await mkdtemp(join(tmpdir(), "wasmkms-state-scale-"));
const stateFile = join(directory, "world.log");
try {
  const endpoint = await serve({ world: createWorld(), stateFile });
  const client = realClient({ endpoint: endpoint.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "probe" }));
  const { CiphertextBlob } = await client.send(
    new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from("kept") }),
  );

  const floorFile = await open(join(directory, "floor.bin"), "w");
  const record = Buffer.alloc(400, 0x61);
  let floorAt = 0;

  // Median milliseconds of CreateKey, DescribeKey and the disk's floor, in turn (a slow spell falls on all).
  async function measure() {
    const create = [];
    const describe = [];
    const floor = [];
    for (let i = 0; i < CALLS; i++) {
      let start = performance.now();
      await floorFile.write(record, 0, record.length, floorAt);
      floorAt += record.length;
      await floorFile.datasync();
      floor.push(performance.now() - start);
      start = performance.now();
      await client.send(new CreateKeyCommand({}));
      create.push(performance.now() - start);
      start = performance.now();
      await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }));
      describe.push(performance.now() - start);
    }
    return { create: median(create), describe: median(describe), floor: median(floor) };
  }
  let have = 1; // keys in the world
  async function growTo(keys) {
    while (have < keys) {
      const n = Math.min(BATCH, keys - have);
      const answer = await fetch(`${endpoint.url}/_wasmkms/fixtures`, {
        method: "POST",
        body: JSON.stringify({ keys: Array.from({ length: n }, () => ({})) }),
      });
      if (answer.status !== 200) throw new Error(`fixtures: ${answer.status} ${await answer.text()}`);
      have += n;
    }
  }
  await growTo(100);
  const small = await measure();
  have += CALLS;
  const growing = performance.now();
  await growTo(KEYS);
  const growMs = performance.now() - growing;
  const large = await measure();
  await floorFile.close();
  await endpoint.close();
  const { size } = await stat(stateFile);

  const starting = performance.now();
  const again = await serve({ world: createWorld(), stateFile });
  const startMs = performance.now() - starting;
  const againClient = realClient({ endpoint: again.url });
  const decrypted = await againClient.send(new DecryptCommand({ CiphertextBlob }));
  if (Buffer.from(decrypted.Plaintext).toString() !== "kept") throw new Error("the probe's ciphertext did not decrypt");
  await again.close();

  const f = (ms) => `${ms.toFixed(2)} ms`;
  console.log(
    `state file with ${KEYS.toLocaleString("en")} keys: ${(size / 2 ** 20).toFixed(1)} MiB (${Math.round(size / KEYS)} B a key); grown in ${(growMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `CreateKey median, 100 keys: ${f(small.create)} (DescribeKey, no write: ${f(small.describe)}; append + fdatasync: ${f(small.floor)})`,
  );
  console.log(
    `CreateKey median, ${KEYS.toLocaleString("en")} keys: ${f(large.create)} (DescribeKey: ${f(large.describe)}; append + fdatasync: ${f(large.floor)}); ` +
      `${(large.create / small.create).toFixed(2)}x the cost at 100 keys; target ≤ ${TARGET_MS} ms and ≤ 2x: ` +
      (large.create <= TARGET_MS && large.create <= 2 * small.create ? "met" : "MISSED"),
  );
  console.log(
    `start on the file (serve() to listening, the log loaded): ${f(startMs)}; target ≤ ${START_TARGET_MS} ms: ` +
      (startMs <= START_TARGET_MS ? "met" : "MISSED"),
  );
} finally {
  await rm(directory, { recursive: true, force: true });
}
