// SM2 ciphertext forms. sm-crypto (an independent SM2 implementation) gives C1C3C2 as hex: C1 is the
// point x||y (32 bytes each), C3 the SM3 hash (32 bytes), C2 the masked message. KMS takes and gives
// the GM/T 0009 DER form: SEQUENCE { INTEGER x, INTEGER y, OCTET STRING C3, OCTET STRING C2 }.

/** sm2DerFromC1C3C2Hex converts sm-crypto's C1C3C2 hex output (no 04 prefix) to KMS's DER form. */
export function sm2DerFromC1C3C2Hex(hex) {
  const bytes = Uint8Array.from(Buffer.from(hex, "hex"));
  const x = bytes.subarray(0, 32);
  const y = bytes.subarray(32, 64);
  const c3 = bytes.subarray(64, 96);
  const c2 = bytes.subarray(96);
  return der(0x30, concat(derInteger(x), derInteger(y), der(0x04, c3), der(0x04, c2)));
}

/** sm2PublicKeyHexFromSpki takes the uncompressed point (04||x||y) out of a DER SubjectPublicKeyInfo. */
export function sm2PublicKeyHexFromSpki(spki) {
  const point = Buffer.from(spki).subarray(spki.length - 65);
  if (point[0] !== 0x04) throw new Error("the SubjectPublicKeyInfo does not end with an uncompressed point");
  return point.toString("hex");
}

// An unsigned big-endian integer: minimal (no leading zero bytes), with one 0x00 when the top bit is set.
function derInteger(unsigned) {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const digits = unsigned.subarray(start);
  return der(0x02, digits[0] & 0x80 ? concat(Uint8Array.of(0), digits) : digits);
}

function der(tag, content) {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concat(Uint8Array.of(tag, ...length), content);
}

function concat(...parts) {
  return Uint8Array.from(Buffer.concat(parts));
}
