// ListKeys' first page (100 keys) in an account that holds 1,000 keys, through KMSClient.send, beside
// two baselines in the same process: DescribeKey of one of those keys (a small JSON answer), and
// ListKeys in an account with no key (the same operation, an empty page). Target (issue 15): the
// first page in at most 40 µs. Rounds interleave the three, each a batch of calls timed in CPU time
// (process.cpuUsage) and in wall time; medians over the rounds. CPU time is the figure: on a loaded
// machine the wall clock mostly measures the wait for a core.
//
//   node bench/list-keys.mjs                              # the package (wasmkms)
//   node bench/list-keys.mjs <a>/js/node.mjs <b>/js/node.mjs   # copies side by side: b ÷ a per round
//
// ROUNDS and BATCH in the environment change the sample.
import { median } from "./lib/timing.mjs";

const TARGET_US = 40;
const KEYS = 1000;
const ROUNDS = Number(process.env.ROUNDS ?? 60);
const BATCH = Number(process.env.BATCH ?? 100);
const entries = process.argv.length > 2 ? process.argv.slice(2) : ["wasmkms"];

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

const sides = [];
for (const entry of entries) {
  const pkg = await import(entry);
  const world = pkg.createWorld();
  const client = new pkg.KMSClient({ region: "us-east-1", world });
  const empty = new pkg.KMSClient({ region: "us-west-2", world });
  let KeyId;
  for (let i = 0; i < KEYS; i++) KeyId = (await client.send(new pkg.CreateKeyCommand({}))).KeyMetadata.KeyId;
  const page = await client.send(new pkg.ListKeysCommand({}));
  if (page.Keys.length !== 100 || !page.Truncated) throw new Error(`${entry}: a first page of ${page.Keys.length}`);
  sides.push({
    entry,
    cases: {
      "ListKeys first page, 1,000 keys": () => client.send(new pkg.ListKeysCommand({})),
      DescribeKey: () => client.send(new pkg.DescribeKeyCommand({ KeyId })),
      "ListKeys, no key": () => empty.send(new pkg.ListKeysCommand({})),
    },
  });
}

const runs = sides.map((side) => Object.entries(side.cases).map(([name, fn]) => ({ name, fn, cpu: [], wall: [] })));
const all = runs.flat();
for (const run of all) for (let i = 0; i < 5 * BATCH; i++) await run.fn(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const run of all) {
    const wall = performance.now();
    const cpu = cpuNow();
    for (let i = 0; i < BATCH; i++) await run.fn();
    run.cpu.push((cpuNow() - cpu) / BATCH);
    run.wall.push(((performance.now() - wall) * 1000) / BATCH);
  }
}

console.log(
  "ListKeys, µs per client.send (median of %d rounds of %d calls, interleaved) — node bench/list-keys.mjs",
  ROUNDS,
  BATCH,
);
for (const [s, side] of sides.entries()) {
  console.log(`  ${side.entry}:`);
  for (const run of runs[s]) {
    console.log(
      `    ${run.name.padEnd(32)} CPU ${median(run.cpu).toFixed(1).padStart(6)}  wall ${median(run.wall).toFixed(1).padStart(6)}`,
    );
  }
  const [page, describe, none] = runs[s];
  const cpu = median(page.cpu);
  console.log(
    `    first page ÷ DescribeKey ${(cpu / median(describe.cpu)).toFixed(2)}x, ÷ empty ListKeys ${(cpu / median(none.cpu)).toFixed(2)}x (CPU); target ≤ ${TARGET_US} µs: ${cpu <= TARGET_US ? "met" : "MISSED"}`,
  );
}
if (sides.length > 1) {
  const ratio = (k) => median(runs.at(-1)[k].cpu.map((v, i) => v / runs[0][k].cpu[i]));
  const names = runs[0].map((r) => r.name);
  console.log(`  last ÷ first, median of the per-round CPU ratios:`);
  for (const [k, name] of names.entries()) console.log(`    ${name.padEnd(32)} ${ratio(k).toFixed(2)}`);
}
