// Encrypt through KMSClient.send against a Node-native AES-256-GCM envelope (randomBytes nonce,
// createCipheriv, auth tag), both measured here in the same process, 32 B and 4096 B plaintexts.
// Targets (issue 4): at most 2x the native median per call at 32 B, at most 12x at 4096 B.
// Also shown, so that the cost of each layer is visible: World.call alone (the module, JSON and the ABI
// without the SDK layer); the module's floor (World.call of an unknown target: the ABI, the request
// decoding and an error answer); and client.send over a world that answers a canned Encrypt result at
// once (the package's JS layer alone: serialization, base64, deserialization, $metadata); and
// client.send through the JSON path (a world with directPath false), measured side by side with the
// native envelope and the direct send (perCallSideBySide), so that their ratios come from one run. Then the data keys: GenerateDataKey AES_256 against Node making a data key and sealing
// it (randomBytes(32) and the envelope above; issue 15's target ≤ 2x), GenerateDataKeyWithoutPlaintext,
// and ReEncrypt of a 32 B blob to another key against Node opening and sealing an envelope.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import {
  KMSClient,
  CreateKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  ReEncryptCommand,
  createWorld,
} from "wasmkms";
import { perCall, perCallSideBySide } from "./lib/timing.mjs";

const dataKey = randomBytes(32);
function nativeEnvelope(plaintext) {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, nonce);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

function nativeOpen(envelope) {
  const decipher = createDecipheriv("aes-256-gcm", dataKey, envelope.subarray(0, 12));
  decipher.setAuthTag(envelope.subarray(envelope.length - 16));
  return Buffer.concat([decipher.update(envelope.subarray(12, envelope.length - 16)), decipher.final()]);
}

const world = createWorld();
const client = new KMSClient({ region: "us-east-1", world });
const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
const jsonWorld = createWorld({ directPath: false });
const viaJSON = new KMSClient({ region: "us-east-1", world: jsonWorld });
const jsonKey = (await viaJSON.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;

const floor = await perCall(() => world.call({}, "TrentService.NoSuchOperation", "{}"), 400);

const rows = [];
for (const [size, target, batch] of [
  [32, 2, 400],
  [4096, 12, 100],
]) {
  const plaintext = new Uint8Array(randomBytes(size));
  const body = JSON.stringify({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from(plaintext).toString("base64") });
  const [native, send, json] = await perCallSideBySide(
    [
      async () => nativeEnvelope(plaintext),
      () => client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext })),
      () => viaJSON.send(new EncryptCommand({ KeyId: jsonKey, Plaintext: plaintext })),
    ],
    batch,
  );
  const call = await perCall(() => world.call({}, "TrentService.Encrypt", body), batch);
  const canned = await world.call({}, "TrentService.Encrypt", body);
  const cannedClient = new KMSClient({ region: "us-east-1", world: { call: async () => canned } });
  const jsLayer = await perCall(
    () => cannedClient.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext })),
    batch,
  );
  rows.push({ size, native, send, json, call, jsLayer, ratio: send / native, target });
}

console.log("Encrypt per call, medians (µs) — node bench/node-encrypt.mjs");
console.log(`  module floor (World.call of an unknown target) ${floor.toFixed(2)}`);
for (const r of rows) {
  console.log(
    `  ${String(r.size).padStart(4)} B: native AES-256-GCM ${r.native.toFixed(2)} | World.call ${r.call.toFixed(2)} | ` +
      `client.send ${r.send.toFixed(2)} (JSON path ${r.json.toFixed(2)}) | JS layer alone (send over a canned answer) ${r.jsLayer.toFixed(2)} | ratio send/native ${r.ratio.toFixed(1)}x (JSON path ${(r.json / r.native).toFixed(1)}x; target ≤ ${r.target}x: ${r.ratio <= r.target ? "met" : "MISSED"})`,
  );
}

// The data keys and ReEncrypt, each through both paths.
const otherKey = (await client.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
const otherJSONKey = (await viaJSON.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
const small = new Uint8Array(randomBytes(32));
const sealed = (await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: small }))).CiphertextBlob;
const sealedJSON = (await viaJSON.send(new EncryptCommand({ KeyId: jsonKey, Plaintext: small }))).CiphertextBlob;
const nativeSealed = nativeEnvelope(small);
const dataKeyRows = [
  [
    "GenerateDataKey AES_256",
    (KeyId) => new GenerateDataKeyCommand({ KeyId, KeySpec: "AES_256" }),
    "randomBytes(32) + envelope",
    async () => nativeEnvelope(randomBytes(32)),
    2,
  ],
  [
    "GenerateDataKeyWithoutPlaintext AES_256",
    (KeyId) => new GenerateDataKeyWithoutPlaintextCommand({ KeyId, KeySpec: "AES_256" }),
    "randomBytes(32) + envelope",
    async () => nativeEnvelope(randomBytes(32)),
    undefined,
  ],
  [
    "ReEncrypt 32 B to another key",
    (KeyId) =>
      KeyId === KeyMetadata.KeyId
        ? new ReEncryptCommand({ CiphertextBlob: sealed, DestinationKeyId: otherKey })
        : new ReEncryptCommand({ CiphertextBlob: sealedJSON, DestinationKeyId: otherJSONKey }),
    "open + seal an envelope",
    async () => nativeEnvelope(nativeOpen(nativeSealed)),
    undefined,
  ],
];
for (const [what, command, nativeWhat, nativeFn, target] of dataKeyRows) {
  const [native, send, json] = await perCallSideBySide(
    [nativeFn, () => client.send(command(KeyMetadata.KeyId)), () => viaJSON.send(command(jsonKey))],
    200,
  );
  const verdict = target === undefined ? "" : `; target ≤ ${target}x: ${send / native <= target ? "met" : "MISSED"}`;
  console.log(
    `  ${what}: native ${nativeWhat} ${native.toFixed(2)} | client.send ${send.toFixed(2)} (JSON path ${json.toFixed(2)}) | ratio send/native ${(send / native).toFixed(1)}x (JSON path ${(json / native).toFixed(1)}x${verdict})`,
  );
}
