// The shared conformance scenarios, run inside a Chromium page through the browser entry's KMSClient
// (the same engine and SDK adapter as in Node, served to the page as plain ES modules).
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { chromiumMissing, collectPageErrors, launchChromium } from "../lib/chromium.mjs";
import { repoRoot, startTestServer } from "../lib/page-server.mjs";
import { totals } from "../lib/conformance-runner.mjs";

const missing = chromiumMissing(); // throws in CI when the browser is missing
const skip = missing ?? false;
const files = readdirSync(join(repoRoot, "testdata", "conformance"))
  .filter((f) => f.endsWith(".json"))
  .sort();
let server, browser, summaries, pageErrors;

before(async () => {
  if (missing) return;
  server = await startTestServer();
  browser = await launchChromium();
  pageErrors = collectPageErrors(browser.page);
  await browser.page.goto(`${server.origin}/test/browser/pages/blank.html`);
  summaries = await browser.page.evaluate(async (names) => {
    const pkg = await import("/js/browser.mjs");
    const { runConformanceFiles } = await import("/test/lib/conformance-runner.mjs");
    return runConformanceFiles(pkg, names, async (name) => {
      const response = await fetch(`/testdata/conformance/${name}`);
      if (!response.ok) throw new Error(`GET ${name}: HTTP ${response.status}`);
      return response.json();
    });
  }, files);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("there are scenarios to run", () => assert.ok(files.length > 0));

for (const file of files) {
  test(`conformance ${file} in Chromium`, { skip }, () => {
    const summary = summaries.find((s) => s.file === file);
    assert.ok(summary, `${file} did not run`);
    assert.equal(summary.error, undefined, summary.error);
    assert.equal(summary.failed, 0, summary.failures);
    assert.ok(summary.passed > 0 || summary.skipped === summary.steps, `${file}: no step ran`);
  });
}

test("counts", { skip }, (t) => {
  const all = totals(summaries);
  t.diagnostic(
    `Chromium conformance: ${all.files} files, ${all.passed} steps passed, ${all.failed} failed, ` +
      `${all.skipped} skipped (not SDK-expressible), ${all.errors} files errored`,
  );
  assert.equal(all.failed + all.errors, 0);
  assert.deepEqual(pageErrors, []);
});
