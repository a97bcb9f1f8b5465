// Standard base64 (RFC 4648, with padding), the encoding of blob members on the AWS JSON wire. No
// dependency on Buffer, which browsers and workerd lack; Node's Buffer is used when present because it
// is several times faster.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const NodeBuffer = globalThis.Buffer;

/** Encodes bytes as standard base64. */
export function toBase64(bytes) {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    const third = i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : "=";
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${third}=`;
  }
  return out;
}

/** Decodes standard base64 into a fresh Uint8Array (never a view of anything else). */
export function fromBase64(text) {
  if (NodeBuffer) {
    const view = NodeBuffer.from(text, "base64");
    return new Uint8Array(view); // a copy: Buffers of small sizes share one pool
  }
  const clean = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const d = c < 128 ? DECODE[c] : -1;
    if (d < 0) throw new SyntaxError(`not base64: character ${JSON.stringify(clean[i])} at ${i}`);
    value = (value << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
