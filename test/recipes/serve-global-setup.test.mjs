// Recipe: code that builds its own real SDK client (app/envelope.mjs: `new KMSClient({})`, no endpoint
// option) tested against wasmkms's endpoint, which a global setup (setup/kms-endpoint.mjs) serves and
// names in AWS_ENDPOINT_URL_KMS. The tests reach the served world directly for setup and assertions.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, KMSClient } from "wasmkms";
import { world } from "./setup/kms-endpoint.mjs";
import { openDocument, sealDocument } from "./app/envelope.mjs";

let keyId;
beforeEach(async () => {
  world.reset();
  const client = new KMSClient({ region: "us-east-1", world });
  ({
    KeyMetadata: { KeyId: keyId },
  } = await client.send(new CreateKeyCommand({ Description: "documents" })));
});

test("the application's own SDK client reaches the endpoint named by AWS_ENDPOINT_URL_KMS", async () => {
  assert.match(process.env.AWS_ENDPOINT_URL_KMS, /^http:\/\/127\.0\.0\.1:\d+$/);
  const sealed = await sealDocument(keyId, "total: 99 EUR", { document: "invoice-42" });
  assert.equal(await openDocument(sealed, { document: "invoice-42" }), "total: 99 EUR");
  const calls = await world.calls();
  assert.deepEqual(
    calls.map((call) => [call.operation, call.input.EncryptionContext]),
    [
      ["CreateKey", undefined],
      ["GenerateDataKey", { document: "invoice-42" }],
      ["Decrypt", { document: "invoice-42" }],
    ],
  );
});

test("errors reach the application as the SDK's exceptions, and its client retries as it would against AWS", async () => {
  const sealed = await sealDocument(keyId, "total: 99 EUR", { document: "invoice-42" });
  await assert.rejects(openDocument(sealed, { document: "invoice-43" }), { name: "InvalidCiphertextException" });

  await world.faults.add({ operation: "GenerateDataKey", error: "KMSInternalException", times: 1 });
  await sealDocument(keyId, "x", {});
  const attempts = await world.calls({ operation: "GenerateDataKey" });
  assert.deepEqual(
    attempts.slice(1).map((call) => call.error?.name),
    ["KMSInternalException", undefined],
  );
});
