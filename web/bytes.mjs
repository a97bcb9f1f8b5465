// Byte helpers for the playground: text, base64 and hex views of blobs, and the one-byte tamper.

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

export const utf8Bytes = (text) => utf8.encode(text);

/** The text of bytes, or null when they are not valid UTF-8 (a binary plaintext). */
export function utf8Text(bytes) {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return null;
  }
}

export function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Bytes of standard base64 (whitespace ignored); throws a readable error on anything else. */
export function fromBase64(text) {
  const clean = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new Error("the blob is not standard base64");
  }
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const hexByte = (b) => b.toString(16).padStart(2, "0");

/** Hex in groups of 16 bytes per line, 4 per group; returns an array of per-byte strings for marking. */
export function hexCells(bytes) {
  return Array.from(bytes, hexByte);
}

/** Resolves a possibly negative index (from the end) into 0..length-1, or null when outside. */
export function byteIndex(index, length) {
  const i = index < 0 ? length + index : index;
  return Number.isInteger(i) && i >= 0 && i < length ? i : null;
}

/** A copy of bytes with byte i XORed with 0x01. */
export function flipByte(bytes, i) {
  const copy = bytes.slice();
  copy[i] ^= 0x01;
  return copy;
}
