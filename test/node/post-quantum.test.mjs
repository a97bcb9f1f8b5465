// ML-DSA and ML-KEM keys against @noble/post-quantum, an independent FIPS 203/204 implementation.
// ML-DSA: noble's ml_dsa44/65/87.verify(signature, message, publicKey) accepts every KMS signature, RAW
// and EXTERNAL_MU (mu computed here with @noble/hashes' SHAKE256, as FIPS 204 defines it), and refuses a
// changed one, which KMS's Verify also refuses. ML-KEM: a ciphertext from noble's
// ml_kem512/768/1024.encapsulate(publicKey) decapsulates in KMS to noble's shared secret. The raw public
// key is the SubjectPublicKeyInfo's BIT STRING, whose algorithm is the NIST OID with no parameters.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";
import { ml_kem512, ml_kem768, ml_kem1024 } from "@noble/post-quantum/ml-kem.js";
import { shake256 } from "@noble/hashes/sha3.js";

import {
  KMSClient,
  CreateKeyCommand,
  SignCommand,
  VerifyCommand,
  GetPublicKeyCommand,
  EncapsulateCommand,
  DecapsulateCommand,
  KMSInvalidSignatureException,
  InvalidCiphertextException,
  createWorld,
} from "wasmkms";

const client = new KMSClient({ region: "us-east-1", world: createWorld() });

// OID arcs after 2.16.840.1.101.3.4 (NIST algorithms): 3.17-19 ML-DSA, 4.1-3 ML-KEM.
const DSA = {
  ML_DSA_44: { noble: ml_dsa44, publicKeyBytes: 1312, signatureBytes: 2420, oid: "2.16.840.1.101.3.4.3.17" },
  ML_DSA_65: { noble: ml_dsa65, publicKeyBytes: 1952, signatureBytes: 3309, oid: "2.16.840.1.101.3.4.3.18" },
  ML_DSA_87: { noble: ml_dsa87, publicKeyBytes: 2592, signatureBytes: 4627, oid: "2.16.840.1.101.3.4.3.19" },
};
const KEM = {
  ML_KEM_512: { noble: ml_kem512, publicKeyBytes: 800, ciphertextBytes: 768, oid: "2.16.840.1.101.3.4.4.1" },
  ML_KEM_768: { noble: ml_kem768, publicKeyBytes: 1184, ciphertextBytes: 1088, oid: "2.16.840.1.101.3.4.4.2" },
  ML_KEM_1024: { noble: ml_kem1024, publicKeyBytes: 1568, ciphertextBytes: 1568, oid: "2.16.840.1.101.3.4.4.3" },
};

// A small strict DER reader: one TLV at `offset` (definite lengths only).
function tlv(der, offset = 0) {
  const tag = der[offset];
  let length = der[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    assert.ok(n >= 1 && n <= 2, "DER length form");
    length = 0;
    for (let i = 0; i < n; i++) length = (length << 8) | der[offset + 2 + i];
    header += n;
  }
  const start = offset + header;
  assert.ok(start + length <= der.length, "DER truncated");
  return { tag, content: der.subarray(start, start + length), end: start + length };
}

function oidString(content) {
  const arcs = [Math.floor(content[0] / 40), content[0] % 40];
  let value = 0;
  for (const byte of content.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

// The algorithm OID (parameters must be absent) and the raw public key of a SubjectPublicKeyInfo.
function parseSPKI(spki) {
  const outer = tlv(spki);
  assert.equal(outer.tag, 0x30);
  assert.equal(outer.end, spki.length, "bytes after the SPKI");
  const algorithm = tlv(outer.content);
  assert.equal(algorithm.tag, 0x30);
  const oid = tlv(algorithm.content);
  assert.equal(oid.tag, 0x06);
  assert.equal(oid.end, algorithm.content.length, "AlgorithmIdentifier parameters present");
  const bits = tlv(outer.content, algorithm.end);
  assert.equal(bits.tag, 0x03);
  assert.equal(bits.end, outer.content.length);
  assert.equal(bits.content[0], 0, "BIT STRING unused bits");
  return { oid: oidString(oid.content), publicKey: Uint8Array.from(bits.content.subarray(1)) };
}

async function kmsKey(KeySpec, KeyUsage) {
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeySpec, KeyUsage }));
  const out = await client.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
  assert.equal(out.KeySpec, KeySpec);
  assert.equal(out.KeyUsage, KeyUsage);
  return {
    keyId: KeyMetadata.KeyId,
    arn: KeyMetadata.Arn,
    metadata: KeyMetadata,
    getPublicKey: out,
    ...parseSPKI(out.PublicKey),
  };
}

// FIPS 204 (Algorithm 2 and 7): mu = SHAKE256(tr || M', 64), tr = SHAKE256(pk, 64), and for pure
// ML-DSA with an empty context M' = 0x00 || 0x00 || M.
function externalMu(publicKey, message) {
  const tr = shake256(publicKey, { dkLen: 64 });
  return shake256(Buffer.concat([tr, Buffer.from([0, 0]), message]), { dkLen: 64 });
}

const MESSAGES = [Uint8Array.of(1), new TextEncoder().encode("post-quantum hello"), crypto.randomBytes(4096)];

for (const [spec, { noble, publicKeyBytes, signatureBytes, oid }] of Object.entries(DSA)) {
  test(`${spec}: noble's verify accepts every KMS signature, RAW and EXTERNAL_MU`, async () => {
    const { keyId, arn, metadata, getPublicKey, oid: gotOid, publicKey } = await kmsKey(spec, "SIGN_VERIFY");
    assert.deepEqual(metadata.SigningAlgorithms, ["ML_DSA_SHAKE_256"]);
    assert.deepEqual(getPublicKey.SigningAlgorithms, ["ML_DSA_SHAKE_256"]);
    assert.equal(gotOid, oid);
    assert.equal(publicKey.length, publicKeyBytes);
    assert.equal(noble.lengths.publicKey, publicKeyBytes);
    assert.deepEqual(publicKey, Uint8Array.from(getPublicKey.PublicKey.subarray(-publicKeyBytes)));

    for (const message of MESSAGES) {
      for (const MessageType of [undefined, "RAW", "EXTERNAL_MU"]) {
        const what = `${spec} ${MessageType ?? "(default)"} ${message.length} B`;
        const Message = MessageType === "EXTERNAL_MU" ? externalMu(publicKey, message) : message;
        const out = await client.send(
          new SignCommand({ KeyId: keyId, Message, MessageType, SigningAlgorithm: "ML_DSA_SHAKE_256" }),
        );
        assert.equal(out.KeyId, arn);
        assert.equal(out.SigningAlgorithm, "ML_DSA_SHAKE_256");
        assert.equal(out.Signature.length, signatureBytes, what);
        assert.ok(noble.verify(out.Signature, message, publicKey), `noble rejects ${what}`);
        assert.ok(
          noble.internal.verify(out.Signature, externalMu(publicKey, message), publicKey, { externalMu: true }),
          `noble (external mu) rejects ${what}`,
        );
        const changed = Uint8Array.from(out.Signature);
        changed[100] ^= 0x04;
        assert.ok(!noble.verify(changed, message, publicKey), `noble accepts a changed ${what}`);
        assert.ok(
          !noble.verify(out.Signature, message, publicKey, { context: Uint8Array.of(1) }),
          `${what} verifies with a context`,
        );

        // KMS verifies it both ways, RAW over the message and EXTERNAL_MU over mu.
        for (const [type, input] of [
          ["RAW", message],
          ["EXTERNAL_MU", externalMu(publicKey, message)],
        ]) {
          const verified = await client.send(
            new VerifyCommand({
              KeyId: keyId,
              Message: input,
              MessageType: type,
              Signature: out.Signature,
              SigningAlgorithm: "ML_DSA_SHAKE_256",
            }),
          );
          assert.equal(verified.SignatureValid, true, `${what}, verified as ${type}`);
        }
        await assert.rejects(
          client.send(
            new VerifyCommand({
              KeyId: keyId,
              Message,
              MessageType,
              Signature: changed,
              SigningAlgorithm: "ML_DSA_SHAKE_256",
            }),
          ),
          (err) => {
            assert.ok(err instanceof KMSInvalidSignatureException, `${what}: ${err}`);
            assert.equal(err.$fault, "client");
            return true;
          },
        );
      }
    }
  });
}

test("ML-DSA: a signature by another ML-DSA-44 key (noble's) does not verify against the KMS key", async () => {
  const { keyId } = await kmsKey("ML_DSA_44", "SIGN_VERIFY");
  const other = ml_dsa44.keygen();
  const message = new TextEncoder().encode("not yours");
  await assert.rejects(
    client.send(
      new VerifyCommand({
        KeyId: keyId,
        Message: message,
        Signature: ml_dsa44.sign(message, other.secretKey),
        SigningAlgorithm: "ML_DSA_SHAKE_256",
      }),
    ),
    KMSInvalidSignatureException,
  );
});

test("ML-DSA: DIGEST is refused, and EXTERNAL_MU must be 64 bytes (ValidationException)", async () => {
  const { keyId } = await kmsKey("ML_DSA_65", "SIGN_VERIFY");
  for (const [MessageType, Message] of [
    ["DIGEST", crypto.randomBytes(64)],
    ["EXTERNAL_MU", crypto.randomBytes(32)],
  ]) {
    await assert.rejects(
      client.send(new SignCommand({ KeyId: keyId, Message, MessageType, SigningAlgorithm: "ML_DSA_SHAKE_256" })),
      (err) => {
        assert.equal(err.name, "ValidationException", `${MessageType}: ${err}`);
        assert.equal(err.$fault, "client");
        return true;
      },
    );
  }
});

for (const [spec, { noble, publicKeyBytes, ciphertextBytes, oid }] of Object.entries(KEM)) {
  test(`${spec}: noble's encapsulate(publicKey) ciphertext decapsulates in KMS to the same shared secret`, async () => {
    const {
      keyId,
      arn,
      metadata,
      getPublicKey,
      oid: gotOid,
      publicKey,
    } = await kmsKey(spec, "ENCAPSULATE_DECAPSULATE");
    assert.deepEqual(metadata.EncapsulationAlgorithms, ["ML_KEM"]);
    assert.deepEqual(getPublicKey.EncapsulationAlgorithms, ["ML_KEM"]);
    assert.equal(gotOid, oid);
    assert.equal(publicKey.length, publicKeyBytes);
    assert.equal(noble.lengths.publicKey, publicKeyBytes);

    for (let i = 0; i < 5; i++) {
      const { cipherText, sharedSecret } = noble.encapsulate(publicKey);
      assert.equal(cipherText.length, ciphertextBytes);
      const out = await client.send(
        new DecapsulateCommand({
          KeyId: keyId,
          SharedSecretCiphertextBlob: cipherText,
          EncapsulationAlgorithm: "ML_KEM",
        }),
      );
      assert.equal(out.KeyId, arn);
      assert.equal(out.EncapsulationAlgorithm, "ML_KEM");
      assert.deepEqual(Uint8Array.from(out.SharedSecret), sharedSecret, `${spec} shared secret #${i}`);

      // ML-KEM's implicit rejection: a changed ciphertext decapsulates, to another secret.
      const changed = Uint8Array.from(cipherText);
      changed[0] ^= 0x01;
      const other = await client.send(
        new DecapsulateCommand({ KeyId: keyId, SharedSecretCiphertextBlob: changed, EncapsulationAlgorithm: "ML_KEM" }),
      );
      assert.equal(other.SharedSecret.length, 32);
      assert.notDeepEqual(Uint8Array.from(other.SharedSecret), sharedSecret);
    }

    // KMS's own Encapsulate: a ciphertext of noble's size whose secret KMS's Decapsulate recovers.
    const encapsulated = await client.send(new EncapsulateCommand({ KeyId: keyId, EncapsulationAlgorithm: "ML_KEM" }));
    assert.equal(encapsulated.SharedSecretCiphertextBlob.length, ciphertextBytes);
    assert.equal(encapsulated.SharedSecret.length, 32);
    const back = await client.send(
      new DecapsulateCommand({
        KeyId: keyId,
        SharedSecretCiphertextBlob: encapsulated.SharedSecretCiphertextBlob,
        EncapsulationAlgorithm: "ML_KEM",
      }),
    );
    assert.deepEqual(back.SharedSecret, encapsulated.SharedSecret);
  });
}

test("ML-KEM: a ciphertext of another parameter set's size is refused with InvalidCiphertextException", async () => {
  const { keyId } = await kmsKey("ML_KEM_768", "ENCAPSULATE_DECAPSULATE");
  const { publicKey } = await kmsKey("ML_KEM_512", "ENCAPSULATE_DECAPSULATE");
  const { cipherText } = ml_kem512.encapsulate(publicKey);
  await assert.rejects(
    client.send(
      new DecapsulateCommand({
        KeyId: keyId,
        SharedSecretCiphertextBlob: cipherText,
        EncapsulationAlgorithm: "ML_KEM",
      }),
    ),
    (err) => {
      assert.ok(err instanceof InvalidCiphertextException, String(err));
      assert.equal(err.$fault, "client");
      return true;
    },
  );
});
