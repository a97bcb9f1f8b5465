// Cloudflare workerd through miniflare: a Worker bundled the way wrangler bundles it (the package
// resolved through its `workerd` condition, the .wasm as a CompiledWasm module) answers requests with
// Encrypt and Decrypt, errors included, and bad input gives the same exceptions as in Node.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import * as nodePackage from "../../js/node.mjs";
import { badInputCases } from "../lib/bad-input-cases.mjs";
import { bundleWorker, startWorker } from "../lib/workerd-bundle.mjs";

const workerSource = fileURLToPath(new URL("./worker.mjs", import.meta.url));
const compressedLimit = 3 * 1024 * 1024; // Cloudflare's Worker size limit on the free plan, compressed
let bundle, mf, startup;

before(async () => {
  bundle = await bundleWorker(workerSource);
  const started = performance.now();
  mf = await startWorker(bundle);
  const ready = performance.now();
  const first = await post("/create-key");
  startup = { workerReadyMs: ready - started, firstCallMs: performance.now() - ready, first };
});

after(async () => {
  await mf?.dispose();
  await bundle?.close();
});

async function post(path, body = {}) {
  const response = await mf.dispatchFetch(`http://worker${path}`, { method: "POST", body: JSON.stringify(body) });
  assert.equal(response.status, 200, `${path}: HTTP ${response.status}`);
  return response.json();
}

test("the Worker bundle: the workerd entry, the module as a separate file, within 3 MB compressed", (t) => {
  const names = bundle.files.map((f) => f.name).sort();
  assert.deepEqual(names, ["wasmkms.wasm", "worker.mjs"]);
  const script = bundle.files.find((f) => f.name === "worker.mjs").bytes.toString();
  assert.match(script, /from\s*"\.\/wasmkms\.wasm"/, "the module is imported statically, not inlined");
  t.diagnostic(
    `Worker bundle: ${bundle.files.map((f) => `${f.name} ${f.bytes.length} B`).join(", ")}; ` +
      `gzip -9 total ${bundle.gzipBytes} B (limit ${compressedLimit})`,
  );
  assert.ok(bundle.gzipBytes <= compressedLimit, `${bundle.gzipBytes} B compressed`);
});

test("startup: the Worker loads and its first call (module instantiation + CreateKey) answers", (t) => {
  assert.equal(startup.first.error, undefined, JSON.stringify(startup.first.error));
  assert.match(startup.first.output.Arn, /^arn:aws:kms:us-east-1:111122223333:key\//);
  t.diagnostic(
    `workerd: miniflare ready ${startup.workerReadyMs.toFixed(0)} ms; ` +
      `first request (instantiate + CreateKey) ${startup.firstCallMs.toFixed(0)} ms`,
  );
});

test("Encrypt and Decrypt per request, with an encryption context", async () => {
  const { output: key } = await post("/create-key");
  const context = { tenant: "a", purpose: "workerd test" };
  const { output: encrypted, error } = await post("/encrypt", {
    KeyId: key.KeyId,
    Text: "hello from workerd",
    EncryptionContext: context,
  });
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(encrypted.KeyId, key.Arn);
  assert.equal(encrypted.EncryptionAlgorithm, "SYMMETRIC_DEFAULT");
  assert.equal(encrypted.BlobIsUint8Array, true);
  assert.equal(Buffer.from(encrypted.CiphertextBlob, "base64").length, encrypted.Size);

  // A later request opens it: the Worker's world lives across requests of one isolate.
  const decrypted = await post("/decrypt", { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context });
  assert.deepEqual(decrypted, {
    output: { Text: "hello from workerd", KeyId: key.Arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" },
  });

  const wrongContext = await post("/decrypt", {
    CiphertextBlob: encrypted.CiphertextBlob,
    EncryptionContext: { tenant: "b", purpose: "workerd test" },
  });
  assert.equal(wrongContext.error.name, "InvalidCiphertextException");
  assert.equal(wrongContext.error.fault, "client");
  assert.equal(wrongContext.error.httpStatusCode, 400);
});

test("errors come back as the SDK gives them: NotFoundException with its message", async () => {
  const missingKey = "11111111-2222-3333-4444-555555555555";
  const answer = await post("/encrypt", { KeyId: missingKey, Text: "x" });
  assert.deepEqual(answer.error, {
    name: "NotFoundException",
    message: `Key 'arn:aws:kms:us-east-1:111122223333:key/${missingKey}' does not exist`,
    fault: "client",
    httpStatusCode: 400,
    isError: true,
  });
});

test("without nodejs_compat the module has no host primitives (the imports are stubs) and runs its own code", async () => {
  const { output, error } = await post("/host-crypto");
  assert.equal(error, undefined, JSON.stringify(error));
  assert.deepEqual(output, { SignatureValid: true, status: { inUse: false, capabilities: 0, primitivesRun: 0 } });
});

test("bad input gives the same exceptions in workerd as in Node", async () => {
  const client = new nodePackage.KMSClient({ region: "us-east-1", world: nodePackage.createWorld() });
  const nodeKey = (await client.send(new nodePackage.CreateKeyCommand({}))).KeyMetadata.KeyId;
  const { output: workerKey } = await post("/create-key");
  for (const c of badInputCases) {
    let inNode;
    try {
      await client.send(c.command(nodePackage, nodeKey));
      inNode = { outcome: "resolved" };
    } catch (err) {
      inNode = {
        name: err.name,
        message: err.message.replaceAll(nodeKey, "<key-id>"),
        fault: err.$fault,
        httpStatusCode: err.$metadata?.httpStatusCode,
      };
    }
    const { error } = await post("/bad-input", { Case: c.name, KeyId: workerKey.KeyId });
    assert.ok(error, `${c.name}: the Worker's call did not fail`);
    const inWorker = {
      name: error.name,
      message: error.message.replaceAll(workerKey.KeyId, "<key-id>"),
      fault: error.fault,
      httpStatusCode: error.httpStatusCode,
    };
    assert.deepEqual(inWorker, inNode, c.name);
  }
});
