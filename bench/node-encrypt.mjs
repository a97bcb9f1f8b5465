// Encrypt through KMSClient.send against a Node-native AES-256-GCM envelope (randomBytes nonce,
// createCipheriv, auth tag), both measured here in the same process, 32 B and 4096 B plaintexts.
// Targets (issue 4): at most 2x the native median per call at 32 B, at most 12x at 4096 B.
// Also shown, so that the cost of each layer is visible: World.call alone (the module, JSON and the ABI
// without the SDK layer); the module's floor (World.call of an unknown target: the ABI, the request
// decoding and an error answer); and client.send over a world that answers a canned Encrypt result at
// once (the package's JS layer alone: serialization, base64, deserialization, $metadata).
import { createCipheriv, randomBytes } from "node:crypto";
import { KMSClient, CreateKeyCommand, EncryptCommand, createWorld } from "wasmkms";
import { perCall } from "./lib/timing.mjs";

const dataKey = randomBytes(32);
function nativeEnvelope(plaintext) {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, nonce);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

const world = createWorld();
const client = new KMSClient({ region: "us-east-1", world });
const { KeyMetadata } = await client.send(new CreateKeyCommand({}));

const floor = await perCall(() => world.call({}, "TrentService.NoSuchOperation", "{}"), 400);

const rows = [];
for (const [size, target, batch] of [
  [32, 2, 400],
  [4096, 12, 100],
]) {
  const plaintext = new Uint8Array(randomBytes(size));
  const body = JSON.stringify({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from(plaintext).toString("base64") });
  const native = await perCall(async () => nativeEnvelope(plaintext), batch);
  const send = await perCall(
    () => client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext })),
    batch,
  );
  const call = await perCall(() => world.call({}, "TrentService.Encrypt", body), batch);
  const canned = await world.call({}, "TrentService.Encrypt", body);
  const cannedClient = new KMSClient({ region: "us-east-1", world: { call: async () => canned } });
  const jsLayer = await perCall(
    () => cannedClient.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext })),
    batch,
  );
  rows.push({ size, native, send, call, jsLayer, ratio: send / native, target });
}

console.log("Encrypt per call, medians (µs) — node bench/node-encrypt.mjs");
console.log(`  module floor (World.call of an unknown target) ${floor.toFixed(2)}`);
for (const r of rows) {
  console.log(
    `  ${String(r.size).padStart(4)} B: native AES-256-GCM ${r.native.toFixed(2)} | World.call ${r.call.toFixed(2)} | ` +
      `client.send ${r.send.toFixed(2)} | JS layer alone (send over a canned answer) ${r.jsLayer.toFixed(2)} | ratio send/native ${r.ratio.toFixed(1)}x (target ≤ ${r.target}x: ${r.ratio <= r.target ? "met" : "MISSED"})`,
  );
}
