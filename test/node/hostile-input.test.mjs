// No request can hurt a world (issue 14): each hostile shape that once trapped the module, stalled it or
// poisoned its instance is sent as a user would (KMSClient.send, or World.call with the bytes a request
// handler or the endpoint hands over), and then every world answers: worlds made before it on the same
// instance, the shared world, and one made after.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  KMSClient,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  WasmKMSError,
  createWorld,
  sharedWorld,
} from "wasmkms";
import { BLOB_CAP } from "../../js/core/blob-cap.mjs";
import { MAX_ALLOCATION } from "../../js/core/module.mjs";

const MiB = 1024 * 1024;

// A world with a key, and a client on it, made before any hostile request.
async function worldWithKey(world) {
  const client = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  return { world, client, keyId: KeyMetadata.KeyId };
}

const bystanders = [
  await worldWithKey(createWorld()),
  await worldWithKey(createWorld()),
  await worldWithKey(sharedWorld()),
];
const target = await worldWithKey(createWorld());

// Every world encrypts and decrypts, on the direct path and as JSON: the worlds made before, the one
// hostile requests went to, and one made now.
async function everyWorldAnswers(after) {
  const worlds = [...bystanders, target, await worldWithKey(createWorld())];
  for (const { client, keyId } of worlds) {
    for (const extra of [{}, { GrantTokens: [] }]) {
      const { CiphertextBlob } = await client.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: "still here", ...extra }),
      );
      const { Plaintext } = await client.send(new DecryptCommand({ CiphertextBlob, ...extra }));
      assert.equal(new TextDecoder().decode(Plaintext), "still here", `after ${after}`);
    }
  }
}

// The body sent raw, as the request handler and the endpoint hand it to a world.
async function callRaw(body) {
  return target.world.call({}, "TrentService.Encrypt", body);
}

const nested = (open, leaf, close, depth) => open.repeat(depth) + leaf + close.repeat(depth);

test("deep nesting is refused with SerializationException and traps nothing", async () => {
  const shapes = {
    "9,500 nested arrays (19 KB)": nested("[", "", "]", 9500),
    "10,001 nested objects": nested('{"a":', "1", "}", 10001),
    "nested arrays in an encryption context": `{"KeyId":"${target.keyId}","Plaintext":"aGk=","EncryptionContext":{"k":${nested("[", "", "]", 9500)}}}`,
    "nested arrays in an unknown member": `{"KeyId":"${target.keyId}","Plaintext":"aGk=","X":${nested("[", "", "]", 20000)}}`,
  };
  for (const [name, body] of Object.entries(shapes)) {
    const { status, body: answer } = await callRaw(body);
    assert.equal(status, 400, name);
    assert.equal(JSON.parse(answer).__type, "SerializationException", name);
    await everyWorldAnswers(name);
  }
});

test("nesting to the core's limit is parsed, one level more is refused", async () => {
  // 512 levels (internal/kms/jsontree.go): a body of unknown members that deep is still a request.
  const atLimit = `{"KeyId":"${target.keyId}","Plaintext":"aGk=","X":${nested("[", "", "]", 511)}}`;
  assert.equal((await callRaw(atLimit)).status, 200);
  const past = `{"KeyId":"${target.keyId}","Plaintext":"aGk=","X":${nested("[", "", "]", 512)}}`;
  assert.equal(JSON.parse((await callRaw(past)).body).__type, "SerializationException");
});

test('50,000 escaped strings ("\\n", 250 KB) are parsed at once', async () => {
  const body = `{"KeyId":"${target.keyId}","Plaintext":"aGk=","X":[${'"\\n",'.repeat(50000)}""]}`;
  assert.ok(body.length > 250000);
  const started = performance.now();
  const { status } = await callRaw(body);
  assert.equal(status, 200);
  assert.ok(performance.now() - started < 5000, "parsed in seconds, not a minute");
  await everyWorldAnswers("50,000 escaped strings");
});

test("a Plaintext of 130 MiB is AWS's ValidationException on the direct path, and the instance serves on", async () => {
  const plaintext = new Uint8Array(130 * MiB);
  await assert.rejects(
    target.client.send(new EncryptCommand({ KeyId: target.keyId, Plaintext: plaintext })),
    (error) => {
      assert.equal(error.name, "ValidationException", String(error));
      assert.match(
        error.message,
        /at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096/,
      );
      return true;
    },
  );
  await everyWorldAnswers("a 130 MiB Plaintext");
});

test("a Plaintext of 33 MiB with GrantTokens (the JSON path) is AWS's ValidationException too", async () => {
  const command = new EncryptCommand({
    KeyId: target.keyId,
    Plaintext: new Uint8Array(33 * MiB),
    GrantTokens: ["token"],
  });
  await assert.rejects(target.client.send(command), { name: "ValidationException" });
  await everyWorldAnswers("a 33 MiB Plaintext with GrantTokens");
});

test("a request larger than the module takes is one clear WasmKMSError, and nothing is sent", async () => {
  // 45 million euro signs: 135 million bytes of UTF-8, past the module's 128 MiB.
  const tooLong = "\u20ac".repeat(45 * 1000 * 1000);
  const refused = (error) => {
    assert.ok(error instanceof WasmKMSError, String(error));
    assert.match(
      error.message,
      /^wasmkms: a request of \d+ bytes is more than the module takes \((\d+) bytes\); it was not sent$/,
    );
    assert.equal(Number(error.message.match(/\((\d+) bytes\)/)[1]), MAX_ALLOCATION);
    return true;
  };
  // As JSON (DescribeKey has no direct path), on the direct path (an encryption context value), and a
  // body handed over raw (as the request handler would).
  await assert.rejects(target.client.send(new DescribeKeyCommand({ KeyId: tooLong })), refused);
  await assert.rejects(
    target.client.send(new EncryptCommand({ KeyId: target.keyId, Plaintext: "x", EncryptionContext: { k: tooLong } })),
    refused,
  );
  await assert.rejects(callRaw(`{"KeyId":"${tooLong}"}`), refused);
  await everyWorldAnswers("requests larger than the module takes");
});

test("a request past the module's limit at 3 bytes a character, but not in fact, is sent", async () => {
  // 45 million ASCII characters: 135 million bytes at most, 45 million in fact. In the target, which the
  // module answers at once without reading a body.
  const { status, body } = await target.world.call({}, `TrentService.X${"x".repeat(45 * 1000 * 1000)}`, "{}");
  assert.equal(status, 400);
  assert.equal(JSON.parse(body).__type, "UnknownOperationException");
  await everyWorldAnswers("a 45 MB request");
});

test("every blob member of AWS's model is bounded below BLOB_CAP, so a cut blob is refused as the whole one", () => {
  const read = (name) =>
    JSON.parse(readFileSync(new URL(`../../internal/modelgen/model/${name}`, import.meta.url), "utf8"));
  // Every blob shape of the model and of the overlay (whose shapes add to or replace the model's).
  const blobs = [];
  const collect = (value, name) => {
    if (value === null || typeof value !== "object") return;
    if (value.type === "blob") blobs.push([name, value]);
    for (const [key, item] of Object.entries(value)) collect(item, key);
  };
  collect(read("service-2.json").shapes, "shapes");
  collect(read("overlay.json"), "overlay");
  assert.ok(blobs.length >= 4);
  for (const [name, shape] of blobs) {
    assert.ok(Number.isInteger(shape.max) && shape.max < BLOB_CAP, `${name} is bounded below BLOB_CAP`);
  }
});
