// In Chromium: a module that fails to load gives one clear error naming the cause, concurrent first
// calls share it, and the next send retries; a module served with another MIME type still loads.
// Bad input from JS gives the same exceptions as in Node, with the world unchanged.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as nodePackage from "../../js/node.mjs";
import { runBadInputCases } from "../lib/bad-input-cases.mjs";
import { chromiumMissing, launchChromium } from "../lib/chromium.mjs";
import { repoRoot, startTestServer } from "../lib/page-server.mjs";

const missing = chromiumMissing(); // throws in CI when the browser is missing
const skip = missing ?? false;
let server, browser, wasmBytes;
const hits = new Map(); // route -> number of requests

function route(path, answer) {
  return [
    path,
    (_req, res) => {
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      const { status = 200, type, body } = answer(n);
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    },
  ];
}

before(async () => {
  if (missing) return;
  wasmBytes = await readFile(join(repoRoot, "js", "wasmkms.wasm"));
  const corrupted = Buffer.from(wasmBytes);
  corrupted.fill(0xff, 64, 4096); // a valid header, then bytes that are no section
  server = await startTestServer(
    Object.fromEntries([
      route("/load/html.wasm", () => ({
        type: "text/html; charset=utf-8",
        body: "<!doctype html><title>Not here</title>",
      })),
      route("/load/corrupted.wasm", () => ({ type: "application/wasm", body: corrupted })),
      route("/load/octet-stream.wasm", () => ({ type: "application/octet-stream", body: wasmBytes })),
      route("/load/flaky.wasm", (n) =>
        n === 1
          ? { status: 503, type: "text/plain", body: "try again" }
          : { type: "application/wasm", body: wasmBytes },
      ),
    ]),
  );
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** In a fresh page (a fresh realm: nothing loaded yet), configures the module URL and sends `count` calls at once. */
async function sendWith(url, count = 1) {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.origin}/test/browser/pages/blank.html`);
    return await page.evaluate(
      async ({ url, count }) => {
        const pkg = await import("/js/browser.mjs");
        if (url !== null) pkg.configure({ wasm: url });
        const client = new pkg.KMSClient({ region: "us-east-1" });
        const once = () =>
          client.send(new pkg.ListKeysCommand({})).then(
            (out) => ({ ok: true, keys: out.Keys.length }),
            (err) => ({
              ok: false,
              name: err.name,
              message: err.message,
              isWasmKMSError: err instanceof pkg.WasmKMSError,
            }),
          );
        const first = await Promise.all(Array.from({ length: count }, once));
        const retry = await once();
        return { first, retry };
      },
      { url, count },
    );
  } finally {
    await page.close();
  }
}

test("the default module URL (next to js/browser.mjs) loads", { skip }, async () => {
  const { first } = await sendWith(null);
  assert.deepEqual(first, [{ ok: true, keys: 0 }]);
});

test("a wrong URL: one error naming the URL and the HTTP status, shared by concurrent calls", { skip }, async (t) => {
  const url = `${server.origin}/js/no-such-module.wasm`;
  const { first, retry } = await sendWith(url, 3);
  t.diagnostic(first[0].message);
  for (const answer of first) {
    assert.equal(answer.ok, false);
    assert.equal(answer.name, "WasmKMSError");
    assert.equal(answer.isWasmKMSError, true);
    assert.ok(answer.message.includes(url), answer.message);
    assert.match(answer.message, /HTTP 404/);
  }
  assert.equal(new Set(first.map((a) => a.message)).size, 1, "the concurrent calls share one error");
  assert.equal(retry.ok, false, "the module is still not there");
});

test("HTML served where the module should be: the error names the URL, the compile failure and the content type", {
  skip,
}, async (t) => {
  const url = `${server.origin}/load/html.wasm`;
  const { first } = await sendWith(url);
  t.diagnostic(first[0].message);
  assert.equal(first[0].name, "WasmKMSError");
  assert.ok(first[0].message.includes(url), first[0].message);
  assert.match(first[0].message, /magic word/, first[0].message);
  assert.match(first[0].message, /served as text\/html/, first[0].message);
});

test("corrupted bytes served as application/wasm: the error names the URL and the compile failure", {
  skip,
}, async (t) => {
  const url = `${server.origin}/load/corrupted.wasm`;
  const { first } = await sendWith(url);
  t.diagnostic(first[0].message);
  assert.equal(first[0].name, "WasmKMSError");
  assert.ok(first[0].message.includes(url), first[0].message);
  assert.match(first[0].message, /WebAssembly|section|invalid|expected/i, first[0].message);
});

test("a module served as application/octet-stream still loads (compiled from its bytes)", { skip }, async () => {
  const { first } = await sendWith(`${server.origin}/load/octet-stream.wasm`);
  assert.deepEqual(first, [{ ok: true, keys: 0 }]);
});

test("after a failed load the next send retries, and succeeds when the module is back", { skip }, async () => {
  hits.delete("/load/flaky.wasm");
  const { first, retry } = await sendWith(`${server.origin}/load/flaky.wasm`, 2);
  for (const answer of first) {
    assert.equal(answer.name, "WasmKMSError");
    assert.match(answer.message, /HTTP 503/);
  }
  assert.deepEqual(retry, { ok: true, keys: 0 });
  assert.equal(hits.get("/load/flaky.wasm"), 2, "one fetch for the concurrent first calls, one for the retry");
});

test("bad input gives the same exceptions as in Node, and changes nothing", { skip }, async () => {
  const inNode = await runBadInputCases(nodePackage);
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.origin}/test/browser/pages/blank.html`);
    const inChromium = await page.evaluate(async () => {
      const pkg = await import("/js/browser.mjs");
      const { runBadInputCases } = await import("/test/lib/bad-input-cases.mjs");
      return runBadInputCases(pkg);
    });
    assert.ok(
      inNode.results.every((r) => r.outcome === "rejected"),
      JSON.stringify(inNode.results),
    );
    assert.deepEqual(inChromium.results, inNode.results);
    assert.equal(inChromium.keysAfter, inChromium.keysBefore);
  } finally {
    await page.close();
  }
});
