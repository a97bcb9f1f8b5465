// What the Deno test runs inside Deno: the shared conformance scenarios, the bad-input cases and the
// differential test of the host's primitives (Deno's node:crypto against the module's own code),
// through the package as Deno resolved it. The generated entry (see deno.test.mjs) imports "wasmkms"
// by name and passes its exports here; the result is printed as one JSON line on stdout.
import { runBadInputCases } from "../lib/bad-input-cases.mjs";
import { runConformanceFiles, totals } from "../lib/conformance-runner.mjs";
import { hostCryptoDifferential } from "../lib/host-crypto-differential.mjs";

const scenarioDir = new URL("../../testdata/conformance/", import.meta.url);

export async function main(pkg, resolvedEntry) {
  const names = [];
  for await (const entry of Deno.readDir(scenarioDir)) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  }
  names.sort();
  const conformance = await runConformanceFiles(pkg, names, async (name) =>
    JSON.parse(await Deno.readTextFile(new URL(name, scenarioDir))),
  );
  const badInput = await runBadInputCases(pkg);
  const hostCrypto = await hostCryptoDifferential(pkg);
  console.log(
    JSON.stringify({
      deno: Deno.version.deno,
      resolvedEntry,
      conformance,
      totals: totals(conformance),
      badInput,
      hostCrypto,
    }),
  );
}

/** In a fresh Deno process: a module file that is not there gives one clear error, and a retry works. */
export async function loadError(pkg, missingUrl) {
  pkg.configure({ wasm: missingUrl });
  const client = new pkg.KMSClient({ region: "us-east-1" });
  const once = () =>
    client.send(new pkg.ListKeysCommand({})).then(
      (out) => ({ ok: true, keys: out.Keys.length }),
      (err) => ({ ok: false, name: err.name, message: err.message }),
    );
  const failed = await once();
  pkg.configure({ wasm: new URL("../../js/wasmkms.wasm", import.meta.url) }); // allowed: nothing loaded
  const retried = await once();
  console.log(JSON.stringify({ failed, retried }));
}
