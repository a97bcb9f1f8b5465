// The endpoint's state file: written at start when new (so an unwritable path fails at once), replaced
// by a rename after each successful change and only then (read-only calls leave it alone; last-usage
// records wait for the next save or close), never left
// half-written, and loaded again by the next endpoint.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ListKeysCommand,
} from "@aws-sdk/client-kms";
import { createWorld, serve } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";

async function scratchDirectory(t) {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-state-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

test("a state file that cannot be written stops serve() at start", async (t) => {
  const directory = await scratchDirectory(t);
  await assert.rejects(serve({ world: createWorld(), stateFile: join(directory, "missing", "world.json") }), {
    code: "ENOENT",
  });
});

test("the file is replaced after each change, not after reads, and the next endpoint loads it", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const first = await serve({ world: createWorld(), stateFile });
  t.after(() => first.close());
  const written = await stat(stateFile); // written at start
  JSON.parse(await readFile(stateFile, "utf8"));

  const client = realClient({ endpoint: first.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "kept" }));
  const afterCreate = await stat(stateFile);
  assert.notEqual(afterCreate.ino, written.ino, "CreateKey replaced the file");

  await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "read only" }));
  await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }));
  await client.send(new ListKeysCommand({}));
  assert.equal((await stat(stateFile)).ino, afterCreate.ino, "read-only calls left the file alone");

  await client.send(new CreateAliasCommand({ AliasName: "alias/kept", TargetKeyId: KeyMetadata.KeyId }));
  assert.notEqual((await stat(stateFile)).ino, afterCreate.ino, "CreateAlias replaced the file");
  await first.close();
  assert.deepEqual(await readdir(directory), ["world.json"], "no temporary file is left behind");

  const second = await serve({ world: createWorld(), stateFile });
  t.after(() => second.close());
  const described = await realClient({ endpoint: second.url }).send(new DescribeKeyCommand({ KeyId: "alias/kept" }));
  assert.equal(described.KeyMetadata.Arn, KeyMetadata.Arn);
  assert.equal(described.KeyMetadata.Description, "kept");
});

test("a key's last usage is written with the next save or at close, not after every cryptographic call", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const first = await serve({ world: createWorld(), stateFile });
  const client = realClient({ endpoint: first.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const afterCreate = await stat(stateFile);
  await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "counted" }));
  assert.equal((await stat(stateFile)).ino, afterCreate.ino, "Encrypt did not rewrite the file");
  await first.close();
  assert.notEqual((await stat(stateFile)).ino, afterCreate.ino, "close wrote the pending last-usage record");

  const second = await serve({ world: createWorld(), stateFile });
  t.after(() => second.close());
  const usage = await realClient({ endpoint: second.url }).send(
    new GetKeyLastUsageCommand({ KeyId: KeyMetadata.KeyId }),
  );
  assert.equal(usage.KeyLastUsage.Operation, "Encrypt");
  assert.ok(usage.KeyLastUsage.Timestamp instanceof Date);
});

test("one endpoint at a time per state file, in one process too: the next one starts once the first closes", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const first = await serve({ world: createWorld(), stateFile });
  await assert.rejects(serve({ world: createWorld(), stateFile: join(directory, ".", "world.json") }), {
    message: `wasmkms: state file ${join(directory, "world.json")} is in use by this process (another endpoint in it) (lock file ${stateFile}.lock): one process at a time serves a state file`,
  });
  assert.deepEqual((await readdir(directory)).sort(), ["world.json", "world.json.lock"]);
  await first.close();
  assert.deepEqual(await readdir(directory), ["world.json"], "close removed the lock");
  const second = await serve({ world: createWorld(), stateFile });
  t.after(() => second.close());
});
