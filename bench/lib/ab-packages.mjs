// Before and after: two or more copies of the package (each a path to its js/node.mjs, with its own
// wasmkms.wasm beside it) and Node's native envelope, in one process, their calls interleaved round by
// round: the CPU time of a call (medians over the rounds), each copy's ratio to native, and the last
// copy's ratio to the first (the median of the per-round ratios, which cancels the machine's drift);
// with three copies or more, each copy's ratio to the one before it too.
// CPU time, not wall time: on a loaded machine the wall clock mostly measures the wait for a core.
//
//   node bench/lib/ab-packages.mjs /tmp/before/js/node.mjs /tmp/after/js/node.mjs
//
// Not run by ./build.sh bench (it takes the copies to compare as arguments). ROUNDS and BATCH in the
// environment change the sample; CASES, a regular expression, runs only the cases whose names match.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { median } from "./timing.mjs";

const entries = process.argv.slice(2);
if (entries.length === 0) throw new Error("usage: node bench/lib/ab-packages.mjs <js/node.mjs>...");
const ROUNDS = Number(process.env.ROUNDS ?? 100);
const BATCH = Number(process.env.BATCH ?? 200);
const WARM = 5000;

const plaintext = new Uint8Array(32).fill(7);
const dataKey = randomBytes(32);
const seal = (bytes) => {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, nonce);
  const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
};
const open = (envelope) => {
  const decipher = createDecipheriv("aes-256-gcm", dataKey, envelope.subarray(0, 12));
  decipher.setAuthTag(envelope.subarray(envelope.length - 16));
  return Buffer.concat([decipher.update(envelope.subarray(12, envelope.length - 16)), decipher.final()]);
};
const sealed = seal(plaintext);
// GenerateMac's and VerifyMac's native equivalents: HMAC-SHA-256 of the same 32 bytes under a key of
// Node's own (VerifyMac compares in constant time, as the module does).
const macKey = randomBytes(32);
const hmac = (bytes) => createHmac("sha256", macKey).update(bytes).digest();
const nativeMac = hmac(plaintext);

const sides = [
  {
    name: "native",
    cases: {
      "Encrypt 32 B": () => seal(plaintext),
      "Decrypt 32 B": () => open(sealed),
      "GenerateDataKey AES_256": () => seal(randomBytes(32)),
      "GenerateMac HMAC_SHA_256 32 B": () => hmac(plaintext),
      "VerifyMac HMAC_SHA_256 32 B": () => timingSafeEqual(hmac(plaintext), nativeMac),
    },
  },
];
for (const entry of entries) {
  const pkg = await import(entry);
  const world = pkg.createWorld();
  const client = new pkg.KMSClient({ region: "us-east-1", world });
  const KeyId = (await client.send(new pkg.CreateKeyCommand({}))).KeyMetadata.KeyId;
  const { CiphertextBlob } = await client.send(new pkg.EncryptCommand({ KeyId, Plaintext: plaintext }));
  const hmacKey = { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" };
  const MacKeyId = (await client.send(new pkg.CreateKeyCommand(hmacKey))).KeyMetadata.KeyId;
  const mac = { KeyId: MacKeyId, Message: plaintext, MacAlgorithm: "HMAC_SHA_256" };
  const { Mac } = await client.send(new pkg.GenerateMacCommand(mac));
  // A literal, not { ...mac, Mac }: Node 20 takes microseconds to spread an object into a new one.
  const verify = { KeyId: MacKeyId, Message: plaintext, Mac, MacAlgorithm: "HMAC_SHA_256" };
  // CreateKey's keys go into a world of their own (it grows by every call), not the other cases'.
  const keys = new pkg.KMSClient({ region: "us-east-1", world: pkg.createWorld() });
  // ... and on a world without the copy of its state that recovery after a trap keeps (its takes).
  const keysNoCopy = new pkg.KMSClient({ region: "us-east-1", world: pkg.createWorld({ recovery: false }) });
  sides.push({
    name: entry,
    cases: {
      "Encrypt 32 B": () => client.send(new pkg.EncryptCommand({ KeyId, Plaintext: plaintext })),
      "Decrypt 32 B": () => client.send(new pkg.DecryptCommand({ CiphertextBlob })),
      "GenerateDataKey AES_256": () => client.send(new pkg.GenerateDataKeyCommand({ KeyId, KeySpec: "AES_256" })),
      "GenerateMac HMAC_SHA_256 32 B": () => client.send(new pkg.GenerateMacCommand(mac)),
      "VerifyMac HMAC_SHA_256 32 B": () => client.send(new pkg.VerifyMacCommand(verify)),
      "DescribeKey (JSON path)": () => client.send(new pkg.DescribeKeyCommand({ KeyId })),
      "CreateKey SYMMETRIC_DEFAULT": () => keys.send(new pkg.CreateKeyCommand({})),
      "CreateKey SYMMETRIC_DEFAULT, recovery: false": () => keysNoCopy.send(new pkg.CreateKeyCommand({})),
      "World.call of an unknown target": () => world.call({}, "TrentService.NoSuchOperation", "{}"),
    },
  });
}

const only = process.env.CASES ? new RegExp(process.env.CASES) : null;
const names = Object.keys(sides[1].cases).filter((name) => !only || only.test(name));
for (const side of sides) {
  side.samples = {};
  for (const name of names) if (side.cases[name]) for (let i = 0; i < WARM; i++) await side.cases[name]();
}
for (let round = 0; round < ROUNDS; round++) {
  for (const name of names) {
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      const fn = side.cases[name];
      if (!fn) continue;
      const start = process.cpuUsage();
      for (let i = 0; i < BATCH; i++) await fn();
      const used = process.cpuUsage(start);
      side.samples[name] ??= [];
      side.samples[name].push((used.user + used.system) / BATCH);
    }
  }
}

const ratio = (a, b) => median(a.map((x, i) => x / b[i]));
console.log(
  `µs of CPU a call, median of ${ROUNDS} interleaved rounds of ${BATCH} calls — node bench/lib/ab-packages.mjs`,
);
for (const name of names) {
  const native = sides[0].samples[name];
  const cells = sides
    .filter((side) => side.samples[name])
    .map((side) => {
      const vsNative = native && side !== sides[0] ? ` (${ratio(side.samples[name], native).toFixed(2)}x native)` : "";
      return `${side.name} ${median(side.samples[name]).toFixed(2)}${vsNative}`;
    });
  const last = sides.at(-1).samples[name];
  const lastVsFirst = sides.length > 2 ? ` | last ÷ first ${ratio(last, sides[1].samples[name]).toFixed(3)}` : "";
  // With more than two copies (a series of changes), each one's ratio to the copy before it.
  const steps =
    sides.length > 3
      ? ` | each ÷ the one before: ${sides
          .slice(2)
          .map((side, i) => ratio(side.samples[name], sides[i + 1].samples[name]).toFixed(3))
          .join(", ")}`
      : "";
  console.log(`  ${name}: ${cells.join(" | ")}${lastVsFirst}${steps}`);
}

// What recovery's copy costs a CreateKey in each copy: the default world's ÷ recovery: false's, and ÷
// Encrypt 32 B (medians of the per-round ratios).
for (const side of sides.slice(1)) {
  const s = side.samples;
  const createKey = s["CreateKey SYMMETRIC_DEFAULT"];
  if (!createKey) continue;
  const cells = [];
  if (s["CreateKey SYMMETRIC_DEFAULT, recovery: false"]) {
    cells.push(`÷ recovery: false ${ratio(createKey, s["CreateKey SYMMETRIC_DEFAULT, recovery: false"]).toFixed(3)}`);
  }
  if (s["Encrypt 32 B"]) cells.push(`÷ Encrypt 32 B ${ratio(createKey, s["Encrypt 32 B"]).toFixed(3)}`);
  if (cells.length > 0) console.log(`  ${side.name}: CreateKey SYMMETRIC_DEFAULT (default world) ${cells.join(", ")}`);
}
