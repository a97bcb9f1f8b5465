// Bad input from JavaScript gives what the real SDK and service give, and changes nothing: the shared
// cases (test/lib/bad-input-cases.mjs, which every runtime runs) through our KMSClient and
// through @aws-sdk/client-kms itself (over the request handler), compared; plus a destroyed client and
// things that are not commands.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as pkg from "wasmkms";
import * as sdk from "@aws-sdk/client-kms";
import { badInputCases, runBadInputCases } from "../lib/bad-input-cases.mjs";

const exportState = async (world) => (await world.call({}, "WasmKMS.ExportState", "")).body;

// The real SDK, shaped like the package for runBadInputCases, answering from `world`.
function realSdkOver(world) {
  class RealClient extends sdk.KMSClient {
    constructor(config) {
      super({
        ...config,
        credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
        requestHandler: pkg.createRequestHandler({ world }),
        maxAttempts: 1,
      });
    }
  }
  return { ...sdk, KMSClient: RealClient };
}

test("bad input: the same exceptions as the real SDK, and no key is created or lost", async () => {
  const ourWorld = pkg.createWorld();
  const ours = await runBadInputCases({
    ...pkg,
    KMSClient: class extends pkg.KMSClient {
      constructor(config) {
        super({ ...config, world: ourWorld });
      }
    },
  });
  const real = await runBadInputCases(realSdkOver(pkg.createWorld()));
  assert.equal(ours.results.length, badInputCases.length);
  for (const [i, result] of ours.results.entries()) {
    assert.deepEqual(result, real.results[i], badInputCases[i].name);
    assert.equal(result.outcome, "rejected", `${result.case} must be rejected`);
  }
  assert.equal(ours.keysAfter, ours.keysBefore);
  const byCase = Object.fromEntries(ours.results.map((r) => [r.case, r]));
  assert.equal(byCase["input null"].name, "ValidationException");
  assert.equal(byCase["Plaintext a number"].name, "SerializationException");
});

test("bad input leaves the world's state exactly as it was", async () => {
  const world = pkg.createWorld();
  const client = new pkg.KMSClient({ region: "us-east-1", world });
  const keyId = (await client.send(new pkg.CreateKeyCommand({}))).KeyMetadata.KeyId;
  const before = await exportState(world);
  for (const c of badInputCases) await assert.rejects(client.send(c.command(pkg, keyId)));
  await assert.rejects(client.send(new pkg.CreateKeyCommand({ KeySpec: "RSA_1024" })));
  await assert.rejects(client.send(new pkg.CreateAliasCommand({ AliasName: "no-prefix", TargetKeyId: keyId })));
  assert.equal(await exportState(world), before);
});

test("a destroyed client still answers, as the SDK's does", async () => {
  const world = pkg.createWorld();
  const ours = new pkg.KMSClient({ region: "us-east-1", world });
  const real = realSdkOver(world);
  const theirs = new real.KMSClient({ region: "us-east-1" });
  ours.destroy();
  theirs.destroy();
  assert.deepEqual((await ours.send(new pkg.ListKeysCommand({}))).Keys, []);
  assert.deepEqual((await theirs.send(new sdk.ListKeysCommand({}))).Keys, []);
});

test("something that is not a command fails as with the SDK: TypeError, nothing sent", async () => {
  const world = pkg.createWorld();
  const ours = new pkg.KMSClient({ region: "us-east-1", world });
  const theirs = new (realSdkOver(world).KMSClient)({ region: "us-east-1" });
  const before = await exportState(world);
  for (const notACommand of [{}, { input: {} }, null, undefined, "EncryptCommand"]) {
    const a = await Promise.resolve()
      .then(() => ours.send(notACommand))
      .then(
        () => null,
        (e) => e,
      );
    const b = await Promise.resolve()
      .then(() => theirs.send(notACommand))
      .then(
        () => null,
        (e) => e,
      );
    assert.ok(a instanceof TypeError, `ours: ${a}`);
    assert.ok(b instanceof TypeError, `theirs: ${b}`);
    assert.equal(a.message, b.message);
  }
  assert.equal(await exportState(world), before);
});

test("an operation the core does not know: UnknownOperationException from the service", async () => {
  const world = pkg.createWorld();
  const answer = await world.call({}, "TrentService.LaunchRocket", "{}");
  assert.equal(answer.status, 400);
  assert.equal(JSON.parse(answer.body).__type, "UnknownOperationException");
});
