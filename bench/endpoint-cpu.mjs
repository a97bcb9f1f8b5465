// The endpoint's CPU time per request against a bare Node HTTP server's, both child processes answering
// one keep-alive Node client (node:http, the AWS SDK's headers) one request at a time: Encrypt of 32 B
// from `wasmkms serve` (no state file), and the bare server answering that Encrypt's recorded answer at
// once. Each process's CPU time (user and system, every thread) is read from /proc before and after a
// batch; rounds alternate the servers, and a ratio is the median of the per-round ratios, so that a
// loaded machine's slow spells fall on all of them. Target (issue 15): at most 1.3x. Also shown:
// DescribeKey (a JSON answer made by the core) against its own canned answer. Linux only (/proc).
//
//   node bench/endpoint-cpu.mjs                       # the package's endpoint
//   node bench/endpoint-cpu.mjs <a>/js/node-only/cli.mjs <b>/js/node-only/cli.mjs   # copies, side by side
//
// ROUNDS and BATCH in the environment change the sample.
import { Agent } from "node:http";
import { cpuMicros, post, startCannedServer, startEndpoint } from "./lib/http-servers.mjs";
import { median } from "./lib/timing.mjs";

const TARGET = 1.3;
const ROUNDS = Number(process.env.ROUNDS ?? 12);
const BATCH = Number(process.env.BATCH ?? 2000);
const clis = process.argv.slice(2);

// CPU µs per request of `server` over BATCH requests of `body` to `target`, one at a time.
async function cpuPerRequest(server, agent, target, body) {
  const before = cpuMicros(server.pid);
  for (let i = 0; i < BATCH; i++) {
    const answer = await post(agent, server.url, target, body);
    if (answer.status !== 200) throw new Error(`${target} answered ${answer.status}: ${answer.body}`);
  }
  return (cpuMicros(server.pid) - before) / BATCH;
}

const servers = [];
try {
  const endpoints = [];
  for (const cli of clis.length > 0 ? clis : [undefined]) {
    const endpoint = await startEndpoint([], cli);
    servers.push(endpoint);
    endpoints.push({ name: cli ?? "wasmkms serve", server: endpoint });
  }
  const setup = new Agent({ keepAlive: false });
  const first = endpoints[0].server;
  // The same key ID in every endpoint: each is asked for its own key, and each request names it.
  const keys = [];
  for (const { server } of endpoints) {
    keys.push(JSON.parse((await post(setup, server.url, "TrentService.CreateKey", "{}")).body).KeyMetadata.KeyId);
  }
  const cases = [
    [
      "Encrypt 32 B",
      "TrentService.Encrypt",
      (KeyId) => JSON.stringify({ KeyId, Plaintext: Buffer.alloc(32, 7).toString("base64") }),
    ],
    ["DescribeKey", "TrentService.DescribeKey", (KeyId) => JSON.stringify({ KeyId })],
  ];
  const rows = [];
  for (const [name, target, bodyFor] of cases) {
    const canned = await startCannedServer((await post(setup, first.url, target, bodyFor(keys[0]))).body);
    servers.push(canned);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sides = [
      { name: "bare node:http, canned answer", server: canned, body: bodyFor(keys[0]), cpu: [], ratio: [] },
      ...endpoints.map((e, i) => ({ name: e.name, server: e.server, body: bodyFor(keys[i]), cpu: [], ratio: [] })),
    ];
    for (const side of sides) await cpuPerRequest(side.server, agent, target, side.body); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of sides) side.cpu.push(await cpuPerRequest(side.server, agent, target, side.body));
      for (const side of sides) side.ratio.push(side.cpu.at(-1) / sides[0].cpu.at(-1));
    }
    agent.destroy();
    await canned.kill();
    rows.push({ name, sides });
  }
  console.log(
    "endpoint CPU per request (µs, the server process, every thread; medians of %d rounds of %d) — node bench/endpoint-cpu.mjs",
    ROUNDS,
    BATCH,
  );
  for (const { name, sides } of rows) {
    console.log(`  ${name}:`);
    for (const side of sides.slice(1)) {
      const ratio = median(side.ratio);
      const verdict = name.startsWith("Encrypt") ? `; target ≤ ${TARGET}x: ${ratio <= TARGET ? "met" : "MISSED"}` : "";
      console.log(
        `    ${side.name}: ${median(side.cpu).toFixed(1)} against ${median(sides[0].cpu).toFixed(1)}, ratio ${ratio.toFixed(2)}x${verdict}`,
      );
    }
    if (sides.length > 2) {
      const last = sides.at(-1).cpu.map((v, i) => v / sides[1].cpu[i]);
      console.log(`    last ÷ first endpoint, median of the per-round ratios: ${median(last).toFixed(2)}`);
    }
  }
} finally {
  for (const server of servers) await server.kill();
}
