// The differential test of the host's primitives (js/core/host-crypto.mjs, wasm/ABI.md "Host
// primitives"), in whatever runtime imports this file (Node, Deno, a workerd Worker): pure ESM, web APIs
// only. Twin seeded worlds, one on the host's primitives and one on the module's own Go code
// (hostCrypto: false), receive the same calls through KMSClient, and every answer must be the same,
// byte for byte: a seeded world's randomness (nonces, PSS salts, RFC 6979's ECDSA nonces) comes from
// its seed either way. The calls reach every primitive: AES-GCM on both sides of the size where the
// host takes over, RSA private-key operations (Sign, Decrypt, ImportKeyMaterial's unwrap), ECDSA's
// base-point multiplication on each curve, Ed25519, SHA-2 of large messages, HMAC.

const sizes = [1, 255, 256, 1000, 4096];

// The capability bit of each asymmetric operation the calls make (internal/abi/host.go; the host must
// run each of these, whatever the module's size thresholds for the symmetric ones).
const RSA = 2;
const ED25519 = 4;
const curveBit = { ECC_NIST_P256: 256, ECC_NIST_P384: 512, ECC_NIST_P521: 1024, ECC_SECG_P256K1: 2048 };

function text(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

// A canonical text of an answer (bytes as hex), to compare two answers.
function canonical(value) {
  return JSON.stringify(value, (_key, v) => {
    if (v instanceof Uint8Array) return `bytes:${Array.from(v, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    if (v instanceof Date) return `date:${v.toISOString()}`;
    return v;
  });
}

/**
 * Runs the calls on twin worlds of `pkg` (the package's exports in this runtime). Resolves to
 * { calls, mismatches: [text], host, pure, asymmetric } where host and pure are each world's
 * WasmKMS.HostCrypto answer ({ inUse, capabilities, primitivesRun }), primitivesRun counting these calls'
 * only, and asymmetric the number of calls whose private-key operation the host supplies (so at least
 * that many primitives ran on it).
 */
export async function hostCryptoDifferential(pkg, { seed = "host primitives" } = {}) {
  const clock = "2027-01-01T00:00:00Z";
  const worlds = [pkg.createWorld({ seed, clock }), pkg.createWorld({ seed, clock, hostCrypto: false })];
  const clients = worlds.map((world) => new pkg.KMSClient({ region: "us-east-1", world }));
  const status = () =>
    Promise.all(worlds.map(async (world) => JSON.parse((await world.call({}, "WasmKMS.HostCrypto", "")).body)));
  const before = await status();
  const supplied = (bit) => (before[0].capabilities & bit) !== 0;
  const mismatches = [];
  let calls = 0;
  let asymmetric = 0;

  // Sends the same command to both worlds; answers the first world's output (or throws its error).
  const both = async (Command, input) => {
    calls++;
    const answers = [];
    for (const client of clients) {
      try {
        answers.push({ output: await client.send(new Command(input)) });
      } catch (error) {
        answers.push({ error: { name: error.name, message: error.message } });
      }
    }
    const [a, b] = answers.map(canonical);
    if (a !== b)
      mismatches.push(`${Command.name} ${canonical(input)}:\n  host primitives: ${a}\n  Go's own code:   ${b}`);
    if (answers[0].error) throw Object.assign(new Error(answers[0].error.message), answers[0].error);
    return answers[0].output;
  };
  const keyOf = async (KeySpec, KeyUsage, more = {}) =>
    (await both(pkg.CreateKeyCommand, { KeySpec, KeyUsage, ...more })).KeyMetadata;

  const symmetric = await keyOf("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
  for (const n of sizes) {
    const EncryptionContext = { size: String(n) };
    const { CiphertextBlob } = await both(pkg.EncryptCommand, {
      KeyId: symmetric.KeyId,
      Plaintext: text(n),
      EncryptionContext,
    });
    await both(pkg.DecryptCommand, { CiphertextBlob, EncryptionContext });
    await both(pkg.ReEncryptCommand, {
      CiphertextBlob,
      SourceEncryptionContext: EncryptionContext,
      DestinationKeyId: symmetric.KeyId,
    });
    await both(pkg.DecryptCommand, { CiphertextBlob, EncryptionContext: { size: "another" } }).catch((error) => {
      if (error.name !== "InvalidCiphertextException") throw error;
    });
  }
  await both(pkg.GenerateDataKeyCommand, { KeyId: symmetric.KeyId, NumberOfBytes: 1024 });

  for (const spec of [
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "ECC_NIST_EDWARDS25519",
    "RSA_2048",
  ]) {
    const key = await keyOf(spec, "SIGN_VERIFY");
    for (const SigningAlgorithm of key.SigningAlgorithms) {
      const messages =
        SigningAlgorithm === "ED25519_PH_SHA_512"
          ? [{ Message: text(64), MessageType: "DIGEST" }]
          : [{ Message: text(1) }, { Message: text(4096) }];
      for (const message of messages) {
        const input = { KeyId: key.KeyId, SigningAlgorithm, ...message };
        const { Signature } = await both(pkg.SignCommand, input);
        const bit = spec.startsWith("RSA") ? RSA : SigningAlgorithm === "ED25519_SHA_512" ? ED25519 : curveBit[spec];
        if (bit !== undefined && supplied(bit)) asymmetric++;
        const { SignatureValid } = await both(pkg.VerifyCommand, { ...input, Signature });
        if (SignatureValid !== true) mismatches.push(`${spec} ${SigningAlgorithm}: the signature does not verify`);
      }
    }
  }

  const rsa = await keyOf("RSA_2048", "ENCRYPT_DECRYPT");
  for (const EncryptionAlgorithm of rsa.EncryptionAlgorithms) {
    const { CiphertextBlob } = await both(pkg.EncryptCommand, {
      KeyId: rsa.KeyId,
      Plaintext: text(100),
      EncryptionAlgorithm,
    });
    await both(pkg.DecryptCommand, { KeyId: rsa.KeyId, CiphertextBlob, EncryptionAlgorithm });
    if (supplied(RSA)) asymmetric++;
  }

  for (const spec of ["HMAC_256", "HMAC_512"]) {
    const key = await keyOf(spec, "GENERATE_VERIFY_MAC");
    for (const n of [1, 1024, 4096]) {
      const input = { KeyId: key.KeyId, Message: text(n), MacAlgorithm: key.MacAlgorithms[0] };
      const { Mac } = await both(pkg.GenerateMacCommand, input);
      await both(pkg.VerifyMacCommand, { ...input, Mac });
    }
  }

  // ImportKeyMaterial: the RSA_4096 wrapping key's private-key operation opens what WebCrypto wrapped.
  const external = await keyOf(undefined, undefined, { Origin: "EXTERNAL" });
  const params = await both(pkg.GetParametersForImportCommand, {
    KeyId: external.KeyId,
    WrappingAlgorithm: "RSAES_OAEP_SHA_256",
    WrappingKeySpec: "RSA_4096",
  });
  const wrappingKey = await crypto.subtle.importKey(
    "spki",
    params.PublicKey,
    { name: "RSA-OAEP", hash: "SHA-256" },
    false,
    ["encrypt"],
  );
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: "RSA-OAEP" }, wrappingKey, text(32)));
  await both(pkg.ImportKeyMaterialCommand, {
    KeyId: external.KeyId,
    ImportToken: params.ImportToken,
    EncryptedKeyMaterial: wrapped,
    ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
  });

  // primitivesRun counts the instance's primitives: these calls' are the difference.
  const [host, pure] = (await status()).map((after, i) => ({
    ...after,
    primitivesRun: after.primitivesRun - before[i].primitivesRun,
  }));
  if (supplied(RSA)) asymmetric++; // the import's unwrap
  return { calls, mismatches, host, pure, asymmetric };
}
