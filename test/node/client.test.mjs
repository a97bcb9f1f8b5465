// The SDK surface of KMSClient and KMS in Node: every send form, callbacks, middleware steps and their
// order, outputs (exact keys, fresh blobs, Dates, $metadata), exceptions (classes, instanceof, fields)
// and the logger, checked against what @aws-sdk/client-kms itself does where it matters.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as pkg from "wasmkms";
import * as sdk from "@aws-sdk/client-kms";

const {
  KMS,
  KMSClient,
  KMSServiceException,
  NotFoundException,
  DisabledException,
  InvalidCiphertextException,
  CreateKeyCommand,
  EncryptCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  ListAliasesCommand,
  CreateAliasCommand,
  ListKeysCommand,
  createWorld,
  operationNames,
} = pkg;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const METADATA_KEYS = ["httpStatusCode", "requestId", "extendedRequestId", "cfId", "attempts", "totalRetryDelay"];

async function setup() {
  const world = createWorld();
  const client = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  return { world, client, keyId: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
}

test("send: promise, options, callback, and options + callback forms", async () => {
  const { client, keyId, arn } = await setup();
  const input = { KeyId: keyId, Plaintext: "hello" };
  assert.equal((await client.send(new EncryptCommand(input))).KeyId, arn);
  assert.equal((await client.send(new EncryptCommand(input), {})).KeyId, arn);
  const viaCallback = await new Promise((resolve, reject) => {
    const returned = client.send(new EncryptCommand(input), (err, data) => (err ? reject(err) : resolve(data)));
    assert.equal(returned, undefined, "the callback form returns nothing");
  });
  assert.equal(viaCallback.KeyId, arn);
  const viaBoth = await new Promise((resolve, reject) =>
    client.send(new EncryptCommand(input), {}, (err, data) => (err ? reject(err) : resolve(data))),
  );
  assert.equal(viaBoth.KeyId, arn);
  const error = await new Promise((resolve) =>
    client.send(new DescribeKeyCommand({ KeyId: "alias/none" }), (err, data) => {
      assert.equal(data, undefined);
      resolve(err);
    }),
  );
  assert.ok(error instanceof NotFoundException);
});

test("send is defined on the prototype, as aws-sdk-client-mock needs", () => {
  assert.ok(Object.hasOwn(KMSClient.prototype, "send"));
  assert.ok(!Object.hasOwn(new KMSClient({ region: "us-east-1" }), "send"));
});

test("KMS aggregate: one camelCase method per operation, promise and callback forms", async () => {
  const world = createWorld();
  const kms = new KMS({ region: "us-east-1", world });
  for (const op of operationNames) assert.equal(typeof kms[op[0].toLowerCase() + op.slice(1)], "function", op);
  assert.ok(kms instanceof KMSClient);
  const { KeyMetadata } = await kms.createKey({ Description: "aggregate" });
  assert.equal((await kms.describeKey({ KeyId: KeyMetadata.Arn })).KeyMetadata.Description, "aggregate");
  const viaCallback = await new Promise((resolve, reject) =>
    kms.listKeys({}, (err, data) => (err ? reject(err) : resolve(data))),
  );
  assert.deepEqual(
    viaCallback.Keys.map((k) => k.KeyId),
    [KeyMetadata.KeyId],
  );
  await assert.rejects(
    kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: "x" }, "not options", () => {}),
    /Expected http options but got string/,
  );
});

test("commands: input, middlewareStack, getEndpointParameterInstructions, as the SDK's", () => {
  const command = new EncryptCommand({ KeyId: "k", Plaintext: "p" });
  assert.deepEqual(command.input, { KeyId: "k", Plaintext: "p" });
  assert.deepEqual(new ListKeysCommand().input, {});
  assert.equal(typeof command.middlewareStack.add, "function");
  assert.deepEqual(
    EncryptCommand.getEndpointParameterInstructions(),
    sdk.EncryptCommand.getEndpointParameterInstructions(),
  );
  for (const op of operationNames) assert.equal(typeof pkg[`${op}Command`], "function", `${op}Command`);
});

test("outputs: exact keys, fresh Uint8Array blobs, Dates, $metadata", async () => {
  const { client, keyId, arn } = await setup();
  const encrypted = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(32).fill(7) }));
  assert.deepEqual(Object.keys(encrypted), ["CiphertextBlob", "KeyId", "EncryptionAlgorithm", "$metadata"]);
  assert.ok(encrypted.CiphertextBlob instanceof Uint8Array);
  assert.equal(encrypted.CiphertextBlob.byteOffset, 0);
  assert.equal(encrypted.CiphertextBlob.buffer.byteLength, encrypted.CiphertextBlob.length, "a buffer of its own");
  assert.equal(encrypted.CiphertextBlob.length, 32 + 152);
  assert.deepEqual(Object.keys(encrypted.$metadata), METADATA_KEYS);
  assert.equal(encrypted.$metadata.httpStatusCode, 200);
  assert.match(encrypted.$metadata.requestId, UUID);
  assert.equal(encrypted.$metadata.attempts, 1);
  assert.equal(encrypted.$metadata.totalRetryDelay, 0);

  // Callers such as the AWS Encryption SDK zero the blobs they get: nothing else may change.
  const blobCopy = encrypted.CiphertextBlob.slice();
  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  decrypted.Plaintext.fill(0);
  const again = await client.send(new DecryptCommand({ CiphertextBlob: blobCopy }));
  assert.deepEqual(again.Plaintext, new Uint8Array(32).fill(7));
  assert.equal(again.KeyId, arn);

  const described = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
  assert.ok(described.KeyMetadata.CreationDate instanceof Date);
  assert.ok(Math.abs(described.KeyMetadata.CreationDate.getTime() - Date.now()) < 60_000);
  await client.send(new CreateAliasCommand({ AliasName: "alias/dated", TargetKeyId: keyId }));
  const { Aliases } = await client.send(new ListAliasesCommand({}));
  const alias = Aliases.find((a) => a.AliasName === "alias/dated");
  assert.ok(alias.CreationDate instanceof Date);
});

test("outputs have the same shape as the real SDK's for the same answers", async () => {
  const world = createWorld();
  const ours = new KMSClient({ region: "us-east-1", world });
  const real = new sdk.KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
    requestHandler: pkg.createRequestHandler({ world }),
  });
  const shape = (value) => {
    if (value instanceof Uint8Array) return "Uint8Array";
    if (value instanceof Date) return "Date";
    if (Array.isArray(value)) return value.map(shape);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
    return typeof value;
  };
  const { KeyMetadata } = await ours.send(new CreateKeyCommand({ Description: "shape" }));
  await ours.send(new CreateAliasCommand({ AliasName: "alias/shape", TargetKeyId: KeyMetadata.KeyId }));
  const blob = (await real.send(new sdk.EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "p" }))).CiphertextBlob;
  const pairs = [
    [new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }), new sdk.DescribeKeyCommand({ KeyId: KeyMetadata.KeyId })],
    [
      new EncryptCommand({ KeyId: "alias/shape", Plaintext: "p" }),
      new sdk.EncryptCommand({ KeyId: "alias/shape", Plaintext: "p" }),
    ],
    [new DecryptCommand({ CiphertextBlob: blob }), new sdk.DecryptCommand({ CiphertextBlob: blob })],
    [new ListAliasesCommand({}), new sdk.ListAliasesCommand({})],
    [new ListKeysCommand({}), new sdk.ListKeysCommand({})],
  ];
  for (const [ourCommand, realCommand] of pairs) {
    const a = await ours.send(ourCommand);
    const b = await real.send(realCommand);
    assert.deepEqual(shape(a), shape(b), ourCommand.constructor.name);
    assert.deepEqual(Object.keys(a), Object.keys(b), ourCommand.constructor.name);
  }
});

test("exceptions: classes, instanceof, fields, as the real SDK builds them", async () => {
  const world = createWorld();
  const ours = new KMSClient({ region: "us-east-1", world });
  const real = new sdk.KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
    requestHandler: pkg.createRequestHandler({ world }),
  });
  const { KeyMetadata } = await ours.send(new CreateKeyCommand({}));
  const blob = (await ours.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "p" }))).CiphertextBlob;
  blob[blob.length - 1] ^= 1;
  await ours.send(new DisableKeyCommand({ KeyId: KeyMetadata.KeyId }));
  const cases = [
    [(m) => new m.DescribeKeyCommand({ KeyId: "alias/none" }), "NotFoundException", NotFoundException],
    [(m) => new m.EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "p" }), "DisabledException", DisabledException],
    [(m) => new m.DecryptCommand({ CiphertextBlob: blob }), null, null],
    [(m) => new m.EncryptCommand({ KeyId: KeyMetadata.KeyId }), "ValidationException", null],
  ];
  const failure = (promise) =>
    promise.then(
      () => assert.fail("resolved"),
      (e) => e,
    );
  for (const [make, name, Class] of cases) {
    const a = await failure(ours.send(make(pkg)));
    const b = await failure(real.send(make(sdk)));
    assert.equal(a.name, b.name);
    if (name) assert.equal(a.name, name);
    assert.equal(a.message, b.message);
    assert.equal(a.$fault, b.$fault);
    assert.equal(a.$retryable, b.$retryable);
    assert.deepEqual(Object.keys(a), Object.keys(b), `own enumerable keys of ${a.name}`);
    assert.deepEqual(Object.keys(a.$metadata), METADATA_KEYS);
    assert.equal(a.$metadata.httpStatusCode, b.$metadata.httpStatusCode);
    assert.match(a.$metadata.requestId, UUID);
    assert.ok(a instanceof KMSServiceException && a instanceof Error);
    assert.ok(a instanceof sdk.KMSServiceException, "the real SDK's base class recognises ours");
    assert.equal(a.constructor.name, b.constructor.name);
    if (Class) {
      assert.ok(a instanceof Class);
      assert.ok(a instanceof sdk[name], "the real SDK's class recognises ours");
      assert.ok(!(a instanceof InvalidCiphertextException));
    } else if (a.name === "ValidationException") {
      assert.equal(a.constructor, KMSServiceException, "an unmodeled name is a KMSServiceException");
    }
  }
});

test("middleware: every step runs in the SDK's order, with priorities and relative placement", async () => {
  const { world, keyId } = await setup();
  const order = [];
  const record = (label, check) => (next) => async (args) => {
    order.push(`${label}:before`);
    check?.(args, "before");
    const result = await next(args);
    order.push(`${label}:after`);
    check?.(result, "after");
    return result;
  };
  const client = new KMSClient({ region: "us-east-1", world });
  client.middlewareStack.add(
    record("deserialize", (value, when) => {
      if (when === "after") assert.equal(value.output.KeyId.endsWith(keyId), true, "deserialize sees the output");
    }),
    { step: "deserialize", name: "d" },
  );
  client.middlewareStack.add(record("finalizeRequest"), { step: "finalizeRequest", name: "f" });
  client.middlewareStack.add(
    record("build", (args, when) => {
      if (when === "before") {
        assert.equal(args.request.headers["x-amz-target"], "TrentService.Encrypt");
        assert.equal(JSON.parse(args.request.body).KeyId, keyId);
      }
    }),
    { step: "build", name: "b" },
  );
  client.middlewareStack.add(record("serialize"), { step: "serialize", name: "s" });
  client.middlewareStack.add(record("initialize-low"), { step: "initialize", name: "il", priority: "low" });
  client.middlewareStack.add(record("initialize"), { step: "initialize", name: "i" });
  client.middlewareStack.add(record("initialize-high"), { step: "initialize", name: "ih", priority: "high" });
  client.middlewareStack.addRelativeTo(record("after-b"), { relation: "after", toMiddleware: "b", name: "ab" });
  client.middlewareStack.addRelativeTo(record("before-b"), { relation: "before", toMiddleware: "b", name: "bb" });
  const command = new EncryptCommand({ KeyId: keyId, Plaintext: "p" });
  command.middlewareStack.add(record("command-build"), { step: "build", name: "cb" });
  await client.send(command);
  const befores = order.filter((o) => o.endsWith(":before")).map((o) => o.split(":")[0]);
  assert.deepEqual(befores, [
    "initialize-high",
    "initialize",
    "initialize-low",
    "serialize",
    "before-b",
    "build",
    "after-b",
    "command-build",
    "finalizeRequest",
    "deserialize",
  ]);
  assert.deepEqual(
    order.filter((o) => o.endsWith(":after")).map((o) => o.split(":")[0]),
    befores.reverse(),
  );

  assert.throws(() => client.middlewareStack.add(record("dup"), { name: "b" }), /Duplicate middleware name 'b'/);
  assert.equal(client.middlewareStack.remove("ab"), true);
  assert.equal(client.middlewareStack.remove("ab"), false);
  const clone = client.middlewareStack.clone();
  assert.equal(clone.remove("b"), true);
  assert.ok(client.middlewareStack.identify().includes("b - build"), "cloning leaves the original alone");
  client.middlewareStack.use({
    applyToStack: (stack) => stack.add(record("plugin"), { step: "initialize", name: "plugin" }),
  });
  order.length = 0;
  await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "p" }));
  assert.ok(order.includes("plugin:before"));
  assert.ok(!order.includes("after-b:before"));
});

test("a middleware can short-circuit, change the input, or see the error", async () => {
  const { world, keyId } = await setup();
  const client = new KMSClient({ region: "us-east-1", world });
  client.middlewareStack.add((next) => (args) => next({ ...args, input: { ...args.input, KeyId: keyId } }), {
    step: "initialize",
    name: "fix-key",
  });
  const out = await client.send(new EncryptCommand({ KeyId: "alias/none", Plaintext: "p" }));
  assert.ok(out.KeyId.endsWith(keyId));
  client.middlewareStack.remove("fix-key");
  let seen;
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        seen = e;
        throw e;
      }
    },
    { step: "initialize", name: "spy", priority: "high" },
  );
  await assert.rejects(client.send(new DescribeKeyCommand({ KeyId: "alias/none" })), NotFoundException);
  assert.ok(seen instanceof NotFoundException);
  client.middlewareStack.add(() => async () => ({ output: { canned: true, $metadata: {} }, response: {} }), {
    step: "build",
    name: "canned",
  });
  assert.deepEqual(await client.send(new ListKeysCommand({})), { canned: true, $metadata: {} });
});

test("logger: info with sensitive members hidden, error with the exception", async () => {
  const { world, keyId } = await setup();
  const infos = [];
  const errors = [];
  const logger = { debug() {}, info: (e) => infos.push(e), warn() {}, error: (e) => errors.push(e) };
  const client = new KMSClient({ region: "us-east-1", world, logger });
  await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "secret" }));
  assert.equal(infos.length, 1);
  assert.equal(infos[0].clientName, "KMSClient");
  assert.equal(infos[0].commandName, "EncryptCommand");
  assert.equal(infos[0].input.Plaintext, "***SensitiveInformation***");
  assert.equal(infos[0].input.KeyId, keyId);
  assert.ok(infos[0].output.CiphertextBlob instanceof Uint8Array);
  assert.equal(infos[0].metadata.httpStatusCode, 200);
  await assert.rejects(client.send(new DescribeKeyCommand({ KeyId: "alias/none" })));
  assert.equal(errors.length, 1);
  assert.ok(errors[0].error instanceof NotFoundException);
});

test("config: providers as the SDK resolves them, credentials.accountId picks the account", async () => {
  const world = createWorld();
  const client = new KMSClient({
    region: async () => "eu-west-1",
    credentials: async () => ({ accessKeyId: "a", secretAccessKey: "b", accountId: "444455556666" }),
    endpoint: "http://ignored.invalid",
    maxAttempts: 5,
    world,
  });
  assert.equal(await client.config.region(), "eu-west-1");
  assert.equal(await client.config.maxAttempts(), 5);
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  assert.equal(KeyMetadata.AWSAccountId, "444455556666");
  assert.match(KeyMetadata.Arn, /^arn:aws:kms:eu-west-1:444455556666:key\//);
  const defaultAccount = new KMSClient({ region: "eu-west-1", world });
  assert.deepEqual((await defaultAccount.send(new ListKeysCommand({}))).Keys, [], "another account sees none of it");
});

test("config: a missing region fails like the SDK's", async () => {
  const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  try {
    const client = new KMSClient({ world: createWorld() });
    await assert.rejects(client.send(new ListKeysCommand({})), /Region is missing/);
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
});

test("abortSignal: an aborted request rejects with AbortError", async () => {
  const { client } = await setup();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.send(new ListKeysCommand({}), { abortSignal: controller.signal }), {
    name: "AbortError",
  });
});
