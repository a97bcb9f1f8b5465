// The state file survives SIGKILL: `wasmkms serve --state FILE` acknowledges a change only once it is on
// disk, so a process killed at any moment, restarted on the same file, still has every key, alias and
// key state it acknowledged, and decrypts everything it encrypted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  EncryptCommand,
  GetPublicKeyCommand,
} from "@aws-sdk/client-kms";
import { realClient } from "./lib/real-sdk.mjs";
import { startEndpointProcess } from "./lib/endpoint-process.mjs";
import { killLoop } from "./lib/kill-loop.mjs";

const ACCOUNT = "444455556666";
const REGION = "eu-west-1";

test("SIGKILL loses nothing the endpoint acknowledged", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-kill-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const stateFile = join(directory, "world.json");

  const first = await startEndpointProcess(["--state", stateFile]);
  t.after(() => first.kill("SIGKILL"));
  const before = realClient({ accessKeyId: ACCOUNT, region: REGION, endpoint: first.url });

  const symmetric = (await before.send(new CreateKeyCommand({ Description: "kill test" }))).KeyMetadata;
  await before.send(new CreateAliasCommand({ AliasName: "alias/kill-test", TargetKeyId: symmetric.KeyId }));
  const rsa = (await before.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" })))
    .KeyMetadata;
  const rsaPublicKey = (await before.send(new GetPublicKeyCommand({ KeyId: rsa.KeyId }))).PublicKey;
  const disabled = (await before.send(new CreateKeyCommand({}))).KeyMetadata;
  await before.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));

  const sealed = [];
  for (let i = 0; i < 20; i++) {
    const plaintext = `message ${i}`;
    const { CiphertextBlob } = await before.send(
      new EncryptCommand({ KeyId: "alias/kill-test", Plaintext: plaintext, EncryptionContext: { i: String(i) } }),
    );
    sealed.push({ plaintext, CiphertextBlob, context: { i: String(i) } });
  }

  // A burst of changes, killed in the middle: whatever was answered must survive.
  const acknowledged = [];
  const burst = Array.from({ length: 40 }, (_, i) =>
    before.send(new CreateKeyCommand({ Description: `burst ${i}` })).then(
      ({ KeyMetadata }) => acknowledged.push(KeyMetadata.KeyId),
      () => {}, // cut off by the kill: not acknowledged, so nothing is promised
    ),
  );
  const waitUntil = Date.now() + 30_000;
  while (acknowledged.length < 5) {
    assert.ok(
      Date.now() < waitUntil,
      `only ${acknowledged.length} of the burst acknowledged in 30 s:\n${first.output()}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const killed = await first.kill("SIGKILL");
  assert.equal(killed.signal, "SIGKILL");
  await Promise.all(burst);
  const acknowledgedBeforeKill = [...acknowledged];
  assert.ok(acknowledgedBeforeKill.length >= 5);

  const second = await startEndpointProcess(["--state", stateFile]);
  t.after(() => second.kill("SIGKILL"));
  const after = realClient({ accessKeyId: ACCOUNT, region: REGION, endpoint: second.url });

  for (const { plaintext, CiphertextBlob, context } of sealed) {
    const decrypted = await after.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
    assert.equal(new TextDecoder().decode(decrypted.Plaintext), plaintext);
    assert.equal(decrypted.KeyId, symmetric.Arn);
  }
  const viaAlias = await after.send(new DescribeKeyCommand({ KeyId: "alias/kill-test" }));
  assert.equal(viaAlias.KeyMetadata.Arn, symmetric.Arn);
  assert.equal(viaAlias.KeyMetadata.Description, "kill test");
  assert.deepEqual((await after.send(new GetPublicKeyCommand({ KeyId: rsa.KeyId }))).PublicKey, rsaPublicKey);
  await assert.rejects(after.send(new EncryptCommand({ KeyId: disabled.KeyId, Plaintext: "x" })), DisabledException);
  for (const keyId of acknowledgedBeforeKill) {
    const { KeyMetadata } = await after.send(new DescribeKeyCommand({ KeyId: keyId }));
    assert.match(KeyMetadata.Description, /^burst \d+$/);
  }

  await second.kill("SIGTERM");
});

test("kills under concurrent load, one after another on one file: every round has all that any before acknowledged", async (t) => {
  // bench/endpoint-kill-loop.mjs runs the same 20 times (issue 14's target).
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-kill-loop-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const totals = await killLoop(join(directory, "world.log"), { rounds: 3 });
  assert.ok(totals.keys > 0 && totals.ciphertexts > 0, `the load made nothing: ${JSON.stringify(totals)}`);
});

test("a state file the core refuses stops the endpoint instead of starting it empty", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-state-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const stateFile = join(directory, "world.json");
  await writeFile(stateFile, "this is not a wasmkms state");
  await assert.rejects(startEndpointProcess(["--state", stateFile]), /cannot load state file/);
});
