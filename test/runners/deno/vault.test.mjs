// Deno.test (deno test --allow-read: the package reads its module file): the code under test is handed
// a wasmkms client on a world of its own for each test.
import assert from "node:assert/strict";
import { KMS, NotFoundException, createWorld } from "wasmkms";
import { vault } from "./vault.mjs";

const newKMS = () => new KMS({ region: "eu-west-1", world: createWorld() });

Deno.test("seals and unseals with a real key", async () => {
  const kms = newKMS();
  const { KeyMetadata } = await kms.createKey({ Description: "Deno.test" });
  const ciphertext = await vault(kms).seal(KeyMetadata.KeyId, "hello from Deno.test");
  assert.ok(ciphertext.length > 100);
  assert.equal(await vault(kms).unseal(ciphertext), "hello from Deno.test");
});

Deno.test("every test has a world of its own", async () => {
  const { Keys } = await newKMS().listKeys({});
  assert.deepEqual(Keys, []);
});

Deno.test("answers KMS's exceptions", async () => {
  await assert.rejects(newKMS().describeKey({ KeyId: "alias/missing" }), NotFoundException);
});
