// The command as a user gets it: the package packed (npm pack) and installed into an empty project
// outside this repository, then run with npx there. `npx wasmkms playground` serves the playground from
// the installed package (its page, its scripts and the module), and `npx wasmkms serve` answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// Runs `npx wasmkms <args>` in app until it prints its URL; resolves to { url, stop() }. npx runs the
// command under a shell of its own, so the whole process group it starts in is stopped.
function startNpx(app, args, { timeoutMs = 60_000 } = {}) {
  const child = spawn("npx", ["wasmkms", ...args], {
    cwd: app,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGTERM");
    await exited;
  };
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no URL in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      stop().then(() => reject(error));
    };
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding("utf8").on("data", (text) => {
        output += text;
        const match = /(http:\/\/127\.0\.0\.1:\d+\S*)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve({ url: match[1].replace(/[)]$/, ""), output: () => output, stop });
        }
      });
    }
    exited.then((code) => fail(new Error(`npx wasmkms ${args.join(" ")} exited (${code}):\n${output}`)));
  });
}

test("npx wasmkms --version, playground and serve from the installed package", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wasmkms-cli-package-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: "pipe" });
  npm(["pack", "--ignore-scripts", "--pack-destination", dir], root);
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  const app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  npm(["install", "--offline", "--no-audit", "--no-fund", join(dir, tarball)], app);

  const printed = execFileSync("npx", ["wasmkms", "--version"], { cwd: app, encoding: "utf8" });
  assert.equal(printed.trim(), version);

  const playground = await startNpx(app, ["playground", "--port", "0", "--no-open"]);
  t.after(() => playground.stop());
  assert.match(playground.url, /\/web\/$/);
  const page = await fetch(playground.url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /wasmkms playground/);
  for (const script of ["web/app.mjs", "web/bytes.mjs", "js/browser.mjs"]) {
    const response = await fetch(new URL(`/${script}`, playground.url));
    assert.equal(response.status, 200, script);
    assert.match(response.headers.get("content-type"), /^text\/javascript/, script);
  }
  const wasm = await fetch(new URL("/js/wasmkms.wasm", playground.url));
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  assert.equal((await wasm.arrayBuffer()).byteLength, statSync(join(app, "node_modules/wasmkms/js/wasmkms.wasm")).size);
  await playground.stop();

  const endpoint = await startNpx(app, ["serve", "--port", "0"]);
  t.after(() => endpoint.stop());
  const health = await (await fetch(`${endpoint.url}/`)).json();
  assert.equal(health.status, "ok");
  assert.equal(health.version, version);
  await endpoint.stop();
});
