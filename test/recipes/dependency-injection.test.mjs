// Recipe: application code that takes a KMS client and builds its commands from @aws-sdk/client-kms
// (app/secret-store.mjs), tested by handing it a wasmkms client, then the real SDK's client answering
// in-process through createRequestHandler(). Either way each test gets its own world, holding the key
// the application is configured with (a fixture), and can look at the calls the application made.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { KMSClient as SdkKMSClient } from "@aws-sdk/client-kms";
import { KMSClient, createRequestHandler, createWorld } from "wasmkms";
import { SecretStore } from "./app/secret-store.mjs";

// The two clients the application can be handed, each over a world of the test's own.
const clients = {
  "a wasmkms KMSClient": (world) => new KMSClient({ region: "us-east-1", world }),
  "the real SDK's KMSClient with createRequestHandler()": (world) =>
    new SdkKMSClient({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "test" },
      requestHandler: createRequestHandler({ world }),
    }),
};

for (const [kind, makeClient] of Object.entries(clients)) {
  describe(`SecretStore with ${kind}`, () => {
    test("a sealed secret opens under its own name", async () => {
      const world = createWorld({ fixtures: { keys: [{ aliases: ["alias/secrets"] }] } });
      const store = new SecretStore(makeClient(world), "alias/secrets");
      const sealed = await store.seal("db-password", "hunter2");
      assert.equal(await store.open("db-password", sealed), "hunter2");
      const [call] = await world.calls({ operation: "Encrypt" });
      assert.deepEqual(call.input.EncryptionContext, { secret: "db-password" });
    });

    test("a secret does not open under another name", async () => {
      const world = createWorld({ fixtures: { keys: [{ aliases: ["alias/secrets"] }] } });
      const store = new SecretStore(makeClient(world), "alias/secrets");
      const sealed = await store.seal("db-password", "hunter2");
      assert.equal(await store.open("api-token", sealed), null);
      const [call] = await world.calls({ operation: "Decrypt" });
      assert.equal(call.error.name, "InvalidCiphertextException");
    });
  });
}
