// wasmkms in every JS test runner, as a user runs it: each runner's CLI from node_modules/.bin on its
// project under test/runners/<runner>/ (its config and tests, importing "wasmkms" by name, which
// resolves to this package through its "exports"), in a bounded time. What the runner reports is
// read from its machine-readable output (jest's and vitest's JSON, node:test's and Deno's TAP), and
// every test it was meant to run must have passed: an exit code alone would also pass a runner that
// found no tests.
//
// These projects are also the README's "Recipes: test runners" (each snippet names its file).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertReadmeExcerpts } from "../lib/readme-excerpts.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name) => join(root, "node_modules", ".bin", name);
const project = (name) => join(root, "test", "runners", name);
const TIMEOUT_MS = 180_000; // each runner, on a loaded CI machine; a quiet one needs a tenth of it
const deno = bin("deno");
const denoMissing = existsSync(deno) ? false : `Deno not found at ${deno} (npm ci installs it)`;
if (denoMissing && process.env.CI) throw new Error(denoMissing);

const scratch = await mkdtemp(join(tmpdir(), "wasmkms-runners-"));
after(() => rm(scratch, { recursive: true, force: true }));

// The runner's environment: this process's, without node:test's marker (a nested `node --test` would
// report to this one in its private protocol instead of printing TAP) and without a region, so that
// the tests' own configuration is what they run with.
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", DENO_NO_UPDATE_CHECK: "1" };
for (const name of ["NODE_TEST_CONTEXT", "AWS_REGION", "AWS_DEFAULT_REGION"]) delete env[name];

/** Runs a command to its end; resolves to { code, stdout, stderr } whatever the exit code. */
function run(file, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const options = { cwd: root, env: { ...env, ...extraEnv }, timeout: TIMEOUT_MS, maxBuffer: 64 << 20 };
    execFile(file, args, options, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`${file} ${args.join(" ")}: ${error.message}\n${stderr}`));
      } else {
        resolve({ code: error ? error.code : 0, stdout, stderr });
      }
    });
  });
}

// TAP's summary (node:test's "# pass N" lines) or, without one, its test points (Deno's "ok N - name").
function tapCounts(text) {
  const lines = text.split("\n");
  const summary = (name) => lines.find((line) => line.startsWith(`# ${name} `))?.slice(name.length + 3);
  if (summary("pass") !== undefined) {
    return { passed: Number(summary("pass")), failed: Number(summary("fail")) + Number(summary("cancelled")) };
  }
  return {
    passed: lines.filter((line) => /^ok \d+ /.test(line)).length,
    failed: lines.filter((line) => /^not ok \d+ /.test(line)).length,
  };
}

// The four runners run at once (most of each run is a runner starting up and its environments being
// made, not CPU); each test below reads its runner's result.
const jestOutput = join(scratch, "jest.json");
const vitestOutput = join(scratch, "vitest.json");
const runs = {
  jest: run(process.execPath, [
    "--experimental-vm-modules", // jest's ESM support
    bin("jest"),
    "--config",
    join(project("jest"), "jest.config.cjs"),
    "--ci",
    "--json",
    "--outputFile",
    jestOutput,
  ]),
  vitest: run(process.execPath, [
    bin("vitest"),
    "run",
    "--root",
    project("vitest"),
    "--reporter=json",
    `--outputFile=${vitestOutput}`,
  ]),
  nodeTest: run(process.execPath, ["--test", "--test-reporter=tap", join(project("node-test"), "vault.test.mjs")]),
  deno: denoMissing
    ? null
    : run(deno, ["test", "--allow-read", "--reporter=tap", join(project("deno"), "vault.test.mjs")], {
        DENO_DIR: join(scratch, "deno-dir"),
      }),
};
// A run that fails to start is reported by its test; not also as an unhandled rejection.
for (const promise of Object.values(runs)) promise?.catch(() => {});

test("jest 30: CommonJS and ESM, in the node and jsdom environments (3 tests x 4 projects)", async (t) => {
  const { code, stderr } = await runs.jest;
  const report = JSON.parse(await readFile(jestOutput, "utf8"));
  t.diagnostic(`jest: ${report.numPassedTests}/${report.numTotalTests} passed in ${report.numTotalTestSuites} suites`);
  const failures = report.testResults.map((r) => r.message).filter(Boolean);
  assert.deepEqual(failures, [], stderr);
  assert.equal(report.numTotalTestSuites, 4); // kms.test.cjs and kms.test.mjs, each in node and jsdom
  assert.equal(report.numRuntimeErrorTestSuites, 0);
  assert.equal(report.numTotalTests, 12);
  assert.equal(report.numPassedTests, 12);
  assert.equal(code, 0);
});

test("vitest 4: the node, jsdom and happy-dom environments, vi.mock of @aws-sdk/client-kms (3 tests x 3)", async (t) => {
  const { code, stderr } = await runs.vitest;
  const report = JSON.parse(await readFile(vitestOutput, "utf8"));
  t.diagnostic(`vitest: ${report.numPassedTests}/${report.numTotalTests} passed`);
  const failures = report.testResults.flatMap((r) => [
    r.message,
    ...r.assertionResults.flatMap((a) => a.failureMessages),
  ]);
  assert.deepEqual(failures.filter(Boolean), [], stderr);
  assert.equal(report.testResults.length, 3); // kms.test.mjs in each environment
  assert.equal(report.numTotalTests, 9);
  assert.equal(report.numPassedTests, 9);
  assert.equal(code, 0);
});

test("node:test: node --test on its project (3 tests)", async (t) => {
  const { code, stdout, stderr } = await runs.nodeTest;
  const counts = tapCounts(stdout);
  t.diagnostic(`node:test: ${counts.passed} passed, ${counts.failed} failed`);
  assert.deepEqual(counts, { passed: 3, failed: 0 }, stdout + stderr);
  assert.equal(code, 0);
});

test("Deno.test: deno test --allow-read on its project (3 tests)", { skip: denoMissing }, async (t) => {
  const { code, stdout, stderr } = await runs.deno;
  const counts = tapCounts(stdout);
  t.diagnostic(`Deno.test: ${counts.passed} passed, ${counts.failed} failed`);
  assert.deepEqual(counts, { passed: 3, failed: 0 }, stdout + stderr);
  assert.equal(code, 0);
});

test("the README's test-runner recipes are excerpts of these projects' files", async () => {
  const snippets = await assertReadmeExcerpts("Recipes: test runners", "test/runners/");
  assert.ok(snippets >= 6, `${snippets} snippets`);
});
