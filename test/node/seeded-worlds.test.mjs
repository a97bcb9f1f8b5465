// Seeded worlds, as a user writes tests with them: the same seed, clock and calls give the same
// answers (key IDs, ciphertexts, $metadata.requestId) on every path (the client's direct exports and
// JSON, the real SDK's request handler), the journal records the request IDs the callers saw, reset()
// starts the same sequence again, and snapshots carry a world's keys to another world.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "@aws-sdk/client-kms";

import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  NotFoundException,
  SignCommand,
  WasmKMSError,
  createRequestHandler,
  createWorld,
} from "wasmkms";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const START = "2030-01-01T00:00:00Z";

// The same script of calls against a world; answers everything it saw, $metadata included.
async function script(world, { directPath = true } = {}) {
  const client = new KMSClient({ region: "eu-west-1", world });
  const answers = [];
  const send = async (command) => {
    const output = await client.send(command);
    answers.push(output);
    return output;
  };
  const { KeyMetadata } = await send(new CreateKeyCommand({ Description: "seeded" }));
  await send(new CreateAliasCommand({ AliasName: "alias/seeded", TargetKeyId: KeyMetadata.KeyId }));
  const sealed = await send(
    new EncryptCommand({ KeyId: "alias/seeded", Plaintext: "the same every run", EncryptionContext: { run: "x" } }),
  );
  await send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { run: "x" } }));
  await send(new GenerateDataKeyCommand({ KeyId: KeyMetadata.KeyId, KeySpec: "AES_256" }));
  const rsa = await send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }));
  await send(new GetPublicKeyCommand({ KeyId: rsa.KeyMetadata.KeyId }));
  await send(new SignCommand({ KeyId: rsa.KeyMetadata.KeyId, Message: "m", SigningAlgorithm: "RSASSA_PSS_SHA_256" }));
  await send(new ListAliasesCommand({}));
  if (directPath) assert.ok(world.directCalls >= 2, "Encrypt and Decrypt took the direct path");
  return answers;
}

test("two worlds with the same seed and clock answer the same calls identically", async () => {
  const a = await script(createWorld({ seed: "suite-1", clock: START }));
  const b = await script(createWorld({ seed: "suite-1", clock: new Date(START) }));
  assert.deepEqual(a, b);
  // What a test pins down: the key, the blob, the request IDs.
  assert.equal(a[0].KeyMetadata.KeyId, b[0].KeyMetadata.KeyId);
  assert.deepEqual(a[2].CiphertextBlob, b[2].CiphertextBlob);
  assert.equal(a[2].$metadata.requestId, b[2].$metadata.requestId);
  for (const output of a) assert.match(output.$metadata.requestId, UUID_V4);
  assert.equal(new Set(a.map((o) => o.$metadata.requestId)).size, a.length, "a request ID per call");
  assert.equal(a[0].KeyMetadata.CreationDate.toISOString(), "2030-01-01T00:00:00.000Z", "the manual clock");

  // Another seed, other answers; no seed, other answers every time.
  const other = await script(createWorld({ seed: "suite-2", clock: START }));
  assert.notEqual(other[0].KeyMetadata.KeyId, a[0].KeyMetadata.KeyId);
  assert.notEqual(other[2].$metadata.requestId, a[2].$metadata.requestId);
  const unseeded = await script(createWorld({ clock: START }));
  const unseededAgain = await script(createWorld({ clock: START }));
  assert.notEqual(unseeded[0].KeyMetadata.KeyId, unseededAgain[0].KeyMetadata.KeyId);
  assert.notEqual(unseeded[0].$metadata.requestId, unseededAgain[0].$metadata.requestId);
  assert.match(unseeded[0].$metadata.requestId, UUID_V4);
});

test("the direct path and the JSON path draw the same request IDs and keys in a seeded world", async () => {
  const direct = await script(createWorld({ seed: "paths", clock: START }));
  const json = await script(createWorld({ seed: "paths", clock: START, directPath: false }), { directPath: false });
  assert.deepEqual(direct, json);
});

test("the journal records the request ID each caller saw", async () => {
  const world = createWorld({ seed: "journal", clock: START });
  const outputs = await script(world);
  const calls = await world.calls();
  assert.deepEqual(
    calls.map((c) => c.requestId),
    outputs.map((o) => o.$metadata.requestId),
  );
  // An error answer has its request ID too, the same in the exception and in the journal.
  const client = new KMSClient({ region: "eu-west-1", world });
  const error = await client.send(new DescribeKeyCommand({ KeyId: "alias/none" })).catch((e) => e);
  assert.ok(error instanceof NotFoundException);
  const [last] = await world.calls({ operation: "DescribeKey" });
  assert.equal(last.requestId, error.$metadata.requestId);
  assert.equal(last.error.name, "NotFoundException");
});

test("the real SDK through createRequestHandler() gets the seeded request IDs, and the journal has them", async () => {
  const run = async () => {
    const world = createWorld({ seed: "real-sdk", clock: START });
    const client = new sdk.KMSClient({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
      requestHandler: createRequestHandler({ world }),
    });
    const created = await client.send(new sdk.CreateKeyCommand({}));
    const sealed = await client.send(new sdk.EncryptCommand({ KeyId: created.KeyMetadata.KeyId, Plaintext: "p" }));
    const journal = await world.calls();
    assert.deepEqual(
      journal.map((c) => c.requestId),
      [created.$metadata.requestId, sealed.$metadata.requestId],
    );
    return { keyId: created.KeyMetadata.KeyId, blob: sealed.CiphertextBlob, ids: journal.map((c) => c.requestId) };
  };
  assert.deepEqual(await run(), await run());
});

test("reset() starts a seeded world's sequence again, at the clock's starting instant", async () => {
  const world = createWorld({ seed: "reset", clock: START });
  const first = await script(world);
  await world.clock.advance({ days: 3 });
  world.reset();
  assert.deepEqual(await world.calls(), [], "the journal is empty after reset");
  assert.equal((await world.clock.now()).toISOString(), "2030-01-01T00:00:00.000Z");
  const second = await script(world);
  assert.deepEqual(second, first);
});

test("snapshot() and restore(): the keys go to another world and still decrypt there", async () => {
  const source = createWorld({ seed: "snap", clock: START });
  const client = new KMSClient({ region: "us-east-1", world: source });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "carried" }));
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "kept" }));
  const snapshot = await source.snapshot();
  assert.equal(snapshot.format, "wasmkms-world");
  assert.doesNotThrow(() => JSON.stringify(snapshot), "a plain JSON object");

  // restore() into another world.
  const target = createWorld();
  await target.restore(snapshot);
  const there = new KMSClient({ region: "us-east-1", world: target });
  const opened = await there.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(new TextDecoder().decode(opened.Plaintext), "kept");
  assert.equal(
    (await there.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }))).KeyMetadata.Description,
    "carried",
  );

  // createWorld({ snapshot }) starts from it, and reset() comes back to it.
  const started = createWorld({ snapshot });
  const fromStart = new KMSClient({ region: "us-east-1", world: started });
  await fromStart.send(new CreateKeyCommand({ Description: "extra" }));
  started.reset();
  const { Keys } = await fromStart.send(new ListKeysCommand({}));
  assert.deepEqual(
    Keys.map((k) => k.KeyId),
    [KeyMetadata.KeyId],
  );

  // A snapshot the core refuses is a WasmKMSError saying why.
  await assert.rejects(target.restore({ not: "a snapshot" }), WasmKMSError);
});

test("createWorld checks its seed and clock at once", () => {
  assert.throws(() => createWorld({ seed: 42 }), { name: "TypeError", message: /seed must be a string/ });
  assert.throws(() => createWorld({ clock: "not a date" }), {
    name: "TypeError",
    message: /"not a date" is not a valid date/,
  });
  assert.throws(() => createWorld({ clock: new Date(Number.NaN) }), { name: "TypeError", message: /not a valid date/ });
  assert.throws(() => createWorld({ clock: 1700000000000 }), { name: "TypeError", message: /Date or a date string/ });
  assert.throws(() => createWorld({ fixtures: [] }), { name: "TypeError", message: /fixtures must be an object/ });
});
