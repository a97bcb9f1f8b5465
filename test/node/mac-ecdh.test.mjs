// Key agreement, MACs and GetKeyLastUsage as a user relies on them.
// ECDH: the caller's own key pair (node:crypto) and the KMS key's public key (GetPublicKey) give, with
// crypto.diffieHellman, the secret DeriveSharedSecret answers for the caller's SPKI (P-256, P-384, P-521;
// SM2 in cn-north-1, whose reference is @noble/curves on the standard SM2 curve). HMAC: KMS never hands
// out the key material, so createHmac cannot be the reference; instead GenerateMac is deterministic, as
// long as the hash, different per key and message, VerifyMac accepts it and refuses a changed MAC with
// KMSInvalidMacException. GetKeyLastUsage: the last successful cryptographic operation with its time.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { ecdh, weierstrass } from "@noble/curves/abstract/weierstrass.js";

import {
  KMSClient,
  CreateKeyCommand,
  GetPublicKeyCommand,
  DeriveSharedSecretCommand,
  GenerateMacCommand,
  VerifyMacCommand,
  SignCommand,
  VerifyCommand,
  GetKeyLastUsageCommand,
  DescribeKeyCommand,
  KMSServiceException,
  KMSInvalidMacException,
  KMSInvalidSignatureException,
  createWorld,
} from "wasmkms";
import { assertClientFault } from "./lib/client-fault.mjs";

const world = createWorld();
const client = new KMSClient({ region: "us-east-1", world });
const china = new KMSClient({ region: "cn-north-1", world });

const spkiKey = (der) => crypto.createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function createKey(kms, KeySpec, KeyUsage) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }));
  return KeyMetadata;
}

// The private scalar of a node:crypto EC key: from its JWK, or for SM2 (which Node will not put in a JWK)
// from its SEC 1 DER, 30 77 02 01 01 04 20 <d>.
function privateScalar(privateKey, curve) {
  if (curve !== "SM2") return Buffer.from(privateKey.export({ format: "jwk" }).d, "base64url");
  const der = privateKey.export({ format: "der", type: "sec1" });
  assert.deepEqual([...der.subarray(0, 7)], [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20]);
  return der.subarray(7, 39);
}

// SM2's ECDH reference: Node 24 refuses SM2 points in createECDH("SM2").computeSecret ("Invalid key
// pair"; Node 20 and 22 accept them) and no Node imports an SM2 SPKI as a key diffieHellman takes, so
// @noble/curves computes it on the curve of GB/T 32918.5.
const sm2ECDH = ecdh(
  weierstrass({
    p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
    n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
    h: 1n,
    a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
    b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
    Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
    Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  }),
);

// The x coordinate of d·P, the ECDH shared secret, from the caller's private scalar and the KMS point.
function sharedSecret(curve, scalar, point) {
  if (curve === "SM2") return Buffer.from(sm2ECDH.getSharedSecret(scalar, point).subarray(1));
  const ecdhKey = crypto.createECDH(curve);
  ecdhKey.setPrivateKey(scalar);
  return ecdhKey.computeSecret(point);
}

const ECDH_CURVES = [
  ["ECC_NIST_P256", "prime256v1", 32, client],
  ["ECC_NIST_P384", "secp384r1", 48, client],
  ["ECC_NIST_P521", "secp521r1", 66, client],
  ["SM2", "SM2", 32, china],
];

for (const [spec, curve, secretBytes, kms] of ECDH_CURVES) {
  test(`ECDH ${spec}: DeriveSharedSecret equals node:crypto's diffieHellman with the caller's own key pair`, async () => {
    const metadata = await createKey(kms, spec, "KEY_AGREEMENT");
    assert.deepEqual(metadata.KeyAgreementAlgorithms, ["ECDH"]);
    const got = await kms.send(new GetPublicKeyCommand({ KeyId: metadata.KeyId }));
    assert.deepEqual(got.KeyAgreementAlgorithms, ["ECDH"]);
    // The KMS public key as an uncompressed point: the SPKI's last bytes (its BIT STRING), 04 || x || y.
    const kmsPoint = Buffer.from(got.PublicKey.subarray(got.PublicKey.length - (1 + 2 * secretBytes)));
    assert.equal(kmsPoint[0], 0x04);
    // Node imports an SM2 SPKI as a key of no type it can use for diffieHellman (its own SM2 keys are
    // "ec"), so for SM2 only the raw point is the reference.
    const kmsPublicKey = curve === "SM2" ? undefined : spkiKey(got.PublicKey);
    if (kmsPublicKey) {
      assert.equal(kmsPublicKey.asymmetricKeyDetails.namedCurve, curve);
      const jwk = kmsPublicKey.export({ format: "jwk" });
      assert.deepEqual(
        kmsPoint,
        Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]),
      );
    }

    for (let i = 0; i < 5; i++) {
      const mine = crypto.generateKeyPairSync("ec", { namedCurve: curve });
      const mySPKI = mine.publicKey.export({ format: "der", type: "spki" });
      const out = await kms.send(
        new DeriveSharedSecretCommand({ KeyId: metadata.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: mySPKI }),
      );
      assert.equal(out.KeyId, metadata.Arn);
      assert.equal(out.KeyAgreementAlgorithm, "ECDH");
      assert.equal(out.KeyOrigin, "AWS_KMS");
      assert.equal(out.CiphertextForRecipient, undefined);
      assert.equal(out.SharedSecret.length, secretBytes);

      const expected = sharedSecret(curve, privateScalar(mine.privateKey, curve), kmsPoint);
      assert.deepEqual(Buffer.from(out.SharedSecret), expected, `${spec} #${i}`);
      if (kmsPublicKey) {
        assert.deepEqual(crypto.diffieHellman({ privateKey: mine.privateKey, publicKey: kmsPublicKey }), expected);
      }
    }
  });
}

test("ECDH: a public key on another curve, or not a public key, is refused with ValidationException", async () => {
  const metadata = await createKey(client, "ECC_NIST_P256", "KEY_AGREEMENT");
  const p384 = crypto
    .generateKeyPairSync("ec", { namedCurve: "secp384r1" })
    .publicKey.export({ format: "der", type: "spki" });
  const rsa = crypto
    .generateKeyPairSync("rsa", { modulusLength: 1024 })
    .publicKey.export({ format: "der", type: "spki" });
  for (const [what, PublicKey] of [
    ["P-384 key", p384],
    ["RSA key", rsa],
    ["garbage", crypto.randomBytes(91)],
  ]) {
    await assert.rejects(
      client.send(new DeriveSharedSecretCommand({ KeyId: metadata.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey })),
      (err) => {
        assert.ok(err instanceof KMSServiceException, `${what}: ${err}`);
        assert.equal(err.name, "ValidationException", what);
        assert.equal(err.$fault, "client", what);
        return true;
      },
    );
  }
});

const HMAC = {
  HMAC_224: ["HMAC_SHA_224", 28],
  HMAC_256: ["HMAC_SHA_256", 32],
  HMAC_384: ["HMAC_SHA_384", 48],
  HMAC_512: ["HMAC_SHA_512", 64],
};

for (const [spec, [algorithm, macBytes]] of Object.entries(HMAC)) {
  test(`${spec}: GenerateMac is deterministic and keyed, VerifyMac accepts it and refuses a change (KMSInvalidMacException)`, async () => {
    const metadata = await createKey(client, spec, "GENERATE_VERIFY_MAC");
    assert.deepEqual(metadata.MacAlgorithms, [algorithm]);
    const other = await createKey(client, spec, "GENERATE_VERIFY_MAC");
    const mac = async (KeyId, Message) => {
      const out = await client.send(new GenerateMacCommand({ KeyId, Message, MacAlgorithm: algorithm }));
      assert.equal(out.MacAlgorithm, algorithm);
      assert.equal(out.Mac.length, macBytes);
      return Buffer.from(out.Mac);
    };
    for (const message of [Buffer.from("m"), Buffer.from("hello mac"), crypto.randomBytes(4096)]) {
      const first = await mac(metadata.KeyId, message);
      assert.deepEqual(await mac(metadata.KeyId, message), first, "same key, same message: same MAC");
      assert.deepEqual(await mac(metadata.Arn, message), first, "the key by ARN");
      assert.notDeepEqual(await mac(other.KeyId, message), first, "another key");
      const changedMessage = Buffer.from(message);
      changedMessage[0] ^= 1;
      assert.notDeepEqual(await mac(metadata.KeyId, changedMessage), first, "another message");

      const verified = await client.send(
        new VerifyMacCommand({ KeyId: metadata.KeyId, Message: message, Mac: first, MacAlgorithm: algorithm }),
      );
      assert.deepEqual(
        { ...verified, $metadata: undefined },
        { KeyId: metadata.Arn, MacValid: true, MacAlgorithm: algorithm, $metadata: undefined },
      );

      const changedMac = Buffer.from(first);
      changedMac[macBytes - 1] ^= 0x80;
      for (const [what, input] of [
        ["changed MAC", { Mac: changedMac, Message: message }],
        ["changed message", { Mac: first, Message: changedMessage }],
        ["truncated MAC", { Mac: first.subarray(0, macBytes - 1), Message: message }],
        ["other key's MAC", { Mac: await mac(other.KeyId, message), Message: message }],
      ]) {
        await assert.rejects(
          client.send(new VerifyMacCommand({ KeyId: metadata.KeyId, MacAlgorithm: algorithm, ...input })),
          (err) => {
            assertClientFault(err, KMSInvalidMacException, `${spec} ${what}: ${err}`);
            return true;
          },
        );
      }
    }
  });
}

test("GetKeyLastUsage: the last successful operation and its time (Sign, Verify, GenerateMac, VerifyMac, DeriveSharedSecret)", async () => {
  const lastUsage = async (KeyId) => {
    const out = await client.send(new GetKeyLastUsageCommand({ KeyId }));
    assert.ok(out.KeyCreationDate instanceof Date);
    assert.ok(out.TrackingStartDate instanceof Date);
    return out;
  };
  // Within [before, after], second precision allowed.
  const assertWithin = (date, before, after) => {
    assert.ok(date instanceof Date, `${date} is not a Date`);
    assert.ok(
      date.getTime() >= Math.floor(before / 1000) * 1000 && date.getTime() <= after,
      `${date.toISOString()} outside the call`,
    );
  };

  const signing = await createKey(client, "ECC_NIST_P256", "SIGN_VERIFY");
  const fresh = await lastUsage(signing.KeyId);
  assert.equal(fresh.KeyId, signing.Arn);
  assert.equal(fresh.KeyLastUsage?.Operation, undefined, "a key never used has no last usage");
  const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: signing.KeyId }));
  assert.equal(fresh.KeyCreationDate.getTime(), KeyMetadata.CreationDate.getTime());

  let before = Date.now();
  const { Signature } = await client.send(
    new SignCommand({ KeyId: signing.KeyId, Message: "m", SigningAlgorithm: "ECDSA_SHA_256" }),
  );
  let after = Date.now();
  const signed = await lastUsage(signing.KeyId);
  assert.equal(signed.KeyLastUsage.Operation, "Sign");
  assertWithin(signed.KeyLastUsage.Timestamp, before, after);
  assert.match(signed.KeyLastUsage.CloudTrailEventId, UUID);

  await new Promise((resolve) => setTimeout(resolve, 5));
  before = Date.now();
  await client.send(
    new VerifyCommand({ KeyId: signing.KeyId, Message: "m", Signature, SigningAlgorithm: "ECDSA_SHA_256" }),
  );
  after = Date.now();
  const verified = await lastUsage(signing.KeyId);
  assert.equal(verified.KeyLastUsage.Operation, "Verify");
  assertWithin(verified.KeyLastUsage.Timestamp, before, after);
  assert.ok(verified.KeyLastUsage.Timestamp >= signed.KeyLastUsage.Timestamp);

  // A refused Verify is not a use.
  const changed = Uint8Array.from(Signature);
  changed[10] ^= 1;
  await assert.rejects(
    client.send(
      new VerifyCommand({ KeyId: signing.KeyId, Message: "m", Signature: changed, SigningAlgorithm: "ECDSA_SHA_256" }),
    ),
    KMSInvalidSignatureException,
  );
  assert.deepEqual((await lastUsage(signing.KeyId)).KeyLastUsage, verified.KeyLastUsage);

  const mac = await createKey(client, "HMAC_256", "GENERATE_VERIFY_MAC");
  before = Date.now();
  const { Mac } = await client.send(
    new GenerateMacCommand({ KeyId: mac.KeyId, Message: "m", MacAlgorithm: "HMAC_SHA_256" }),
  );
  after = Date.now();
  const macked = await lastUsage(mac.Arn);
  assert.equal(macked.KeyLastUsage.Operation, "GenerateMac");
  assertWithin(macked.KeyLastUsage.Timestamp, before, after);
  await client.send(new VerifyMacCommand({ KeyId: mac.KeyId, Message: "m", Mac, MacAlgorithm: "HMAC_SHA_256" }));
  assert.equal((await lastUsage(mac.KeyId)).KeyLastUsage.Operation, "VerifyMac");

  const agreement = await createKey(client, "ECC_NIST_P256", "KEY_AGREEMENT");
  const mine = crypto
    .generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .publicKey.export({ format: "der", type: "spki" });
  before = Date.now();
  await client.send(
    new DeriveSharedSecretCommand({ KeyId: agreement.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: mine }),
  );
  after = Date.now();
  const derived = await lastUsage(agreement.KeyId);
  assert.equal(derived.KeyLastUsage.Operation, "DeriveSharedSecret");
  assertWithin(derived.KeyLastUsage.Timestamp, before, after);

  // Other keys are untouched.
  assert.equal((await lastUsage(signing.KeyId)).KeyLastUsage.Operation, "Verify");
});
