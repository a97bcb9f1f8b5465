// The endpoint's state file is a log of the world's changes: written whole at start when new (so an
// unwritable path fails at once), then each change appended as one record of what it changed (reads add
// nothing; a key's last use follows about a second later, or at close), written whole again once the
// log outgrows it, never left half-written, and loaded again by the next endpoint. A state file from
// before the log (a snapshot document) loads, and becomes a log; a record a kill cut short is dropped,
// and the log says so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
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

const lines = async (file) => (await readFile(file, "utf8")).split("\n").filter(Boolean);

test("a state file that cannot be written stops serve() at start", async (t) => {
  const directory = await scratchDirectory(t);
  await assert.rejects(serve({ world: createWorld(), stateFile: join(directory, "missing", "world.json") }), {
    code: "ENOENT",
  });
});

test("each change appends a record of what it changed, reads append nothing, and the next endpoint loads it", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const first = await serve({ world: createWorld(), stateFile });
  t.after(() => first.close());
  const written = await stat(stateFile); // written at start: the log's header
  assert.deepEqual(await lines(stateFile), ['4b21e47e {"format":"wasmkms-state-log","version":1}']);

  const client = realClient({ endpoint: first.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "kept" }));
  const afterCreate = await stat(stateFile);
  assert.equal(afterCreate.ino, written.ino, "appended to, not replaced");
  const created = (await lines(stateFile)).at(-1);
  assert.match(
    created,
    /^[0-9a-f]{8} \{"regions":\[\{"account":"111122223333","region":"us-east-1","keys":\[\{"keyId":"/,
  );
  assert.ok(created.includes(KeyMetadata.KeyId));

  await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }));
  await client.send(new ListKeysCommand({}));
  assert.equal((await stat(stateFile)).size, afterCreate.size, "reads appended nothing");

  await client.send(new CreateAliasCommand({ AliasName: "alias/kept", TargetKeyId: KeyMetadata.KeyId }));
  const alias = (await lines(stateFile)).at(-1);
  assert.match(alias, /"aliases":\[\{"aliasName":"alias\/kept","targetKeyId":"/);
  assert.ok(alias.length < 300, `the alias's record is the alias: ${alias}`);
  await first.close();
  assert.deepEqual(await readdir(directory), ["world.json"], "no temporary file is left behind");

  const second = await serve({ world: createWorld(), stateFile });
  t.after(() => second.close());
  const described = await realClient({ endpoint: second.url }).send(new DescribeKeyCommand({ KeyId: "alias/kept" }));
  assert.equal(described.KeyMetadata.Arn, KeyMetadata.Arn);
  assert.equal(described.KeyMetadata.Description, "kept");
});

test("a key's last use is written a moment later (or at close), not with every cryptographic call", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const first = await serve({ world: createWorld(), stateFile });
  const client = realClient({ endpoint: first.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const afterCreate = (await stat(stateFile)).size;
  await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "counted" }));
  assert.equal((await stat(stateFile)).size, afterCreate, "Encrypt did not wait for the disk");
  const waitUntil = Date.now() + 10_000;
  while ((await stat(stateFile)).size === afterCreate) {
    assert.ok(Date.now() < waitUntil, "the last use was never written");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.match((await lines(stateFile)).at(-1), /"lastUses":\[\{"keyId":"[^"]+","lastUse":\{"operation":"Encrypt"/);
  await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "counted at close" }));
  await client.send(new GetKeyLastUsageCommand({ KeyId: KeyMetadata.KeyId }));
  await first.close();

  const second = await serve({ world: createWorld(), stateFile });
  t.after(() => second.close());
  const usage = await realClient({ endpoint: second.url }).send(
    new GetKeyLastUsageCommand({ KeyId: KeyMetadata.KeyId }),
  );
  assert.equal(usage.KeyLastUsage.Operation, "Encrypt");
  assert.ok(usage.KeyLastUsage.Timestamp instanceof Date);
});

test("a state file from before the log (a snapshot document) loads, and is written again as a log", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const world = createWorld();
  const keyId = JSON.parse((await world.call({}, "TrentService.CreateKey", '{"Description":"old"}')).body).KeyMetadata
    .KeyId;
  const { CiphertextBlob } = JSON.parse(
    (await world.call({}, "TrentService.Encrypt", JSON.stringify({ KeyId: keyId, Plaintext: "b2xk" }))).body,
  );
  await writeFile(stateFile, JSON.stringify(await world.snapshot())); // what the endpoint wrote before
  const log = [];
  const endpoint = await serve({ world: createWorld(), stateFile, log: (line) => log.push(line) });
  t.after(() => endpoint.close());
  assert.ok(
    log.includes(`wasmkms: state file ${stateFile} was a snapshot document; it is a state log now`),
    log.join("\n"),
  );
  assert.match((await lines(stateFile))[0], /^[0-9a-f]{8} \{"format":"wasmkms-state-log","version":1\}$/);
  const decrypted = await realClient({ endpoint: endpoint.url }).send(
    new DecryptCommand({ CiphertextBlob: Buffer.from(CiphertextBlob, "base64") }),
  );
  assert.equal(Buffer.from(decrypted.Plaintext).toString(), "old");
});

test("a record a kill cut short is dropped, the log says so, and what came before it is all there", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const first = await serve({ world: createWorld(), stateFile });
  const { KeyMetadata } = await realClient({ endpoint: first.url }).send(
    new CreateKeyCommand({ Description: "whole" }),
  );
  await first.close();
  const whole = (await stat(stateFile)).size;
  // What a process killed in the middle of a write leaves: the start of a record, no line feed.
  const torn = '0badf00d {"regions":[{"account":"111122223333","region":"us-east-1","keys":[{"ke';
  await appendFile(stateFile, torn);

  const log = [];
  const second = await serve({ world: createWorld(), stateFile, log: (line) => log.push(line) });
  t.after(() => second.close());
  assert.ok(
    log.includes(
      `wasmkms: state file ${stateFile}: dropped its last ${torn.length} bytes (the last record is incomplete), a change cut short by a kill and never acknowledged`,
    ),
    log.join("\n"),
  );
  assert.equal((await stat(stateFile)).size, whole, "the file is cut back to its last whole record");
  const described = await realClient({ endpoint: second.url }).send(
    new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }),
  );
  assert.equal(described.KeyMetadata.Description, "whole");
});

test("once the log outgrows the world written whole, the world is written whole again, and loads the same", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const first = await serve({ world: createWorld(), stateFile });
  const before = await stat(stateFile);
  // 4,000 keys in one administration call: a record past the first compaction's threshold (1 MiB).
  const loaded = await fetch(`${first.url}/_wasmkms/fixtures`, {
    method: "POST",
    body: JSON.stringify({ keys: Array.from({ length: 4000 }, (_, i) => ({ description: `fixture ${i}` })) }),
  });
  assert.equal(loaded.status, 200, await loaded.text());
  const client = realClient({ endpoint: first.url });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "after the fixtures" }));
  const waitUntil = Date.now() + 30_000;
  while ((await stat(stateFile)).ino === before.ino) {
    assert.ok(Date.now() < waitUntil, "the log was never compacted");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await client.send(new CreateAliasCommand({ AliasName: "alias/after-compaction", TargetKeyId: KeyMetadata.KeyId }));
  await first.close();
  const records = await lines(stateFile);
  assert.match(records[0], /"format":"wasmkms-state-log"/);
  assert.ok(records.length > 4000 / 256, "the world in records of a bounded size");
  assert.deepEqual(await readdir(directory), ["world.json"], "no temporary file is left behind");

  const second = await serve({ world: createWorld(), stateFile });
  t.after(() => second.close());
  const again = realClient({ endpoint: second.url });
  assert.equal(
    (await again.send(new DescribeKeyCommand({ KeyId: "alias/after-compaction" }))).KeyMetadata.Arn,
    KeyMetadata.Arn,
  );
  let keys = 0;
  for (let marker; ; ) {
    const page = await again.send(new ListKeysCommand({ Marker: marker, Limit: 1000 }));
    keys += page.Keys.length;
    if (!page.Truncated) break;
    marker = page.NextMarker;
  }
  assert.equal(keys, 4001);
});

test("one endpoint at a time per state file, in one process too: the next one starts once the first closes", async (t) => {
  const directory = await scratchDirectory(t);
  const stateFile = join(directory, "world.json");
  const first = await serve({ world: createWorld(), stateFile });
  await assert.rejects(serve({ world: createWorld(), stateFile: join(directory, ".", "world.json") }), {
    message: `wasmkms: state file ${join(directory, "world.json")} is in use by this process (another endpoint in it) (lock file ${stateFile}.lock): one process at a time serves a state file`,
  });
  await first.close();
  const second = await serve({ world: createWorld(), stateFile });
  t.after(() => second.close());
});
