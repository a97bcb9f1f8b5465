// After its module instance dies, the endpoint does not answer 500 forever: the next call restarts the
// instance, from the state file when there is one (so nothing acknowledged is lost), and the log says
// so. Without a state file, a world that keeps a copy of its state (createWorld's recovery, the
// default) is rebuilt from it by its next call; one that keeps none (recovery: false) comes back
// empty, and the log says that too.
//
// The trap is a real one: the host's clock fails under a call (the exception unwinds through the
// module's frames), which kills the instance as any trap does. This file runs in a process of its own
// (node --test), so the realm's shared instance it kills is nobody else's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  NotFoundException,
} from "@aws-sdk/client-kms";
import { createWorld, serve } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";

// Kills the world's module instance: its clock import throws in the middle of a CreateKey. A world
// that keeps no copy of its state is then lost until the endpoint restarts it.
async function trap(world, { lost = true } = {}) {
  const now = Date.now;
  Date.now = () => {
    throw new Error("the host's clock failed (test)");
  };
  let dying;
  try {
    dying = world.call({}, "TrentService.CreateKey", "{}");
  } finally {
    Date.now = now;
  }
  await assert.rejects(dying, /trapped/);
  if (lost) {
    await assert.rejects(world.call({}, "TrentService.ListKeys", "{}"), /lost when its module instance trapped/);
  }
}

async function health(endpoint) {
  return (await fetch(`${endpoint.url}/`)).json();
}

test("with a state file: the next call restarts the instance from the file, and every key is there", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-trap-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  // A world whose state log the endpoint keeps keeps no copy of its own (each change is taken once):
  // the state file is what brings it back.
  const world = createWorld();
  const log = [];
  const endpoint = await serve({ world, stateFile: join(directory, "world.json"), log: (line) => log.push(line) });
  t.after(() => endpoint.close());
  const client = realClient({ endpoint: endpoint.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "survives a trap" }));
  await client.send(new CreateAliasCommand({ AliasName: "alias/survivor", TargetKeyId: KeyMetadata.KeyId }));
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: "alias/survivor", Plaintext: "kept" }));

  await trap(world);

  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(new TextDecoder().decode(decrypted.Plaintext), "kept");
  const described = await client.send(new DescribeKeyCommand({ KeyId: "alias/survivor" }));
  assert.equal(described.KeyMetadata.Arn, KeyMetadata.Arn);
  assert.equal(described.KeyMetadata.Description, "survives a trap");
  const created = await client.send(new CreateKeyCommand({}));
  assert.notEqual(created.KeyMetadata.KeyId, KeyMetadata.KeyId);

  const notices = log.filter((line) => line.startsWith("wasmkms: "));
  assert.equal(notices.length, 2, log.join("\n"));
  assert.match(
    notices[0],
    /^wasmkms: the module instance died \(.*the host's clock failed \(test\).*\); restarting it$/,
  );
  assert.match(notices[1], /^wasmkms: restarted the module instance: the world is back from state file .*world\.json/);
  const afterwards = await health(endpoint);
  assert.equal(afterwards.status, "ok");
  assert.equal(afterwards.restarts, 1);
});

test("without a state file: the next call rebuilds the world from the copy it keeps, every key there", async (t) => {
  const world = createWorld();
  const log = [];
  const endpoint = await serve({ world, log: (line) => log.push(line) });
  t.after(() => endpoint.close());
  const client = realClient({ endpoint: endpoint.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "kept in memory" }));
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "kept" }));

  await trap(world, { lost: false });

  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(new TextDecoder().decode(decrypted.Plaintext), "kept");
  const described = await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }));
  assert.equal(described.KeyMetadata.Description, "kept in memory");
  const afterwards = await health(endpoint);
  assert.equal(afterwards.status, "ok");
  assert.equal(afterwards.restarts, 0, "the world rebuilt itself: the endpoint restarted nothing");
});

test("without a state file or a copy: the world comes back empty, and the log says its keys were lost", async (t) => {
  const world = createWorld({ recovery: false });
  const log = [];
  const endpoint = await serve({ world, log: (line) => log.push(line) });
  t.after(() => endpoint.close());
  const client = realClient({ endpoint: endpoint.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));

  await trap(world);

  // The health check is a call too: it finds the instance dead and restarts it.
  const afterwards = await health(endpoint);
  assert.equal(afterwards.status, "ok");
  assert.equal(afterwards.restarts, 1);
  assert.ok(
    log.some((line) => /^wasmkms: restarted the module instance: the world is EMPTY again/.test(line)),
    log.join("\n"),
  );
  await assert.rejects(client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId })), NotFoundException);
  const created = await client.send(new CreateKeyCommand({}));
  assert.match(created.KeyMetadata.Arn, /:key\//);
});
