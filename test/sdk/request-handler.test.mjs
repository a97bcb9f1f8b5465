// The real @aws-sdk/client-kms with our request handler: it builds, signs and parses as against AWS,
// and gets its own exception classes, $metadata and outputs back.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  InvalidCiphertextException,
  KMSServiceException,
  NotFoundException,
} from "@aws-sdk/client-kms";
import { createRequestHandler, createWorld, sharedWorld } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("Encrypt and Decrypt round-trip through the real SDK, with the SDK's output shapes", async () => {
  const client = realClient({ requestHandler: createRequestHandler({ world: createWorld() }) });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const plaintext = Uint8Array.from({ length: 32 }, (_, i) => i);
  const encrypted = await client.send(
    new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext, EncryptionContext: { purpose: "sdk" } }),
  );
  assert.ok(encrypted.CiphertextBlob instanceof Uint8Array);
  assert.equal(encrypted.KeyId, KeyMetadata.Arn);
  assert.equal(encrypted.EncryptionAlgorithm, "SYMMETRIC_DEFAULT");
  assert.equal(encrypted.$metadata.httpStatusCode, 200);
  assert.match(encrypted.$metadata.requestId, UUID);
  assert.equal(encrypted.$metadata.attempts, 1);
  assert.ok(KeyMetadata.CreationDate instanceof Date);

  const decrypted = await client.send(
    new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { purpose: "sdk" } }),
  );
  assert.deepEqual(decrypted.Plaintext, plaintext);
  assert.equal(decrypted.KeyId, KeyMetadata.Arn);

  const text = await client.send(
    new EncryptCommand({ KeyId: KeyMetadata.Arn, Plaintext: "a string is sent as its UTF-8 bytes" }),
  );
  const back = await client.send(new DecryptCommand({ CiphertextBlob: text.CiphertextBlob }));
  assert.equal(new TextDecoder().decode(back.Plaintext), "a string is sent as its UTF-8 bytes");
});

test("errors are the real package's exception classes, with the service's message and $metadata", async () => {
  const client = realClient({ requestHandler: createRequestHandler({ world: createWorld() }) });
  const missing = "1234abcd-12ab-34cd-56ef-1234567890ab";
  const error = await client.send(new DescribeKeyCommand({ KeyId: missing })).then(
    () => assert.fail("DescribeKey of a missing key succeeded"),
    (e) => e,
  );
  assert.ok(error instanceof NotFoundException, `${error?.constructor?.name}: ${error}`);
  assert.ok(error instanceof KMSServiceException);
  assert.equal(error.name, "NotFoundException");
  assert.equal(error.message, `Key 'arn:aws:kms:us-east-1:111122223333:key/${missing}' does not exist`);
  assert.equal(error.$fault, "client");
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.match(error.$metadata.requestId, UUID);

  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const { CiphertextBlob } = await client.send(
    new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "x", EncryptionContext: { ab: "c" } }),
  );
  await assert.rejects(
    client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { a: "bc" } })),
    (e) => e instanceof InvalidCiphertextException,
  );
});

test("a 12-digit access key id is the account; any other is the default account; accountId fixes it", async () => {
  const world = createWorld();
  const arnOf = async (options, handlerOptions = {}) => {
    const client = realClient({ ...options, requestHandler: createRequestHandler({ world, ...handlerOptions }) });
    return (await client.send(new CreateKeyCommand({}))).KeyMetadata.Arn;
  };
  assert.match(
    await arnOf({ accessKeyId: "444455556666", region: "eu-west-3" }),
    /^arn:aws:kms:eu-west-3:444455556666:key\//,
  );
  assert.match(
    await arnOf({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", region: "us-west-2" }),
    /^arn:aws:kms:us-west-2:111122223333:key\//,
  );
  assert.match(
    await arnOf({ accessKeyId: "4444555566667", region: "us-west-2" }),
    /^arn:aws:kms:us-west-2:111122223333:key\//,
  );
  assert.match(
    await arnOf({ accessKeyId: "444455556666", region: "cn-north-1" }, { accountId: "999988887777" }),
    /^arn:aws-cn:kms:cn-north-1:999988887777:key\//,
  );

  // Accounts are apart: a key ID of one account is not found from another.
  const owner = realClient({ accessKeyId: "444455556666", requestHandler: createRequestHandler({ world }) });
  const stranger = realClient({ accessKeyId: "555566667777", requestHandler: createRequestHandler({ world }) });
  const { KeyMetadata } = await owner.send(new CreateKeyCommand({}));
  await assert.rejects(stranger.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId })), NotFoundException);
});

test("without a world the handler answers from the shared world", async () => {
  const client = realClient({ accessKeyId: "313131313131", requestHandler: createRequestHandler() });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "in the shared world" }));
  const answer = await sharedWorld().call(
    { account: "313131313131", region: "us-east-1", principal: "" },
    "TrentService.DescribeKey",
    JSON.stringify({ KeyId: KeyMetadata.KeyId }),
  );
  assert.equal(answer.status, 200, answer.body);
  assert.equal(JSON.parse(answer.body).KeyMetadata.Description, "in the shared world");
});

test("handle() takes a string body (older SDKs), answers bytes, and never serves WasmKMS.* targets", async () => {
  const world = createWorld();
  const handler = createRequestHandler({ world });
  const request = (target, body) => ({
    method: "POST",
    protocol: "https:",
    hostname: "kms.eu-north-1.amazonaws.com",
    path: "/",
    query: {},
    headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target },
    body,
  });
  const { response } = await handler.handle(request("TrentService.CreateKey", '{"Description":"string body"}'));
  assert.equal(response.statusCode, 200);
  assert.ok(response.body instanceof Uint8Array);
  assert.equal(response.headers["content-type"], "application/x-amz-json-1.1");
  assert.equal(Number(response.headers["content-length"]), response.body.byteLength);
  assert.match(response.headers["x-amzn-requestid"], UUID);
  // Unsigned: the region comes from the host name.
  assert.match(
    JSON.parse(new TextDecoder().decode(response.body)).KeyMetadata.Arn,
    /^arn:aws:kms:eu-north-1:111122223333:key\//,
  );

  const unknown = await world.call({ account: "", region: "", principal: "" }, "TrentService.NoSuchOperation", "{}");
  for (const target of [
    "WasmKMS.ExportState",
    "WasmKMS.ImportState",
    "WasmKMS.SupplyRSAKey",
    "KMS.Encrypt",
    undefined,
  ]) {
    const { response: refused } = await handler.handle(request(target, "{}"));
    assert.equal(refused.statusCode, unknown.status, String(target));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(refused.body)), JSON.parse(unknown.body), String(target));
  }
});

test("an aborted request is refused before it reaches the world", async () => {
  const world = createWorld();
  const handler = createRequestHandler({ world });
  const keys = async () => JSON.parse((await world.call({}, "TrentService.ListKeys", "{}")).body).Keys;
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    handler.handle(
      { headers: { "x-amz-target": "TrentService.CreateKey" }, body: "{}" },
      { abortSignal: controller.signal },
    ),
    { name: "AbortError" },
  );
  assert.deepEqual(await keys(), []);
});

test("the handler has the members the SDK's own handlers have", () => {
  const handler = createRequestHandler({ world: createWorld() });
  handler.updateHttpClientConfig("requestTimeout", 1000);
  assert.equal(handler.httpHandlerConfigs().requestTimeout, 1000);
  assert.equal(typeof handler.destroy, "function");
  handler.destroy();
});

test("a world that fails surfaces its error through the SDK, never a made-up answer", async () => {
  const broken = {
    call: async () => {
      throw new Error("the module instance is dead (test)");
    },
  };
  const client = realClient({ requestHandler: createRequestHandler({ world: broken }) });
  await assert.rejects(client.send(new CreateKeyCommand({})), /the module instance is dead \(test\)/);
});
