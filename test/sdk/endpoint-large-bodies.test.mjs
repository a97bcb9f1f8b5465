// Bodies over 1 MiB get a 413 that the client can read: the endpoint reads and drops what the client
// still sends (up to a bound), and only then answers and closes, so a client that writes its whole body
// before reading (Python's urllib, the AWS CLI) is not cut off by a reset, and the real SDK sees the
// 413 on its first attempt instead of a broken pipe it would retry.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { EncryptCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { createWorld, serve } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";

const MIB = 1024 * 1024;
const TOO_LARGE = /^HTTP\/1\.1 413 /;

let endpoint;
before(async () => {
  endpoint = await serve({ world: createWorld() });
});
after(() => endpoint.close());

/**
 * exchange sends a raw request over one connection: the head, then (unless absent) the body, reading
 * nothing until all of it is written, as clients that write first and read after do. Resolves to what
 * came back before the connection closed, and the socket's error if it had one (a reset, a broken pipe).
 */
function exchange(head, body, { timeoutMs = 20_000 } = {}) {
  const { port } = new URL(endpoint.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    const chunks = [];
    let socketError = null;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the exchange in ${timeoutMs} ms: ${Buffer.concat(chunks).toString().slice(0, 200)}`));
    }, timeoutMs);
    socket.pause(); // read only once everything is written
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (error) => {
      socketError = error;
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString("latin1"), error: socketError });
    });
    socket.write(head);
    if (body === undefined) socket.resume();
    else socket.write(body, () => socket.resume());
  });
}

function head(headers) {
  const lines = Object.entries({ host: "127.0.0.1", "x-amz-target": "TrentService.CreateKey", ...headers });
  return `POST / HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`;
}

async function stillServing() {
  const { Keys } = await realClient({ endpoint: endpoint.url }).send(new ListKeysCommand({}));
  assert.ok(Array.isArray(Keys));
}

test("a client that writes 8 MiB before reading gets the 413, not a reset", async () => {
  const body = Buffer.alloc(8 * MIB, "d");
  const sent = await exchange(head({ "content-length": body.length }), body);
  assert.equal(sent.error, null, `the connection was cut: ${sent.error?.code}`);
  assert.match(sent.text, TOO_LARGE);
  assert.match(sent.text, /\r\nconnection: close\r\n/i);

  const chunked = await exchange(head({ "transfer-encoding": "chunked" }), chunkedBody(body));
  assert.equal(chunked.error, null, `the connection was cut: ${chunked.error?.code}`);
  assert.match(chunked.text, TOO_LARGE);
  await stillServing();
});

test("a Content-Length past what the endpoint drops is refused at once, unread", async () => {
  const started = Date.now();
  const refused = await exchange(head({ "content-length": 1024 * MIB }));
  assert.match(refused.text, TOO_LARGE);
  assert.ok(Date.now() - started < 10_000);
  await stillServing();
});

test("Expect: 100-continue with a body over 1 MiB: the 413 comes before a byte of the body", async () => {
  const refused = await exchange(head({ "content-length": 2 * MIB, expect: "100-continue" }));
  assert.match(refused.text, TOO_LARGE);
  assert.doesNotMatch(refused.text, /100 Continue/);
  // Under the limit the client is told to go on.
  const small = await exchange(head({ "content-length": 2, expect: "100-continue", connection: "close" }), "{}");
  assert.match(small.text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
});

test("the real SDK gets the 413 on its first attempt and does not retry it", async () => {
  const client = realClient({ endpoint: endpoint.url, maxAttempts: 3 });
  const error = await client.send(new EncryptCommand({ KeyId: "alias/any", Plaintext: new Uint8Array(2 * MIB) })).then(
    () => assert.fail("accepted"),
    (e) => e,
  );
  assert.equal(error.$metadata?.httpStatusCode, 413, String(error));
  assert.equal(error.$metadata.attempts, 1);
  await stillServing();
});

function chunkedBody(bytes) {
  const parts = [];
  for (let at = 0; at < bytes.length; at += 64 * 1024) {
    const chunk = bytes.subarray(at, at + 64 * 1024);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(parts);
}
