// The Node entry points and the loader, each in a fresh process (a realm loads the module once):
// import and require of "wasmkms", a module passed by the caller, a failed load that names its cause
// and lets the next call retry, a trapped instance reported clearly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = async (args, input) => {
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root, encoding: "utf8", input });
  return stdout.trim().split("\n").pop();
};
const esm = (code) => run(["--input-type=module", "-e", code]);
const cjs = (code) => run(["--input-type=commonjs", "-e", code]);

const roundTrip = `
  const client = new KMSClient({ region: "us-east-1" });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "entry" }));
  const { Plaintext } = await client.send(new DecryptCommand({ CiphertextBlob }));
  console.log(new TextDecoder().decode(Plaintext));`;

test("import 'wasmkms' (ESM)", async () => {
  assert.equal(
    await esm(`import { KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand } from "wasmkms";${roundTrip}`),
    "entry",
  );
});

test("require('wasmkms') (CommonJS, dist/node.cjs)", async () => {
  const resolved = await cjs(`console.log(require.resolve("wasmkms"))`);
  assert.match(resolved, /dist[\\/]node\.cjs$/);
  assert.equal(
    await cjs(`const { KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand } = require("wasmkms");
    (async () => {${roundTrip}})().catch((e) => { console.log(String(e)); process.exitCode = 1; });`),
    "entry",
  );
});

test("the CommonJS entry exports the same names as the ESM entry (serve included)", async () => {
  const names = JSON.parse(
    await esm(`
    import { createRequire } from "node:module";
    import * as esmPkg from "wasmkms";
    const cjsPkg = createRequire(import.meta.url)("wasmkms");
    console.log(JSON.stringify({ esm: Object.keys(esmPkg).sort(), cjs: Object.keys(cjsPkg).sort() }));`),
  );
  assert.ok(names.esm.includes("serve"));
  assert.deepEqual(names.cjs, names.esm);
});

test("CommonJS exceptions are instanceof the ESM classes and the other way round", async () => {
  assert.equal(
    await esm(`
    import { createRequire } from "node:module";
    import * as esmPkg from "wasmkms";
    const cjsPkg = createRequire(import.meta.url)("wasmkms");
    const client = new cjsPkg.KMSClient({ region: "us-east-1" });
    const error = await client.send(new cjsPkg.DescribeKeyCommand({ KeyId: "alias/none" })).catch((e) => e);
    console.log(error instanceof esmPkg.NotFoundException && error instanceof esmPkg.KMSServiceException &&
      !(error instanceof esmPkg.DisabledException));`),
    "true",
  );
});

test("configure({ wasm }) with a ready WebAssembly.Module or bytes", async () => {
  for (const source of ["new WebAssembly.Module(bytes)", "bytes"]) {
    assert.equal(
      await esm(`
      import { readFileSync } from "node:fs";
      import { configure, KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand } from "wasmkms";
      const bytes = readFileSync("js/wasmkms.wasm");
      configure({ wasm: ${source} });${roundTrip}`),
      "entry",
      source,
    );
  }
});

test("new KMSClient({ wasm }) chooses the module too; a different one after loading is refused", async () => {
  const out = await esm(`
    import { readFileSync } from "node:fs";
    import { KMSClient, ListKeysCommand } from "wasmkms";
    const module = new WebAssembly.Module(readFileSync("js/wasmkms.wasm"));
    const client = new KMSClient({ region: "us-east-1", wasm: module });
    const keys = (await client.send(new ListKeysCommand({}))).Keys;
    const same = new KMSClient({ region: "us-east-1", wasm: module }); // the same source is fine
    let refused = "";
    try { new KMSClient({ region: "us-east-1", wasm: readFileSync("js/wasmkms.wasm") }); } catch (e) { refused = e.message; }
    console.log(JSON.stringify({ keys, same: same instanceof KMSClient, refused }));`);
  assert.deepEqual(JSON.parse(out), {
    keys: [],
    same: true,
    refused: "wasmkms: configure({ wasm }) must be called before the first call (a module is already loaded)",
  });
});

test("a failed load names its cause, rejects every waiting call, and the next call retries", async () => {
  const out = await esm(`
    import { configure, KMSClient, ListKeysCommand, WasmKMSError } from "wasmkms";
    configure({ wasm: new URL("file:///nonexistent/wasmkms.wasm") });
    const client = new KMSClient({ region: "us-east-1" });
    const errors = await Promise.all([1, 2, 3].map(() => client.send(new ListKeysCommand({})).then(() => null, (e) => e)));
    const same = errors.every((e) => e instanceof WasmKMSError && e.message === errors[0].message);
    const names = errors[0].message.includes("/nonexistent/wasmkms.wasm") && errors[0].message.includes("ENOENT");
    configure({ wasm: new URL("./js/wasmkms.wasm", "file://" + process.cwd() + "/") });
    const keys = (await client.send(new ListKeysCommand({}))).Keys;
    console.log(JSON.stringify({ same, names, retried: Array.isArray(keys) }));`);
  assert.deepEqual(JSON.parse(out), { same: true, names: true, retried: true });
});

test("corrupted bytes give one clear error", async () => {
  const out = await esm(`
    import { configure, KMSClient, ListKeysCommand } from "wasmkms";
    configure({ wasm: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) });
    const e = await new KMSClient({ region: "us-east-1" }).send(new ListKeysCommand({})).catch((e) => e);
    console.log(e.name + ": " + e.message);`);
  assert.match(
    out,
    /^WasmKMSError: wasmkms: cannot load the WebAssembly module from 8 bytes: .*CompileError|WebAssembly/,
  );
});

test("the module is compiled once per realm, even for concurrent first calls", async () => {
  const out = await esm(`
    const original = WebAssembly.compile;
    let compiles = 0;
    WebAssembly.compile = (bytes) => { if (bytes.byteLength > 1e6) compiles++; return original(bytes); };
    const { KMSClient, ListKeysCommand, createWorld } = await import("wasmkms");
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      new KMSClient({ region: "us-east-1", world: i % 2 ? createWorld() : undefined }).send(new ListKeysCommand({}))));
    console.log(compiles);`);
  assert.equal(out, "1");
});
