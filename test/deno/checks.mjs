// What the Deno test runs inside Deno: the shared conformance scenarios and the bad-input cases,
// through the package as Deno resolved it. The generated entry (see deno.test.mjs) imports "wasmkms"
// by name and passes its exports here; the result is printed as one JSON line on stdout.
import { runBadInputCases } from "../browser/lib/bad-input-cases.mjs";
import { runConformanceFiles, totals } from "../browser/lib/conformance-runner.mjs";

const scenarioDir = new URL("../../testdata/conformance/", import.meta.url);

export async function main(pkg, resolvedEntry) {
  const names = [];
  for await (const entry of Deno.readDir(scenarioDir)) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  }
  names.sort();
  const conformance = await runConformanceFiles(pkg, names, async (name) =>
    JSON.parse(await Deno.readTextFile(new URL(name, scenarioDir))));
  const badInput = await runBadInputCases(pkg);
  console.log(JSON.stringify({
    deno: Deno.version.deno,
    resolvedEntry,
    conformance,
    totals: totals(conformance),
    badInput,
  }));
}
