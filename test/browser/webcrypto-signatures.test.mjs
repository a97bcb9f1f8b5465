// In Chromium, KMS signatures checked by the browser's own WebCrypto: for each signing key spec, the page
// imports GetPublicKey's PublicKey with crypto.subtle.importKey("spki", ...) and verifies a KMS Sign
// signature with crypto.subtle.verify, converting ECDSA's DER signature to WebCrypto's raw r||s form as a
// user would. A changed message fails both WebCrypto's verify and KMS Verify
// (KMSInvalidSignatureException). Ed25519 runs only when this Chromium's WebCrypto has it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromiumMissing, launchChromium } from "../lib/chromium.mjs";
import { startTestServer } from "../lib/page-server.mjs";

const missing = chromiumMissing(); // throws in CI when the browser is missing
const skip = missing ?? false;
let server, browser;

before(async () => {
  if (missing) return;
  server = await startTestServer();
  browser = await launchChromium();
  await browser.page.goto(`${server.origin}/test/browser/pages/blank.html`);
  // One client and world for the whole file, and the page's helpers, kept on globalThis.
  await browser.page.evaluate(async () => {
    const pkg = await import("/js/browser.mjs");
    const client = new pkg.KMSClient({ region: "us-east-1", world: pkg.createWorld() });

    // ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (DER) to the fixed-width r||s WebCrypto wants.
    const derToRaw = (der, size) => {
      let at = 0;
      const readLength = () => {
        let len = der[at++];
        if (len & 0x80) {
          const n = len & 0x7f;
          len = 0;
          for (let i = 0; i < n; i++) len = (len << 8) | der[at++];
        }
        return len;
      };
      if (der[at++] !== 0x30) throw new Error("ECDSA signature: not a DER SEQUENCE");
      if (readLength() !== der.length - at) throw new Error("ECDSA signature: SEQUENCE length mismatch");
      const raw = new Uint8Array(2 * size);
      for (let part = 0; part < 2; part++) {
        if (der[at++] !== 0x02) throw new Error("ECDSA signature: not a DER INTEGER");
        let len = readLength();
        let start = at;
        at += len;
        while (len > 0 && der[start] === 0) {
          start++;
          len--;
        }
        if (len > size) throw new Error("ECDSA signature: integer wider than the curve");
        raw.set(der.subarray(start, start + len), part * size + (size - len));
      }
      if (at !== der.length) throw new Error("ECDSA signature: trailing bytes");
      return raw;
    };

    // Creates a SIGN_VERIFY key, signs `message` (RAW) with KMS, and checks the signature with WebCrypto;
    // then changes one byte of the message and checks both WebCrypto and KMS Verify reject it.
    globalThis.kmsSignatureCheck = async ({ keySpec, signingAlgorithm, importAlgorithm, verifyAlgorithm, rawSize }) => {
      const message = new TextEncoder().encode(`signed by KMS, verified by WebCrypto: ${signingAlgorithm}`);
      const { KeyMetadata } = await client.send(
        new pkg.CreateKeyCommand({ KeySpec: keySpec, KeyUsage: "SIGN_VERIFY" }),
      );
      const KeyId = KeyMetadata.KeyId;
      const { PublicKey, SigningAlgorithms } = await client.send(new pkg.GetPublicKeyCommand({ KeyId }));
      const { Signature } = await client.send(
        new pkg.SignCommand({ KeyId, Message: message, MessageType: "RAW", SigningAlgorithm: signingAlgorithm }),
      );
      const signature = rawSize ? derToRaw(Signature, rawSize) : Signature;
      const publicKey = await crypto.subtle.importKey("spki", PublicKey, importAlgorithm, false, ["verify"]);
      const verified = await crypto.subtle.verify(verifyAlgorithm, publicKey, signature, message);

      const changed = message.slice();
      changed[0] ^= 0x01;
      const changedVerified = await crypto.subtle.verify(verifyAlgorithm, publicKey, signature, changed);
      let kmsRejection = null;
      try {
        await client.send(
          new pkg.VerifyCommand({
            KeyId,
            Message: changed,
            MessageType: "RAW",
            Signature,
            SigningAlgorithm: signingAlgorithm,
          }),
        );
      } catch (err) {
        kmsRejection = { name: err.name, isClass: err instanceof pkg.KMSInvalidSignatureException };
      }
      const kmsOriginal = await client.send(
        new pkg.VerifyCommand({
          KeyId,
          Message: message,
          MessageType: "RAW",
          Signature,
          SigningAlgorithm: signingAlgorithm,
        }),
      );
      return {
        signingAlgorithms: SigningAlgorithms,
        derLength: Signature.length,
        signatureLength: signature.length,
        verified,
        changedVerified,
        kmsRejection,
        kmsOriginalValid: kmsOriginal.SignatureValid,
      };
    };

    // Whether this Chromium's WebCrypto has Ed25519: import a known-good SPKI (RFC 8410's example key).
    globalThis.webCryptoHasEd25519 = async () => {
      const spki = Uint8Array.from(atob("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="), (c) =>
        c.charCodeAt(0),
      );
      try {
        await crypto.subtle.importKey("spki", spki, { name: "Ed25519" }, false, ["verify"]);
        return { supported: true };
      } catch (err) {
        return { supported: false, reason: `${err.name}: ${err.message}` };
      }
    };
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function checkResult(r, signingAlgorithm) {
  assert.ok(r.signingAlgorithms.includes(signingAlgorithm), `GetPublicKey lists ${signingAlgorithm}`);
  assert.equal(r.verified, true, "WebCrypto verifies the KMS signature");
  assert.equal(r.changedVerified, false, "WebCrypto rejects the signature over a changed message");
  assert.deepEqual(r.kmsRejection, { name: "KMSInvalidSignatureException", isClass: true });
  assert.equal(r.kmsOriginalValid, true, "KMS Verify accepts the original message");
}

const cases = [
  {
    keySpec: "ECC_NIST_P256",
    signingAlgorithm: "ECDSA_SHA_256",
    importAlgorithm: { name: "ECDSA", namedCurve: "P-256" },
    verifyAlgorithm: { name: "ECDSA", hash: "SHA-256" },
    rawSize: 32,
  },
  {
    keySpec: "ECC_NIST_P384",
    signingAlgorithm: "ECDSA_SHA_384",
    importAlgorithm: { name: "ECDSA", namedCurve: "P-384" },
    verifyAlgorithm: { name: "ECDSA", hash: "SHA-384" },
    rawSize: 48,
  },
  {
    keySpec: "RSA_2048",
    signingAlgorithm: "RSASSA_PSS_SHA_256",
    importAlgorithm: { name: "RSA-PSS", hash: "SHA-256" },
    verifyAlgorithm: { name: "RSA-PSS", saltLength: 32 },
  },
  {
    keySpec: "RSA_2048",
    signingAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256",
    importAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    verifyAlgorithm: { name: "RSASSA-PKCS1-v1_5" },
  },
];

for (const c of cases) {
  test(`WebCrypto verifies KMS ${c.signingAlgorithm} on ${c.keySpec}; a changed message fails both`, {
    skip,
  }, async () => {
    const r = await browser.page.evaluate((args) => globalThis.kmsSignatureCheck(args), c);
    checkResult(r, c.signingAlgorithm);
    if (c.rawSize) assert.equal(r.signatureLength, 2 * c.rawSize, "raw r||s length");
    else assert.equal(r.signatureLength, 256, "RSA_2048 signature length");
  });
}

test("WebCrypto verifies KMS ED25519_SHA_512 on ECC_NIST_EDWARDS25519; a changed message fails both", {
  skip,
}, async (t) => {
  const support = await browser.page.evaluate(() => globalThis.webCryptoHasEd25519());
  if (!support.supported) {
    t.skip(`this Chromium's WebCrypto has no Ed25519 (${support.reason})`);
    return;
  }
  const r = await browser.page.evaluate((args) => globalThis.kmsSignatureCheck(args), {
    keySpec: "ECC_NIST_EDWARDS25519",
    signingAlgorithm: "ED25519_SHA_512",
    importAlgorithm: { name: "Ed25519" },
    verifyAlgorithm: { name: "Ed25519" },
  });
  checkResult(r, "ED25519_SHA_512");
  assert.equal(r.signatureLength, 64, "Ed25519 signature length");
});
