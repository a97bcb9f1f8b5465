// One shared world in a process: require("wasmkms") (dist/node.cjs) and import("wasmkms") (js/node.mjs)
// are two copies of the package's code, and clients of both, made without `world`, answer from the same
// world. A World of one copy also serves the other copy's clients in full (retries in its time).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as esm from "wasmkms";

const cjs = createRequire(import.meta.url)("wasmkms");

test("the two entries are two copies of the code (the case this test is about)", () => {
  assert.notEqual(cjs.KMSClient, esm.KMSClient);
  assert.notEqual(cjs.sharedWorld, esm.sharedWorld);
});

test('a key created through require("wasmkms") is seen through import("wasmkms"), and the other way round', async () => {
  const viaRequire = new cjs.KMSClient({ region: "eu-west-1" });
  const viaImport = new esm.KMSClient({ region: "eu-west-1" });

  const { KeyMetadata } = await viaRequire.send(new cjs.CreateKeyCommand({ Description: "made via require" }));
  const described = await viaImport.send(new esm.DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }));
  assert.equal(described.KeyMetadata.Description, "made via require");

  const sealed = await viaImport.send(new esm.EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "across" }));
  const opened = await viaRequire.send(new cjs.DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
  assert.equal(new TextDecoder().decode(opened.Plaintext), "across");

  assert.equal(cjs.sharedWorld(), esm.sharedWorld());
  esm.sharedWorld().reset(); // a reset through one copy empties the world of both
  assert.deepEqual((await viaRequire.send(new cjs.ListKeysCommand({}))).Keys, []);
});

test("a World of either copy is instanceof the other's World class", () => {
  assert.ok(cjs.createWorld() instanceof esm.World);
  assert.ok(esm.createWorld() instanceof cjs.World);
  assert.ok(!({} instanceof esm.World));
});

test("a client of one copy retries in the time of a world of the other (a manual clock, no real waiting)", async () => {
  const start = "2030-01-01T00:00:00Z";
  const world = cjs.createWorld({ clock: start });
  const client = new esm.KMSClient({ region: "eu-west-1", world });
  const { KeyMetadata } = await client.send(new esm.CreateKeyCommand({}));
  await world.faults.add({ operation: "Encrypt", error: "ThrottlingException", times: 2 });
  const began = Date.now();
  const sealed = await client.send(new esm.EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "later" }));
  assert.equal(sealed.$metadata.attempts, 3);
  assert.ok(Date.now() - began < 1000, "the back-off advanced the world's clock instead of sleeping");
  assert.equal((await world.clock.now()).getTime() - Date.parse(start), sealed.$metadata.totalRetryDelay);
});
