// The HTTP endpoint at the wire level, with raw requests no SDK would send: what it refuses (bodies
// over 1 MiB, other methods, targets that are not KMS operations, the WasmKMS.* administration targets)
// it refuses without touching the world, and where it binds.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, createWorld } from "./lib/wasmkms.mjs";

const MIB = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DEFAULT_CALLER = { account: "", region: "", principal: "" };

let world;
let endpoint;

before(async () => {
  world = createWorld();
  endpoint = await serve({ world });
});
after(() => endpoint.close());

async function post(target, body, headers = {}) {
  const response = await fetch(endpoint.url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      ...(target ? { "x-amz-target": target } : {}),
      ...headers,
    },
    body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

// The world's state, read behind the endpoint's back: refused requests must leave it as it was.
async function worldState() {
  const answer = await world.call(DEFAULT_CALLER, "WasmKMS.ExportState", "");
  assert.equal(answer.status, 200, answer.body);
  return answer.body;
}

test("listens on 127.0.0.1 unless another host is named", async () => {
  assert.equal(endpoint.host, "127.0.0.1");
  assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const unnamed = await serve({ world, host: "" });
  assert.equal(unnamed.host, "127.0.0.1");
  await unnamed.close();
});

test("answers with a request id, the JSON 1.1 content type and the body's length", async () => {
  const answer = await post("TrentService.CreateKey", "{}");
  assert.equal(answer.status, 200, answer.text);
  assert.match(answer.headers.get("x-amzn-requestid"), UUID);
  assert.equal(answer.headers.get("content-type"), "application/x-amz-json-1.1");
  assert.equal(Number(answer.headers.get("content-length")), Buffer.byteLength(answer.text));
  assert.match(JSON.parse(answer.text).KeyMetadata.Arn, /^arn:aws:kms:us-east-1:111122223333:key\//);
});

test("a target that is not a KMS operation gets the answer the core gives an unknown operation, and the world is untouched", async () => {
  const core = await world.call(DEFAULT_CALLER, "TrentService.NoSuchOperation", "{}");
  assert.equal(core.status, 400);
  assert.equal(JSON.parse(core.body).__type, "UnknownOperationException");
  const state = await worldState();
  for (const target of [
    "WasmKMS.ExportState",
    "WasmKMS.ImportState",
    "WasmKMS.SupplyRSAKey",
    "WasmKMS.Panic",
    "Other.Encrypt",
    "TrentService.NoSuchOperation",
    undefined,
  ]) {
    const body = target === "WasmKMS.ImportState" ? '{"Accounts":{}}' : "{}";
    const answer = await post(target, body);
    assert.equal(answer.status, core.status, `${target}: ${answer.text}`);
    assert.deepEqual(JSON.parse(answer.text), JSON.parse(core.body), `${target}`);
  }
  assert.equal(await worldState(), state);
});

test("malformed JSON is a SerializationException from the core, and changes nothing", async () => {
  const state = await worldState();
  for (const body of ["{", "not json", '{"Description": }']) {
    const answer = await post("TrentService.CreateKey", body);
    assert.equal(answer.status, 400, answer.text);
    assert.equal(JSON.parse(answer.text).__type, "SerializationException", `${body}: ${answer.text}`);
  }
  assert.equal(await worldState(), state);
});

test("a body of exactly 1 MiB is read; one byte more is refused with 413 before it reaches the world", async () => {
  const state = await worldState();
  // A CreateKey whose Description is too long for the service: the core reads it and says so.
  const prefix = '{"Description":"';
  const suffix = '"}';
  const atLimit = prefix + "d".repeat(MIB - prefix.length - suffix.length) + suffix;
  assert.equal(Buffer.byteLength(atLimit), MIB);
  const read = await post("TrentService.CreateKey", atLimit);
  assert.equal(read.status, 400, read.text);
  assert.equal(JSON.parse(read.text).__type, "ValidationException");

  const overLimit = prefix + "d".repeat(MIB - prefix.length - suffix.length + 1) + suffix;
  const refused = await post("TrentService.CreateKey", overLimit);
  assert.equal(refused.status, 413, refused.text);
  assert.match(refused.headers.get("x-amzn-requestid"), UUID);
  assert.equal(await worldState(), state);
});

test("a chunked body over 1 MiB is refused with 413 too", async () => {
  const state = await worldState();
  const { request } = await import("node:http");
  const status = await new Promise((resolve, reject) => {
    const req = request(
      endpoint.url,
      { method: "POST", headers: { "x-amz-target": "TrentService.CreateKey" } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
      },
    );
    req.on("error", reject);
    const chunk = "x".repeat(64 * 1024);
    for (let sent = 0; sent <= MIB; sent += chunk.length) req.write(chunk);
    req.end();
  });
  assert.equal(status, 413);
  assert.equal(await worldState(), state);
});

test("only POST is served: a KMS call by another method is a 405; GET / without a target is the health check", async () => {
  for (const method of ["GET", "PUT", "DELETE"]) {
    const response = await fetch(endpoint.url, { method, headers: { "x-amz-target": "TrentService.ListKeys" } });
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get("allow"), "POST");
  }
  const put = await fetch(endpoint.url, { method: "PUT" });
  assert.equal(put.status, 405);
  const health = await fetch(endpoint.url);
  assert.equal(health.status, 200);
  assert.equal((await health.json()).status, "ok");
});

test("the account is the access key id when it has 12 digits, the region the credential scope's", async () => {
  const authorization = (accessKeyId, region) =>
    `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;
  const cases = [
    [authorization("444455556666", "eu-central-1"), "arn:aws:kms:eu-central-1:444455556666:key/"],
    [authorization("AKIAIOSFODNN7EXAMPLE", "ap-south-1"), "arn:aws:kms:ap-south-1:111122223333:key/"],
    [authorization("123", "cn-north-1"), "arn:aws-cn:kms:cn-north-1:111122223333:key/"],
    [undefined, "arn:aws:kms:us-east-1:111122223333:key/"],
  ];
  for (const [header, prefix] of cases) {
    const answer = await post("TrentService.CreateKey", "{}", header ? { authorization: header } : {});
    assert.equal(answer.status, 200, answer.text);
    assert.ok(JSON.parse(answer.text).KeyMetadata.Arn.startsWith(prefix), `${header}: ${answer.text}`);
  }
});

test("serve({ accountId }) answers every request as that account", async () => {
  const fixed = await serve({ world, accountId: "777788889999" });
  try {
    const response = await fetch(fixed.url, {
      method: "POST",
      headers: {
        "x-amz-target": "TrentService.CreateKey",
        authorization:
          "AWS4-HMAC-SHA256 Credential=444455556666/20260101/us-west-2/kms/aws4_request, SignedHeaders=host, Signature=00",
      },
      body: "{}",
    });
    const answer = await response.json();
    assert.ok(answer.KeyMetadata.Arn.startsWith("arn:aws:kms:us-west-2:777788889999:key/"), JSON.stringify(answer));
  } finally {
    await fixed.close();
  }
});

test("a world that fails is a 500 KMSInternalException saying why", async () => {
  const broken = await serve({
    world: {
      call: async () => {
        throw new Error("the module instance is dead (test)");
      },
    },
  });
  try {
    const response = await fetch(broken.url, {
      method: "POST",
      headers: { "x-amz-target": "TrentService.ListKeys" },
      body: "{}",
    });
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), {
      __type: "KMSInternalException",
      message: "wasmkms endpoint: the module instance is dead (test)",
    });
  } finally {
    await broken.close();
  }
});
