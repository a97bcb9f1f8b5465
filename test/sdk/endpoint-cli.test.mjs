// `wasmkms serve` as a user runs it (a child process, the real SDK): --version, the request log (--log),
// the health document at GET /, and for a bad flag or a port in use one clear line on stderr (no stack
// trace) and a non-zero exit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand, NotFoundException } from "@aws-sdk/client-kms";
import { realClient } from "./lib/real-sdk.mjs";
import { runCli, startEndpointProcess } from "./lib/endpoint-process.mjs";
import { exposureWarning } from "../../js/node-only/exposure.mjs";

const { version } = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));

// stderr is exactly one line matching `pattern`, and nothing in it looks like a stack trace.
function assertOneLine(stderr, pattern) {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

async function waitFor(what, condition, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < until, `${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("--version answers the package's version", async () => {
  for (const args of [["--version"], ["serve", "--version"]]) {
    const { code, stdout, stderr } = await runCli(args);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, `${version}\n`);
    assert.equal(stderr, "");
  }
});

test("a bad flag, value or command: one line saying what, exit status 2", async () => {
  const cases = [
    [["serve", "--prot", "4566"], /^wasmkms: Unknown option '--prot' \(--help lists the options\)$/],
    [["serve", "--port", "http"], /^wasmkms: --port must be a TCP port number \(0 to 65535\), not "http"$/],
    [["serve", "--port"], /^wasmkms: Option '--port <value>' argument missing \(--help lists the options\)$/],
    [["serve", "--account", "123"], /^wasmkms: --account must be a 12-digit AWS account id, not "123"$/],
    [["serve", "--clock", "tomorrow"], /^wasmkms: serve\(\)'s clock must be an RFC 3339 time/],
    [["serv"], /^wasmkms: unknown command "serv": it is serve, playground or --version/],
  ];
  for (const [args, pattern] of cases) {
    const { code, stdout, stderr } = await runCli(args);
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.equal(stdout, "");
    assertOneLine(stderr, pattern);
  }
});

test("a port in use: one line naming it, exit status 1", async (t) => {
  const blocker = createServer();
  await new Promise((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise((resolve) => blocker.close(resolve)));
  const { port } = blocker.address();
  const { code, stdout, stderr } = await runCli(["serve", "--port", String(port)]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assertOneLine(stderr, new RegExp(`^wasmkms: cannot listen on 127\\.0\\.0\\.1 port ${port}: the port is in use`));
});

test("GET / answers a small JSON health document; a KMS call by GET is still refused", async (t) => {
  const child = await startEndpointProcess([]);
  t.after(() => child.kill("SIGKILL"));
  const response = await fetch(`${child.url}/`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type"), /^application\/json/);
  const health = await response.json();
  assert.equal(health.service, "wasmkms");
  assert.equal(health.version, version);
  assert.equal(health.status, "ok");
  assert.ok(Math.abs(Date.parse(health.time) - Date.now()) < 60_000, health.time);
  assert.equal(health.manualClock, false);
  assert.equal(health.restarts, 0);
  assert.equal(health.stateFile, false);
  assert.equal(health.signatures, false);

  const getCall = await fetch(child.url, { headers: { "x-amz-target": "TrentService.ListKeys" } });
  assert.equal(getCall.status, 405);
  assert.equal(getCall.headers.get("allow"), "POST");
  assert.equal(child.output().includes("warning"), false, "no warning on loopback");
});

test("--log: one line a call with its time, operation, key, outcome and duration", async (t) => {
  const child = await startEndpointProcess(["--log"]);
  t.after(() => child.kill("SIGKILL"));
  const startedAt = Date.now();
  const client = realClient({ endpoint: child.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "logged" }));
  await assert.rejects(client.send(new DescribeKeyCommand({ KeyId: "alias/missing" })), NotFoundException);
  await (await fetch(`${child.url}/_wasmkms/clock`)).text();

  const logLines = () =>
    child
      .output()
      .split("\n")
      .filter((line) => /^\d{4}-\d{2}-\d{2}T/.test(line));
  await waitFor("four log lines", () => logLines().length >= 4);
  const lines = logLines();
  assert.equal(lines.length, 4, lines.join("\n"));
  const id = KeyMetadata.KeyId;
  assert.match(lines[0], new RegExp(`^\\S+ CreateKey ${id} 200 OK \\d+ms$`));
  assert.match(lines[1], new RegExp(`^\\S+ Encrypt ${id} 200 OK \\d+ms$`));
  assert.match(lines[2], /^\S+ DescribeKey alias\/missing 400 NotFoundException \d+ms$/);
  assert.match(lines[3], /^\S+ GET \/_wasmkms\/clock - 200 OK \d+ms$/);
  for (const line of lines) {
    const time = Date.parse(line.slice(0, line.indexOf(" ")));
    assert.ok(time >= startedAt - 1000 && time <= Date.now(), line);
  }
});

// Tests bind 127.0.0.1 only, so the warning's choice is asked directly rather than of an endpoint
// listening on every interface.
test("a host beyond loopback is warned about, with what it exposes", () => {
  for (const loopback of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) {
    assert.equal(exposureWarning(loopback, { signaturesChecked: false }), null, loopback);
  }
  assert.equal(
    exposureWarning("0.0.0.0", { signaturesChecked: false }),
    "wasmkms: warning: listening on 0.0.0.0, reachable from other machines: whoever reaches it can use its keys and read their material (GET /_wasmkms/snapshot), and without --credentials nobody is asked who they are",
  );
  assert.match(exposureWarning("::", { signaturesChecked: true }), /^wasmkms: warning: listening on ::, .*snapshot\)$/);
  assert.match(exposureWarning("192.168.1.20", { signaturesChecked: true }), /listening on 192\.168\.1\.20/);
});
