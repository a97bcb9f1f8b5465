// KMSClient refuses what the real SDK could not use: a Region that is not AWS's (the core's text names
// it), an empty Region ("Region is missing", as the SDK), a credentials.accountId that is not 12
// digits. The refusal is a plain Error thrown before anything reaches the world, as the SDK throws
// its own; createWorld({ allowAnyRegion: true }) takes any Region name that can be a host name.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  createWorld,
  CreateKeyCommand,
  EncryptCommand,
  KMSClient,
  KMSServiceException,
  ListKeysCommand,
} from "wasmkms";

const notAnAWSRegion = (region, partition = "aws") =>
  `Region not accepted: region="${region}" is not an AWS Region (partition ${partition}), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`;

async function refusal(promise) {
  const error = await promise.then(
    () => assert.fail("the call was accepted"),
    (e) => e,
  );
  assert.ok(!(error instanceof KMSServiceException), `a client-side error, not ${error?.name}`);
  assert.equal(error.constructor, Error);
  return error.message;
}

test("a Region AWS does not have is refused before the call, naming it", async () => {
  const world = createWorld();
  for (const region of ["mars-1", "us-east", "us-east-9", "aws-global"]) {
    const kms = new KMSClient({ region, world });
    assert.equal(await refusal(kms.send(new ListKeysCommand({}))), notAnAWSRegion(region));
    // Encrypt takes the module's direct path: refused alike.
    const encrypt = new EncryptCommand({ KeyId: "alias/app", Plaintext: new Uint8Array([1]) });
    assert.equal(await refusal(kms.send(encrypt)), notAnAWSRegion(region));
  }
  assert.equal(
    await refusal(new KMSClient({ region: "cn-south-1", world }).send(new ListKeysCommand({}))),
    notAnAWSRegion("cn-south-1", "aws-cn: cn-north-1, cn-northwest-1"),
  );
  assert.equal(
    await refusal(new KMSClient({ region: "eu west 1", world }).send(new ListKeysCommand({}))),
    'Region not accepted: region="eu west 1" is not a valid hostname component.',
  );
  // A Region from a provider is checked on each call.
  const provided = new KMSClient({ region: async () => "us-wset-2", world });
  assert.equal(await refusal(provided.send(new ListKeysCommand({}))), notAnAWSRegion("us-wset-2"));
  // Nothing reached the world: its journal holds no call.
  assert.deepEqual(await world.calls(), []);
});

test("every partition's Regions are taken", async () => {
  const world = createWorld();
  for (const [region, partition] of [
    ["us-east-1", "aws"],
    ["ap-southeast-7", "aws"],
    ["cn-northwest-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
    ["us-isob-east-1", "aws-iso-b"],
    ["eu-isoe-west-1", "aws-iso-e"],
  ]) {
    const { KeyMetadata } = await new KMSClient({ region, world }).send(new CreateKeyCommand({}));
    assert.match(KeyMetadata.Arn, new RegExp(`^arn:${partition}:kms:${region}:111122223333:key/`));
  }
});

test("an empty Region is missing, as in the SDK", () => {
  assert.throws(() => new KMSClient({ region: "" }), { message: "Region is missing" });
});

test("a credentials.accountId that is not 12 digits is refused", async () => {
  const world = createWorld();
  for (const accountId of ["1234", "1111222233334", "11112222333x"]) {
    const kms = new KMSClient({
      region: "us-east-1",
      world,
      credentials: { accessKeyId: "AKID", secretAccessKey: "secret", accountId },
    });
    assert.equal(
      await refusal(kms.send(new ListKeysCommand({}))),
      `Account not accepted: accountId="${accountId}" is not an AWS account ID (12 digits).`,
    );
  }
});

test("createWorld({ allowAnyRegion: true }) takes any Region that can be a host name", async () => {
  const world = createWorld({ allowAnyRegion: true });
  const kms = new KMSClient({ region: "local", world });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  assert.match(KeyMetadata.Arn, /^arn:aws:kms:local:111122223333:key\//);
  const { Keys } = await kms.send(new ListKeysCommand({}));
  assert.equal(Keys.length, 1);
  assert.equal(
    await refusal(new KMSClient({ region: "a.b", world }).send(new ListKeysCommand({}))),
    'Region not accepted: region="a.b" is not a valid hostname component.',
  );
  assert.throws(() => createWorld({ allowAnyRegion: "yes" }), {
    name: "TypeError",
    message: "wasmkms: createWorld's allowAnyRegion must be true or false",
  });
});
