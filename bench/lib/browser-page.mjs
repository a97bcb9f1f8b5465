// A browser bench's page: the repository's test server and Chromium started, the blank page opened,
// `pageFunction` evaluated there and its result returned with Chromium's version; both stopped after.
// The page has `timePerCall` (below) defined before `pageFunction` runs, so each bench times alike.
import { launchChromium } from "../../test/lib/chromium.mjs";
import { startTestServer } from "../../test/lib/page-server.mjs";

export async function inBlankPage(pageFunction) {
  const server = await startTestServer();
  const browser = await launchChromium();
  try {
    await browser.page.goto(`${server.origin}/test/browser/pages/blank.html`);
    await browser.page.evaluate(defineTimePerCall);
    const result = await browser.page.evaluate(pageFunction);
    return { version: browser.context.browser()?.version() ?? "", result };
  } finally {
    await browser.close();
    await server.close();
  }
}

// Runs in the page. timePerCall(fn, warm, batch, rounds): the median wall time of one call (ms) over
// `rounds` batches of `batch` calls, after `warm` calls (the first run unoptimized). Batches, because
// the page's clock moves in 0.1 ms steps.
function defineTimePerCall() {
  globalThis.timePerCall = async (fn, warm, batch, rounds = 15) => {
    for (let i = 0; i < warm; i++) await fn();
    const times = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      for (let j = 0; j < batch; j++) await fn();
      times.push((performance.now() - start) / batch);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  };
}
