// Sign and Verify as a user checks them: every KMS signature is verified offline by an implementation
// nobody here wrote, with the public key from GetPublicKey. node:crypto (OpenSSL) for RSA (PSS with
// salt length = digest length, PKCS#1 v1.5), ECDSA (P-256/384/521, secp256k1; DER) and pure Ed25519;
// @noble/curves for Ed25519ph; sm-crypto for SM2DSA (cn-north-1, default ID 1234567812345678). Each
// signable key spec signs RAW and, where the algorithm takes it, DIGEST (the digest of the same message,
// so the offline verifier hashes the message itself). A changed signature makes KMS's Verify throw
// KMSInvalidSignatureException, and the offline verifier agrees that it is bad.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { ed25519ph } from "@noble/curves/ed25519.js";
import smCrypto from "sm-crypto";

import {
  KMSClient,
  CreateKeyCommand,
  SignCommand,
  VerifyCommand,
  GetPublicKeyCommand,
  KMSServiceException,
  KMSInvalidSignatureException,
  createWorld,
} from "wasmkms";
import { assertClientFault } from "./lib/client-fault.mjs";

const world = createWorld();
const client = new KMSClient({ region: "us-east-1", world });
const china = new KMSClient({ region: "cn-north-1", world });

// What AWS documents for each signing key spec.
const ALGORITHMS = {
  RSA_2048: [
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
  ],
  ECC_NIST_P256: ["ECDSA_SHA_256"],
  ECC_NIST_P384: ["ECDSA_SHA_384"],
  ECC_NIST_P521: ["ECDSA_SHA_512"],
  ECC_SECG_P256K1: ["ECDSA_SHA_256"],
  ECC_NIST_EDWARDS25519: ["ED25519_SHA_512", "ED25519_PH_SHA_512"],
};
ALGORITHMS.RSA_3072 = ALGORITHMS.RSA_2048;
ALGORITHMS.RSA_4096 = ALGORITHMS.RSA_2048;

const CURVES = {
  ECC_NIST_P256: "prime256v1",
  ECC_NIST_P384: "secp384r1",
  ECC_NIST_P521: "secp521r1",
  ECC_SECG_P256K1: "secp256k1",
};
const RSA_BITS = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const DIGEST_BYTES = { sha256: 32, sha384: 48, sha512: 64 };

// The hash an algorithm name ends with, in node:crypto's spelling.
const hashOf = (algorithm) => `sha${algorithm.match(/SHA_(\d+)$/)[1]}`;

// The offline check of `signature` over `message` (always the message, even when KMS signed its digest).
function nodeVerify(publicKey, algorithm, message, signature) {
  if (algorithm === "ED25519_SHA_512") return crypto.verify(null, message, publicKey, signature);
  const hash = hashOf(algorithm);
  if (algorithm.startsWith("RSASSA_PSS_")) {
    return crypto.verify(
      hash,
      message,
      { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_BYTES[hash] },
      signature,
    );
  }
  if (algorithm.startsWith("RSASSA_PKCS1_V1_5_")) {
    return crypto.verify(hash, message, { key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
  }
  return crypto.verify(hash, message, { key: publicKey, dsaEncoding: "der" }, signature);
}

async function signingKey(kms, KeySpec) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage: "SIGN_VERIFY" }));
  const {
    PublicKey,
    KeySpec: spec,
    KeyUsage,
    SigningAlgorithms,
  } = await kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
  assert.equal(spec, KeySpec);
  assert.equal(KeyUsage, "SIGN_VERIFY");
  assert.deepEqual(KeyMetadata.SigningAlgorithms, SigningAlgorithms);
  return { keyId: KeyMetadata.KeyId, arn: KeyMetadata.Arn, spki: PublicKey, algorithms: SigningAlgorithms };
}

function flipped(signature, index = signature.length - 1) {
  const changed = Uint8Array.from(signature);
  changed[index] ^= 0x01;
  return changed;
}

// Messages of a few sizes, from 1 byte (the model's minimum) to the largest RAW message KMS takes (4096).
const MESSAGES = [
  Uint8Array.of(0x61),
  new TextEncoder().encode("hello, world"),
  crypto.randomBytes(1000),
  crypto.randomBytes(4096),
];
// The larger RSA keys and SM2 (whose offline verifier is slow) take fewer: the sizes are covered above.
const FEWER_MESSAGES = [MESSAGES[1], MESSAGES[3]];
const messagesFor = (spec) =>
  spec === "RSA_3072" || spec === "RSA_4096" || spec === "SM2" ? FEWER_MESSAGES : MESSAGES;

for (const spec of Object.keys(ALGORITHMS)) {
  test(`${spec}: every signature KMS makes, RAW and DIGEST, verifies with node:crypto`, async () => {
    const { keyId, arn, spki, algorithms } = await signingKey(client, spec);
    assert.deepEqual(algorithms, ALGORITHMS[spec]);
    const publicKey = crypto.createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
    if (RSA_BITS[spec]) {
      assert.equal(publicKey.asymmetricKeyType, "rsa");
      assert.equal(publicKey.asymmetricKeyDetails.modulusLength, RSA_BITS[spec]);
    } else if (CURVES[spec]) {
      assert.equal(publicKey.asymmetricKeyType, "ec");
      assert.equal(publicKey.asymmetricKeyDetails.namedCurve, CURVES[spec]);
    } else {
      assert.equal(publicKey.asymmetricKeyType, "ed25519");
    }

    for (const algorithm of algorithms.filter((a) => a !== "ED25519_PH_SHA_512")) {
      for (const message of messagesFor(spec)) {
        const types = algorithm === "ED25519_SHA_512" ? ["RAW"] : ["RAW", "DIGEST", undefined];
        for (const MessageType of types) {
          const what = `${spec} ${algorithm} ${MessageType ?? "(default)"} ${message.length} B`;
          const Message =
            MessageType === "DIGEST" ? crypto.createHash(hashOf(algorithm)).update(message).digest() : message;
          const out = await client.send(
            new SignCommand({ KeyId: keyId, Message, SigningAlgorithm: algorithm, MessageType }),
          );
          assert.equal(out.KeyId, arn, what);
          assert.equal(out.SigningAlgorithm, algorithm, what);
          assert.ok(out.Signature instanceof Uint8Array, what);
          if (RSA_BITS[spec]) assert.equal(out.Signature.length, RSA_BITS[spec] / 8, what);
          if (algorithm === "ED25519_SHA_512") assert.equal(out.Signature.length, 64, what);
          assert.ok(nodeVerify(publicKey, algorithm, message, out.Signature), `node:crypto rejects ${what}`);
          assert.ok(
            !nodeVerify(publicKey, algorithm, message, flipped(out.Signature)),
            `node:crypto accepts a changed ${what}`,
          );

          const verified = await client.send(
            new VerifyCommand({
              KeyId: keyId,
              Message,
              MessageType,
              Signature: out.Signature,
              SigningAlgorithm: algorithm,
            }),
          );
          assert.deepEqual(
            { ...verified, $metadata: undefined },
            { KeyId: arn, SignatureValid: true, SigningAlgorithm: algorithm, $metadata: undefined },
            what,
          );
        }
      }
    }
  });
}

test("RSA: PSS signatures are randomized, PKCS#1 v1.5 deterministic; ECDSA randomized; Ed25519 deterministic", async () => {
  const rsa = await signingKey(client, "RSA_2048");
  const ec = await signingKey(client, "ECC_NIST_P256");
  const ed = await signingKey(client, "ECC_NIST_EDWARDS25519");
  const sign = async (keyId, SigningAlgorithm) =>
    Buffer.from(
      (await client.send(new SignCommand({ KeyId: keyId, Message: "same message", SigningAlgorithm }))).Signature,
    );
  assert.notDeepEqual(await sign(rsa.keyId, "RSASSA_PSS_SHA_256"), await sign(rsa.keyId, "RSASSA_PSS_SHA_256"));
  assert.deepEqual(
    await sign(rsa.keyId, "RSASSA_PKCS1_V1_5_SHA_256"),
    await sign(rsa.keyId, "RSASSA_PKCS1_V1_5_SHA_256"),
  );
  assert.notDeepEqual(await sign(ec.keyId, "ECDSA_SHA_256"), await sign(ec.keyId, "ECDSA_SHA_256"));
  assert.deepEqual(await sign(ed.keyId, "ED25519_SHA_512"), await sign(ed.keyId, "ED25519_SHA_512"));
});

test("RSASSA_PSS: the salt is as long as the digest (node:crypto with another salt length rejects it)", async () => {
  const { keyId, spki } = await signingKey(client, "RSA_3072");
  const publicKey = crypto.createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
  const message = Buffer.from("salt length");
  for (const [algorithm, hash, saltLength] of [
    ["RSASSA_PSS_SHA_256", "sha256", 32],
    ["RSASSA_PSS_SHA_384", "sha384", 48],
    ["RSASSA_PSS_SHA_512", "sha512", 64],
  ]) {
    const { Signature } = await client.send(
      new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: algorithm }),
    );
    const pss = (salt) =>
      crypto.verify(
        hash,
        message,
        { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: salt },
        Signature,
      );
    assert.ok(pss(saltLength), algorithm);
    assert.ok(pss(crypto.constants.RSA_PSS_SALTLEN_AUTO), `${algorithm} with the salt length recovered`);
    assert.ok(
      !pss(saltLength - 1) && !pss(saltLength + 1) && !pss(0),
      `${algorithm}: another salt length also verifies`,
    );
  }
});

test("ED25519_PH_SHA_512 takes a SHA-512 digest D and signs Ed25519ph over D (@noble/curves ed25519ph verifies)", async () => {
  const { keyId, arn, spki } = await signingKey(client, "ECC_NIST_EDWARDS25519");
  const publicKey = crypto.createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
  const rawPublicKey = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
  assert.equal(rawPublicKey.length, 32);
  for (const message of MESSAGES) {
    const digest = crypto.createHash("sha512").update(message).digest();
    const out = await client.send(
      new SignCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: "DIGEST",
        SigningAlgorithm: "ED25519_PH_SHA_512",
      }),
    );
    assert.equal(out.Signature.length, 64);
    // Ed25519ph(D): noble hashes its message argument with SHA-512 itself, as KMS does with D.
    assert.ok(
      ed25519ph.verify(out.Signature, digest, rawPublicKey),
      `ed25519ph rejects the signature of a ${message.length} B message's digest`,
    );
    assert.ok(!ed25519ph.verify(flipped(out.Signature, 0), digest, rawPublicKey));
    // It is not a pure Ed25519 signature of D, nor of the message.
    assert.ok(!crypto.verify(null, digest, publicKey, out.Signature));
    assert.ok(!crypto.verify(null, message, publicKey, out.Signature));
    const verified = await client.send(
      new VerifyCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: "DIGEST",
        Signature: out.Signature,
        SigningAlgorithm: "ED25519_PH_SHA_512",
      }),
    );
    assert.equal(verified.SignatureValid, true);
    assert.equal(verified.KeyId, arn);
  }
});

test("a changed signature: Verify throws KMSInvalidSignatureException ($fault client) for every algorithm", async () => {
  for (const spec of Object.keys(ALGORITHMS)) {
    const { keyId } = await signingKey(client, spec);
    for (const algorithm of ALGORITHMS[spec]) {
      const MessageType = algorithm === "ED25519_PH_SHA_512" ? "DIGEST" : "RAW";
      const Message =
        MessageType === "DIGEST" ? crypto.createHash("sha512").update("tamper").digest() : Buffer.from("tamper");
      const { Signature } = await client.send(
        new SignCommand({ KeyId: keyId, Message, MessageType, SigningAlgorithm: algorithm }),
      );
      for (const [what, input] of [
        ["changed signature", { Signature: flipped(Signature, Math.floor(Signature.length / 2)) }],
        [
          "changed message",
          { Signature, Message: MessageType === "DIGEST" ? flipped(Message) : Buffer.from("tamper!") },
        ],
      ]) {
        await assert.rejects(
          client.send(new VerifyCommand({ KeyId: keyId, Message, MessageType, SigningAlgorithm: algorithm, ...input })),
          (err) => {
            assertClientFault(err, KMSInvalidSignatureException, `${spec} ${algorithm} ${what}: ${err}`);
            return true;
          },
        );
      }
    }
  }
});

test("a digest of the wrong length, or a message type the algorithm does not take: ValidationException", async () => {
  const ec = await signingKey(client, "ECC_NIST_P384");
  await assert.rejects(
    client.send(
      new SignCommand({
        KeyId: ec.keyId,
        Message: crypto.randomBytes(32),
        MessageType: "DIGEST",
        SigningAlgorithm: "ECDSA_SHA_384",
      }),
    ),
    (err) => {
      assert.ok(err instanceof KMSServiceException, String(err));
      assert.equal(err.name, "ValidationException"); // the SDK has no class for it either
      assert.equal(err.message, "Digest is invalid length for algorithm ECDSA_SHA_384.");
      assert.equal(err.$fault, "client");
      return true;
    },
  );
  const ed = await signingKey(client, "ECC_NIST_EDWARDS25519");
  for (const [SigningAlgorithm, MessageType] of [
    ["ED25519_SHA_512", "DIGEST"],
    ["ED25519_PH_SHA_512", "RAW"],
  ]) {
    await assert.rejects(
      client.send(new SignCommand({ KeyId: ed.keyId, Message: crypto.randomBytes(64), MessageType, SigningAlgorithm })),
      (err) => {
        assert.equal(err.name, "ValidationException", `${SigningAlgorithm} ${MessageType}: ${err}`);
        assert.equal(err.$fault, "client");
        return true;
      },
    );
  }
});

// SM2's Z value (GB/T 32918.2): SM3(ENTL || ID || a || b || xG || yG || xA || yA), computed here from the
// standard curve constants and sm-crypto's SM3.
const SM2_CURVE_HEX = [
  "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC", // a
  "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93", // b
  "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7", // xG
  "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0", // yG
];
function sm2Digest(publicKeyHex, message) {
  const id = Buffer.from("1234567812345678");
  const z = smCrypto.sm3(
    Array.from(
      Buffer.concat([
        Buffer.from([0x00, id.length * 8]),
        id,
        Buffer.from(SM2_CURVE_HEX.join("") + publicKeyHex.slice(2), "hex"),
      ]),
    ),
  );
  return Buffer.from(smCrypto.sm3(Array.from(Buffer.concat([Buffer.from(z, "hex"), message]))), "hex");
}

test("SM2DSA (cn-north-1): sm-crypto verifies every signature with the default ID, RAW and DIGEST", async () => {
  const { keyId, arn, spki, algorithms } = await signingKey(china, "SM2");
  assert.deepEqual(algorithms, ["SM2DSA"]);
  assert.match(arn, /^arn:aws-cn:kms:cn-north-1:/);
  // The SPKI ends with the uncompressed point: 04 || x || y, 65 bytes.
  const point = Buffer.from(spki.subarray(spki.length - 65));
  assert.equal(point[0], 0x04);
  const publicKeyHex = point.toString("hex");
  for (const message of messagesFor("SM2")) {
    for (const MessageType of [undefined, "RAW", "DIGEST"]) {
      const what = `SM2DSA ${MessageType ?? "(default)"} ${message.length} B`;
      const Message = MessageType === "DIGEST" ? sm2Digest(publicKeyHex, message) : message;
      const { Signature, SigningAlgorithm } = await china.send(
        new SignCommand({ KeyId: keyId, Message, MessageType, SigningAlgorithm: "SM2DSA" }),
      );
      assert.equal(SigningAlgorithm, "SM2DSA");
      const signatureHex = Buffer.from(Signature).toString("hex");
      // sm-crypto computes SM3(Z || M) itself with its default ID (1234567812345678).
      assert.ok(
        smCrypto.sm2.doVerifySignature(Array.from(message), signatureHex, publicKeyHex, { der: true, hash: true }),
        `sm-crypto rejects ${what}`,
      );
      assert.ok(
        smCrypto.sm2.doVerifySignature(Array.from(message), signatureHex, publicKeyHex, {
          der: true,
          hash: true,
          userId: "1234567812345679",
        }) === false,
        `${what} verifies with another ID`,
      );
      assert.ok(
        !smCrypto.sm2.doVerifySignature(
          Array.from(message),
          Buffer.from(flipped(Signature)).toString("hex"),
          publicKeyHex,
          { der: true, hash: true },
        ),
        `sm-crypto accepts a changed ${what}`,
      );
      const verified = await china.send(
        new VerifyCommand({ KeyId: keyId, Message, MessageType, Signature, SigningAlgorithm: "SM2DSA" }),
      );
      assert.equal(verified.SignatureValid, true, what);
    }
  }
  const { Signature } = await china.send(new SignCommand({ KeyId: keyId, Message: "sm2", SigningAlgorithm: "SM2DSA" }));
  await assert.rejects(
    china.send(
      new VerifyCommand({
        KeyId: keyId,
        Message: "sm2",
        Signature: flipped(Signature, 10),
        SigningAlgorithm: "SM2DSA",
      }),
    ),
    (err) => err instanceof KMSInvalidSignatureException && err.$fault === "client",
  );
});
