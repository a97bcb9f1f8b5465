// The playground page, clicked through in headless Chromium as a person would use it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromiumMissing, collectPageErrors, launchChromium } from "../lib/chromium.mjs";
import { repoRoot, startTestServer } from "../lib/page-server.mjs";

const missing = chromiumMissing(); // throws in CI when the browser is missing
let server, browser, page, pageErrors;

before(async () => {
  if (missing) return;
  server = await startTestServer();
  browser = await launchChromium();
  page = browser.page;
  pageErrors = collectPageErrors(page);
  await page.goto(`${server.origin}/web/`);
  await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const resultKind = () => page.getAttribute("#result", "data-kind");
const resultValue = (term) => page.textContent(`#result dd[data-term="${term}"]`);
const errorName = () => page.getAttribute("#error-name", "data-name");
const errorMessage = () => page.getAttribute("#error-message", "data-message");

// Clicks a button and waits until the Result panel shows the answer of that operation.
async function clickAndWait(selector, op) {
  const before = await page.locator("#log li").count();
  await page.click(selector);
  await page.waitForFunction((n) => document.querySelectorAll("#log li").length > n, before, { timeout: 60_000 });
  assert.equal(await page.getAttribute("#result", "data-op"), op);
}

async function createKey(region, spec) {
  await page.selectOption("#key-spec", spec);
  await page.selectOption("#region", region);
  await clickAndWait("#create-key", "CreateKey");
  assert.equal(await resultKind(), "ok", `CreateKey ${spec} in ${region}: ${await page.textContent("#result")}`);
  return { arn: await resultValue("Arn"), keyId: await resultValue("KeyId") };
}

async function blobBytes() {
  const base64 = await page.inputValue("#blob-base64");
  return Buffer.from(base64, "base64");
}

test("the page loads the module and is ready", { skip: missing ?? false }, async () => {
  assert.equal(await page.getAttribute("#status", "data-state"), "ready", await page.textContent("#status"));
  assert.deepEqual(pageErrors, []);
});

test("symmetric key: create, encrypt with context, decrypt, tamper, disable", { skip: missing ?? false }, async () => {
  const text = "Hello from the playground test";
  const { arn } = await createKey("us-east-1", "SYMMETRIC_DEFAULT");
  assert.match(arn, /^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
  assert.equal(await page.textContent("#keys tr.current .state"), "Enabled");

  await page.fill("#plaintext", text);
  await page.fill("#context", "purpose=playground\nteam=test");
  await clickAndWait("#encrypt", "Encrypt");
  assert.equal(await resultKind(), "ok", await page.textContent("#result"));
  assert.equal(await resultValue("KeyId"), arn);
  assert.equal(await resultValue("EncryptionAlgorithm"), "SYMMETRIC_DEFAULT");

  // The three views of the blob agree: base64, hex and size.
  const blob = await blobBytes();
  assert.equal(await page.textContent("#blob-size"), `${blob.length} bytes`);
  const hex = (await page.textContent("#blob-hex")).replace(/\s+/g, "");
  assert.equal(hex, blob.toString("hex"));
  assert.ok(blob.length > text.length, "the blob is longer than the plaintext");

  await clickAndWait("#decrypt", "Decrypt");
  assert.equal(await resultKind(), "ok", await page.textContent("#result"));
  assert.equal(await resultValue("Plaintext"), text);
  assert.equal(await resultValue("KeyId"), arn);

  // Another encryption context: the blob does not open.
  await page.fill("#context", "purpose=playground\nteam=other");
  await clickAndWait("#decrypt", "Decrypt");
  assert.equal(await errorName(), "InvalidCiphertextException");
  await page.fill("#context", "purpose=playground\nteam=test");

  // Flip the last byte: InvalidCiphertextException. KMS sends it with no message, and the AWS SDK
  // then reports the message "UnknownError" (smithy's decorateServiceException); so does wasmkms.
  await page.fill("#flip-index", "-1");
  await page.click("#tamper");
  const tampered = await blobBytes();
  assert.equal(tampered.length, blob.length);
  assert.equal(tampered[tampered.length - 1], blob[blob.length - 1] ^ 0x01);
  assert.deepEqual(tampered.subarray(0, -1), blob.subarray(0, -1));
  assert.equal(await page.textContent("#blob-hex mark"), tampered.subarray(-1).toString("hex"));
  await clickAndWait("#decrypt", "Decrypt");
  assert.equal(await resultKind(), "error");
  assert.equal(await errorName(), "InvalidCiphertextException");
  assert.equal(await errorMessage(), "UnknownError");
  assert.equal(await resultValue("$fault"), "client");
  assert.equal(await resultValue("HTTP status"), "400");

  // Disable the key: Encrypt answers DisabledException naming the key ARN.
  await clickAndWait("#disable-key", "DisableKey");
  assert.equal(await resultKind(), "ok", await page.textContent("#result"));
  assert.equal(await page.textContent("#keys tr.current .state"), "Disabled");
  await clickAndWait("#encrypt", "Encrypt");
  assert.equal(await errorName(), "DisabledException");
  assert.equal(await errorMessage(), `${arn} is disabled.`);

  // Enable it again: encryption works again.
  await clickAndWait("#enable-key", "EnableKey");
  await clickAndWait("#encrypt", "Encrypt");
  assert.equal(await resultKind(), "ok", await page.textContent("#result"));
});

test("RSA keys of each size and an SM2 key in a China region encrypt and decrypt", {
  skip: missing ?? false,
}, async () => {
  const cases = [
    ["us-east-1", "RSA_2048", "RSAES_OAEP_SHA_256", 256],
    ["us-east-1", "RSA_3072", "RSAES_OAEP_SHA_1", 384],
    ["eu-west-1", "RSA_4096", "RSAES_OAEP_SHA_256", 512],
    ["cn-north-1", "SM2", "SM2PKE", null],
  ];
  for (const [region, spec, algorithm, blobSize] of cases) {
    const { arn } = await createKey(region, spec);
    const partition = region.startsWith("cn-") ? "aws-cn" : "aws";
    assert.match(arn, new RegExp(`^arn:${partition}:kms:${region}:111122223333:key/`));
    assert.equal(await page.isDisabled("#context"), true, "the context is for symmetric keys only");
    if (!(await page.isDisabled("#algorithm"))) await page.selectOption("#algorithm", algorithm);
    await page.fill("#plaintext", `secret for ${spec}`);
    await clickAndWait("#encrypt", "Encrypt");
    assert.equal(await resultKind(), "ok", `${spec}: ${await page.textContent("#result")}`);
    assert.equal(await resultValue("EncryptionAlgorithm"), algorithm);
    // RSA-OAEP ciphertext is the raw RSA output: exactly the modulus length.
    if (blobSize !== null) assert.equal((await blobBytes()).length, blobSize, spec);
    await clickAndWait("#decrypt", "Decrypt");
    assert.equal(await resultKind(), "ok", `${spec}: ${await page.textContent("#result")}`);
    assert.equal(await resultValue("Plaintext"), `secret for ${spec}`);
    await page.click("#tamper");
    await clickAndWait("#decrypt", "Decrypt");
    assert.equal(await errorName(), "InvalidCiphertextException", spec);
  }
  assert.deepEqual(pageErrors, []);
});

test("an SM2 key outside the China regions: the service's ValidationException is shown", {
  skip: missing ?? false,
}, async () => {
  await page.selectOption("#key-spec", "SM2"); // the page then suggests cn-north-1; pick another region
  await page.selectOption("#region", "us-east-1");
  await clickAndWait("#create-key", "CreateKey");
  assert.equal(await resultKind(), "error");
  assert.equal(await errorName(), "ValidationException");
  assert.match(await errorMessage(), /SM2/);
});

test("screenshot of the playground", { skip: missing ?? false }, async () => {
  const dir = join(repoRoot, "test-output");
  await mkdir(dir, { recursive: true });
  const path = join(dir, "playground.png");
  await page.screenshot({ path, fullPage: true });
  console.log(`# screenshot: ${path}`);
});
