// Issue 14's kill target: 20 SIGKILLs of `wasmkms serve --state FILE` under concurrent load lose 0
// acknowledged changes, and every acknowledged ciphertext decrypts after the restart. Each round starts
// an endpoint on the same file, checks everything acknowledged in the rounds before (keys, aliases,
// disabled keys, ciphertexts), runs six clients making keys, aliases and ciphertexts, and kills it once they
// had 20-120 answers (test/sdk/lib/kill-loop.mjs). A lost change fails an assertion and the run.
// `node bench/endpoint-kill-loop.mjs [rounds]`
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killLoop } from "../test/sdk/lib/kill-loop.mjs";

const rounds = Number(process.argv[2] ?? 20);
const directory = await mkdtemp(join(tmpdir(), "wasmkms-kill-loop-"));
try {
  const started = performance.now();
  const totals = await killLoop(join(directory, "world.log"), { rounds });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${totals.rounds} SIGKILLs under load in ${seconds} s: acknowledged ${totals.keys} keys, ${totals.aliases} aliases, ` +
      `${totals.disabled} DisableKeys, ${totals.ciphertexts} ciphertexts; lost 0 (every round checked all before it, ` +
      `${totals.checked} checks in the last)`,
  );
} finally {
  await rm(directory, { recursive: true, force: true });
}
