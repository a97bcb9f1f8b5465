// The host's primitives in Node (js/core/host-crypto.mjs over node:crypto): twin seeded worlds, one on
// them and one on the module's own Go code, answer alike (test/lib/host-crypto-differential.mjs); an
// unseeded world's signatures verify with node:crypto; an instance without node:crypto (the stubs a
// browser gets) answers the same; a node:crypto whose primitive fails changes nothing but the speed.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as nodeCrypto from "node:crypto";
import { readFile } from "node:fs/promises";

import {
  KMSClient,
  CreateKeyCommand,
  GetPublicKeyCommand,
  SignCommand,
  DecryptCommand,
  createWorld,
} from "../../js/node.mjs";
import { ModuleInstance } from "../../js/core/module.mjs";
import { hostCryptoDifferential } from "../lib/host-crypto-differential.mjs";

const wasm = new WebAssembly.Module(await readFile(new URL("../../js/wasmkms.wasm", import.meta.url)));

test("twin seeded worlds answer alike with the host's primitives and without", async (t) => {
  const { calls, mismatches, host, pure, asymmetric } = await hostCryptoDifferential({
    ...(await import("../../js/node.mjs")),
  });
  t.diagnostic(`${calls} calls on each world; the host ran ${host.primitivesRun} primitives`);
  assert.deepEqual(mismatches, []);
  assert.equal(host.inUse, true);
  assert.equal(pure.inUse, false);
  assert.ok(
    asymmetric > 20 && host.primitivesRun > asymmetric,
    `the host ran ${host.primitivesRun} primitives for ${asymmetric} private-key operations it supplies`,
  );
  // Node supplies every primitive: AES-GCM, RSA, Ed25519, SHA-2, HMAC and the four curves.
  assert.equal(host.capabilities, 1 | 2 | 4 | 8 | 16 | (0b1111 << 8));
});

test("an unseeded world's signatures (randomized) verify with node:crypto", async () => {
  const client = new KMSClient({ region: "us-east-1", world: createWorld() });
  for (const [KeySpec, SigningAlgorithm, verify] of [
    ["ECC_NIST_P256", "ECDSA_SHA_256", (m, key, s) => nodeCrypto.verify("sha256", m, key, s)],
    ["ECC_NIST_P521", "ECDSA_SHA_512", (m, key, s) => nodeCrypto.verify("sha512", m, key, s)],
    ["ECC_SECG_P256K1", "ECDSA_SHA_256", (m, key, s) => nodeCrypto.verify("sha256", m, key, s)],
    ["ECC_NIST_EDWARDS25519", "ED25519_SHA_512", (m, key, s) => nodeCrypto.verify(null, m, key, s)],
    [
      "RSA_3072",
      "RSASSA_PSS_SHA_384",
      (m, key, s) =>
        nodeCrypto.verify("sha384", m, { key, padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }, s),
    ],
  ]) {
    const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeySpec, KeyUsage: "SIGN_VERIFY" }));
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
    const key = nodeCrypto.createPublicKey({ key: Buffer.from(PublicKey), format: "der", type: "spki" });
    const seen = new Set();
    for (let i = 0; i < 5; i++) {
      const Message = nodeCrypto.randomBytes(1 + i * 1000);
      const { Signature } = await client.send(new SignCommand({ KeyId: KeyMetadata.KeyId, Message, SigningAlgorithm }));
      assert.ok(verify(Message, key, Signature), `${KeySpec} ${SigningAlgorithm}`);
      seen.add(Buffer.from(Signature).toString("hex"));
    }
    assert.equal(seen.size, 5);
  }
});

// A world in an instance of its own: the primitives it is given, calls through the module's ABI.
async function instanceWorld(nodeCrypto, config) {
  const instance = await ModuleInstance.instantiate(wasm, { nodeCrypto });
  const handle = instance.newWorld(config);
  return (target, body) =>
    instance.call(handle, "", "", "", target, typeof body === "string" ? body : JSON.stringify(body));
}

// A script of calls that reaches every primitive, on one world; answers the answers' texts.
async function script(call) {
  const answers = [];
  const ok = (answer) => {
    assert.equal(answer.status, 200, answer.body);
    answers.push(answer.body);
    return JSON.parse(answer.body);
  };
  const key = (KeySpec, KeyUsage) => ok(call("TrentService.CreateKey", { KeySpec, KeyUsage })).KeyMetadata.KeyId;
  const message = Buffer.alloc(4096, 7).toString("base64");
  const symmetric = key("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
  const { CiphertextBlob } = ok(call("TrentService.Encrypt", { KeyId: symmetric, Plaintext: message }));
  ok(call("TrentService.Decrypt", { CiphertextBlob }));
  for (const [spec, SigningAlgorithm] of [
    ["RSA_2048", "RSASSA_PSS_SHA_256"],
    ["RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256"],
    ["ECC_NIST_P384", "ECDSA_SHA_384"],
    ["ECC_NIST_EDWARDS25519", "ED25519_SHA_512"],
  ]) {
    ok(call("TrentService.Sign", { KeyId: key(spec, "SIGN_VERIFY"), Message: message, SigningAlgorithm }));
  }
  const mac = key("HMAC_384", "GENERATE_VERIFY_MAC");
  ok(call("TrentService.GenerateMac", { KeyId: mac, Message: message, MacAlgorithm: "HMAC_SHA_384" }));
  const status = JSON.parse(call("WasmKMS.HostCrypto", "").body);
  return { answers, status };
}

test("without node:crypto (a browser's stubs) the module answers the same, on its own code", async () => {
  const config = { seed: "stubs", clock: "2027-01-01T00:00:00Z" };
  const withHost = await script(await instanceWorld(undefined, config));
  const stubs = await script(await instanceWorld(null, config));
  assert.deepEqual(stubs.answers, withHost.answers);
  assert.deepEqual(stubs.status, { inUse: false, capabilities: 0, primitivesRun: 0 });
  assert.equal(withHost.status.inUse, true);
  assert.ok(withHost.status.primitivesRun >= 7, JSON.stringify(withHost.status));
});

test("a host primitive that fails is asked no more, and the answers stay the module's", async () => {
  // A node:crypto whose RSA operation, AES-GCM and curves throw: supplied as far as the probe sees, then
  // failing at the first use (the module signs the PSS encoding it made with math/big instead).
  const made = new Set();
  const failing = {
    ...nodeCrypto,
    privateDecrypt() {
      throw new Error("no RSA here");
    },
    createECDH(name) {
      made.add(name);
      if (!made.has(`${name} probed`)) {
        made.add(`${name} probed`);
        return nodeCrypto.createECDH(name); // the probe's: it works
      }
      return { setPrivateKey() {}, getPublicKey: () => new Uint8Array(3) }; // a point of no length
    },
  };
  const config = { seed: "failing", clock: "2027-01-01T00:00:00Z" };
  const pure = await script(await instanceWorld(null, config));
  const call = await instanceWorld(failing, config);
  const broken = await script(call);
  assert.deepEqual(broken.answers, pure.answers);
  const rsaAndP384 = 2 | (1 << 9); // the ones the script used, and that failed
  assert.equal(broken.status.capabilities & rsaAndP384, 0, "the failed primitives are dropped");
  assert.notEqual(broken.status.capabilities, 0, "the others stay");
  // Asked no more: a second round runs none of them, and answers as before.
  const again = await script(call);
  assert.equal(again.status.capabilities, broken.status.capabilities);
});

test("RSA_4096 Decrypt with the host's private-key operation", async () => {
  const client = new KMSClient({ region: "us-east-1", world: createWorld() });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeySpec: "RSA_4096", KeyUsage: "ENCRYPT_DECRYPT" }));
  const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
  const key = nodeCrypto.createPublicKey({ key: Buffer.from(PublicKey), format: "der", type: "spki" });
  for (const [EncryptionAlgorithm, oaepHash] of [
    ["RSAES_OAEP_SHA_1", "sha1"],
    ["RSAES_OAEP_SHA_256", "sha256"],
  ]) {
    const plaintext = nodeCrypto.randomBytes(200);
    const CiphertextBlob = nodeCrypto.publicEncrypt({ key, oaepHash }, plaintext);
    const out = await client.send(
      new DecryptCommand({ KeyId: KeyMetadata.KeyId, CiphertextBlob, EncryptionAlgorithm }),
    );
    assert.deepEqual(Buffer.from(out.Plaintext), plaintext);
    const tampered = Buffer.from(CiphertextBlob);
    tampered[100] ^= 1;
    await assert.rejects(
      client.send(new DecryptCommand({ KeyId: KeyMetadata.KeyId, CiphertextBlob: tampered, EncryptionAlgorithm })),
      { name: "InvalidCiphertextException" },
    );
  }
});
