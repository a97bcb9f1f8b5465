// Recipe: a snapshot test that relies on the seed. Two worlds with the same seed and the same clock,
// given the same calls, answer byte for byte alike (key IDs, key material, ciphertexts), so a test can
// store what the code under test produced once (snapshots/seeded-snapshot.json) and compare every
// later run with it. UPDATE_SNAPSHOTS=1 stores it again, after a change to the seed, clock or calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { readFile, writeFile } from "node:fs/promises";
import { CreateKeyCommand, EncryptCommand, KMSClient, createWorld } from "wasmkms";

// The code under test: makes a key and seals an order under it.
async function sealOrder(kms) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "orders" }));
  const { CiphertextBlob } = await kms.send(
    new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "order 42", EncryptionContext: { order: "42" } }),
  );
  return { keyId: KeyMetadata.KeyId, ciphertext: Buffer.from(CiphertextBlob).toString("base64") };
}

const stored = new URL("./snapshots/seeded-snapshot.json", import.meta.url);

test("the same seed gives the same key and ciphertext, run after run", async () => {
  const options = { seed: "orders-suite", clock: "2030-01-01T00:00:00Z" };
  const first = await sealOrder(new KMSClient({ region: "eu-west-1", world: createWorld(options) }));
  const again = await sealOrder(new KMSClient({ region: "eu-west-1", world: createWorld(options) }));
  assert.deepEqual(again, first);
  if (process.env.UPDATE_SNAPSHOTS) await writeFile(stored, `${JSON.stringify(first, null, 2)}\n`);
  assert.deepEqual(first, JSON.parse(await readFile(stored, "utf8")));
});
