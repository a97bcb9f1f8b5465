// aws-sdk-go-v2's KMS client against the Node endpoint: a client in another language, which no one
// here wrote, gets the keys, blobs and typed errors it would get from AWS. The Go side is
// test/sdk/go/kmsclient (it prints one "ok" line per check and exits 1 on the first failure).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createWorld, serve } from "./lib/wasmkms.mjs";

const REPOSITORY = fileURLToPath(new URL("../../", import.meta.url));
const CHECKS = 6; // the ok lines kmsclient prints when every check passes

function goRun(args) {
  return new Promise((resolve, reject) => {
    // Async, not spawnSync: the endpoint answering the Go client lives in this process.
    const child = spawn("go", ["run", "./test/sdk/go/kmsclient", ...args], {
      cwd: REPOSITORY,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

// The access keys kmsclient signs with (its secret is "secret").
const GO_CLIENT_KEYS = ["444455556666", "AKIDEXAMPLENOTANACCOUNT"].map((accessKeyId) => ({
  accessKeyId,
  secretAccessKey: "secret",
}));

for (const [name, options] of [
  ["signatures not checked", {}],
  ["signatures checked: Go's SigV4 signer against ours", { credentials: GO_CLIENT_KEYS }],
]) {
  test(`aws-sdk-go-v2 against the Node endpoint (${name})`, { timeout: 600_000 }, async (t) => {
    const endpoint = await serve({ world: createWorld(), ...options });
    t.after(() => endpoint.close());
    const { code, stdout, stderr } = await goRun(["-endpoint", endpoint.url]);
    assert.equal(code, 0, `kmsclient failed:\n${stdout}${stderr}`);
    const passed = stdout.split("\n").filter((line) => line.startsWith("ok "));
    assert.equal(passed.length, CHECKS, stdout);
  });
}

test("aws-sdk-go-v2 with a secret the endpoint does not know is refused", { timeout: 600_000 }, async (t) => {
  const endpoint = await serve({
    world: createWorld(),
    credentials: GO_CLIENT_KEYS.map((key) => ({ ...key, secretAccessKey: "another" })),
  });
  t.after(() => endpoint.close());
  const { code, stderr } = await goRun(["-endpoint", endpoint.url]);
  assert.equal(code, 1);
  assert.match(stderr, /InvalidSignatureException/);
});
