// The call journal, as a user's tests assert on calls: world.calls() ("Encrypt was called with this
// context"), its filters and clearCalls(), and world.cloudTrail(), the calls as the CloudTrail records
// AWS writes for KMS (the AWS KMS Developer Guide's log entry examples): no plaintext, ciphertext,
// message or signature in them, responseElements null for cryptographic operations.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "@aws-sdk/client-kms";

import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  createRequestHandler,
  createWorld,
} from "wasmkms";

const START = "2032-02-02T10:20:30Z";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const encoder = new TextEncoder();

test("calls(): Encrypt was called with this context, in the SDK's shapes", async () => {
  const world = createWorld({ clock: START });
  const client = new KMSClient({ region: "eu-central-1", world });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "journal" }));
  const sealed = await client.send(
    new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "card 4111", EncryptionContext: { tenant: "acme" } }),
  );
  await client.send(
    new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { tenant: "acme" } }),
  );

  const [encrypt, ...more] = await world.calls({ operation: "Encrypt" });
  assert.equal(more.length, 0);
  assert.deepEqual(encrypt.input.EncryptionContext, { tenant: "acme" });
  assert.deepEqual(encrypt.input, {
    KeyId: KeyMetadata.KeyId,
    Plaintext: encoder.encode("card 4111"),
    EncryptionContext: { tenant: "acme" },
  });
  assert.ok(encrypt.input.Plaintext instanceof Uint8Array);
  assert.deepEqual(encrypt.output, {
    CiphertextBlob: sealed.CiphertextBlob,
    KeyId: KeyMetadata.Arn,
    EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
  });
  assert.deepEqual(encrypt.time, new Date(START));
  assert.equal(encrypt.account, "111122223333");
  assert.equal(encrypt.region, "eu-central-1");
  assert.equal(encrypt.principal, "arn:aws:iam::111122223333:root");
  assert.equal(encrypt.requestId, sealed.$metadata.requestId);
  assert.deepEqual(Object.keys(encrypt), [
    "time",
    "operation",
    "account",
    "region",
    "principal",
    "input",
    "output",
    "requestId",
  ]);

  // Every call, oldest first; timestamps in outputs are Dates.
  const all = await world.calls();
  assert.deepEqual(
    all.map((c) => c.operation),
    ["CreateKey", "Encrypt", "Decrypt"],
  );
  assert.deepEqual(all[0].output.KeyMetadata.CreationDate, new Date(START));
  assert.deepEqual(all[2].output.Plaintext, encoder.encode("card 4111"));
});

test("calls(): failed calls, filters by key (any form), account and region, and clearCalls()", async () => {
  const world = createWorld();
  const client = new KMSClient({ region: "us-east-1", world });
  const a = (await client.send(new CreateKeyCommand({}))).KeyMetadata;
  const b = (await client.send(new CreateKeyCommand({}))).KeyMetadata;
  await client.send(new CreateAliasCommand({ AliasName: "alias/a", TargetKeyId: a.KeyId }));
  await client.send(new DescribeKeyCommand({ KeyId: "alias/a" }));
  await client.send(new DescribeKeyCommand({ KeyId: b.Arn }));
  const missing = await client.send(new DescribeKeyCommand({ KeyId: "alias/none" })).catch((e) => e);
  const elsewhere = new KMSClient({ region: "ap-south-1", world, credentials: { accountId: "444455556666" } });
  await elsewhere.send(new ListKeysCommand({}));

  const byA = await world.calls({ operation: "DescribeKey", keyId: a.Arn });
  assert.deepEqual(
    byA.map((c) => c.input.KeyId),
    ["alias/a"],
    "a key's ARN finds the call that named it by alias",
  );
  assert.deepEqual(
    (await world.calls({ keyId: b.KeyId })).map((c) => c.operation),
    ["DescribeKey"],
  );
  const [failed] = await world.calls({ operation: "DescribeKey", keyId: "alias/none" });
  assert.deepEqual(failed.error, { name: "NotFoundException", message: missing.message });
  assert.equal(failed.output, undefined);
  assert.equal(failed.requestId, missing.$metadata.requestId);
  assert.deepEqual(
    (await world.calls({ account: "444455556666" })).map((c) => [c.operation, c.region]),
    [["ListKeys", "ap-south-1"]],
  );
  assert.equal((await world.calls({ region: "us-east-1" })).length, 6);
  await assert.rejects(world.calls({ KeyId: a.KeyId }), { name: "TypeError", message: /no member "KeyId"/ });

  await world.clearCalls();
  assert.deepEqual(await world.calls(), []);
  await client.send(new ListKeysCommand({}));
  assert.deepEqual(
    (await world.calls()).map((c) => c.operation),
    ["ListKeys"],
  );
});

test("calls() sees the real SDK's calls through createRequestHandler() too", async () => {
  const world = createWorld();
  const real = new sdk.KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "444455556666", secretAccessKey: "x" },
    requestHandler: createRequestHandler({ world }),
  });
  const { KeyMetadata } = await real.send(new sdk.CreateKeyCommand({}));
  const data = await real.send(new sdk.GenerateDataKeyCommand({ KeyId: KeyMetadata.KeyId, NumberOfBytes: 32 }));
  const [call] = await world.calls({ operation: "GenerateDataKey" });
  assert.equal(call.account, "444455556666");
  assert.deepEqual(call.input, { KeyId: KeyMetadata.KeyId, NumberOfBytes: 32 });
  assert.deepEqual(call.output.Plaintext, data.Plaintext);
  assert.equal(call.requestId, data.$metadata.requestId);
});

test("cloudTrail(): the records AWS writes for KMS events, without secrets", async () => {
  const world = createWorld({ clock: START });
  const alice = "arn:aws:iam::111122223333:user/Alice";
  const client = new KMSClient({ region: "us-west-2", world, principal: alice });
  const root = new KMSClient({ region: "us-west-2", world });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "trail" }));
  const sealed = await client.send(
    new EncryptCommand({
      KeyId: KeyMetadata.KeyId,
      Plaintext: "top secret",
      EncryptionContext: { Department: "Engineering" },
    }),
  );
  await client.send(
    new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { Department: "Engineering" } }),
  );
  await client.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata.KeyId, KeySpec: "AES_256" }));
  const signer = (await root.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }))).KeyMetadata;
  await root.send(
    new SignCommand({ KeyId: signer.KeyId, Message: "signed words", SigningAlgorithm: "RSASSA_PSS_SHA_256" }),
  );
  const grant = await client.send(
    new CreateGrantCommand({
      KeyId: KeyMetadata.KeyId,
      GranteePrincipal: "arn:aws:iam::111122223333:role/app",
      Operations: ["Decrypt"],
    }),
  );
  await client.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 }));
  await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "late" })).catch(() => {});

  const trail = await world.cloudTrail();
  assert.equal(trail.length, 9);
  const text = JSON.stringify(trail);
  for (const secret of ["top secret", "signed words", Buffer.from("top secret").toString("base64"), grant.GrantToken]) {
    assert.ok(!text.includes(secret), `the trail holds no ${secret}`);
  }
  assert.ok(!text.includes(Buffer.from(sealed.CiphertextBlob).toString("base64")), "no ciphertext");

  const byName = (name) => trail.filter((r) => r.eventName === name);
  const [encrypt] = byName("Encrypt");
  assert.deepEqual(Object.keys(encrypt), [
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "requestParameters",
    "responseElements",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "managementEvent",
    "recipientAccountId",
    "eventCategory",
  ]);
  assert.equal(encrypt.eventVersion, "1.08");
  assert.deepEqual(encrypt.userIdentity, {
    type: "IAMUser",
    principalId: encrypt.userIdentity.principalId,
    arn: alice,
    accountId: "111122223333",
    userName: "Alice",
  });
  assert.match(encrypt.userIdentity.principalId, /^AIDA[0-9A-Z]{17}$/);
  assert.equal(encrypt.eventTime, "2032-02-02T10:20:30Z");
  assert.equal(encrypt.eventSource, "kms.amazonaws.com");
  assert.equal(encrypt.awsRegion, "us-west-2");
  assert.deepEqual(encrypt.requestParameters, {
    keyId: KeyMetadata.KeyId,
    encryptionContext: { Department: "Engineering" },
  });
  assert.equal(encrypt.responseElements, null);
  assert.equal(encrypt.requestID, sealed.$metadata.requestId);
  assert.match(encrypt.eventID, UUID_V4);
  assert.equal(encrypt.readOnly, true);
  assert.deepEqual(encrypt.resources, [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: KeyMetadata.Arn }]);
  assert.equal(encrypt.eventType, "AwsApiCall");
  assert.equal(encrypt.managementEvent, true);
  assert.equal(encrypt.recipientAccountId, "111122223333");
  assert.equal(encrypt.eventCategory, "Management");

  // Decrypt: the algorithm and the key always, as AWS logs them; no ciphertext.
  assert.deepEqual(byName("Decrypt")[0].requestParameters, {
    encryptionContext: { Department: "Engineering" },
    encryptionAlgorithm: "SYMMETRIC_DEFAULT",
    keyId: KeyMetadata.Arn,
  });
  assert.deepEqual(byName("GenerateDataKey")[0].requestParameters, { keyId: KeyMetadata.KeyId, keySpec: "AES_256" });
  // Sign by the account's root: no message, no signature.
  const [sign] = byName("Sign");
  assert.deepEqual(sign.userIdentity, {
    type: "Root",
    principalId: "111122223333",
    arn: "arn:aws:iam::111122223333:root",
    accountId: "111122223333",
  });
  assert.deepEqual(sign.requestParameters, { keyId: signer.KeyId, signingAlgorithm: "RSASSA_PSS_SHA_256" });
  assert.equal(sign.responseElements, null);

  // Management events log their answer, camelCased, dates as AWS writes them, secrets left out.
  const [created] = byName("CreateKey");
  assert.equal(created.readOnly, false);
  assert.equal(created.responseElements.keyMetadata.keyId, KeyMetadata.KeyId);
  assert.equal(created.responseElements.keyMetadata.AWSAccountId, "111122223333");
  assert.equal(created.responseElements.keyMetadata.creationDate, "Feb 2, 2032, 10:20:30 AM");
  assert.deepEqual(byName("CreateGrant")[0].responseElements, { grantId: grant.GrantId });
  assert.deepEqual(byName("ScheduleKeyDeletion")[0].responseElements, {
    keyId: KeyMetadata.Arn,
    deletionDate: "Feb 9, 2032, 10:20:30 AM",
    keyState: "PendingDeletion",
    pendingWindowInDays: 7,
  });

  // A failed call: errorCode and errorMessage after userAgent.
  const failed = byName("Encrypt")[1];
  assert.equal(failed.errorCode, "KMSInvalidStateException");
  assert.match(failed.errorMessage, /pending deletion/);
  assert.deepEqual(Object.keys(failed).slice(7, 10), ["userAgent", "errorCode", "errorMessage"]);
  assert.equal(failed.responseElements, null);

  // The same trail every time it is read; filters as calls() has them.
  assert.deepEqual(await world.cloudTrail(), trail);
  assert.deepEqual(
    (await world.cloudTrail({ operation: "Sign" })).map((r) => r.eventID),
    [sign.eventID],
  );
});

test("createWorld({ journal: false }): no call is recorded, and calls() says so instead of answering []", async () => {
  const world = createWorld({ journal: false });
  const client = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const sealed = await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: encoder.encode("p") }));
  await client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
  await assert.rejects(world.calls(), { name: "WasmKMSError", message: /keeps no journal/ });
  await assert.rejects(world.cloudTrail(), { name: "WasmKMSError", message: /keeps no journal/ });
  await world.clearCalls();
  // reset() keeps the setting.
  world.reset();
  await client.send(new ListKeysCommand({}));
  await assert.rejects(world.calls(), /keeps no journal/);
  assert.throws(() => createWorld({ journal: "off" }), TypeError);
});
