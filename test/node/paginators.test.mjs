// The SDK's paginators and enum objects, which code written for @aws-sdk/client-kms imports.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as pkg from "wasmkms";
import * as sdk from "@aws-sdk/client-kms";

test("paginateListKeys and kms.paginateListAliases page through with Marker/NextMarker", async () => {
  const world = pkg.createWorld();
  const client = new pkg.KMSClient({ region: "us-east-1", world });
  const created = [];
  for (let i = 0; i < 5; i++) created.push((await client.send(new pkg.CreateKeyCommand({}))).KeyMetadata.KeyId);
  const pages = [];
  for await (const page of pkg.paginateListKeys({ client, pageSize: 2 }, {})) pages.push(page.Keys.map((k) => k.KeyId));
  assert.deepEqual(
    pages.map((p) => p.length),
    [2, 2, 1],
  );
  assert.deepEqual(pages.flat().sort(), created.sort());

  const kms = new pkg.KMS({ region: "us-east-1", world });
  for (let i = 0; i < 3; i++) await kms.createAlias({ AliasName: `alias/page-${i}`, TargetKeyId: created[i] });
  const aliases = [];
  for await (const page of kms.paginateListAliases({}, { pageSize: 1 }))
    aliases.push(...page.Aliases.map((a) => a.AliasName));
  assert.deepEqual(aliases.filter((a) => a.startsWith("alias/page-")).sort(), [
    "alias/page-0",
    "alias/page-1",
    "alias/page-2",
  ]);
  await assert.rejects(
    pkg.paginateListKeys({ client: {} }, {}).next(),
    /Invalid client, expected instance of KMSClient/,
  );
});

test("a paginator for each paginated operation of the table, exported by name", () => {
  for (const [name, op] of Object.entries(pkg.operations)) {
    if (op.paginated) assert.equal(typeof pkg[`paginate${name}`], "function", `paginate${name}`);
  }
});

test("the enum objects equal the SDK's", () => {
  for (const name of ["KeySpec", "KeyUsageType", "KeyState", "EncryptionAlgorithmSpec", "DataKeySpec", "OriginType"]) {
    assert.deepEqual({ ...pkg[name] }, { ...sdk[name] }, name);
  }
});
