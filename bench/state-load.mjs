// Start on a state file (issue 14, part 3: at most 1 s at 100,000 keys): the CPU time of serve() on a
// copy of FILE, to listening (which loads the whole log), and of 50 ListKeys of 1,000 keys right after
// (the calls after a start pay the collector's first cycle over the loaded world). With modules, each
// run starts once on each of them in turn, in separate processes (A/B on a shared machine: compare the
// medians of one run, CPU time, not wall time).
//
//   node bench/state-load.mjs FILE [runs] [a.wasm b.wasm ...]
//   node bench/state-load.mjs --make FILE KEYS    writes a log of KEYS symmetric keys (fixtures, 5,000 a call)
//   node bench/state-load.mjs                     both, on a temporary log of 100,000 keys, 3 runs
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configure, createWorld, serve } from "wasmkms";
import { median } from "./lib/timing.mjs";

const CALLER = { account: "111122223333", region: "us-east-1", principal: "" };
const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

if (args.length === 0) {
  const directory = mkdtempSync(join(tmpdir(), "wasmkms-state-load-"));
  try {
    const file = join(directory, "world.log");
    execFileSync(process.execPath, [self, "--make", file, "100000"], { stdio: "inherit" });
    execFileSync(process.execPath, [self, file, "3"], { stdio: "inherit" });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
} else if (args[0] === "--make") {
  const [, file, keys] = args;
  const endpoint = await serve({ world: createWorld(), stateFile: file });
  for (let have = 0; have < Number(keys); have += 5000) {
    const body = JSON.stringify({ keys: Array.from({ length: Math.min(5000, Number(keys) - have) }, () => ({})) });
    const response = await fetch(`${endpoint.url}/_wasmkms/fixtures`, { method: "POST", body });
    if (response.status !== 200) throw new Error(await response.text());
  }
  await endpoint.close();
} else if (args[0] === "--child") {
  const [, file, wasm] = args;
  if (wasm) configure({ wasm: readFileSync(wasm) });
  const copy = `${file}.bench-${process.pid}`;
  copyFileSync(file, copy);
  try {
    const world = createWorld();
    await world.call({}, "WasmKMS.GetClock", ""); // the module instantiated before the clock starts
    const before = process.cpuUsage();
    const endpoint = await serve({ world, stateFile: copy });
    const start = process.cpuUsage(before);
    const after = process.cpuUsage();
    for (let i = 0; i < 50; i++) {
      const answer = await world.call(CALLER, "TrentService.ListKeys", JSON.stringify({ Limit: 1000 }));
      if (answer.status !== 200) throw new Error(answer.body);
    }
    const calls = process.cpuUsage(after);
    await endpoint.close();
    const ms = (c) => (c.user + c.system) / 1000;
    console.log(JSON.stringify({ start: ms(start), calls: ms(calls) }));
  } finally {
    rmSync(copy, { force: true });
    rmSync(`${copy}.lock`, { force: true, recursive: true });
  }
} else {
  const [file, runs = "5", ...modules] = args;
  const arms = modules.length > 0 ? modules : [""];
  const results = new Map(arms.map((arm) => [arm, []]));
  for (let run = 0; run < Number(runs); run++) {
    for (const arm of arms) {
      const out = execFileSync(process.execPath, [self, "--child", file, ...(arm ? [arm] : [])], { encoding: "utf8" });
      results.get(arm).push(JSON.parse(out.trim().split("\n").at(-1)));
    }
  }
  for (const [arm, list] of results) {
    const start = list.map((r) => r.start);
    const calls = list.map((r) => r.calls);
    console.log(
      `${arm || "the package's module"}: start ${median(start).toFixed(0)} ms CPU (${start.map((x) => x.toFixed(0)).join(", ")}); ` +
        `50 ListKeys after ${median(calls).toFixed(0)} ms CPU`,
    );
  }
}
