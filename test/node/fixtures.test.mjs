// createWorld({ fixtures }): keys a test suite starts from, loaded when the world is made (at its first
// call) and again by every reset(); fixtures the core refuses reject that call, and every later one,
// with a WasmKMSError that names the refused member's path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  WasmKMSError,
  createWorld,
} from "wasmkms";

const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const HMAC_ID = "0987dcba-09fe-87dc-65ba-ab0987654321";
const hmacMaterial = Buffer.alloc(32, 7);

const fixtures = {
  keys: [
    { keyId: KEY_ID, description: "from fixtures", aliases: ["alias/orders"], tags: { team: "payments" } },
    { keyId: HMAC_ID, keySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC", material: hmacMaterial.toString("base64") },
  ],
};

test("a world starts with its fixture keys, and reset() brings them back", async () => {
  const world = createWorld({ fixtures, clock: "2030-05-05T00:00:00Z" });
  const client = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: "alias/orders" }));
  assert.equal(KeyMetadata.KeyId, KEY_ID);
  assert.equal(KeyMetadata.Description, "from fixtures");
  assert.deepEqual(KeyMetadata.CreationDate, new Date("2030-05-05T00:00:00Z"));

  // The fixture material is the key's: the MAC is the user's own HMAC.
  const { Mac } = await client.send(
    new GenerateMacCommand({ KeyId: HMAC_ID, Message: "m", MacAlgorithm: "HMAC_SHA_256" }),
  );
  assert.deepEqual(Buffer.from(Mac), createHmac("sha256", hmacMaterial).update("m").digest());

  const sealed = await client.send(new EncryptCommand({ KeyId: "alias/orders", Plaintext: "p" }));
  world.reset();
  const { Keys } = await client.send(new ListKeysCommand({}));
  assert.deepEqual(Keys.map((k) => k.KeyId).sort(), [HMAC_ID, KEY_ID].sort());
  const { Aliases } = await client.send(new ListAliasesCommand({}));
  assert.ok(Aliases.some((a) => a.AliasName === "alias/orders" && a.TargetKeyId === KEY_ID));
  // A seedless world's generated material differs after reset: the old blob no longer opens.
  await assert.rejects(client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob })));
  // Loading fixtures is no KMS call: the journal has only the calls made since the reset.
  assert.deepEqual(
    (await world.calls()).map((c) => c.operation),
    ["ListKeys", "ListAliases", "Decrypt"],
  );
});

test("refused fixtures reject the first call, and every later one, with a WasmKMSError naming the path", async () => {
  const world = createWorld({
    fixtures: { keys: [{ keyId: KEY_ID }, { keySpec: "RSA_2048", keyUsage: "ENCRYPT_DECRYPT", material: "%%%" }] },
  });
  const client = new KMSClient({ region: "us-east-1", world });
  for (let i = 0; i < 2; i++) {
    const error = await client.send(new ListKeysCommand({})).then(
      () => assert.fail("the call succeeded"),
      (e) => e,
    );
    assert.ok(error instanceof WasmKMSError, `${error?.name}: ${error?.message}`);
    assert.match(error.message, /createWorld's fixtures were refused/);
    assert.match(error.message, /keys\[1\]\.material/);
  }
  await assert.rejects(world.calls(), WasmKMSError, "the controls too: the world was never made");
});

test("fixtures must be an object, checked at once", () => {
  assert.throws(() => createWorld({ fixtures: "keys.json" }), { name: "TypeError", message: /loadFixtures\(path\)/ });
  assert.throws(() => createWorld({ fixtures: [] }), TypeError);
});

test("the .d.ts declares a fixture key's members as js/fixtures.schema.json has them", () => {
  const schema = JSON.parse(readFileSync(new URL("../../js/fixtures.schema.json", import.meta.url), "utf8"));
  const declarations = readFileSync(new URL("../../js/index.d.ts", import.meta.url), "utf8");
  const body = /export interface FixtureKey \{([\s\S]*?)\n\}/.exec(declarations)?.[1] ?? "";
  const members = [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]);
  assert.deepEqual(members, Object.keys(schema.$defs.key.properties));
  assert.deepEqual(Object.keys(schema.properties), ["keys"]);
});
