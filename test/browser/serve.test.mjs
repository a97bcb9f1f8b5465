// web/serve.mjs, the playground's server: 127.0.0.1 only, the allowed folders only, the MIME types
// browsers need (application/wasm for streaming compilation), and the CLI prints the address.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "../../web/serve.mjs";

const servePath = fileURLToPath(new URL("../../web/serve.mjs", import.meta.url));

test("serves js/ and web/ with the right types, and nothing else", async () => {
  const server = await startStaticServer();
  try {
    assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const cases = [
      ["/web/", 200, "text/html; charset=utf-8"],
      ["/web/app.mjs", 200, "text/javascript; charset=utf-8"],
      ["/web/style.css", 200, "text/css; charset=utf-8"],
      ["/js/browser.mjs", 200, "text/javascript; charset=utf-8"],
      ["/js/wasmkms.wasm", 200, "application/wasm"],
      ["/package.json", 404, null],
      ["/test/lib/conformance.mjs", 404, null],
      ["/web/../package.json", 404, null],
      ["/web/no-such-file.js", 404, null],
    ];
    for (const [path, status, type] of cases) {
      const response = await fetch(server.origin + path, { redirect: "manual" });
      await response.arrayBuffer();
      assert.equal(response.status, status, path);
      if (type) assert.equal(response.headers.get("content-type"), type, path);
    }
    const root = await fetch(`${server.origin}/`, { redirect: "manual" });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get("location"), "/web/");
    const post = await fetch(`${server.origin}/web/`, { method: "POST" });
    assert.equal(post.status, 405);
  } finally {
    await server.close();
  }
});

// A raw request line, as fetch would normalize the dot segments away.
function rawGet(origin, path) {
  return new Promise((ok, fail) => {
    const { hostname, port } = new URL(origin);
    request({ hostname, port, path, method: "GET" }, (res) => {
      res.resume();
      res.on("end", () => ok(res.statusCode));
    })
      .on("error", fail)
      .end();
  });
}

test("dot segments cannot leave the allowed folders", async () => {
  const server = await startStaticServer();
  try {
    // The URL parser resolves "%2e%2e" segments; encoded slashes are decoded after it, then checked.
    assert.equal(await rawGet(server.origin, "/web/%2e%2e/package.json"), 404);
    assert.equal(await rawGet(server.origin, "/web/..%2fpackage.json"), 404);
    assert.equal(await rawGet(server.origin, "/web/..%2f..%2f..%2fetc%2fpasswd"), 403);
    assert.equal(await rawGet(server.origin, "/web/../js/browser.mjs"), 200);
  } finally {
    await server.close();
  }
});

test("the CLI listens on 127.0.0.1 and prints the playground's address", async () => {
  const child = spawn(process.execPath, [servePath, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [chunk] = await once(child.stdout, "data");
    const address = String(chunk).match(/http:\/\/127\.0\.0\.1:(\d+)\/web\//);
    assert.ok(address, String(chunk));
    const page = await fetch(address[0]);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /wasmkms playground/);
  } finally {
    child.kill();
    await once(child, "exit");
  }
});

test("the CLI refuses a port that is not a number", async () => {
  const child = spawn(process.execPath, [servePath, "--port", "web"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const [code] = await once(child, "exit");
  assert.equal(code, 2);
  assert.match(stderr, /--port needs a number/);
});
