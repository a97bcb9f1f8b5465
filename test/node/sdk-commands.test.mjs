// The real @aws-sdk/client-kms's command objects sent through wasmkms's KMSClient (application code
// that builds its commands from the SDK, handed a wasmkms client): every operation answers exactly as
// wasmkms's own command of that name does, the middleware the application put on the SDK command runs
// while the SDK client's own does not, the command is left as it was, and exceptions of either package
// match the other's classes.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "@aws-sdk/client-kms";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import * as pkg from "wasmkms";

const { KMSClient, createWorld, createRequestHandler, operationNames } = pkg;
const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "AKIDWASMKMSTEST", secretAccessKey: "wasmkms-test-secret" };

// Two worlds that answer the same calls byte for byte (same seed, same manual clock).
const twinWorlds = () => [0, 1].map(() => createWorld({ seed: "sdk-commands", clock: "2030-01-01T00:00:00Z" }));

const settle = (promise) =>
  promise.then(
    (output) => ({ output }),
    (error) => ({
      error: {
        class: error.constructor.name,
        name: error.name,
        message: error.message,
        $fault: error.$fault,
        $metadata: error.$metadata,
      },
    }),
  );

test("every operation's SDK command answers as wasmkms's own command of that name", async () => {
  const [ours, theirs] = twinWorlds().map((world) => new KMSClient({ region: REGION, world }));
  const { KeyMetadata } = await ours.send(new pkg.CreateKeyCommand({}));
  await theirs.send(new sdk.CreateKeyCommand({}));
  // A valid call of the direct path, then every operation with an empty input (most answer a
  // ValidationException naming what is missing; those that need nothing answer).
  const inputs = [["Encrypt", { KeyId: KeyMetadata.KeyId, Plaintext: new Uint8Array([1, 2, 3]) }]];
  for (const operation of operationNames) inputs.push([operation, {}]);
  for (const [operation, input] of inputs) {
    const name = `${operation}Command`;
    assert.equal(typeof sdk[name], "function", `the SDK has ${name}`);
    const a = await settle(ours.send(new pkg[name](structuredClone(input))));
    const b = await settle(theirs.send(new sdk[name](structuredClone(input))));
    assert.deepEqual(b, a, name);
  }
  assert.equal(theirs.config.world.directCalls, ours.config.world.directCalls, "the direct path is taken alike");
  assert.ok(theirs.config.world.directCalls > 0);
});

test("the four send forms and the KMS aggregate take SDK commands", async () => {
  const world = createWorld();
  const client = new pkg.KMS({ region: REGION, world });
  const { KeyMetadata } = await client.send(new sdk.CreateKeyCommand({ Description: "sdk" }));
  const viaCallback = await new Promise((resolve, reject) =>
    client.send(new sdk.DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }), (err, data) =>
      err ? reject(err) : resolve(data),
    ),
  );
  assert.equal(viaCallback.KeyMetadata.Description, "sdk");
  const viaOptionsCallback = await new Promise((resolve, reject) =>
    client.send(new sdk.ListKeysCommand({}), {}, (err, data) => (err ? reject(err) : resolve(data))),
  );
  assert.deepEqual(
    viaOptionsCallback.Keys.map((k) => k.KeyId),
    [KeyMetadata.KeyId],
  );
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    client.send(new sdk.ListKeysCommand({}), { abortSignal: controller.signal }),
    (e) => e.name === "AbortError",
  );
});

test("middleware on the SDK command's own stack runs; the SDK client's own is left out; the command is unchanged", async () => {
  const world = createWorld();
  const ours = new KMSClient({ region: REGION, world });
  const real = new sdk.KMSClient({
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: createRequestHandler({ world }),
  });
  const { KeyMetadata } = await ours.send(new sdk.CreateKeyCommand({}));
  const directBefore = world.directCalls; // CreateKey, a command without middleware of its own, went direct
  const command = new sdk.EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: new Uint8Array([7]) });
  const seen = [];
  command.middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(`initialize ${context.commandName} ${args.input.KeyId === KeyMetadata.KeyId}`);
      assert.equal(context.__smithy_context.commandInstance, command, "the middleware sees the command sent");
      return next(args);
    },
    { step: "initialize", name: "appInitialize" },
  );
  command.middlewareStack.addRelativeTo(
    (next) => async (args) => {
      seen.push(`after serializer ${args.request.headers["x-amz-target"]}`);
      return next(args);
    },
    { relation: "after", toMiddleware: "serializerMiddleware", name: "appAfterSerializer" },
  );
  const before = command.middlewareStack.identify();

  // Through the real SDK client first: its client puts its endpoint middleware on the command's stack.
  const fromReal = await real.send(command);
  assert.deepEqual(seen.splice(0), ["initialize EncryptCommand true", "after serializer TrentService.Encrypt"]);
  // Then through wasmkms: the application's middleware runs as it did there, the endpoint's does not.
  const fromOurs = await ours.send(command);
  assert.deepEqual(seen.splice(0), ["initialize EncryptCommand true", "after serializer TrentService.Encrypt"]);
  assert.equal(fromOurs.KeyId, fromReal.KeyId);
  assert.deepEqual(command.middlewareStack.identify(), before, "the SDK command's stack is not changed");
  // And through the real client again: nothing of wasmkms was left on it.
  await real.send(command);
  assert.equal(seen.length, 2);
  assert.equal(world.directCalls, directBefore, "a command with middleware of its own goes through the chain");
});

test("a command of another service, or another kind of object, is refused clearly", async () => {
  const client = new KMSClient({ region: REGION, world: createWorld() });
  await assert.rejects(client.send(new ListTablesCommand({})), {
    name: "TypeError",
    message: "wasmkms's KMSClient cannot send ListTablesCommand: an operation of com.amazonaws.dynamodb, not KMS",
  });
  assert.throws(() => client.send({ input: {} }), TypeError);
});

test("exceptions match both ways: the SDK's thrown ones are wasmkms's classes, and the reverse", async () => {
  const world = createWorld();
  const ours = new KMSClient({ region: REGION, world });
  const real = new sdk.KMSClient({
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: createRequestHandler({ world }),
  });
  const missing = { KeyId: "alias/missing" };
  const fromReal = await settleError(real.send(new sdk.DescribeKeyCommand(missing)));
  const fromOurs = await settleError(ours.send(new sdk.DescribeKeyCommand(missing)));
  for (const error of [fromReal, fromOurs]) {
    assert.equal(error.name, "NotFoundException");
    assert.ok(error instanceof pkg.NotFoundException && error instanceof pkg.KMSServiceException);
    assert.ok(error instanceof sdk.NotFoundException && error instanceof sdk.KMSServiceException);
    assert.ok(!(error instanceof pkg.DisabledException) && !(error instanceof sdk.DisabledException));
  }
  assert.ok(Object.getPrototypeOf(fromReal) === sdk.NotFoundException.prototype);
  assert.ok(Object.getPrototypeOf(fromOurs) === pkg.NotFoundException.prototype);
  assert.equal(fromOurs.message, fromReal.message);
});

const settleError = (promise) =>
  promise.then(
    () => assert.fail("resolved"),
    (e) => e,
  );
