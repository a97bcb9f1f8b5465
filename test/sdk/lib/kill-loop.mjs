// Kills under load (issue 14): `wasmkms serve --state FILE` in a child process, a few clients making
// changes and encrypting under the keys they just made, SIGKILL at a random moment, then a new
// endpoint on the same file, which must have every change any endpoint before it acknowledged, and
// decrypt every ciphertext any of them answered. Used by test/sdk/endpoint-kill.test.mjs (a few
// rounds) and bench/endpoint-kill-loop.mjs (20).
import assert from "node:assert/strict";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  DisabledException,
} from "@aws-sdk/client-kms";
import { realClient } from "./real-sdk.mjs";
import { startEndpointProcess } from "./endpoint-process.mjs";

const ACCOUNT = "444455556666";
const REGION = "eu-west-1";

/**
 * killLoop runs `rounds` endpoints one after the other on stateFile, each killed with SIGKILL under the
 * load of `workers` concurrent clients once they have had a random number in [minAcks, maxAcks) of
 * answers (a count, not a time: a loaded machine answers slowly), and each (and a last one) first
 * checking everything the ones before acknowledged. Resolves to the totals.
 */
export async function killLoop(stateFile, { rounds, workers = 6, minAcks = 20, maxAcks = 120, random = Math.random }) {
  const acknowledged = { keys: [], aliases: [], disabled: [], ciphertexts: [], tried: new Set(), answers: 0 };
  let checked = 0;
  for (let round = 0; round <= rounds; round++) {
    const endpoint = await startEndpointProcess(["--state", stateFile]);
    try {
      const client = realClient({ accessKeyId: ACCOUNT, region: REGION, endpoint: endpoint.url });
      checked = await checkAll(client, acknowledged, endpoint);
      if (round === rounds) break;
      let stop = false;
      const answered = acknowledged.answers;
      const load = Array.from({ length: workers }, (_, w) => work(client, acknowledged, `${round}-${w}`, () => stop));
      const killAt = answered + minAcks + Math.floor(random() * (maxAcks - minAcks));
      const giveUp = Date.now() + 60_000;
      while (acknowledged.answers < killAt && Date.now() < giveUp)
        await new Promise((resolve) => setTimeout(resolve, 2));
      assert.ok(acknowledged.answers > answered, `round ${round}: no answer in 60 s\n${endpoint.output()}`);
      stop = true;
      const killed = await endpoint.kill("SIGKILL");
      assert.equal(killed.signal, "SIGKILL");
      await Promise.all(load);
    } finally {
      await endpoint.kill("SIGKILL");
    }
  }
  return {
    rounds,
    keys: acknowledged.keys.length,
    aliases: acknowledged.aliases.length,
    disabled: acknowledged.disabled.length,
    ciphertexts: acknowledged.ciphertexts.length,
    checked,
  };
}

// One client's load until stop(): a key, an alias to it, two ciphertexts under it, every third key
// disabled. Each is recorded once answered; an answer cut off by the kill promises nothing.
async function work(client, acknowledged, name, stop) {
  for (let i = 0; !stop(); i++) {
    try {
      const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: `kill ${name} ${i}` }));
      acknowledged.keys.push({ keyId: KeyMetadata.KeyId, description: `kill ${name} ${i}` });
      acknowledged.answers++;
      const aliasName = `alias/kill-${name}-${i}`;
      await client.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: KeyMetadata.KeyId }));
      acknowledged.aliases.push({ aliasName, arn: KeyMetadata.Arn });
      acknowledged.answers++;
      for (let j = 0; j < 2; j++) {
        const plaintext = `${name} ${i} ${j}`;
        const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: aliasName, Plaintext: plaintext }));
        acknowledged.ciphertexts.push({ plaintext, CiphertextBlob, arn: KeyMetadata.Arn });
        acknowledged.answers++;
      }
      if (i % 3 === 2) {
        acknowledged.tried.add(KeyMetadata.KeyId); // disabled or not: the kill may cut off the answer only
        await client.send(new DisableKeyCommand({ KeyId: KeyMetadata.KeyId }));
        acknowledged.disabled.push(KeyMetadata.KeyId);
        acknowledged.answers++;
      }
    } catch {
      return; // the endpoint was killed under this call
    }
  }
}

// Everything acknowledged so far is there; answers how many things it checked.
async function checkAll(client, acknowledged, endpoint) {
  const where = () => `\n${endpoint.output()}`;
  for (const { keyId, description } of acknowledged.keys) {
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    assert.equal(KeyMetadata.Description, description, `key ${keyId}${where()}`);
  }
  for (const { aliasName, arn } of acknowledged.aliases) {
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: aliasName }));
    assert.equal(KeyMetadata.Arn, arn, `alias ${aliasName}`);
  }
  const disabled = new Set(acknowledged.disabled);
  for (const { plaintext, CiphertextBlob, arn } of acknowledged.ciphertexts) {
    const keyId = arn.slice(arn.lastIndexOf("/") + 1);
    if (disabled.has(keyId)) {
      await assert.rejects(
        client.send(new DecryptCommand({ CiphertextBlob })),
        DisabledException,
        `key ${keyId} stays disabled`,
      );
      continue;
    }
    if (acknowledged.tried.has(keyId)) continue; // a DisableKey whose answer the kill cut off: either way
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob }));
    assert.equal(new TextDecoder().decode(decrypted.Plaintext), plaintext, `a ciphertext under ${arn}`);
    assert.equal(decrypted.KeyId, arn);
  }
  return acknowledged.keys.length + acknowledged.aliases.length + acknowledged.ciphertexts.length;
}
