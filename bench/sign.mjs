// Sign, Verify and GenerateMac through KMSClient.send against node:crypto doing the same cryptography on
// a key of its own, in the same process: ECDSA_SHA_256 on P-256 (32-byte message) vs crypto.sign /
// crypto.verify, RSASSA_PSS_SHA_256 on RSA_2048 vs crypto.sign with PSS (salt 32), GenerateMac
// HMAC_SHA_256 of 32 B vs createHmac. Each send is measured twice, through the operation's direct export
// (the default) and through the JSON path (a world with directPath false, its own keys of the same
// specs), side by side with the native operation (perCallSideBySide), so that the ratios come from one
// run. The ratio is send / native (it shows
// what the module's Go crypto, compiled to wasm without assembly, costs next to OpenSSL). Also CreateKey's
// median time for every key spec (SM2 in cn-north-1), target at most 5 ms each, with CreateKey
// SYMMETRIC_DEFAULT as the baseline, and its per-call time through both paths.
import crypto from "node:crypto";
import { KMSClient, CreateKeyCommand, SignCommand, VerifyCommand, GenerateMacCommand, createWorld } from "wasmkms";
import { median, perCallSideBySide } from "./lib/timing.mjs";

const world = createWorld();
const client = new KMSClient({ region: "us-east-1", world });
const china = new KMSClient({ region: "cn-north-1", world });
const viaJSON = new KMSClient({ region: "us-east-1", world: createWorld({ directPath: false }) });
const create = async (kms, KeySpec, KeyUsage) =>
  (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata.KeyId;

// Per-call medians of a send through the direct path, through the JSON path and of the native
// operation, measured side by side: `make(keyId)` builds the command for a key (one of each world's,
// created by `keysOf`).
const bothPaths = (keys, make, native, batch) =>
  perCallSideBySide([() => client.send(make(keys.direct)), () => viaJSON.send(make(keys.json)), native], batch);
const keysOf = async (KeySpec, KeyUsage) => ({
  direct: await create(client, KeySpec, KeyUsage),
  json: await create(viaJSON, KeySpec, KeyUsage),
});

const message = crypto.randomBytes(32);
const rows = [];

// ECDSA P-256.
{
  const keys = await keysOf("ECC_NIST_P256", "SIGN_VERIFY");
  const native = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const sign = (KeyId) => new SignCommand({ KeyId, Message: message, SigningAlgorithm: "ECDSA_SHA_256" });
  const signatures = {
    [keys.direct]: (await client.send(sign(keys.direct))).Signature,
    [keys.json]: (await viaJSON.send(sign(keys.json))).Signature,
  };
  const nativeSignature = crypto.sign("sha256", message, native.privateKey);
  rows.push([
    "Sign ECDSA_SHA_256 P-256, 32 B",
    "crypto.sign",
    ...(await bothPaths(keys, sign, async () => crypto.sign("sha256", message, native.privateKey), 20)),
  ]);
  const verify = (KeyId) =>
    new VerifyCommand({ KeyId, Message: message, Signature: signatures[KeyId], SigningAlgorithm: "ECDSA_SHA_256" });
  rows.push([
    "Verify ECDSA_SHA_256 P-256, 32 B",
    "crypto.verify",
    ...(await bothPaths(
      keys,
      verify,
      async () => crypto.verify("sha256", message, native.publicKey, nativeSignature),
      20,
    )),
  ]);
}

// RSA-PSS 2048.
{
  const keys = await keysOf("RSA_2048", "SIGN_VERIFY");
  const native = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pss = { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  const sign = (KeyId) => new SignCommand({ KeyId, Message: message, SigningAlgorithm: "RSASSA_PSS_SHA_256" });
  const signatures = {
    [keys.direct]: (await client.send(sign(keys.direct))).Signature,
    [keys.json]: (await viaJSON.send(sign(keys.json))).Signature,
  };
  const nativeSignature = crypto.sign("sha256", message, { key: native.privateKey, ...pss });
  rows.push([
    "Sign RSASSA_PSS_SHA_256 RSA_2048, 32 B",
    "crypto.sign PSS",
    ...(await bothPaths(keys, sign, async () => crypto.sign("sha256", message, { key: native.privateKey, ...pss }), 5)),
  ]);
  const verify = (KeyId) =>
    new VerifyCommand({
      KeyId,
      Message: message,
      Signature: signatures[KeyId],
      SigningAlgorithm: "RSASSA_PSS_SHA_256",
    });
  rows.push([
    "Verify RSASSA_PSS_SHA_256 RSA_2048, 32 B",
    "crypto.verify PSS",
    ...(await bothPaths(
      keys,
      verify,
      async () => crypto.verify("sha256", message, { key: native.publicKey, ...pss }, nativeSignature),
      20,
    )),
  ]);
}

// HMAC-SHA-256.
{
  const keys = await keysOf("HMAC_256", "GENERATE_VERIFY_MAC");
  const nativeKey = crypto.randomBytes(32);
  // A longer warm-up than bothPaths' one batch: V8 optimizes the module's code for a call only after
  // some thousands of them (BENCHMARKS.md, "Warm start"), and a MAC of 32 bytes is cheap enough for
  // those first calls to weigh on its median; the other rows' operations take milliseconds.
  for (let i = 0; i < 5000; i++) {
    await client.send(new GenerateMacCommand({ KeyId: keys.direct, Message: message, MacAlgorithm: "HMAC_SHA_256" }));
    await viaJSON.send(new GenerateMacCommand({ KeyId: keys.json, Message: message, MacAlgorithm: "HMAC_SHA_256" }));
  }
  rows.push([
    "GenerateMac HMAC_SHA_256, 32 B",
    "createHmac",
    ...(await bothPaths(
      keys,
      (KeyId) => new GenerateMacCommand({ KeyId, Message: message, MacAlgorithm: "HMAC_SHA_256" }),
      async () => crypto.createHmac("sha256", nativeKey).update(message).digest(),
      200,
    )),
  ]);
}

console.log("Sign, Verify, GenerateMac per call, medians (µs) — node bench/sign.mjs");
for (const [what, nativeWhat, send, json, native] of rows) {
  console.log(
    `  ${what.padEnd(42)} client.send ${send.toFixed(1).padStart(8)} (JSON path ${json.toFixed(1)}) | ${nativeWhat} ${native.toFixed(1)} | ratio send/native ${(send / native).toFixed(1)}x (JSON path ${(json / native).toFixed(1)}x)`,
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
// CreateKey SYMMETRIC_DEFAULT per call through both paths (issue 15's target: at most 20 µs).
const createSymmetric = await perCallSideBySide(
  [() => client.send(new CreateKeyCommand({})), () => viaJSON.send(new CreateKeyCommand({}))],
  50,
);
const missed = SPECS.filter(([spec]) => createTimes[spec].median > 5).map(([spec]) => spec);
console.log(
  `CreateKey per key spec, median of ${COUNT} (ms), target ≤ 5 ms each: ${missed.length ? `MISSED for ${missed.join(", ")}` : "met"}`,
);
console.log(
  `  SYMMETRIC_DEFAULT per call (µs, batches of 50): client.send ${createSymmetric[0].toFixed(1)} (JSON path ${createSymmetric[1].toFixed(1)})`,
);
for (const [spec] of SPECS) {
  const { median: m, max } = createTimes[spec];
  console.log(
    `  ${spec.padEnd(22)} ${m.toFixed(3).padStart(7)} (max ${max.toFixed(2)}) | ${(m / baseline).toFixed(1)}x SYMMETRIC_DEFAULT`,
  );
}
