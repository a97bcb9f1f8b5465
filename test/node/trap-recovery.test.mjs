// A trap does not lose a world (issue 14): the call that trapped fails, saying so, and the next call of
// each world that lived on the dead instance rebuilds it on a fresh one, from the copy of its state the
// world keeps outside the instance, with every key, alias and grant made before, and the ciphertexts made
// before still decrypt. A world made with recovery: false is lost, as before, until reset().
//
// The trap is a real one: the host's clock fails under a call (the exception unwinds through the
// module's frames), which kills the instance as any trap does. This file runs in a process of its own
// (node --test), so the realm's shared instance it kills is nobody else's.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  createWorld,
  KMSClient,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  NotFoundException,
  paginateListKeys,
  RetireGrantCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
  WasmKMSError,
} from "wasmkms";

const OTHER_ACCOUNT = "444455556666";
const text = (bytes) => new TextDecoder().decode(bytes);

// Every key ID of the client's account and Region, page after page (the SDK's paginator).
async function allKeyIds(kms) {
  const keys = [];
  for await (const page of paginateListKeys({ client: kms }, {})) keys.push(...page.Keys.map((k) => k.KeyId));
  return keys;
}

// Runs fn (which makes one call of a world) with the host's clocks failing: the module traps in it (a
// world on a manual clock reads no wall time, but the Go runtime reads the monotonic clock).
async function underFailingClock(fn) {
  const { now } = Date;
  const monotonic = performance.now;
  const fail = () => {
    throw new Error("the host's clock failed (test)");
  };
  Date.now = fail;
  performance.now = fail;
  let dying;
  try {
    dying = fn();
  } finally {
    Date.now = now;
    performance.now = monotonic;
  }
  return dying.then(
    () => assert.fail("the call did not trap"),
    (error) => error,
  );
}

test("after a trap, both worlds of the instance come back with their keys, aliases and grants", async () => {
  const first = createWorld();
  const second = createWorld();
  const kms = new KMSClient({ region: "us-east-1", world: first });
  const kms2 = new KMSClient({ region: "eu-west-1", world: second });
  const other = new KMSClient({ region: "us-east-1", world: first, credentials: { accountId: OTHER_ACCOUNT } });

  const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({ Description: "before the trap" }));
  await kms.send(new CreateAliasCommand({ AliasName: "alias/kept", TargetKeyId: key.KeyId }));
  const grant = await kms.send(
    new CreateGrantCommand({
      KeyId: key.KeyId,
      GranteePrincipal: `arn:aws:iam::${OTHER_ACCOUNT}:root`,
      Operations: ["Decrypt", "Encrypt", "RetireGrant"],
    }),
  );
  const sealed = await kms.send(new EncryptCommand({ KeyId: "alias/kept", Plaintext: "sealed before" }));
  const sealedByGrant = await other.send(
    new EncryptCommand({ KeyId: key.Arn, Plaintext: "sealed by the grantee", GrantTokens: [grant.GrantToken] }),
  );
  const { KeyMetadata: signing } = await kms2.send(
    new CreateKeyCommand({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }),
  );
  await kms2.send(new CreateAliasCommand({ AliasName: "alias/signer", TargetKeyId: signing.KeyId }));
  const message = new TextEncoder().encode("signed before");
  const { Signature } = await kms2.send(
    new SignCommand({ KeyId: "alias/signer", Message: message, SigningAlgorithm: "ECDSA_SHA_256" }),
  );
  const sealed2 = await kms2.send(
    new EncryptCommand({
      KeyId: (await kms2.send(new CreateKeyCommand({}))).KeyMetadata.KeyId,
      Plaintext: "second world",
    }),
  );

  const trapped = await underFailingClock(() => kms.send(new CreateKeyCommand({ Description: "during the trap" })));
  assert.ok(trapped instanceof WasmKMSError, String(trapped));

  // The first world: its key, alias and grant, and what was sealed before.
  const opened = await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
  assert.equal(text(opened.Plaintext), "sealed before");
  assert.equal(opened.KeyId, key.Arn);
  const described = await kms.send(new DescribeKeyCommand({ KeyId: "alias/kept" }));
  assert.equal(described.KeyMetadata.Description, "before the trap");
  const keys = await kms.send(new ListKeysCommand({}));
  assert.deepEqual(
    keys.Keys.map((k) => k.KeyId),
    [key.KeyId],
    "the key the trapped call was making is not there: what it did is undone",
  );
  const grants = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }));
  assert.deepEqual(
    grants.Grants.map((g) => g.GrantId),
    [grant.GrantId],
  );
  const byGrantee = await other.send(
    new DecryptCommand({ CiphertextBlob: sealedByGrant.CiphertextBlob, GrantTokens: [grant.GrantToken] }),
  );
  assert.equal(text(byGrantee.Plaintext), "sealed by the grantee", "the grant still lets the other account decrypt");
  await other.send(new RetireGrantCommand({ GrantToken: grant.GrantToken }));
  assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);

  // The second world, which lived on the same instance and made no call since.
  const verified = await kms2.send(
    new VerifyCommand({ KeyId: "alias/signer", Message: message, Signature, SigningAlgorithm: "ECDSA_SHA_256" }),
  );
  assert.equal(verified.SignatureValid, true);
  assert.equal(
    text((await kms2.send(new DecryptCommand({ CiphertextBlob: sealed2.CiphertextBlob }))).Plaintext),
    "second world",
  );
  const aliases2 = await kms2.send(new ListAliasesCommand({}));
  assert.ok(aliases2.Aliases.some((a) => a.AliasName === "alias/signer" && a.TargetKeyId === signing.KeyId));

  // Both go on changing, and what they change is kept through the next trap too.
  const { KeyMetadata: after } = await kms.send(new CreateKeyCommand({ Description: "after the trap" }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: after.KeyId, PendingWindowInDays: 7 }));
  await underFailingClock(() => kms2.send(new CreateKeyCommand({})));
  const again = await kms.send(new DescribeKeyCommand({ KeyId: after.KeyId }));
  assert.equal(again.KeyMetadata.KeyState, "PendingDeletion");
  assert.equal(
    text((await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }))).Plaintext),
    "sealed before",
  );
  assert.equal(
    (
      await kms2.send(
        new VerifyCommand({ KeyId: "alias/signer", Message: message, Signature, SigningAlgorithm: "ECDSA_SHA_256" }),
      )
    ).SignatureValid,
    true,
  );
});

test("the call that trapped says what happened and what comes next", async () => {
  const world = createWorld();
  const kms = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));

  // Through the JSON path (World.call) and through the direct path (KMSClient's Encrypt).
  const viaCall = await underFailingClock(() => world.call({}, "TrentService.CreateKey", "{}"));
  assert.ok(viaCall instanceof WasmKMSError);
  assert.match(
    viaCall.message,
    /^wasmkms: the module trapped in wasmkms_call: Error: the host's clock failed \(test\); this call failed and what it did is undone\. The world is rebuilt on a fresh module instance at its next call, as the calls answered before this one left it \(its faults and call journal are not kept\); so is every other world of the instance$/,
  );
  assert.match(viaCall.cause.message, /the instance is dead/);

  assert.equal(
    (await kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }))).KeyMetadata.KeyId,
    KeyMetadata.KeyId,
  );

  const viaDirect = await underFailingClock(() =>
    kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "x" })),
  );
  assert.ok(viaDirect instanceof WasmKMSError);
  assert.match(
    viaDirect.message,
    /^wasmkms: the module trapped in wasmkms_encrypt: .*; this call failed and what it did is undone\./,
  );
  const sealed = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "y" }));
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }))).Plaintext), "y");
});

test("a manual clock is where it was, and a seeded world draws no key twice", async () => {
  // A seeded world on a manual clock reads neither host clock: another world of its instance traps it.
  const world = createWorld({ seed: "trap", clock: "2030-01-01T00:00:00Z" });
  const kms = new KMSClient({ region: "us-east-1", world });
  const before = (await kms.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
  const moved = await world.clock.advance({ days: 3 });
  const neighbour = createWorld();
  await neighbour.call({}, "TrentService.ListKeys", "{}"); // attached to the same instance
  await underFailingClock(() => neighbour.call({}, "TrentService.CreateKey", "{}"));
  assert.equal((await world.clock.now()).toISOString(), moved.toISOString());
  const after = (await kms.send(new CreateKeyCommand({}))).KeyMetadata;
  assert.notEqual(after.KeyId, before);
  assert.equal(after.CreationDate.toISOString(), moved.toISOString());
  assert.equal((await kms.send(new ListKeysCommand({}))).Keys.length, 2);
});

test("fixtures, a restored snapshot and a copy written whole again all come back", async () => {
  const KEY_ID = "11111111-2222-3333-4444-555555555555";
  const world = createWorld({ fixtures: { keys: [{ keyId: KEY_ID, aliases: ["alias/fixture"] }] } });
  const kms = new KMSClient({ region: "us-east-1", world });
  const snapshot = await world.snapshot(); // the fixture key alone
  const { KeyMetadata: gone } = await kms.send(new CreateKeyCommand({ Description: "not in the snapshot" }));
  await world.restore(snapshot);
  // Records of a long description a key (a world that only grows: not written whole again), then a
  // key changed over and over, so that the module says the log is outgrown and the copy is written
  // whole again.
  const long = "d".repeat(8192);
  const made = [];
  for (let i = 0; i < 160; i++)
    made.push((await kms.send(new CreateKeyCommand({ Description: long }))).KeyMetadata.KeyId);
  await kms.send(new CreateAliasCommand({ AliasName: "alias/last", TargetKeyId: made.at(-1) }));
  for (let i = 0; i < 2100; i++) {
    const target = i % 2 ? "TrentService.EnableKey" : "TrentService.DisableKey";
    await world.call({}, target, JSON.stringify({ KeyId: made[0] }));
  }

  await underFailingClock(() => world.call({}, "TrentService.CreateKey", "{}"));

  const keys = await allKeyIds(kms);
  assert.deepEqual(keys, [KEY_ID, ...made], "the fixture key, then the keys made after the restore, none lost");
  assert.ok(!keys.includes(gone.KeyId), "the restore is kept: the key made before it stays gone");
  assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: "alias/fixture" }))).KeyMetadata.KeyId, KEY_ID);
  assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: "alias/last" }))).KeyMetadata.Description, long);
});

test("a world of many records comes back, in their order", async () => {
  // Some 300 records of a few hundred bytes, and a key's update after them: a growing world's copy is
  // not written whole again; its first records are kept as strings, the later ones as bytes in blocks
  // (64 KiB, then 128 KiB), which come back after them.
  const world = createWorld();
  const kms = new KMSClient({ region: "us-east-1", world });
  const made = [];
  for (let i = 0; i < 600; i++)
    made.push((await kms.send(new CreateKeyCommand({ Description: `k${i}` }))).KeyMetadata.KeyId);
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: made[7], PendingWindowInDays: 7 }));

  await underFailingClock(() => world.call({}, "TrentService.CreateKey", "{}"));

  const keys = await allKeyIds(kms);
  assert.deepEqual(keys, made);
  assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: made[599] }))).KeyMetadata.Description, "k599");
  assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: made[7] }))).KeyMetadata.KeyState, "PendingDeletion");
});

test("a key changed over and over comes back as it was last (the copy written whole)", async () => {
  // One key and 2,100 changes of it: the module says the log is outgrown past 2,048 replaced entries,
  // and the copy is written whole then.
  const world = createWorld();
  const kms = new KMSClient({ region: "us-east-1", world });
  const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata;
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: new Uint8Array([1, 2, 3]) }));
  for (let i = 0; i < 2100; i++) {
    await world.call({}, i % 2 ? "TrentService.EnableKey" : "TrentService.DisableKey", JSON.stringify({ KeyId }));
  }
  await world.call({}, "TrentService.UpdateKeyDescription", JSON.stringify({ KeyId, Description: "last" }));

  await underFailingClock(() => world.call({}, "TrentService.CreateKey", "{}"));

  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId }));
  assert.equal(KeyMetadata.KeyState, "Enabled");
  assert.equal(KeyMetadata.Description, "last");
  assert.deepEqual([...(await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext], [1, 2, 3]);
});

test("with recovery: false, a trap loses the world until reset()", async () => {
  const world = createWorld({ recovery: false });
  const kms = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const trapped = await underFailingClock(() => world.call({}, "TrentService.ListKeys", "{}"));
  assert.match(trapped.message, /trapped in wasmkms_call: .*; the instance is dead and will not be used again$/);
  await assert.rejects(
    kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId })),
    /this world was lost when its module instance trapped .*call reset\(\)/,
  );
  world.reset();
  await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId })), NotFoundException);
  assert.throws(() => createWorld({ recovery: "yes" }), /createWorld's recovery must be true or false/);
});
