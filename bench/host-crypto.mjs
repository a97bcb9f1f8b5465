// The host's primitives (issue 15: js/core/host-crypto.mjs, wasm/ABI.md "Host primitives"): each
// operation through KMSClient.send on a world that takes node:crypto's primitives (the default) and on
// one that runs the module's own Go cryptography (hostCrypto: false, as before them, and as in a
// browser), against node:crypto doing the same cryptography on a key of its own. The three are measured
// in turns, batch after batch, in the process's CPU time (user + system: every one of them runs on
// this thread), so that a loaded machine slows them alike; the ratios are the figures (send / native). Targets: Sign ECDSA_SHA_256 P-256 ≤ 5x, Sign RSASSA_PSS_SHA_256 RSA_2048 ≤ 2x (issue
// 15; issue 10 asked ≤ 8x), RSA_4096 RSAES_OAEP_SHA_256 Decrypt ≤ 2x, Encrypt 4096 B ≤ 3x,
// ImportKeyMaterial RSA_4096 ≤ 10 ms (bench/import-key-material.mjs has the whole import).
import crypto from "node:crypto";
import {
  KMSClient,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  SignCommand,
  createWorld,
} from "wasmkms";
import { cpuPerCallInTurns, median } from "./lib/timing.mjs";

const ROUNDS = 21;
const clients = {
  host: new KMSClient({ region: "us-east-1", world: createWorld() }),
  module: new KMSClient({ region: "us-east-1", world: createWorld({ hostCrypto: false }) }),
};

// Each function's median CPU µs per call, in turns (bench/lib/timing.mjs); first each runs 400 times
// or for 3 s (the first ~2,000 calls of a fresh process run several times slower).
const inTurns = (fns, batch) => cpuPerCallInTurns(fns, { batch, rounds: ROUNDS, warm: { calls: 400, ms: 3000 } });

// One operation: `make(client)` answers the function that calls it on that client's world.
async function row(what, make, nativeWhat, native, batch, target) {
  const fns = { native };
  for (const [name, client] of Object.entries(clients)) fns[name] = await make(client);
  const t = await inTurns(fns, batch);
  return { what, nativeWhat, target, ...t };
}

const keyOf = async (client, KeySpec, KeyUsage) =>
  (await client.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata.KeyId;
const message = crypto.randomBytes(32);
const rows = [];

for (const [spec, algorithm, curve, hash, target] of [
  ["ECC_NIST_P256", "ECDSA_SHA_256", "prime256v1", "sha256", 5],
  ["ECC_NIST_P384", "ECDSA_SHA_384", "secp384r1", "sha384"],
  ["ECC_NIST_P521", "ECDSA_SHA_512", "secp521r1", "sha512"],
]) {
  const native = crypto.generateKeyPairSync("ec", { namedCurve: curve }).privateKey;
  rows.push(
    await row(
      `Sign ${algorithm} ${spec.slice(9)}, 32 B`,
      async (client) => {
        const KeyId = await keyOf(client, spec, "SIGN_VERIFY");
        return () => client.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm: algorithm }));
      },
      "crypto.sign",
      async () => crypto.sign(hash, message, native),
      spec === "ECC_NIST_P521" ? 2 : 5,
      target,
    ),
  );
}

{
  const native = crypto.generateKeyPairSync("ed25519").privateKey;
  rows.push(
    await row(
      "Sign ED25519_SHA_512, 32 B",
      async (client) => {
        const KeyId = await keyOf(client, "ECC_NIST_EDWARDS25519", "SIGN_VERIFY");
        return () => client.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm: "ED25519_SHA_512" }));
      },
      "crypto.sign",
      async () => crypto.sign(null, message, native),
      5,
    ),
  );
}

for (const [spec, bits, batch, target] of [
  ["RSA_2048", 2048, 3, 2],
  ["RSA_4096", 4096, 1],
]) {
  const native = crypto.generateKeyPairSync("rsa", { modulusLength: bits }).privateKey;
  const pss = { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  rows.push(
    await row(
      `Sign RSASSA_PSS_SHA_256 ${spec}, 32 B`,
      async (client) => {
        const KeyId = await keyOf(client, spec, "SIGN_VERIFY");
        return () => client.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm: "RSASSA_PSS_SHA_256" }));
      },
      "crypto.sign PSS",
      async () => crypto.sign("sha256", message, { key: native, ...pss }),
      batch,
      target,
    ),
  );
}

{
  const native = crypto.generateKeyPairSync("rsa", { modulusLength: 4096 });
  const oaep = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" };
  const nativeBlob = crypto.publicEncrypt({ key: native.publicKey, ...oaep }, message);
  rows.push(
    await row(
      "Decrypt RSAES_OAEP_SHA_256 RSA_4096, 32 B",
      async (client) => {
        const KeyId = await keyOf(client, "RSA_4096", "ENCRYPT_DECRYPT");
        const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId }));
        const key = crypto.createPublicKey({ key: Buffer.from(PublicKey), format: "der", type: "spki" });
        const CiphertextBlob = crypto.publicEncrypt({ key, ...oaep }, message);
        return () =>
          client.send(new DecryptCommand({ KeyId, CiphertextBlob, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" }));
      },
      "privateDecrypt",
      async () => crypto.privateDecrypt({ key: native.privateKey, ...oaep }, nativeBlob),
      1,
      2,
    ),
  );
}

{
  const dataKey = crypto.randomBytes(32);
  const plaintext = new Uint8Array(crypto.randomBytes(4096));
  const envelope = () => {
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", dataKey, nonce);
    return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  };
  rows.push(
    await row(
      "Encrypt 4096 B",
      async (client) => {
        const KeyId = await keyOf(client);
        return () => client.send(new EncryptCommand({ KeyId, Plaintext: plaintext }));
      },
      "AES-256-GCM envelope",
      async () => envelope(),
      20,
      3,
    ),
  );
  rows.push(
    await row(
      "Decrypt 4096 B",
      async (client) => {
        const KeyId = await keyOf(client);
        const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId, Plaintext: plaintext }));
        return () => client.send(new DecryptCommand({ CiphertextBlob }));
      },
      "AES-256-GCM open",
      async () => {
        const sealed = envelope();
        const decipher = crypto.createDecipheriv("aes-256-gcm", dataKey, sealed.subarray(0, 12));
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
      },
      20,
    ),
  );
  const macKey = crypto.randomBytes(32);
  rows.push(
    await row(
      "GenerateMac HMAC_SHA_256, 4096 B",
      async (client) => {
        const KeyId = await keyOf(client, "HMAC_256", "GENERATE_VERIFY_MAC");
        return () => client.send(new GenerateMacCommand({ KeyId, Message: plaintext, MacAlgorithm: "HMAC_SHA_256" }));
      },
      "createHmac",
      async () => crypto.createHmac("sha256", macKey).update(plaintext).digest(),
      20,
    ),
  );
}

// ImportKeyMaterial of a 32-byte key under RSAES_OAEP_SHA_256 with an RSA_4096 wrapping key (its private
// operation is the cost): each import to a fresh EXTERNAL key and token, only ImportKeyMaterial timed.
const imports = {};
for (const name of Object.keys(clients)) imports[name] = [];
for (let i = 0; i <= 15; i++) {
  for (const [name, client] of Object.entries(clients)) {
    const { KeyId } = (await client.send(new CreateKeyCommand({ Origin: "EXTERNAL" }))).KeyMetadata;
    const { ImportToken, PublicKey } = await client.send(
      new GetParametersForImportCommand({
        KeyId,
        WrappingAlgorithm: "RSAES_OAEP_SHA_256",
        WrappingKeySpec: "RSA_4096",
      }),
    );
    const key = crypto.createPublicKey({ key: Buffer.from(PublicKey), format: "der", type: "spki" });
    const EncryptedKeyMaterial = crypto.publicEncrypt(
      { key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      crypto.randomBytes(32),
    );
    const start = process.cpuUsage();
    await client.send(
      new ImportKeyMaterialCommand({
        KeyId,
        ImportToken,
        EncryptedKeyMaterial,
        ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      }),
    );
    const { user, system } = process.cpuUsage(start);
    if (i > 0) imports[name].push((user + system) / 1000); // ms; the first is a warm-up
  }
}

console.log("The host's primitives, per call, medians of CPU time (µs), in turns — node bench/host-crypto.mjs");
for (const r of rows) {
  const host = r.host / r.native;
  const own = r.module / r.native;
  console.log(
    `  ${r.what.padEnd(42)} ${r.nativeWhat} ${r.native.toFixed(1)} | host primitives ${r.host.toFixed(1)} (${host.toFixed(1)}x) | ` +
      `module's own ${r.module.toFixed(1)} (${own.toFixed(1)}x) | own/host ${(r.module / r.host).toFixed(1)}x` +
      (r.target ? ` | target ≤ ${r.target}x: ${host <= r.target ? "met" : "MISSED"}` : ""),
  );
}
const ms = (name) => median(imports[name]);
console.log(
  `  ImportKeyMaterial RSAES_OAEP_SHA_256, RSA_4096 wrapping key: host primitives ${ms("host").toFixed(2)} ms | ` +
    `module's own ${ms("module").toFixed(2)} ms | target ≤ 10 ms: ${ms("host") <= 10 ? "met" : "MISSED"}`,
);
