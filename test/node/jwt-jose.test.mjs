// JWTs signed with KMS, verified by `jose`, as a service that keeps its token-signing key in KMS does it:
// build the JWS signing input (base64url header "." base64url payload), Sign it (RAW, or DIGEST with the
// SHA of the input computed locally), turn the signature into the JWS form (ECDSA: DER -> the fixed-size
// r || s that RFC 7518 wants), and hand the token to jose.jwtVerify with the key from GetPublicKey,
// imported with jose.importSPKI from PEM.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import * as jose from "jose";

import { KMSClient, CreateKeyCommand, SignCommand, GetPublicKeyCommand, createWorld } from "wasmkms";

const client = new KMSClient({ region: "us-east-1", world: createWorld() });

// JOSE alg -> the KMS key spec, the signing algorithm, and for ECDSA the size of r and of s.
const CASES = {
  ES256: { spec: "ECC_NIST_P256", algorithm: "ECDSA_SHA_256", hash: "sha256", ecBytes: 32 },
  ES384: { spec: "ECC_NIST_P384", algorithm: "ECDSA_SHA_384", hash: "sha384", ecBytes: 48 },
  ES512: { spec: "ECC_NIST_P521", algorithm: "ECDSA_SHA_512", hash: "sha512", ecBytes: 66 },
  RS256: { spec: "RSA_2048", algorithm: "RSASSA_PKCS1_V1_5_SHA_256", hash: "sha256" },
  RS384: { spec: "RSA_3072", algorithm: "RSASSA_PKCS1_V1_5_SHA_384", hash: "sha384" },
  RS512: { spec: "RSA_4096", algorithm: "RSASSA_PKCS1_V1_5_SHA_512", hash: "sha512" },
  PS256: { spec: "RSA_2048", algorithm: "RSASSA_PSS_SHA_256", hash: "sha256" },
  PS384: { spec: "RSA_3072", algorithm: "RSASSA_PSS_SHA_384", hash: "sha384" },
  PS512: { spec: "RSA_4096", algorithm: "RSASSA_PSS_SHA_512", hash: "sha512" },
  EdDSA: { spec: "ECC_NIST_EDWARDS25519", algorithm: "ED25519_SHA_512" },
};

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");

// An ECDSA-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }, DER) as JWS wants it: r || s, each left-padded
// to the curve's size. Written out as a user would, with strict checks so that a malformed DER fails here.
function derToJose(der, size) {
  let offset = 0;
  const byte = () => {
    assert.ok(offset < der.length, "DER signature truncated");
    return der[offset++];
  };
  const length = () => {
    const first = byte();
    if (first < 0x80) return first;
    assert.equal(first, 0x81, "DER length in more than one byte");
    const value = byte();
    assert.ok(value >= 0x80, "non-minimal DER length");
    return value;
  };
  const integer = () => {
    assert.equal(byte(), 0x02, "INTEGER expected");
    const n = length();
    let value = der.subarray(offset, offset + n);
    offset += n;
    assert.equal(value.length, n, "INTEGER truncated");
    assert.ok(n > 0 && (value[0] & 0x80) === 0, "negative or empty INTEGER");
    if (n > 1 && value[0] === 0) {
      assert.ok(value[1] & 0x80, "non-minimal INTEGER");
      value = value.subarray(1);
    }
    assert.ok(value.length <= size, "INTEGER longer than the curve");
    const padded = new Uint8Array(size);
    padded.set(value, size - value.length);
    return padded;
  };
  assert.equal(byte(), 0x30, "SEQUENCE expected");
  assert.equal(length(), der.length - offset, "SEQUENCE length");
  const r = integer();
  const s = integer();
  assert.equal(offset, der.length, "bytes after the signature");
  return Buffer.concat([r, s]);
}

const keys = new Map(); // key spec -> { keyId, pem }
async function kmsKey(spec) {
  if (!keys.has(spec)) {
    const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: "SIGN_VERIFY" }));
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(PublicKey)
      .toString("base64")
      .match(/.{1,64}/g)
      .join("\n")}\n-----END PUBLIC KEY-----\n`;
    keys.set(spec, { keyId: KeyMetadata.KeyId, pem });
  }
  return keys.get(spec);
}

// A compact JWT signed by KMS. messageType "DIGEST" signs the locally computed hash of the signing input.
async function kmsJwt(alg, claims, { messageType = "RAW", kid } = {}) {
  const { spec, algorithm, hash, ecBytes } = CASES[alg];
  const { keyId } = await kmsKey(spec);
  const header = { alg, typ: "JWT", ...(kid ? { kid } : {}) };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const Message =
    messageType === "DIGEST" ? crypto.createHash(hash).update(signingInput).digest() : Buffer.from(signingInput);
  const { Signature } = await client.send(
    new SignCommand({ KeyId: keyId, Message, MessageType: messageType, SigningAlgorithm: algorithm }),
  );
  const jws = ecBytes ? derToJose(Signature, ecBytes) : Signature;
  return { token: `${signingInput}.${b64url(jws)}`, der: Signature, signingInput };
}

const now = () => Math.floor(Date.now() / 1000);

for (const alg of Object.keys(CASES)) {
  test(`${alg} (${CASES[alg].spec}, ${CASES[alg].algorithm}): jose.jwtVerify accepts a KMS-signed JWT`, async () => {
    const { pem } = await kmsKey(CASES[alg].spec);
    const publicKey = await jose.importSPKI(pem, alg);
    const claims = {
      sub: "user-42",
      iss: "https://issuer.example",
      aud: "api",
      iat: now(),
      exp: now() + 300,
      scope: "read write",
    };
    const types = alg === "EdDSA" ? ["RAW"] : ["RAW", "DIGEST"];
    for (const messageType of types) {
      const { token } = await kmsJwt(alg, claims, { messageType, kid: "kms-key" });
      const { payload, protectedHeader } = await jose.jwtVerify(token, publicKey, {
        issuer: "https://issuer.example",
        audience: "api",
        algorithms: [alg],
      });
      assert.deepEqual(payload, claims, messageType);
      assert.deepEqual(protectedHeader, { alg, typ: "JWT", kid: "kms-key" });

      // A token whose payload was changed after signing is refused.
      const [h, , s] = token.split(".");
      const forged = `${h}.${b64url(JSON.stringify({ ...claims, sub: "admin" }))}.${s}`;
      await assert.rejects(jose.jwtVerify(forged, publicKey), jose.errors.JWSSignatureVerificationFailed);
    }
  });
}

test("EdDSA: the key also imports through node:crypto's KeyObject (createPublicKey), and a JWKS works", async () => {
  const { pem } = await kmsKey("ECC_NIST_EDWARDS25519");
  const keyObject = crypto.createPublicKey(pem);
  const { token } = await kmsJwt("EdDSA", { sub: "x" }, { kid: "ed" });
  assert.equal((await jose.jwtVerify(token, keyObject)).payload.sub, "x");
  const jwk = { ...(await jose.exportJWK(await jose.importSPKI(pem, "EdDSA"))), kid: "ed", alg: "EdDSA" };
  const jwks = jose.createLocalJWKSet({ keys: [jwk] });
  assert.equal((await jose.jwtVerify(token, jwks)).payload.sub, "x");
});

test("ES256: KMS's DER signature as is (not r || s) is refused by jose; converted, it verifies", async () => {
  const { pem } = await kmsKey("ECC_NIST_P256");
  const publicKey = await jose.importSPKI(pem, "ES256");
  const { token, der, signingInput } = await kmsJwt("ES256", { sub: "der" });
  assert.ok(der.length >= 8 && der.length <= 72, `DER length ${der.length}`);
  await assert.rejects(jose.jwtVerify(`${signingInput}.${b64url(der)}`, publicKey));
  assert.equal((await jose.jwtVerify(token, publicKey)).payload.sub, "der");
  // node:crypto's ieee-p1363 encoding is the same r || s.
  assert.ok(
    crypto.verify(
      "sha256",
      Buffer.from(signingInput),
      { key: crypto.createPublicKey(pem), dsaEncoding: "ieee-p1363" },
      Buffer.from(token.split(".")[2], "base64url"),
    ),
  );
});

test("ES256: 200 tokens, whatever the DER length of the signature, all convert and verify", async () => {
  const { pem } = await kmsKey("ECC_NIST_P256");
  const publicKey = await jose.importSPKI(pem, "ES256");
  const derLengths = new Set();
  for (let i = 0; i < 200; i++) {
    const { token, der } = await kmsJwt("ES256", { i });
    derLengths.add(der.length);
    assert.equal((await jose.jwtVerify(token, publicKey)).payload.i, i);
  }
  // 70, 71 and 72 bytes are all common (72 when r and s both have their top bit set: a 00 pad each).
  assert.ok(derLengths.size >= 2, `DER lengths seen: ${[...derLengths]}`);
});

test("jose.compactVerify of a KMS-signed JWS with a binary payload (PS256)", async () => {
  const { keyId, pem } = await kmsKey("RSA_2048");
  const payload = crypto.randomBytes(100);
  const signingInput = `${b64url(JSON.stringify({ alg: "PS256" }))}.${b64url(payload)}`;
  const { Signature } = await client.send(
    new SignCommand({ KeyId: keyId, Message: Buffer.from(signingInput), SigningAlgorithm: "RSASSA_PSS_SHA_256" }),
  );
  const result = await jose.compactVerify(`${signingInput}.${b64url(Signature)}`, await jose.importSPKI(pem, "PS256"));
  assert.deepEqual(Buffer.from(result.payload), payload);
});
