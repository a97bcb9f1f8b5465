// The Go core's own cost in wasm, without the module's boundary (issue 15): bench/corewasm, a module of
// the core alone whose exports run Encrypt or Decrypt of 32 bytes n times inside it, timed in V8, beside
// the same typed calls natively (go test's BenchmarkTypedEncrypt32 and BenchmarkTypedDecrypt32). The
// difference between this and a whole `client.send` is the boundary and the package's JavaScript; the
// ratio to native is what Go's code costs in wasm for the same work. Needs Go (it builds the module).
//   node bench/core-in-wasm.mjs
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WASI } from "node:wasi";
import { median } from "./lib/timing.mjs";

const root = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "corewasm-"));
const wasm = join(dir, "core.wasm");
try {
  execFileSync("go", ["build", "-buildmode=c-shared", "-trimpath", "-o", wasm, "./bench/corewasm"], {
    cwd: root,
    env: { ...process.env, GOOS: "wasip1", GOARCH: "wasm" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const wasi = new WASI({ version: "preview1" });
  const { instance } = await WebAssembly.instantiate(readFileSync(wasm), {
    wasi_snapshot_preview1: wasi.wasiImport,
  });
  wasi.initialize(instance);

  const inWasm = {};
  for (const name of ["encrypts", "decrypts"]) {
    const run = instance.exports[name];
    if (run(30000) !== 200 * 30000) throw new Error(`${name}: a call did not answer 200`);
    const samples = [];
    for (let round = 0; round < 7; round++) {
      const start = process.cpuUsage();
      run(20000);
      const { user, system } = process.cpuUsage(start);
      samples.push((user + system) / 20000);
    }
    inWasm[name] = median(samples);
  }

  const out = execFileSync(
    "go",
    ["test", "./internal/kms", "-run", "^$", "-bench", "Typed(En|De)crypt32$", "-count", "3"],
    { cwd: root, encoding: "utf8" },
  );
  const native = (name) =>
    median(
      [...out.matchAll(new RegExp(`${name}-\\d+\\s+\\d+\\s+([\\d.]+) ns/op`, "g"))].map((m) => Number(m[1]) / 1000),
    );
  console.log("The Go core's typed call, µs of CPU per call — node bench/core-in-wasm.mjs");
  for (const [label, name, bench] of [
    ["Encrypt 32 B", "encrypts", "BenchmarkTypedEncrypt32"],
    ["Decrypt 32 B", "decrypts", "BenchmarkTypedDecrypt32"],
  ]) {
    const n = native(bench);
    console.log(
      `  ${label}: in wasm (V8, inside the module) ${inWasm[name].toFixed(2)} | native ${n.toFixed(2)} | ${(inWasm[name] / n).toFixed(1)}x`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
