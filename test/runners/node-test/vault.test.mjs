// node:test: the code under test is handed a wasmkms client on a world of this file's own, emptied
// before every test.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { KMS, NotFoundException, createWorld } from "wasmkms";
import { vault } from "./vault.mjs";

describe("vault against wasmkms", () => {
  const world = createWorld();
  const kms = new KMS({ region: "eu-west-1", world });
  beforeEach(() => world.reset());

  it("seals and unseals with a real key", async () => {
    const { KeyMetadata } = await kms.createKey({ Description: "node:test" });
    const ciphertext = await vault(kms).seal(KeyMetadata.KeyId, "hello from node:test");
    assert.ok(ciphertext.length > 100);
    assert.equal(await vault(kms).unseal(ciphertext), "hello from node:test");
  });

  it("starts every test from an empty world", async () => {
    const { Keys } = await kms.listKeys({});
    assert.deepEqual(Keys, []);
  });

  it("answers KMS's exceptions", async () => {
    await assert.rejects(kms.describeKey({ KeyId: "alias/missing" }), NotFoundException);
  });
});
