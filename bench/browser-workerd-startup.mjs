// workerd (through miniflare): the Worker's startup and its first Encrypt, and the bundle's compressed
// size. The Worker is bundled as wrangler bundles it (test/lib/workerd-bundle.mjs). Baseline in the same
// run: a request that makes no KMS call. Targets: the bundle within 3 MB compressed; startup recorded.
//   node bench/browser-workerd-startup.mjs [runs]
import { fileURLToPath } from "node:url";
import { bundleWorker, startWorker } from "../test/lib/workerd-bundle.mjs";
import { median } from "./lib/timing.mjs";

const runs = Number(process.argv[2] ?? 5);
const bundle = await bundleWorker(fileURLToPath(new URL("../test/workerd/worker.mjs", import.meta.url)));

async function post(mf, path, body = {}) {
  const started = performance.now();
  const response = await mf.dispatchFetch(`http://worker${path}`, { method: "POST", body: JSON.stringify(body) });
  const answer = await response.json();
  if (answer.error) throw new Error(`${path}: ${answer.error.name}: ${answer.error.message}`);
  return performance.now() - started;
}

const ready = [],
  ping = [],
  first = [],
  warm = [];
try {
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const mf = await startWorker(bundle);
    try {
      ready.push(performance.now() - started);
      ping.push(await post(mf, "/ping"));
      first.push(await post(mf, "/create-and-encrypt"));
      warm.push(await post(mf, "/create-and-encrypt"));
    } finally {
      await mf.dispose();
    }
  }
} finally {
  await bundle.close();
}
const fmt = (xs) =>
  `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
console.log(`workerd via miniflare, ${runs} fresh runtimes:`);
console.log(`  runtime + Worker script ready      ${fmt(ready)}`);
console.log(`  first request, no KMS call         ${fmt(ping)}  (baseline)`);
console.log(
  `  first CreateKey+Encrypt (instantiate) ${fmt(first)}  ratio ${(median(first) / median(ping)).toFixed(0)}x baseline`,
);
console.log(`  second CreateKey+Encrypt (warm)    ${fmt(warm)}`);
const sizes = bundle.files.map((f) => `${f.name} ${f.bytes.length} B`).join(", ");
console.log(
  `  bundle: ${sizes}; gzip -9 total ${bundle.gzipBytes} B (${(bundle.gzipBytes / 2 ** 20).toFixed(2)} MiB, limit 3 MiB: ${bundle.gzipBytes <= 3 * 2 ** 20 ? "met" : "MISSED"})`,
);
