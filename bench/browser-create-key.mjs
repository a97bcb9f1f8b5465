// Chromium: CreateKey per elliptic-curve key spec through js/browser.mjs. A browser has no synchronous
// crypto for the module to take primitives from (wasm/ABI.md, "Host primitives"), so every key's public
// point is the module's own Go code: the figure issue 15 asks to record beside Node's host primitives
// (bench/create-key.mjs). Median wall time per key in the page, after a warm-up, with SYMMETRIC_DEFAULT
// for scale and WebCrypto's (asynchronous) ECDSA key generation as the browser's own figure.
// Target: every key spec ≤ 5 ms.
//   node bench/browser-create-key.mjs
import { inBlankPage } from "./lib/browser-page.mjs";

const { version, result: rows } = await inBlankPage(async () => {
  const { KMSClient, CreateKeyCommand } = await import("/js/browser.mjs");
  const client = new KMSClient({ region: "us-east-1" });
  // Each warm-up is long enough for V8 to have optimized the curve's code (the first calls run unoptimized).
  const time = globalThis.timePerCall;
  const out = [];
  for (const [KeySpec, namedCurve, warm, batch] of [
    ["SYMMETRIC_DEFAULT", null, 3000, 200],
    ["ECC_NIST_P256", "P-256", 300, 20],
    ["ECC_NIST_P384", "P-384", 100, 4],
    ["ECC_NIST_P521", "P-521", 60, 3],
    ["ECC_SECG_P256K1", null, 300, 20],
  ]) {
    const input = KeySpec === "SYMMETRIC_DEFAULT" ? {} : { KeySpec, KeyUsage: "SIGN_VERIFY" };
    const module = await time(() => client.send(new CreateKeyCommand(input)), warm, batch);
    const webCrypto = namedCurve
      ? await time(() => crypto.subtle.generateKey({ name: "ECDSA", namedCurve }, false, ["sign"]), 20, batch)
      : null;
    out.push({ KeySpec, module, webCrypto });
  }
  return out;
});
console.log(`Chromium ${version}: CreateKey, ms per key (the module's own Go code), target ≤ 5 ms:`);
for (const { KeySpec, module, webCrypto } of rows) {
  console.log(
    `  ${KeySpec.padEnd(18)} ${module.toFixed(3).padStart(8)}${KeySpec === "SYMMETRIC_DEFAULT" ? "" : ` (${module <= 5 ? "met" : "MISSED"})`}` +
      (webCrypto === null ? "" : ` | WebCrypto generateKey ${webCrypto.toFixed(3)}`),
  );
}
