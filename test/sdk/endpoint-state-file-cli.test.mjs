// `wasmkms serve --state FILE` and the file's edges, as a user meets them: one process at a time serves a
// state file (a second one refuses with one line, a lock left by a killed process is taken over), and
// a file that cannot be loaded (corrupt, truncated, empty, a newer format, a directory) stops the
// command with one line naming the file and the problem: it never starts empty over the user's keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { createWorld } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";
import { runCli, startEndpointProcess } from "./lib/endpoint-process.mjs";

async function scratchDirectory(t) {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-state-cli-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

function assertOneLine(stderr, pattern) {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("a second process on the same state file refuses to start; the first keeps serving", async (t) => {
  const stateFile = join(await scratchDirectory(t), "world.json");
  const first = await startEndpointProcess(["--state", stateFile]);
  t.after(() => first.kill("SIGKILL"));
  const client = realClient({ endpoint: first.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "one writer" }));
  const before = await readFile(stateFile, "utf8");

  const second = await runCli(["serve", "--port", "0", "--state", stateFile]);
  assert.equal(second.code, 1);
  assert.doesNotMatch(second.stdout, /listening/);
  assertOneLine(
    second.stderr,
    new RegExp(
      `^wasmkms: state file ${escaped(stateFile)} is in use by process \\d+ \\(lock file ${escaped(stateFile)}\\.lock\\): one process at a time serves a state file$`,
    ),
  );
  assert.equal(await readFile(stateFile, "utf8"), before, "the second process wrote nothing");

  const described = await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }));
  assert.equal(described.KeyMetadata.Description, "one writer");
  const exited = await first.kill("SIGTERM");
  assert.equal(exited.code, 0);
  assert.equal(existsSync(`${stateFile}.lock`), false, "a clean stop removes the lock");
});

test("the lock of a killed process is taken over by the next one, which has every key", async (t) => {
  const stateFile = join(await scratchDirectory(t), "world.json");
  const first = await startEndpointProcess(["--state", stateFile]);
  t.after(() => first.kill("SIGKILL"));
  const { KeyMetadata } = await realClient({ endpoint: first.url }).send(new CreateKeyCommand({}));
  await first.kill("SIGKILL");
  assert.ok(existsSync(`${stateFile}.lock`), "SIGKILL leaves the lock behind");

  const second = await startEndpointProcess(["--state", stateFile]);
  t.after(() => second.kill("SIGKILL"));
  const described = await realClient({ endpoint: second.url }).send(
    new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }),
  );
  assert.equal(described.KeyMetadata.Arn, KeyMetadata.Arn);
  assert.notEqual(JSON.parse(await readFile(`${stateFile}.lock`, "utf8")).pid, undefined);
  await second.kill("SIGTERM");
});

// A container starts its process with the same small pid every time: a lock naming a pid that is alive
// now, but was given to another process since, is stale too (Linux tells them apart by start time; a
// live holder is refused, as the first test shows).
test("a lock naming a live pid of another process than the one that wrote it is taken over", {
  skip: !existsSync("/proc/self/stat") && "needs Linux's /proc",
}, async (t) => {
  const stateFile = join(await scratchDirectory(t), "world.json");
  const reused = JSON.stringify({ pid: process.pid, host: hostname(), started: "1" }); // alive, but not since tick 1
  await writeFile(`${stateFile}.lock`, reused);
  const child = await startEndpointProcess(["--state", stateFile]);
  t.after(() => child.kill("SIGKILL"));
  const lock = JSON.parse(await readFile(`${stateFile}.lock`, "utf8"));
  assert.notEqual(lock.pid, process.pid, "the endpoint's own lock replaced the stale one");
  await child.kill("SIGTERM");
});

test("a state file that cannot be loaded: one line naming it and the problem, exit 1, the file kept", async (t) => {
  const directory = await scratchDirectory(t);
  // A real state file to spoil: a world's snapshot is what the state file holds.
  const world = createWorld();
  await world.call({}, "TrentService.CreateKey", "{}");
  const state = await world.snapshot();
  const text = JSON.stringify(state);

  const cases = [
    ["truncated", text.slice(0, Math.floor(text.length / 2)), /Invalid state: not a state document: .*JSON/],
    ["corrupt", `${text.slice(0, 40)}\u0000garbage${text.slice(48)}`, /Invalid state: not a state document/],
    ["empty", "", /it is empty/],
    ["newer", JSON.stringify({ ...state, version: 99 }), /Invalid state: version 99 is not 1 to \d+/],
    [
      "another format",
      JSON.stringify({ ...state, format: "localstack-kms" }),
      /Invalid state: format "localstack-kms"/,
    ],
  ];
  for (const [name, content, problem] of cases) {
    const file = join(directory, `${name.replace(/ /g, "-")}.json`);
    await writeFile(file, content);
    const { code, stdout, stderr } = await runCli(["serve", "--port", "0", "--state", file]);
    assert.equal(code, 1, `${name}: ${stderr}`);
    assert.doesNotMatch(stdout, /listening/, name);
    assertOneLine(stderr, new RegExp(`^wasmkms: cannot load state file ${escaped(file)}: `));
    assert.match(stderr, problem, name);
    assert.equal(await readFile(file, "utf8"), content, `${name}: the file is left as it was`);
    assert.equal(existsSync(`${file}.lock`), false, `${name}: no lock left behind`);
  }

  const folder = join(directory, "folder.json");
  await mkdir(folder);
  const refused = await runCli(["serve", "--port", "0", "--state", folder]);
  assert.equal(refused.code, 1);
  assertOneLine(refused.stderr, new RegExp(`^wasmkms: cannot load state file ${escaped(folder)}: it is a directory`));

  const missingFolder = join(directory, "missing", "world.json");
  const unwritable = await runCli(["serve", "--port", "0", "--state", missingFolder]);
  assert.equal(unwritable.code, 1);
  assertOneLine(unwritable.stderr, /^wasmkms: cannot use state file .*: its folder does not exist$/);
});
