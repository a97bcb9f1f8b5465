// The RSA prime pool's draws are part of the world's state (issue 14): `wasmkms serve --state FILE`,
// killed and started again on its file, never hands out a private key it handed out before, be it a KMS
// key's or a data key pair's. The world is seeded, so a restarted run draws what the killed one would
// have drawn next from its saved position: a draw the file missed comes out again at once, every time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GetPublicKeyCommand,
} from "@aws-sdk/client-kms";
import { realClient } from "./lib/real-sdk.mjs";
import { startEndpointProcess } from "./lib/endpoint-process.mjs";

function modulusOf(spki) {
  return createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }).export({ format: "jwk" }).n;
}

// Each run: data key pairs, an RSA key (CreateKey), data key pairs again, both ways; then SIGKILL, with
// no clean close. A seeded world's next run starts with the same calls as the last one's tail after its
// last save, so any draw that save missed is drawn again.
async function runsAcrossRestarts(t, args, runs) {
  const directory = await mkdtemp(join(tmpdir(), "wasmkms-pool-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const stateFile = join(directory, "world.json");
  const seen = new Map(); // modulus -> where it was handed out
  const note = (spki, where) => {
    const n = modulusOf(spki);
    assert.ok(!seen.has(n), `${where} has the private key of ${seen.get(n)}`);
    seen.set(n, where);
  };
  let sealing;
  for (let run = 1; run <= runs; run++) {
    const endpoint = await startEndpointProcess(["--state", stateFile, ...args]);
    t.after(() => endpoint.kill("SIGKILL"));
    const client = realClient({ endpoint: endpoint.url });
    sealing ??= (await client.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
    const pairs = async (when) => {
      for (const Command of [GenerateDataKeyPairCommand, GenerateDataKeyPairWithoutPlaintextCommand]) {
        const pair = await client.send(new Command({ KeyId: sealing, KeyPairSpec: "RSA_2048" }));
        note(pair.PublicKey, `run ${run}'s ${Command.name} ${when}`);
      }
    };
    await pairs("first");
    const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }));
    note((await client.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }))).PublicKey, `run ${run}'s key`);
    await pairs("last");
    await endpoint.kill("SIGKILL");
  }
  assert.equal(seen.size, runs * 5);
}

test("a seeded endpoint killed and restarted on its state file never repeats a pool key", async (t) => {
  await runsAcrossRestarts(t, ["--seed", "rsa pool draws"], 3);
});
