// A write of the state file that fails (a full disk) keeps nothing: the calls waiting for it fail with
// KMSInternalException, the file is cut back to its last whole record, the world is put back from it
// (the change that failed is not there for anybody), and the endpoint goes on serving. The next
// endpoint on the file has exactly what was acknowledged.
//
// The full disk is the kernel's: the endpoint runs with a limit on the size of the files it writes
// (RLIMIT_FSIZE, bash's ulimit -f), which fails a write past it as a full disk does (EFBIG, after a
// part of it is written). As root, the same runs on a full tmpfs (ENOSPC).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSInternalException,
  ListKeysCommand,
} from "@aws-sdk/client-kms";
import { realClient } from "./lib/real-sdk.mjs";
import { startEndpointProcess } from "./lib/endpoint-process.mjs";

const ACCOUNT = "444455556666";
const REGION = "eu-west-1";

async function listedKeys(client) {
  const ids = [];
  for (let marker; ; ) {
    const page = await client.send(new ListKeysCommand({ Marker: marker }));
    ids.push(...page.Keys.map((key) => key.KeyId));
    if (!page.Truncated) return ids;
    marker = page.NextMarker;
  }
}

// Creates keys until the disk refuses one; answers the keys acknowledged and the first refusal.
async function fillTheDisk(client) {
  const acknowledged = [];
  for (let i = 0; i < 5000; i++) {
    try {
      const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: `key ${i}` }));
      acknowledged.push(KeyMetadata.KeyId);
    } catch (error) {
      return { acknowledged, refusal: error };
    }
  }
  throw new Error("the disk never filled");
}

async function fullDiskRun(t, stateFile, options) {
  const endpoint = await startEndpointProcess(["--state", stateFile], options);
  t.after(() => endpoint.kill("SIGKILL"));
  const client = realClient({ accessKeyId: ACCOUNT, region: REGION, endpoint: endpoint.url });
  const { acknowledged, refusal } = await fillTheDisk(client);
  assert.ok(refusal instanceof KMSInternalException, `${refusal?.name}: ${refusal?.message}`);
  assert.match(refusal.message, /cannot be written \(E(FBIG|NOSPC): .*\); the change is not kept/);
  assert.ok(acknowledged.length > 10, `only ${acknowledged.length} keys before the disk filled`);

  // The world is what the file holds: every acknowledged key, and not the one that failed.
  const waitUntil = Date.now() + 30_000;
  for (;;) {
    try {
      assert.deepEqual((await listedKeys(client)).sort(), [...acknowledged].sort());
      break;
    } catch (error) {
      if (Date.now() > waitUntil) throw error; // the world is being put back: calls fail meanwhile
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  assert.match(
    endpoint.output(),
    /a write of state file .* failed \(E(FBIG|NOSPC)\): the changes not on disk are undone/,
  );
  // It goes on serving what it has; a change still has no room.
  const last = acknowledged.at(-1);
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: last, Plaintext: "still served" }));
  assert.equal((await client.send(new DescribeKeyCommand({ KeyId: last }))).KeyMetadata.KeyId, last);
  await assert.rejects(client.send(new CreateKeyCommand({})), KMSInternalException);
  await endpoint.kill("SIGTERM");
  return { acknowledged, CiphertextBlob, last };
}

async function nextEndpointHasExactly(t, stateFile, { acknowledged, CiphertextBlob, last }) {
  const next = await startEndpointProcess(["--state", stateFile]);
  t.after(() => next.kill("SIGKILL"));
  const client = realClient({ accessKeyId: ACCOUNT, region: REGION, endpoint: next.url });
  assert.deepEqual((await listedKeys(client)).sort(), [...acknowledged].sort());
  assert.doesNotMatch(next.output(), /dropped/, "the file ends with a whole record");
  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(Buffer.from(decrypted.Plaintext).toString(), "still served");
  assert.match(decrypted.KeyId, new RegExp(last));
  await next.kill("SIGTERM");
}

test("a write the disk refuses keeps nothing, fails its call, and the endpoint goes on (file size limit)", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-full-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const stateFile = join(directory, "world.log");
  const run = await fullDiskRun(t, stateFile, { fileSizeLimitKiB: 64 });
  assert.deepEqual((await readdir(directory)).sort(), ["world.log"], "no temporary file, no lock left");
  assert.ok((await readFile(stateFile)).length <= 64 * 1024);
  await nextEndpointHasExactly(t, stateFile, run);
});

test("the same on a full file system (tmpfs; root only)", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-tmpfs-"));
  const disk = join(directory, "disk");
  await mkdir(disk);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=128k", "tmpfs", disk], { stdio: "ignore" });
  } catch {
    await rm(directory, { recursive: true, force: true });
    t.skip("mounting a tmpfs needs root");
    return;
  }
  t.after(async () => {
    execFileSync("umount", [disk]);
    await rm(directory, { recursive: true, force: true });
  });
  const stateFile = join(disk, "world.log");
  const run = await fullDiskRun(t, stateFile);
  await nextEndpointHasExactly(t, stateFile, run);
});
