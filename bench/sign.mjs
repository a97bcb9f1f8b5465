// Sign, Verify and GenerateMac through KMSClient.send against node:crypto doing the same cryptography on
// a key of its own, in the same process: ECDSA_SHA_256 on P-256 (32-byte message) vs crypto.sign /
// crypto.verify, RSASSA_PSS_SHA_256 on RSA_2048 vs crypto.sign with PSS (salt 32), GenerateMac
// HMAC_SHA_256 of 32 B vs createHmac. The ratio is send / native (there is no target for it: it shows
// what the module's Go crypto, compiled to wasm without assembly, costs next to OpenSSL). Also CreateKey's
// median time for every key spec (SM2 in cn-north-1), target at most 5 ms each, with CreateKey
// SYMMETRIC_DEFAULT as the baseline.
import crypto from "node:crypto";
import { KMSClient, CreateKeyCommand, SignCommand, VerifyCommand, GenerateMacCommand, createWorld } from "wasmkms";
import { median, perCall } from "./lib/timing.mjs";

const world = createWorld();
const client = new KMSClient({ region: "us-east-1", world });
const china = new KMSClient({ region: "cn-north-1", world });
const create = async (kms, KeySpec, KeyUsage) =>
  (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata.KeyId;

const message = crypto.randomBytes(32);
const rows = [];

// ECDSA P-256.
{
  const keyId = await create(client, "ECC_NIST_P256", "SIGN_VERIFY");
  const native = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const sign = { KeyId: keyId, Message: message, SigningAlgorithm: "ECDSA_SHA_256" };
  const { Signature } = await client.send(new SignCommand(sign));
  const nativeSignature = crypto.sign("sha256", message, native.privateKey);
  rows.push([
    "Sign ECDSA_SHA_256 P-256, 32 B",
    await perCall(() => client.send(new SignCommand(sign)), 20),
    "crypto.sign",
    await perCall(async () => crypto.sign("sha256", message, native.privateKey), 200),
  ]);
  rows.push([
    "Verify ECDSA_SHA_256 P-256, 32 B",
    await perCall(() => client.send(new VerifyCommand({ ...sign, Signature })), 20),
    "crypto.verify",
    await perCall(async () => crypto.verify("sha256", message, native.publicKey, nativeSignature), 200),
  ]);
}

// RSA-PSS 2048.
{
  const keyId = await create(client, "RSA_2048", "SIGN_VERIFY");
  const native = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pss = { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  const sign = { KeyId: keyId, Message: message, SigningAlgorithm: "RSASSA_PSS_SHA_256" };
  const { Signature } = await client.send(new SignCommand(sign));
  const nativeSignature = crypto.sign("sha256", message, { key: native.privateKey, ...pss });
  rows.push([
    "Sign RSASSA_PSS_SHA_256 RSA_2048, 32 B",
    await perCall(() => client.send(new SignCommand(sign)), 5),
    "crypto.sign PSS",
    await perCall(async () => crypto.sign("sha256", message, { key: native.privateKey, ...pss }), 20),
  ]);
  rows.push([
    "Verify RSASSA_PSS_SHA_256 RSA_2048, 32 B",
    await perCall(() => client.send(new VerifyCommand({ ...sign, Signature })), 20),
    "crypto.verify PSS",
    await perCall(
      async () => crypto.verify("sha256", message, { key: native.publicKey, ...pss }, nativeSignature),
      200,
    ),
  ]);
}

// HMAC-SHA-256.
{
  const keyId = await create(client, "HMAC_256", "GENERATE_VERIFY_MAC");
  const nativeKey = crypto.randomBytes(32);
  rows.push([
    "GenerateMac HMAC_SHA_256, 32 B",
    await perCall(
      () => client.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: "HMAC_SHA_256" })),
      200,
    ),
    "createHmac",
    await perCall(async () => crypto.createHmac("sha256", nativeKey).update(message).digest(), 400),
  ]);
}

console.log("Sign, Verify, GenerateMac per call, medians (µs) — node bench/sign.mjs");
for (const [what, send, nativeWhat, native] of rows) {
  console.log(
    `  ${what.padEnd(42)} client.send ${send.toFixed(1).padStart(8)} | ${nativeWhat} ${native.toFixed(1)} | ratio send/native ${(send / native).toFixed(1)}x`,
  );
}

// CreateKey, every key spec.
const SPECS = [
  ["SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"],
  ["RSA_2048", "SIGN_VERIFY"],
  ["RSA_3072", "SIGN_VERIFY"],
  ["RSA_4096", "SIGN_VERIFY"],
  ["ECC_NIST_P256", "SIGN_VERIFY"],
  ["ECC_NIST_P384", "SIGN_VERIFY"],
  ["ECC_NIST_P521", "SIGN_VERIFY"],
  ["ECC_SECG_P256K1", "SIGN_VERIFY"],
  ["ECC_NIST_EDWARDS25519", "SIGN_VERIFY"],
  ["HMAC_224", "GENERATE_VERIFY_MAC"],
  ["HMAC_256", "GENERATE_VERIFY_MAC"],
  ["HMAC_384", "GENERATE_VERIFY_MAC"],
  ["HMAC_512", "GENERATE_VERIFY_MAC"],
  ["ML_DSA_44", "SIGN_VERIFY"],
  ["ML_DSA_65", "SIGN_VERIFY"],
  ["ML_DSA_87", "SIGN_VERIFY"],
  ["ML_KEM_512", "ENCAPSULATE_DECAPSULATE"],
  ["ML_KEM_768", "ENCAPSULATE_DECAPSULATE"],
  ["ML_KEM_1024", "ENCAPSULATE_DECAPSULATE"],
  ["SM2", "SIGN_VERIFY"],
];
const COUNT = 41;
const createTimes = {};
for (const [spec, usage] of SPECS) {
  const kms = spec === "SM2" ? china : client;
  await create(kms, spec, usage); // warm-up
  const times = [];
  for (let i = 0; i < COUNT; i++) {
    const start = performance.now();
    await create(kms, spec, usage);
    times.push(performance.now() - start);
  }
  createTimes[spec] = { median: median(times), max: Math.max(...times) };
}
const baseline = createTimes.SYMMETRIC_DEFAULT.median;
const missed = SPECS.filter(([spec]) => createTimes[spec].median > 5).map(([spec]) => spec);
console.log(
  `CreateKey per key spec, median of ${COUNT} (ms), target ≤ 5 ms each: ${missed.length ? `MISSED for ${missed.join(", ")}` : "met"}`,
);
for (const [spec] of SPECS) {
  const { median: m, max } = createTimes[spec];
  console.log(
    `  ${spec.padEnd(22)} ${m.toFixed(3).padStart(7)} (max ${max.toFixed(2)}) | ${(m / baseline).toFixed(1)}x SYMMETRIC_DEFAULT`,
  );
}
