// The request handler in Chromium: the real @aws-sdk/client-kms, bundled for browsers as an application
// would bundle it, with our request handler from the package's browser entry, runs every shared
// conformance scenario inside a page (no server behind it: the page's world answers).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { chromiumMissing, collectPageErrors, launchChromium } from "../lib/chromium.mjs";
import { repoRoot, startTestServer } from "../lib/page-server.mjs";
import { bundleRealSdk } from "./lib/real-sdk-bundle.mjs";

const missing = chromiumMissing(); // throws in CI when the browser is missing
const skip = missing ?? false;
const REAL_SDK_PATH = "/__real-sdk/client-kms.mjs";
const files = readdirSync(join(repoRoot, "testdata", "conformance"))
  .filter((f) => f.endsWith(".json"))
  .sort();
let server, browser, summaries, direct, pageErrors;

before(async () => {
  if (missing) return;
  const realSdkSource = await bundleRealSdk();
  server = await startTestServer({
    [REAL_SDK_PATH]: (_req, res) => {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      res.end(realSdkSource);
    },
  });
  browser = await launchChromium();
  pageErrors = collectPageErrors(browser.page);
  await browser.page.goto(`${server.origin}/test/browser/pages/blank.html`);
  ({ summaries, direct } = await browser.page.evaluate(
    async ({ names, realSdkPath }) => {
      const pkg = await import("/js/browser.mjs");
      const realSdk = await import(realSdkPath);
      const { runScenario, formatFailures } = await import("/test/lib/conformance.mjs");
      const { roundTripByHand, runScenariosThroughRequestHandler } = await import("/test/sdk/lib/real-sdk-call.mjs");
      const scenarios = [];
      for (const file of names)
        scenarios.push({ file, scenario: await (await fetch(`/testdata/conformance/${file}`)).json() });
      const summaries = await runScenariosThroughRequestHandler({
        realSdk,
        pkg,
        runScenario,
        formatFailures,
        scenarios,
      });

      // A few calls by hand: the page's own SDK build, its exception class, our handler's bytes.
      const direct = await roundTripByHand({ realSdk, pkg, region: "eu-west-1", plaintext: "from Chromium" });
      return { summaries, direct };
    },
    { names: files, realSdkPath: REAL_SDK_PATH },
  ));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the real SDK's browser build with our request handler: create, encrypt, decrypt, NotFoundException", {
  skip,
}, () => {
  assert.match(direct.arn, /^arn:aws:kms:eu-west-1:444455556666:key\//);
  assert.equal(direct.text, "from Chromium");
  assert.deepEqual(direct.notFound, {
    isClass: true,
    name: "NotFoundException",
    message: "Alias arn:aws:kms:eu-west-1:444455556666:alias/missing is not found.",
  });
});

for (const file of files) {
  test(`conformance ${file} in Chromium through the real SDK and our request handler`, { skip }, () => {
    const summary = summaries.find((s) => s.file === file);
    assert.ok(summary, `${file} did not run`);
    assert.equal(summary.error, undefined, summary.error);
    assert.equal(summary.failed, 0, summary.failures);
    assert.ok(summary.passed > 0, `${file}: no step ran`);
  });
}

test("no page errors", { skip }, () => assert.deepEqual(pageErrors, []));
