// 10,000 concurrent sends (Promise.all) of Encrypt 32 B: all must resolve, each with its own answer
// (checked by decrypting every blob); the time is shown beside the same 10,000 sent one after another.
import { KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand, createWorld } from "wasmkms";

const COUNT = 10_000;
const client = new KMSClient({ region: "us-east-1", world: createWorld() });
const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
const encrypt = (i) => client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: `message ${i}` }));

let start = performance.now();
for (let i = 0; i < COUNT; i++) await encrypt(i);
const sequential = performance.now() - start;

start = performance.now();
const blobs = await Promise.all(Array.from({ length: COUNT }, (_, i) => encrypt(i)));
const concurrent = performance.now() - start;

const plaintexts = await Promise.all(
  blobs.map((b) => client.send(new DecryptCommand({ CiphertextBlob: b.CiphertextBlob }))),
);
const correct = plaintexts.every((p, i) => new TextDecoder().decode(p.Plaintext) === `message ${i}`);

console.log("10,000 concurrent sends — node bench/node-concurrency.mjs");
console.log(
  `  Promise.all of ${COUNT} Encrypt: ${concurrent.toFixed(0)} ms (${((COUNT / concurrent) * 1000).toFixed(0)}/s), ` +
    `all correct: ${correct} | baseline one after another ${sequential.toFixed(0)} ms | ratio ${(concurrent / sequential).toFixed(2)}x`,
);
if (!correct) process.exitCode = 1;
