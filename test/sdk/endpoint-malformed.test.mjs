// The JS endpoint answers every malformed request of testdata/endpoint/malformed.json as the table
// says; testharness/endpoint_malformed_test.go holds the Go endpoint to the same table, so the two
// answer alike (the table's "choices" say why these answers).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { serve, createWorld } from "./lib/wasmkms.mjs";

const table = JSON.parse(readFileSync(new URL("../../testdata/endpoint/malformed.json", import.meta.url), "utf8"));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let endpoint;
before(async () => {
  endpoint = await serve({ world: createWorld(), host: "127.0.0.1", port: 0 });
});
after(() => endpoint.close());

function requestBody({ body, bodyBase64, bodyOfSize }) {
  if (body !== undefined) return Buffer.from(body, "utf8");
  if (bodyBase64 !== undefined) return Buffer.from(bodyBase64, "base64");
  if (bodyOfSize !== undefined) {
    const { prefix, fill, suffix, size } = bodyOfSize;
    const bytes = Buffer.from(prefix + fill.repeat(size - prefix.length - suffix.length) + suffix, "utf8");
    assert.equal(bytes.length, size, "bodyOfSize");
    return bytes;
  }
  return undefined;
}

// One request as the table describes it, through node:http (which, unlike fetch, sends any method
// with a body, repeated headers and chunked bodies as asked).
function send(spec) {
  const headers = { "content-type": "application/x-amz-json-1.1" };
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  if (spec.target !== undefined) headers["x-amz-target"] = spec.target; // a list: the header once per value
  const body = requestBody(spec);
  if (body !== undefined && !spec.chunked) headers["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(endpoint.url, { method: spec.method ?? "POST", headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode,
          headers: response.headers,
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      response.on("error", reject);
    });
    req.on("error", reject);
    if (body !== undefined && spec.chunked) {
      // Several chunks, so that the endpoint meets the limit while the body is still arriving.
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

for (const { name, request: spec, answer: want } of table.cases) {
  test(name, async () => {
    const answer = await send(spec);
    let body;
    assert.doesNotThrow(() => {
      body = JSON.parse(answer.text);
    }, `the answer is not JSON: ${answer.text}`);
    assert.ok(body !== null && typeof body === "object" && !Array.isArray(body), answer.text);
    assert.equal(answer.status, want.status, answer.text);
    if (want.type === null) assert.equal(body.__type, undefined, answer.text);
    else assert.equal(body.__type, want.type, answer.text);
    if (want.message === null) assert.equal(body.message, undefined, answer.text);
    else if (want.message !== undefined) assert.equal(body.message, want.message, answer.text);
    for (const [header, value] of Object.entries(want.headers ?? {})) {
      assert.equal(answer.headers[header.toLowerCase()]?.toLowerCase(), value.toLowerCase(), `header ${header}`);
    }
    assert.equal(answer.headers["content-type"], "application/x-amz-json-1.1");
    assert.equal(Number(answer.headers["content-length"]), Buffer.byteLength(answer.text));
    assert.match(answer.headers["x-amzn-requestid"], UUID);
  });
}
