// The host's reproducible randomness for seeded worlds (createWorld({ seed })): request IDs and the
// retry back-off's jitter are drawn from streams derived from the seed, so that a seeded world given
// the same calls answers the same $metadata.requestId and waits the same back-off every run. The
// core's own randomness (key IDs, key material, ciphertexts) is the module's, seeded separately
// (internal/kms/seed.go). This is a test tool, not a cryptographic generator.

/**
 * hash128 mixes a string into four 32-bit words (a multiply-xorshift hash of its UTF-16 units, four
 * lanes, each finished by an avalanche step).
 */
function hash128(text) {
  let a = 0x6a09e667;
  let b = 0xbb67ae85;
  let c = 0x3c6ef372;
  let d = 0xa54ff53a;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    a = Math.imul(a ^ k, 0x9e3779b1) ^ (b >>> 13);
    b = Math.imul(b ^ k, 0x85ebca77) ^ (c >>> 11);
    c = Math.imul(c ^ k, 0xc2b2ae3d) ^ (d >>> 17);
    d = Math.imul(d ^ k, 0x27d4eb2f) ^ (a >>> 15);
  }
  const finish = (h, salt) => {
    h = Math.imul(h ^ (h >>> 16) ^ salt, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return [finish(a ^ d, 1), finish(b ^ a, 2), finish(c ^ b, 3), finish(d ^ c, 4)];
}

/**
 * seededStream returns a generator of 32-bit unsigned integers (sfc32: a small, fast counter-based
 * generator with 128 bits of state) keyed by the seed and a stream name, so that each use (request
 * IDs, jitter) has its own sequence and one use never shifts another's.
 */
export function seededStream(seed, stream) {
  let [a, b, c, d] = hash128(`wasmkms ${stream}\u0000${seed}`);
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next(); // let the state settle
  return next;
}

const hex = (word) => word.toString(16).padStart(8, "0");

/** A version 4 UUID (random variant bits) from four 32-bit words. */
export function uuidFromWords(w0, w1, w2, w3) {
  // Hex digit 12 (in w1) is the version, 4; the top bits of digit 16 (w2's first) the variant, 10.
  const h = hex(w0) + hex(((w1 & 0xffff0fff) | 0x4000) >>> 0) + hex(((w2 & 0x3fffffff) | 0x80000000) >>> 0) + hex(w3);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The next version 4 UUID of a stream. */
export function nextUUID(next) {
  return uuidFromWords(next(), next(), next(), next());
}

/** A version 4 UUID derived from a text (the same text, the same UUID). */
export function uuidOf(text) {
  return uuidFromWords(...hash128(text));
}

/** A number in [0, 1) from a stream, as Math.random gives. */
export function nextFloat(next) {
  return next() / 2 ** 32;
}
