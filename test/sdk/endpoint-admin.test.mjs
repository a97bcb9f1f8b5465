// The endpoint's administration API under /_wasmkms/ (js/node-only/admin.mjs), driven with fetch, with
// the real @aws-sdk/client-kms on the KMS wire of the same port: faults the SDK retries past, latency,
// snapshots, the manual clock, the call journal, reset, serve()'s seed/clock/fixtures options and the
// CLI's flags, the credentials the KMS wire needs, and 404 JSON for a path it does not serve.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { SignatureV4 } from "@smithy/signature-v4";
import { stringify } from "yaml";
import { createWorld, serve } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";
import { startEndpointProcess } from "./lib/endpoint-process.mjs";

const START = "2030-01-01T00:00:00Z";

// An endpoint for one test on 127.0.0.1 and a free port, stopped when the test ends.
async function start(t, options = {}) {
  const endpoint = await serve({ host: "127.0.0.1", port: 0, world: options.world ?? createWorld(), ...options });
  t.after(() => endpoint.close());
  return endpoint;
}

// The SDK as users have it: default retries (the standard strategy, maxAttempts 3).
function sdkClient(endpoint, credentials = { accessKeyId: "AKIDWASMKMSTEST", secretAccessKey: "x" }) {
  return new KMSClient({ region: "us-east-1", endpoint: endpoint.url, credentials });
}

// One administration request: its status, content type and JSON answer.
async function admin(endpoint, method, path, body, headers = {}) {
  const response = await fetch(`${endpoint.url}/_wasmkms/${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get("content-type"), json: await response.json() };
}

// An administration request that must succeed: its JSON answer.
async function ok(endpoint, method, path, body) {
  const answer = await admin(endpoint, method, path, body);
  assert.equal(answer.status, 200, `${method} ${path}: ${JSON.stringify(answer.json)}`);
  assert.equal(answer.type, "application/json");
  return answer.json;
}

test("a throttling fault with times 2: the real SDK's default retries get past it", async (t) => {
  const endpoint = await start(t);
  const kms = sdkClient(endpoint);
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));

  const { id } = await ok(endpoint, "POST", "faults", { operation: "Encrypt", error: "ThrottlingException", times: 2 });
  assert.match(id, /^fault-\d+$/);
  assert.deepEqual((await ok(endpoint, "GET", "faults")).faults, [
    { id, operation: "Encrypt", error: "ThrottlingException", times: 2 },
  ]);
  const encrypted = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from("hi") }));
  assert.equal(encrypted.$metadata.attempts, 3);
  assert.ok(encrypted.$metadata.totalRetryDelay > 0);
  assert.deepEqual((await ok(endpoint, "GET", "faults")).faults, [], "used up");

  const { calls } = await ok(endpoint, "GET", "calls?operation=Encrypt");
  assert.deepEqual(
    calls.map((call) => call.error ?? null),
    [
      { name: "ThrottlingException", message: "Rate exceeded" },
      { name: "ThrottlingException", message: "Rate exceeded" },
      null,
    ],
  );

  // More faults than attempts: the SDK gives up with the error, after its 3 attempts.
  await ok(endpoint, "POST", "faults", {
    operation: "Encrypt",
    error: "ThrottlingException",
    message: "slow down",
    times: 3,
  });
  const error = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from("hi") })).then(
    () => assert.fail("the call succeeded"),
    (e) => e,
  );
  assert.equal(error.name, "ThrottlingException");
  assert.equal(error.message, "slow down");
  assert.equal(error.$metadata.attempts, 3);
});

test("faults are removed one by one or all at once", async (t) => {
  const endpoint = await start(t);
  const kms = realClient({ endpoint: endpoint.url });
  const first = await ok(endpoint, "POST", "faults", { operation: "ListKeys", error: "KMSInternalException" });
  const second = await ok(endpoint, "POST", "faults", { operation: "CreateKey", error: "DependencyTimeoutException" });
  await assert.rejects(kms.send(new ListKeysCommand({})), { name: "KMSInternalException" });

  assert.deepEqual(await ok(endpoint, "DELETE", `faults/${first.id}`), {});
  await kms.send(new ListKeysCommand({}));
  const missing = await admin(endpoint, "DELETE", `faults/${first.id}`);
  assert.equal(missing.status, 404);
  assert.equal(missing.json.__type, "ValidationException");

  assert.deepEqual(await ok(endpoint, "DELETE", "faults"), {});
  assert.deepEqual((await ok(endpoint, "GET", "faults")).faults, []);
  await kms.send(new CreateKeyCommand({}));
  assert.ok(second.id);

  const refused = await admin(endpoint, "POST", "faults", { operation: "Encrypt" });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.__type, "ValidationException");
  assert.match(refused.json.message, /needs an error, a latencyMs, or both/);
});

test("a latency fault delays the answer; on a manual clock it moves the world's time instead", async (t) => {
  const realTime = await start(t);
  await ok(realTime, "POST", "faults", { operation: "ListKeys", latencyMs: 300, times: 1 });
  const kms = realClient({ endpoint: realTime.url });
  let began = performance.now();
  await kms.send(new ListKeysCommand({}));
  assert.ok(performance.now() - began >= 295, `answered after ${performance.now() - began} ms`);
  began = performance.now();
  await kms.send(new ListKeysCommand({}));
  assert.ok(performance.now() - began < 300, "the fault acted once");

  const manual = await start(t, { world: undefined, clock: START });
  await ok(manual, "POST", "faults", { operation: "ListKeys", latencyMs: 3_600_000 });
  began = performance.now();
  await realClient({ endpoint: manual.url }).send(new ListKeysCommand({}));
  assert.ok(performance.now() - began < 5_000);
  assert.deepEqual(await ok(manual, "GET", "clock"), { now: "2030-01-01T01:00:00Z", manual: true });
});

test("a snapshot taken, the world changed, the snapshot restored", async (t) => {
  const endpoint = await start(t);
  const kms = realClient({ endpoint: endpoint.url });
  const kept = await kms.send(new CreateKeyCommand({ Description: "kept" }));
  const blob = await kms.send(new EncryptCommand({ KeyId: kept.KeyMetadata.KeyId, Plaintext: Buffer.from("kept") }));
  const snapshot = await ok(endpoint, "GET", "snapshot");
  await kms.send(new CreateKeyCommand({ Description: "dropped" }));
  assert.equal((await kms.send(new ListKeysCommand({}))).Keys.length, 2);

  assert.deepEqual(await ok(endpoint, "POST", "restore", snapshot), {});
  const { Keys } = await kms.send(new ListKeysCommand({}));
  assert.deepEqual(
    Keys.map((k) => k.KeyId),
    [kept.KeyMetadata.KeyId],
  );
  // The restored key still decrypts what it encrypted, in another endpoint's world too.
  const other = await start(t);
  await ok(other, "POST", "restore", snapshot);
  const decrypted = await realClient({ endpoint: other.url }).send(
    new DecryptCommand({ CiphertextBlob: blob.CiphertextBlob }),
  );
  assert.equal(Buffer.from(decrypted.Plaintext).toString(), "kept");

  const refused = await admin(endpoint, "POST", "restore", "not json");
  assert.equal(refused.status, 400);
  assert.equal(refused.json.__type, "ValidationException");
});

test("the clock moved past a key's pending window: the key is gone", async (t) => {
  const endpoint = await start(t, { world: undefined, clock: START });
  assert.deepEqual(await ok(endpoint, "GET", "clock"), { now: START, manual: true });
  const kms = realClient({ endpoint: endpoint.url });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  assert.equal(KeyMetadata.CreationDate.toISOString(), "2030-01-01T00:00:00.000Z");
  const scheduled = await kms.send(
    new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 }),
  );
  assert.equal(scheduled.DeletionDate.toISOString(), "2030-01-08T00:00:00.000Z");

  assert.deepEqual(await ok(endpoint, "POST", "clock/advance", { days: 6, hours: 23, minutes: 59, seconds: 59 }), {
    now: "2030-01-07T23:59:59Z",
    manual: true,
  });
  const pending = await kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }));
  assert.equal(pending.KeyMetadata.KeyState, "PendingDeletion");
  await ok(endpoint, "POST", "clock/advance", { ms: 1000 });
  await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId })), { name: "NotFoundException" });

  assert.deepEqual(await ok(endpoint, "POST", "clock/set", { time: "2031-01-01T00:00:00Z" }), {
    now: "2031-01-01T00:00:00Z",
    manual: true,
  });
  const backwards = await admin(endpoint, "POST", "clock/set", { time: START });
  assert.equal(backwards.status, 400);
  assert.match(backwards.json.message, /only moves forwards/);
  for (const body of [{ weeks: 1 }, { days: "1" }, {}, []]) {
    const refused = await admin(endpoint, "POST", "clock/advance", body);
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.equal(refused.json.__type, "ValidationException");
  }
  const negative = await admin(endpoint, "POST", "clock/advance", { days: -1 });
  assert.equal(negative.status, 400);
});

test("the calls are listed, filtered, and cleared", async (t) => {
  const endpoint = await start(t, { world: undefined, clock: START });
  const kms = realClient({ endpoint: endpoint.url, accessKeyId: "444455556666" });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const encrypted = await kms.send(
    new EncryptCommand({
      KeyId: KeyMetadata.KeyId,
      Plaintext: Buffer.from("hi"),
      EncryptionContext: { tenant: "acme" },
    }),
  );
  await realClient({ endpoint: endpoint.url, region: "eu-west-1" }).send(new ListKeysCommand({}));

  const { calls } = await ok(endpoint, "GET", "calls?operation=Encrypt");
  assert.equal(calls.length, 1);
  const [call] = calls;
  assert.equal(call.operation, "Encrypt");
  assert.equal(call.account, "444455556666");
  assert.equal(call.region, "us-east-1");
  assert.equal(call.time, START);
  assert.deepEqual(call.input.EncryptionContext, { tenant: "acme" });
  assert.equal(call.input.KeyId, KeyMetadata.KeyId);
  assert.equal(call.output.KeyId, encrypted.KeyId);
  assert.equal(call.output.CiphertextBlob, Buffer.from(encrypted.CiphertextBlob).toString("base64"));
  assert.equal(call.requestId, encrypted.$metadata.requestId, "the x-amzn-requestid the SDK read is the journal's");

  assert.deepEqual(
    (await ok(endpoint, "GET", `calls?keyId=${encodeURIComponent(KeyMetadata.Arn)}`)).calls.map((c) => c.operation),
    ["Encrypt"],
  );
  assert.deepEqual(
    (await ok(endpoint, "GET", "calls?region=eu-west-1")).calls.map((c) => c.operation),
    ["ListKeys"],
  );
  assert.deepEqual(
    (await ok(endpoint, "GET", "calls?account=444455556666")).calls.map((c) => c.operation),
    ["CreateKey", "Encrypt"],
  );
  const refused = await admin(endpoint, "GET", "calls?operations=Encrypt");
  assert.equal(refused.status, 400);

  assert.deepEqual(await ok(endpoint, "DELETE", "calls"), {});
  assert.deepEqual((await ok(endpoint, "GET", "calls")).calls, []);
});

test("reset empties the world back to its start: its clock, no faults, an empty journal", async (t) => {
  const endpoint = await start(t, { world: undefined, clock: START });
  const kms = realClient({ endpoint: endpoint.url });
  await kms.send(new CreateKeyCommand({}));
  await ok(endpoint, "POST", "clock/advance", { days: 1 });
  await ok(endpoint, "POST", "faults", { operation: "DescribeKey", error: "KMSInternalException" });
  assert.deepEqual(await ok(endpoint, "POST", "reset"), {});
  assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys, []);
  assert.deepEqual(await ok(endpoint, "GET", "clock"), { now: START, manual: true });
  assert.deepEqual((await ok(endpoint, "GET", "faults")).faults, []);
  assert.deepEqual(
    (await ok(endpoint, "GET", "calls")).calls.map((c) => c.operation),
    ["ListKeys"],
  );
});

test("serve({ seed }) answers the same key IDs and ciphertexts on every run", async (t) => {
  const run = async () => {
    const endpoint = await start(t, { world: undefined, seed: "same answers", clock: START });
    const kms = realClient({ endpoint: endpoint.url });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from("x") }),
    );
    return [KeyMetadata.KeyId, Buffer.from(CiphertextBlob).toString("base64")];
  };
  assert.deepEqual(await run(), await run());
  await assert.rejects(serve({ world: createWorld(), seed: "x" }), TypeError);
  await assert.rejects(serve({ world: undefined, clock: "tomorrow" }), /RFC 3339/);
});

test("an admin request without valid credentials is refused when credentials are set", async (t) => {
  const KEY = { accessKeyId: "444455556666", secretAccessKey: "wasmkms/admin+secret" };
  const endpoint = await start(t, { credentials: KEY });
  const unsigned = await admin(endpoint, "GET", "calls");
  assert.equal(unsigned.status, 403);
  assert.deepEqual(unsigned.json, {
    __type: "MissingAuthenticationTokenException",
    message: "Missing Authentication Token",
  });

  const signed = async (credentials, method, path, query, body) => {
    const url = new URL(endpoint.url);
    const signer = new SignatureV4({ credentials, region: "us-east-1", service: "kms", sha256: Sha256 });
    const request = await signer.sign({
      method,
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query,
      headers: { host: url.host, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body,
    });
    const search = new URLSearchParams(query).toString();
    const response = await fetch(`${endpoint.url}${path}${search ? `?${search}` : ""}`, {
      method,
      headers: request.headers,
      body,
    });
    return { status: response.status, json: await response.json() };
  };
  const listed = await signed(KEY, "GET", "/_wasmkms/calls", { operation: "CreateKey" });
  assert.deepEqual(listed, { status: 200, json: { calls: [] } });
  const added = await signed(KEY, "POST", "/_wasmkms/faults", {}, JSON.stringify({ error: "KMSInternalException" }));
  assert.equal(added.status, 200);
  const wrong = await signed({ ...KEY, secretAccessKey: "wrong" }, "DELETE", "/_wasmkms/faults", {});
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.__type, "InvalidSignatureException");
  const unknownKey = await signed({ accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" }, "POST", "/_wasmkms/reset", {});
  assert.equal(unknownKey.status, 403);
  assert.equal(unknownKey.json.__type, "UnrecognizedClientException");
  // The refused requests did nothing: the fault is still there, and the SDK meets it.
  await assert.rejects(sdkClient(endpoint, KEY).send(new ListKeysCommand({})), { name: "KMSInternalException" });
});

// The hash SignatureV4 takes: SHA-256, or HMAC-SHA-256 when given a secret.
class Sha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", secret);
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

test("an unknown admin path is a 404 in JSON; a known path's other methods a 405", async (t) => {
  const endpoint = await start(t);
  const unknown = await admin(endpoint, "GET", "unknown");
  assert.equal(unknown.status, 404);
  assert.equal(unknown.type, "application/json");
  assert.equal(unknown.json.__type, "NotFoundException");
  assert.match(unknown.json.message, /^\/_wasmkms\/unknown is not an administration path/);
  const wrongMethod = await fetch(`${endpoint.url}/_wasmkms/clock`, { method: "DELETE" });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get("allow"), "GET");
  assert.match((await wrongMethod.json()).message, /DELETE is not served on \/_wasmkms\/clock/);
});

test("the KMS wire still never reaches the WasmKMS.* targets", async (t) => {
  const endpoint = await start(t);
  for (const target of ["WasmKMS.GetClock", "WasmKMS.ExportState", "WasmKMS.AddFault"]) {
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
      body: "{}",
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { __type: "UnknownOperationException" });
  }
  // Nor does the KMS wire's path matter: POST /_wasmkms/... is the administration API, not KMS.
  const viaAdminPath = await fetch(`${endpoint.url}/_wasmkms/snapshot`, {
    method: "POST",
    headers: { "x-amz-target": "TrentService.ListKeys" },
    body: "{}",
  });
  assert.equal(viaAdminPath.status, 405);
});

test("wasmkms serve --seed S --clock TIME", async (t) => {
  const child = await startEndpointProcess(["--seed", "cli", "--clock", START]);
  t.after(() => child.kill("SIGKILL"));
  assert.match(child.output(), /seed "cli"; manual clock from 2030-01-01T00:00:00Z/);
  const endpoint = { url: child.url };
  assert.deepEqual(await ok(endpoint, "GET", "clock"), { now: START, manual: true });
  await ok(endpoint, "POST", "clock/advance", { days: 2 });
  const kms = realClient({ endpoint: child.url });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  assert.equal(KeyMetadata.CreationDate.toISOString(), "2030-01-03T00:00:00.000Z");
  // The same seed in-process makes the same key.
  const inProcess = await start(t, { world: undefined, seed: "cli", clock: START });
  const again = await realClient({ endpoint: inProcess.url }).send(new CreateKeyCommand({}));
  assert.equal(again.KeyMetadata.KeyId, KeyMetadata.KeyId);
  assert.equal((await child.kill("SIGTERM")).code, 0);

  const bad = await startEndpointProcess(["--clock", "soon"]).then(
    () => assert.fail("the endpoint started"),
    (e) => e,
  );
  assert.match(bad.message, /exited \(code 2.*RFC 3339/s);
});

const FIXTURES = {
  keys: [
    {
      keyId: "0f1e2d3c-4b5a-4678-9abc-def012345678",
      description: "from the fixtures",
      aliases: ["alias/orders"],
      tags: { team: "payments" },
      material: Buffer.alloc(32, 7).toString("base64"),
    },
  ],
};

async function fixturesFile(t) {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-fixtures-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const file = join(directory, "fixtures.json");
  await writeFile(file, JSON.stringify(FIXTURES));
  return { directory, file };
}

test("serve({ fixtures }) starts with their keys, and reset brings them back", async (t) => {
  const { directory, file } = await fixturesFile(t);
  const endpoint = await start(t, { world: undefined, fixtures: file });
  const kms = realClient({ endpoint: endpoint.url });
  const described = await kms.send(new DescribeKeyCommand({ KeyId: "alias/orders" }));
  assert.equal(described.KeyMetadata.KeyId, FIXTURES.keys[0].keyId);
  assert.equal(described.KeyMetadata.Description, "from the fixtures");

  await kms.send(new CreateKeyCommand({ Description: "made by the test" }));
  await kms.send(new DescribeKeyCommand({ KeyId: "alias/orders" }));
  const added = await ok(endpoint, "POST", "fixtures", { keys: [{ aliases: ["alias/more"] }] });
  assert.equal(added.keys.length, 1);
  assert.equal((await kms.send(new ListKeysCommand({}))).Keys.length, 3);
  const refused = await admin(endpoint, "POST", "fixtures", { keys: [{ aliases: ["alias/orders"] }] });
  assert.equal(refused.status, 400);
  assert.match(refused.json.message, /keys\[0\]\.aliases\[0\]/);

  await ok(endpoint, "POST", "reset");
  const { Keys } = await kms.send(new ListKeysCommand({}));
  assert.deepEqual(
    Keys.map((k) => k.KeyId),
    [FIXTURES.keys[0].keyId],
  );

  // A fixture the core refuses stops serve() at start; so does a file that is not what its name says.
  await assert.rejects(serve({ fixtures: { keys: [{ keySpec: "RSA_2048" }] } }), /keyUsage/);
  const notJson = join(directory, "fixtures.json5");
  await writeFile(notJson, "keys: []\n");
  await assert.rejects(serve({ fixtures: notJson }), /is not JSON/);
  const notYaml = join(directory, "fixtures.yaml");
  await writeFile(notYaml, "keys: [\n");
  await assert.rejects(serve({ fixtures: notYaml }), /is not YAML/);
  await assert.rejects(serve({ world: createWorld(), fixtures: file }), TypeError);
});

test("a state file that exists holds the world: the fixtures go only into a new one", async (t) => {
  const { directory, file } = await fixturesFile(t);
  const stateFile = join(directory, "state.json");
  const first = await start(t, { world: undefined, fixtures: file, stateFile });
  const kms = realClient({ endpoint: first.url });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  await kms.send(new CreateAliasCommand({ AliasName: "alias/mine", TargetKeyId: KeyMetadata.KeyId }));
  await first.close();

  const second = await start(t, { world: undefined, fixtures: file, stateFile });
  const again = realClient({ endpoint: second.url });
  const { Keys } = await again.send(new ListKeysCommand({}));
  assert.deepEqual(Keys.map((k) => k.KeyId).sort(), [FIXTURES.keys[0].keyId, KeyMetadata.KeyId].sort());
  await again.send(new DescribeKeyCommand({ KeyId: "alias/mine" }));
});

test("wasmkms serve --fixtures FILE.yaml: the same keys from YAML", async (t) => {
  const { directory } = await fixturesFile(t);
  const file = join(directory, "fixtures.yaml");
  await writeFile(file, stringify(FIXTURES));
  const child = await startEndpointProcess(["--fixtures", file]);
  t.after(() => child.kill("SIGKILL"));
  const kms = realClient({ endpoint: child.url });
  const described = await kms.send(new DescribeKeyCommand({ KeyId: "alias/orders" }));
  assert.equal(described.KeyMetadata.KeyId, FIXTURES.keys[0].keyId);
  assert.equal(described.KeyMetadata.Description, "from the fixtures");
  assert.equal((await child.kill("SIGTERM")).code, 0);
});

test("wasmkms serve --fixtures FILE", async (t) => {
  const { file } = await fixturesFile(t);
  const child = await startEndpointProcess(["--fixtures", file]);
  t.after(() => child.kill("SIGKILL"));
  assert.match(child.output(), /fixtures /);
  const described = await realClient({ endpoint: child.url }).send(new DescribeKeyCommand({ KeyId: "alias/orders" }));
  assert.equal(described.KeyMetadata.KeyId, FIXTURES.keys[0].keyId);
  assert.equal((await child.kill("SIGTERM")).code, 0);
});
