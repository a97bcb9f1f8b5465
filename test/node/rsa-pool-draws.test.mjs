// A world's draws only move forward (issue 14, internal/kms/SNAPSHOT.md): after restore(), and in a world
// started from a snapshot, no RSA private key that the world handed out is handed out again, and a seeded
// world goes on with its sequence instead of making its first key again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";

import {
  KMSClient,
  CreateKeyCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GetPublicKeyCommand,
  ListKeysCommand,
  createWorld,
} from "wasmkms";

function modulusOf(spki) {
  return createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }).export({ format: "jwk" }).n;
}

// Hands out RSA keys (a KMS key and data key pairs) from a world, noting every modulus in seen.
async function drawRSA(world, seen, label) {
  const client = new KMSClient({ region: "us-east-1", world });
  const note = (spki, what) => {
    const n = modulusOf(spki);
    assert.ok(!seen.has(n), `${label}: ${what} has the private key of ${seen.get(n)}`);
    seen.set(n, `${label}: ${what}`);
  };
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" }));
  note((await client.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }))).PublicKey, "a key");
  const sealing = (await client.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
  for (let i = 0; i < 3; i++) {
    const pair = await client.send(
      new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: sealing, KeyPairSpec: "RSA_2048" }),
    );
    note(pair.PublicKey, `data key pair ${i + 1}`);
  }
}

for (const seed of [undefined, "pool draws"]) {
  test(`restore() and a world started from a snapshot never hand out an RSA key twice (seed ${seed})`, async () => {
    const seen = new Map();
    const world = createWorld({ seed });
    await drawRSA(world, seen, "before the snapshot");
    const snapshot = await world.snapshot();
    await drawRSA(world, seen, "after the snapshot");
    await world.restore(snapshot);
    await drawRSA(world, seen, "after the restore");

    // The snapshot's own keys, in a world started from it (as the endpoint starts from its state file).
    const started = createWorld({ seed, snapshot });
    const mine = new Map([...seen].filter(([, what]) => what.startsWith("before the snapshot")));
    await drawRSA(started, mine, "started from the snapshot");
  });
}

test("a seeded world started from its snapshot goes on with its sequence", async () => {
  const source = createWorld({ seed: "go on" });
  const first = (await new KMSClient({ region: "us-east-1", world: source }).send(new CreateKeyCommand({}))).KeyMetadata
    .KeyId;
  const snapshot = await source.snapshot();
  const next = (await new KMSClient({ region: "us-east-1", world: source }).send(new CreateKeyCommand({}))).KeyMetadata
    .KeyId;

  const started = createWorld({ seed: "go on", snapshot });
  const client = new KMSClient({ region: "us-east-1", world: started });
  const made = (await client.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
  assert.equal(made, next, "the key the source made next");
  const { Keys } = await client.send(new ListKeysCommand({}));
  assert.deepEqual(
    Keys.map((k) => k.KeyId),
    [first, made],
  );
});
