// Values of another JS realm are taken as this realm's own. Test runners' DOM emulations mix realms as a
// matter of course: in jest's jsdom environment, a Buffer, a URL from node:url or a TextEncoder's output
// is Node's, while the test and the package run in the window's realm, where `instanceof Uint8Array`
// and `instanceof URL` answer false for them. A node:vm context is such another realm; jsdom's URL is
// another URL implementation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import vm from "node:vm";
import { JSDOM } from "jsdom";
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  InvalidCiphertextException,
  KMSClient,
  VerifyMacCommand,
  createRequestHandler,
  createWorld,
} from "wasmkms";

const wasmURL = new URL("../../js/wasmkms.wasm", import.meta.url);
const wasmBytes = await readFile(wasmURL);
const other = vm.createContext({ wasmBytes });
const inOtherRealm = (code) => vm.runInContext(code, other);

test("the values below really are of another realm", () => {
  assert.equal(inOtherRealm("new Uint8Array(1)") instanceof Uint8Array, false);
  assert.equal(inOtherRealm("new Date()") instanceof Date, false);
  assert.equal(Object.getPrototypeOf(inOtherRealm("({})")) === Object.prototype, false);
  assert.equal(new new JSDOM("").window.URL(wasmURL.href) instanceof URL, false);
});

test("module sources of another realm: bytes, an ArrayBuffer, a WebAssembly.Module, another URL implementation", async () => {
  const sources = {
    "a Uint8Array": inOtherRealm("new Uint8Array(wasmBytes)"),
    "an ArrayBuffer": inOtherRealm("new Uint8Array(wasmBytes).buffer"),
    "a WebAssembly.Module": inOtherRealm("new WebAssembly.Module(wasmBytes)"),
    "a jsdom URL": new new JSDOM("").window.URL(wasmURL.href),
  };
  await Promise.all(
    Object.entries(sources).map(async ([what, wasm]) => {
      const client = new KMSClient({ region: "eu-west-1", world: createWorld({ wasm }) });
      const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: what }));
      assert.equal(KeyMetadata.Description, what);
    }),
  );
});

test("a plaintext and an encryption context of another realm, on the direct path and as JSON", async () => {
  for (const directPath of [true, false]) {
    const world = createWorld({ directPath });
    const client = new KMSClient({ region: "eu-west-1", world });
    const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
    const plaintext = inOtherRealm("new Uint8Array([1, 2, 3, 250])");
    const context = inOtherRealm('({ purpose: "realms" })');
    const sealed = await client.send(
      new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    const opened = await client.send(
      new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { purpose: "realms" } }),
    );
    assert.deepEqual([...opened.Plaintext], [1, 2, 3, 250], `directPath ${directPath}`);
    // The context was bound, not dropped: without it the ciphertext does not open.
    await assert.rejects(
      client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob })),
      InvalidCiphertextException,
    );
    assert.equal(world.directCalls > 0, directPath);
  }
});

test("a blob of another realm in an operation without a direct path (GenerateMac, VerifyMac)", async () => {
  const client = new KMSClient({ region: "eu-west-1", world: createWorld() });
  const { KeyMetadata } = await client.send(
    new CreateKeyCommand({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" }),
  );
  const message = inOtherRealm("new Uint8Array([104, 105])"); // "hi"
  const input = { KeyId: KeyMetadata.KeyId, MacAlgorithm: "HMAC_SHA_256" };
  const { Mac } = await client.send(new GenerateMacCommand({ ...input, Message: message }));
  const ofString = await client.send(new GenerateMacCommand({ ...input, Message: "hi" }));
  assert.deepEqual(Mac, ofString.Mac);
  const verified = await client.send(
    new VerifyMacCommand({ ...input, Message: message, Mac: inOtherRealm("x => new Uint8Array(x)")(Mac) }),
  );
  assert.equal(verified.MacValid, true);
});

test("a Date of another realm for the world's clock", async () => {
  const world = createWorld({ clock: inOtherRealm('new Date("2031-02-03T04:05:06Z")') });
  assert.equal((await world.clock.now()).toISOString(), "2031-02-03T04:05:06.000Z");
  await world.clock.set(inOtherRealm('new Date("2032-01-01T00:00:00Z")'));
  assert.equal((await world.clock.now()).toISOString(), "2032-01-01T00:00:00.000Z");
});

test("an abort reason of another realm is the AbortError's cause", async () => {
  const reason = inOtherRealm('new Error("stop")');
  const controller = new AbortController();
  controller.abort(reason);
  const handler = createRequestHandler({ world: createWorld() });
  const request = { method: "POST", hostname: "kms.eu-west-1.amazonaws.com", path: "/", headers: {}, body: "{}" };
  const error = await handler.handle(request, { abortSignal: controller.signal }).then(
    () => assert.fail("an aborted request was answered"),
    (e) => e,
  );
  assert.equal(error.name, "AbortError");
  assert.equal(error.message, "Request aborted");
  assert.equal(error.cause, reason);
});
