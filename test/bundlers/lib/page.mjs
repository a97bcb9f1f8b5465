// Opens a bundled app's page in Chromium (test/lib/chromium.mjs) and reads the round trip's result that
// app/page.js leaves on window.roundTripResult, with every response for a .wasm file the page fetched.
import { readdir } from "node:fs/promises";
import { startStaticServer } from "../../../web/serve.mjs";
import { collectPageErrors, launchChromium } from "../../lib/chromium.mjs";

const PAGE_TIMEOUT_MS = 120_000;

/** A page that runs one script (app/page.js, or what a bundler made of it), an ES module unless said. */
export function pageHtml(script, { module = true } = {}) {
  return [
    "<!doctype html>",
    '<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>wasmkms in a bundle</title></head>',
    `<body><script${module ? ' type="module"' : ""} src="${script}"></script></body></html>`,
    "",
  ].join("\n");
}

/** Serves a build's output folder on 127.0.0.1 (the playground's static server, rooted there). */
export async function serveFolder(dir) {
  const allow = await readdir(dir);
  return startStaticServer({ root: dir, allow });
}

/** Starts Chromium; resolves to { open(url), close() }, open resolving to { result, wasm, errors }. */
export async function startBrowser() {
  const browser = await launchChromium();
  return {
    async open(url) {
      const page = await browser.context.newPage();
      try {
        const errors = collectPageErrors(page);
        const wasm = [];
        page.on("response", (response) => {
          if (new URL(response.url()).pathname.endsWith(".wasm")) {
            wasm.push({ url: response.url(), status: response.status(), type: response.headers()["content-type"] });
          }
        });
        await page.goto(url);
        await page.waitForFunction(() => window.roundTripResult !== undefined, null, { timeout: PAGE_TIMEOUT_MS });
        const result = await page.evaluate(() => window.roundTripResult);
        return { result, wasm, errors };
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}
