// Benchmark: the local endpoint (`wasmkms serve`, a child process as users run it), Encrypt of 32 bytes
// from one keep-alive Node HTTP client: requests per second, p50 and p99 latency. Baseline in the same
// run: a bare Node HTTP server (also a child process) that answers a recorded Encrypt answer at once,
// i.e. the cost of HTTP alone. Target (issue 6): at least 6,000 calls per second.
// Run: node bench/endpoint-encrypt.mjs
import { Agent } from "node:http";
import { startEndpointProcess } from "../test/sdk/lib/endpoint-process.mjs";
import { post, startCannedServer } from "./lib/http-servers.mjs";

const WARMUP_MS = 1500;
const MEASURE_MS = 4000;
const TARGET_PER_SECOND = 6000;

// Sends `concurrency` request loops over one keep-alive agent (one socket per loop) for `ms`.
async function load(url, body, { ms, concurrency }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  const deadline = performance.now() + ms;
  const loop = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const answer = await post(agent, url, "TrentService.Encrypt", body);
      latencies.push(performance.now() - start);
      if (answer.status !== 200) throw new Error(`Encrypt answered ${answer.status}: ${answer.body}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 1000;
  return { perSecond: latencies.length / (elapsed / 1000), p50: at(0.5), p99: at(0.99), calls: latencies.length };
}

const endpoint = await startEndpointProcess([]);
let canned;
try {
  const setupAgent = new Agent({ keepAlive: false });
  const created = await post(setupAgent, endpoint.url, "TrentService.CreateKey", "{}");
  const keyId = JSON.parse(created.body).KeyMetadata.KeyId;
  const body = JSON.stringify({ KeyId: keyId, Plaintext: Buffer.alloc(32, 7).toString("base64") });
  const recorded = await post(setupAgent, endpoint.url, "TrentService.Encrypt", body);
  canned = await startCannedServer(recorded.body);

  console.log("endpoint, Encrypt 32 B, one keep-alive Node client (node:http), %d ms per run", MEASURE_MS);
  for (const concurrency of [1, 8]) {
    const runs = {};
    for (const [name, url] of [
      ["canned", canned.url],
      ["wasmkms", endpoint.url],
    ]) {
      await load(url, body, { ms: WARMUP_MS, concurrency });
      runs[name] = await load(url, body, { ms: MEASURE_MS, concurrency });
    }
    const show = (r) => `${Math.round(r.perSecond)}/s, p50 ${r.p50.toFixed(0)} µs, p99 ${r.p99.toFixed(0)} µs`;
    console.log("  %d request(s) in flight:", concurrency);
    console.log("    bare Node HTTP server, canned answer: %s", show(runs.canned));
    console.log("    wasmkms serve:                        %s", show(runs.wasmkms));
    console.log(
      "    throughput ratio canned/wasmkms %sx; target >= %d/s: %s",
      (runs.canned.perSecond / runs.wasmkms.perSecond).toFixed(2),
      TARGET_PER_SECOND,
      runs.wasmkms.perSecond >= TARGET_PER_SECOND ? "met" : "MISSED",
    );
  }
} finally {
  await endpoint.kill("SIGTERM");
  await canned?.kill();
}
