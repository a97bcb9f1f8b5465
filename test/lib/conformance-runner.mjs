// Runs the shared conformance scenarios through a package's KMSClient, in whatever runtime imports
// this file (Chromium pages, Deno): pure ESM, no runtime-specific import. Each file runs in a fresh
// world, as testdata/conformance/README.md requires, and the world is dropped after it.
import { formatFailures, runScenario } from "./conformance.mjs";
import { createSdkCall } from "./sdk-adapter.mjs";

/**
 * pkg: the package's exports in this runtime; names: scenario file names; loadScenario(name): resolves
 * to the parsed scenario. Resolves to one summary per file:
 * { file, steps, passed, failed, skipped, failures (text), error (text, when the file could not run) }.
 */
export async function runConformanceFiles(pkg, names, loadScenario) {
  const summaries = [];
  for (const file of names) {
    const world = pkg.createWorld();
    try {
      const scenario = await loadScenario(file);
      const result = await runScenario(scenario, createSdkCall(pkg, { world }), { sdk: true, file });
      summaries.push({
        file,
        steps: scenario.steps.length,
        passed: result.passed,
        failed: result.failed,
        skipped: result.skipped,
        failures: result.failed ? formatFailures(result) : "",
      });
    } catch (err) {
      summaries.push({ file, error: String(err?.stack ?? err) });
    } finally {
      world.reset();
    }
  }
  return summaries;
}

/** Totals over the summaries, for the one line a test prints. */
export function totals(summaries) {
  const sum = (k) => summaries.reduce((n, s) => n + (s[k] ?? 0), 0);
  return {
    files: summaries.length,
    passed: sum("passed"),
    failed: sum("failed"),
    skipped: sum("skipped"),
    errors: summaries.filter((s) => s.error).length,
  };
}
