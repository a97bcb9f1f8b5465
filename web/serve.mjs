// Static server for the playground (and for the browser tests, which serve a few more folders).
// It binds 127.0.0.1 only and serves files from the repository root, restricted to an allow-list
// of top-level folders, so the page can import ../js/browser.mjs as plain ES modules with no bundler.
//
//   node web/serve.mjs [--port N]      prints the playground's address; port 0 (default) = a free port
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("..", import.meta.url)));

// Browsers compile with WebAssembly.compileStreaming only when a module is served as application/wasm.
const contentTypes = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

export function contentTypeOf(path) {
  return contentTypes[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/**
 * A request handler serving files below root whose first path segment is in allow.
 * routes: optional map of exact URL paths to handlers (req, res) that run first (tests use it to
 * serve a module with the wrong MIME type, corrupted bytes, and so on).
 */
export function createStaticHandler({ root = repoRoot, allow = ["js", "web"], routes = {} } = {}) {
  const rootDir = resolve(root);
  return async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const pathname = decodeURIComponent(url.pathname);
    if (routes[pathname]) return routes[pathname](req, res);
    if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "method not allowed");
    if (pathname === "/") {
      res.writeHead(302, { location: "/web/" });
      return res.end();
    }
    // Checked after normalizing, so that "/web/%2e%2e/x" cannot reach a folder outside the list.
    let file = normalize(join(rootDir, pathname));
    const inside = relative(rootDir, file);
    if (inside.startsWith("..") || isAbsolute(inside)) return sendText(res, 403, "forbidden");
    if (!allow.includes(inside.split(sep)[0])) return sendText(res, 404, `not found: ${pathname}`);
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        if (!pathname.endsWith("/")) {
          res.writeHead(301, { location: `${pathname}/${url.search}` });
          return res.end();
        }
        file = join(file, "index.html");
        info = await stat(file);
      }
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": contentTypeOf(file),
        "content-length": body.length,
        "cache-control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
      if (err.code === "ENOENT" || err.code === "ENOTDIR") return sendText(res, 404, `not found: ${pathname}`);
      sendText(res, 500, String(err));
    }
  };
}

function sendText(res, status, text) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}

/** Starts a server on 127.0.0.1; resolves to { server, origin, close() }. */
export async function startStaticServer({ port = 0, ...options } = {}) {
  const server = createServer(createStaticHandler(options));
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    server,
    origin,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

function parsePort(argv) {
  const i = argv.indexOf("--port");
  if (i < 0) return 0;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.mjs: --port needs a number 0..65535, got ${argv[i + 1]}`);
    process.exit(2);
  }
  return port;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { origin } = await startStaticServer({ port: parsePort(process.argv.slice(2)) });
  console.log(`wasmkms playground: ${origin}/web/`);
  console.log("(serving js/ and web/ on 127.0.0.1; Ctrl-C stops it)");
}
