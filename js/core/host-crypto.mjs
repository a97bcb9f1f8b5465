// The host's primitives (wasm/ABI.md, "Host primitives"): the imports of module "wasmkms_host", through
// which the module asks its host for a raw cryptographic operation where the host has fast synchronous
// crypto: node:crypto in Node, and Deno's and workerd's compatibility with it. The module keeps every
// decision (key handling, validation, the blob format, padding, ECDSA's nonce, errors); this file only
// runs the primitive. Every instance gets these imports: with no crypto (a browser) they are stubs,
// capabilities answers 0, and the module runs its own Go code for everything.
//
// The numbers below are internal/abi's (host.go); test/node/host-crypto-abi.test.mjs holds them to
// internal/abi/testdata/host-vectors.json, which that package writes.

export const HOST_MODULE = "wasmkms_host";

/** Every import of HOST_MODULE and its parameter count (all i32, one i32 result). */
export const HOST_IMPORTS = Object.freeze({
  capabilities: 0,
  key_load: 3,
  key_drop: 1,
  aes_gcm_seal: 7,
  aes_gcm_open: 7,
  rsa_private: 4,
  ec_base_mult: 4,
  ec_base_point: 4,
  ed25519_sign: 4,
  digest: 4,
  hmac: 6,
});

export const HOST_RESULTS = Object.freeze({ ok: 0, authFailed: 1, unavailable: -1 });

// anySize is a native in-process host's (the wazero harness): a JS host pays too much a call to set it.
export const HOST_CAPABILITIES = Object.freeze({
  aesGcm: 1,
  rsa: 2,
  ed25519: 4,
  digest: 8,
  hmac: 16,
  anySize: 32,
  curveBase: 256,
});

export const HOST_KEY_KINDS = Object.freeze({ rsa: 1, ed25519: 2 });

/** The curves of ec_base_mult and ec_base_point by number, as node:crypto's createECDH names them, and their sizes. */
export const HOST_CURVES = Object.freeze({
  1: { name: "prime256v1", size: 32 },
  2: { name: "secp384r1", size: 48 },
  3: { name: "secp521r1", size: 66 },
  4: { name: "secp256k1", size: 32 },
});

/** The hashes of digest and hmac by number, as node:crypto names them. */
export const HOST_HASHES = Object.freeze({ 1: "sha224", 2: "sha256", 3: "sha384", 4: "sha512" });

const { ok: OK, authFailed: AUTH_FAILED, unavailable: UNAVAILABLE } = HOST_RESULTS;
const RSA_NO_PADDING = 3; // OpenSSL's; workerd's node:crypto has no `constants`

let registered = null; // the runtime's node:crypto, registered by its entry file

/**
 * Registers the runtime's node:crypto (the module object, or null for none): every module instance
 * made after this uses it. Each runtime's entry file calls it; the browser's does not.
 */
export function setHostCrypto(nodeCrypto) {
  registered = nodeCrypto ?? null;
}

/**
 * The runtime's node:crypto through process.getBuiltinModule (Deno, workerd with nodejs_compat), or null
 * where there is none. An entry that wants it calls this (the browser's does not: a DOM emulation in
 * Node has it too); it is no import, so bundlers leave it alone and a Worker without the flag still loads.
 */
export function builtinNodeCrypto() {
  try {
    return globalThis.process?.getBuiltinModule?.("node:crypto") ?? null;
  } catch {
    return null;
  }
}

// How many primitives the hosts of this realm have run: tests read it to see the host used.
let primitivesRun = 0;

/** The number of primitives the hosts of this realm have run, for tests. */
export function hostPrimitivesRun() {
  return primitivesRun;
}

/**
 * createHostCrypto returns the import object of one instance and `bind(instance)`, to be called after
 * instantiation (the imports read and write the instance's memory). `nodeCrypto` defaults to the one
 * registered; null gives the stubs.
 */
export function createHostCrypto(nodeCrypto = registered) {
  let memory = null;
  // Addresses arrive as signed i32: one past 2 GiB is negative until made unsigned (>>> 0).
  const bytes = (ptr, len) => new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0);
  const c = nodeCrypto;
  let capabilities = null; // probed at the first capabilities call
  const keys = new Map(); // handle -> { der, object }
  let lastHandle = 0;
  let rsaKeyObjects = true; // false once privateDecrypt refuses a KeyObject (workerd): DER every call
  const ecdh = new Map(); // curve number -> a reused ECDH object

  // Every import answers a number, never throws: an exception would trap the instance and kill it.
  // A primitive's result is counted (hostPrimitivesRun) when it ran.
  const guarded =
    (fn, primitive = true) =>
    (...args) => {
      if (c === null) return UNAVAILABLE;
      try {
        const result = fn(...args);
        if (primitive && (result === OK || result === AUTH_FAILED)) primitivesRun++;
        return result;
      } catch {
        return UNAVAILABLE;
      }
    };

  const gcm = (decipher, keyPtr, noncePtr, aadPtr, aadLen) => {
    const key = bytes(keyPtr, 32);
    const nonce = bytes(noncePtr, 12);
    const aead = decipher ? c.createDecipheriv("aes-256-gcm", key, nonce) : c.createCipheriv("aes-256-gcm", key, nonce);
    if (aadLen > 0) aead.setAAD(bytes(aadPtr, aadLen));
    return aead;
  };

  // Writes `coordinates` (1: x, 2: x || y) of scalar·G at outPtr.
  const basePoint = (curve, scalarPtr, scalarLen, outPtr, coordinates) => {
    const named = HOST_CURVES[curve];
    if (named === undefined || scalarLen !== named.size) return UNAVAILABLE;
    let e = ecdh.get(curve);
    if (e === undefined) {
      e = c.createECDH(named.name);
      ecdh.set(curve, e);
    }
    e.setPrivateKey(bytes(scalarPtr, scalarLen));
    const point = e.getPublicKey(); // 04 || X || Y
    if (point.length !== 1 + 2 * named.size || point[0] !== 4) return UNAVAILABLE;
    bytes(outPtr, coordinates * named.size).set(point.subarray(1, 1 + coordinates * named.size));
    return OK;
  };

  const imports = {
    capabilities() {
      if (c === null) return 0;
      capabilities ??= probe(c);
      return capabilities;
    },
    key_load: guarded((kind, derPtr, derLen) => {
      if (kind !== HOST_KEY_KINDS.rsa && kind !== HOST_KEY_KINDS.ed25519) return UNAVAILABLE;
      const der = bytes(derPtr, derLen).slice();
      const object = c.createPrivateKey({ key: der, format: "der", type: "pkcs8" });
      const expected = kind === HOST_KEY_KINDS.rsa ? "rsa" : "ed25519";
      if (object.asymmetricKeyType !== expected) return UNAVAILABLE;
      keys.set(++lastHandle, { der, object });
      return lastHandle;
    }, false),
    key_drop(handle) {
      keys.delete(handle);
      return OK;
    },
    aes_gcm_seal: guarded((keyPtr, noncePtr, inPtr, inLen, aadPtr, aadLen, outPtr) => {
      const aead = gcm(false, keyPtr, noncePtr, aadPtr, aadLen);
      const first = aead.update(bytes(inPtr, inLen));
      const last = aead.final();
      const tag = aead.getAuthTag();
      if (first.length + last.length !== inLen || tag.length !== 16) return UNAVAILABLE;
      const out = bytes(outPtr, inLen + 16);
      out.set(first, 0);
      out.set(last, first.length);
      out.set(tag, inLen);
      return OK;
    }),
    aes_gcm_open: guarded((keyPtr, noncePtr, inPtr, inLen, aadPtr, aadLen, outPtr) => {
      if (inLen < 16) return UNAVAILABLE;
      const aead = gcm(true, keyPtr, noncePtr, aadPtr, aadLen);
      aead.setAuthTag(bytes(inPtr + inLen - 16, 16).slice());
      const first = aead.update(bytes(inPtr, inLen - 16));
      let last;
      try {
        last = aead.final();
      } catch {
        return AUTH_FAILED; // the tag does not match: the module answers InvalidCiphertext
      }
      if (first.length + last.length !== inLen - 16) return UNAVAILABLE;
      const out = bytes(outPtr, inLen - 16);
      out.set(first, 0);
      out.set(last, first.length);
      return OK;
    }),
    rsa_private: guarded((handle, inPtr, inLen, outPtr) => {
      const key = keys.get(handle);
      if (key === undefined) return UNAVAILABLE;
      const input = bytes(inPtr, inLen);
      const withDER = () =>
        c.privateDecrypt({ key: key.der, format: "der", type: "pkcs8", padding: RSA_NO_PADDING }, input);
      let out;
      if (rsaKeyObjects) {
        try {
          out = c.privateDecrypt({ key: key.object, padding: RSA_NO_PADDING }, input);
        } catch {
          out = withDER(); // workerd takes no KeyObject here: DER from now on, if DER works
          rsaKeyObjects = false;
        }
      } else {
        out = withDER();
      }
      if (out.length !== inLen) return UNAVAILABLE;
      bytes(outPtr, inLen).set(out);
      return OK;
    }),
    // scalar·G's affine x (ec_base_mult: an ECDSA signature's r) or x || y (ec_base_point: a new key's
    // public point).
    ec_base_mult: guarded((curve, scalarPtr, scalarLen, outPtr) => basePoint(curve, scalarPtr, scalarLen, outPtr, 1)),
    ec_base_point: guarded((curve, scalarPtr, scalarLen, outPtr) => basePoint(curve, scalarPtr, scalarLen, outPtr, 2)),
    ed25519_sign: guarded((handle, msgPtr, msgLen, outPtr) => {
      const key = keys.get(handle);
      if (key === undefined) return UNAVAILABLE;
      const sig = c.sign(null, bytes(msgPtr, msgLen), key.object);
      if (sig.length !== 64) return UNAVAILABLE;
      bytes(outPtr, 64).set(sig);
      return OK;
    }),
    digest: guarded((hash, inPtr, inLen, outPtr) => {
      const name = HOST_HASHES[hash];
      if (name === undefined) return UNAVAILABLE;
      const d = c.createHash(name).update(bytes(inPtr, inLen)).digest();
      bytes(outPtr, d.length).set(d);
      return OK;
    }),
    hmac: guarded((hash, keyPtr, keyLen, inPtr, inLen, outPtr) => {
      const name = HOST_HASHES[hash];
      if (name === undefined) return UNAVAILABLE;
      const m = c.createHmac(name, bytes(keyPtr, keyLen)).update(bytes(inPtr, inLen)).digest();
      bytes(outPtr, m.length).set(m);
      return OK;
    }),
  };

  return {
    imports: { [HOST_MODULE]: imports },
    bind(instance) {
      memory = instance.exports.memory;
    },
  };
}

// The capability bits a node:crypto supplies, each checked by a known answer where one is cheap (a
// runtime's compatibility layer may lack a primitive, or a curve: Deno has no P-521 ECDH, workerd no
// secp256k1). The RSA private-key operation needs a key: its functions' presence is checked here,
// and a failure at the first use makes the module stop asking.
function probe(c) {
  const caps = HOST_CAPABILITIES;
  let bits = 0;
  const check = (bit, fn) => {
    try {
      if (fn()) bits |= bit;
    } catch {
      // not supplied
    }
  };
  check(caps.aesGcm, () => {
    // NIST's GCM test case 13: the zero key and nonce, no plaintext.
    const aead = c.createCipheriv("aes-256-gcm", new Uint8Array(32), new Uint8Array(12));
    aead.final();
    return hex(aead.getAuthTag()) === "530f8afbc74536b9a963b4f1c4cb738b" && typeof c.createDecipheriv === "function";
  });
  check(caps.rsa, () => typeof c.privateDecrypt === "function" && typeof c.createPrivateKey === "function");
  check(caps.ed25519, () => {
    // RFC 8032's test 1: its secret key, the empty message.
    const key = c.createPrivateKey({ key: fromHex(ED25519_TEST_PKCS8), format: "der", type: "pkcs8" });
    return hex(c.sign(null, new Uint8Array(0), key)) === ED25519_TEST_SIGNATURE;
  });
  check(caps.digest, () =>
    Object.values(HOST_HASHES).every((name) => c.createHash(name).update(new Uint8Array(1)).digest().length > 0),
  );
  check(caps.hmac, () =>
    Object.values(HOST_HASHES).every((name) => c.createHmac(name, new Uint8Array(1)).digest().length > 0),
  );
  for (const [number, { name, size }] of Object.entries(HOST_CURVES)) {
    check(caps.curveBase << (Number(number) - 1), () => {
      const e = c.createECDH(name);
      const one = new Uint8Array(size);
      one[size - 1] = 1;
      e.setPrivateKey(one);
      const point = e.getPublicKey();
      return point.length === 1 + 2 * size && point[0] === 4;
    });
  }
  return bits;
}

const ED25519_TEST_PKCS8 =
  "302e020100300506032b6570042204209d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const ED25519_TEST_SIGNATURE =
  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

function hex(bytes) {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function fromHex(text) {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
