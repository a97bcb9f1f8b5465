// CreateKey's cost (issue 15): SYMMETRIC_DEFAULT through KMSClient.send (the direct export), beside
// Encrypt 32 B, the cheapest direct call, as the floor of a call into the module; and the elliptic-curve
// key specs on a world that takes node:crypto's base-point multiplication for a new key's public point
// (the default) and on one that runs the module's own Go code (hostCrypto: false, as in a browser),
// beside node:crypto's own key generation. Measured in turns, batch after batch, in the process's CPU
// time (user + system), so that a loaded machine slows them alike. Every world keeps the keys it makes,
// as a test suite's world does. Targets: SYMMETRIC_DEFAULT ≤ 20 µs, every key spec ≤ 5 ms.
//   node bench/create-key.mjs
import crypto from "node:crypto";
import { KMSClient, CreateKeyCommand, EncryptCommand, createWorld } from "wasmkms";
import { cpuPerCallInTurns } from "./lib/timing.mjs";

const ROUNDS = Number(process.env.ROUNDS ?? 31);

// Each function's median CPU µs per call, in turns (bench/lib/timing.mjs), after `warm` calls each.
const inTurns = (fns, batch, warm) => cpuPerCallInTurns(fns, { batch, rounds: ROUNDS, warm: { calls: warm } });

const host = new KMSClient({ region: "us-east-1", world: createWorld() });
const own = new KMSClient({ region: "us-east-1", world: createWorld({ hostCrypto: false }) });
// A world without the copy of its state that recovery after a trap keeps (every CreateKey changes the
// state, so it pays a take of its change): the module's own cost of a key.
const noCopy = new KMSClient({ region: "us-east-1", world: createWorld({ recovery: false }) });

const KeyId = (await host.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
const plaintext = new Uint8Array(32);
const symmetric = await inTurns(
  {
    createKey: () => host.send(new CreateKeyCommand({})),
    createKeyNoCopy: () => noCopy.send(new CreateKeyCommand({})),
    encrypt32: () => host.send(new EncryptCommand({ KeyId, Plaintext: plaintext })),
  },
  100,
  3000,
);
const verdict = (µs) => (µs <= 20 ? "met" : "MISSED");
console.log(
  `CreateKey SYMMETRIC_DEFAULT through client.send, µs CPU per call (target ≤ 20 µs): ${symmetric.createKey.toFixed(1)} ` +
    `(${verdict(symmetric.createKey)}); recovery: false ${symmetric.createKeyNoCopy.toFixed(1)} (${verdict(symmetric.createKeyNoCopy)}); ` +
    `Encrypt 32 B in the same turns ${symmetric.encrypt32.toFixed(1)} (CreateKey ÷ Encrypt ${(symmetric.createKey / symmetric.encrypt32).toFixed(2)}, ` +
    `recovery: false ${(symmetric.createKeyNoCopy / symmetric.encrypt32).toFixed(2)})`,
);

console.log("CreateKey per elliptic-curve key spec, ms of CPU per call (target ≤ 5 ms each):");
for (const [KeySpec, namedCurve, batch] of [
  ["ECC_NIST_P256", "prime256v1", 20],
  ["ECC_NIST_P384", "secp384r1", 4],
  ["ECC_NIST_P521", "secp521r1", 2],
  ["ECC_SECG_P256K1", "secp256k1", 10],
]) {
  const input = { KeySpec, KeyUsage: "SIGN_VERIFY" };
  const t = await inTurns(
    {
      host: () => host.send(new CreateKeyCommand(input)),
      own: () => own.send(new CreateKeyCommand(input)),
      native: async () => crypto.generateKeyPairSync("ec", { namedCurve }),
    },
    batch,
    5,
  );
  const ms = (µs) => (µs / 1000).toFixed(3).padStart(7);
  const verdict = (µs) => (µs <= 5000 ? "met" : "MISSED");
  console.log(
    `  ${KeySpec.padEnd(16)} host primitives ${ms(t.host)} (${verdict(t.host)}) | module's own Go ${ms(t.own)} ` +
      `(${verdict(t.own)}, as in a browser) | own ÷ host ${(t.own / t.host).toFixed(1)}x | node:crypto generateKeyPairSync ${ms(t.native)}`,
  );
}
