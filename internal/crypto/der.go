package crypto

// A minimal DER writer and strict reader, just enough for the fixed structure of the symmetric blob.
// encoding/asn1 would do the same work through reflection at several times the cost of the AES-GCM
// seal itself; the tests check every blob against encoding/asn1 so the two cannot drift apart.

// DER tags used by the blob.
const (
	tagInteger          = 0x02
	tagOctetString      = 0x04
	tagObjectIdentifier = 0x06
	tagSequence         = 0x30
	tagContext0         = 0xa0 // [0] EXPLICIT, constructed
	tagContext0Implicit = 0x80 // [0] IMPLICIT OCTET STRING, primitive
)

// maxDERLength bounds what the reader accepts: three length octets (16 MiB) is far above any blob
// KMS can produce (CiphertextBlob is at most 6144 bytes) and keeps the arithmetic small.
const maxDERLength = 1<<24 - 1

// derLengthSize is how many octets the DER length of n takes.
func derLengthSize(n int) int {
	switch {
	case n < 0x80:
		return 1
	case n <= 0xff:
		return 2
	case n <= 0xffff:
		return 3
	default:
		return 4
	}
}

// derTLVSize is the encoded size of an element with n content octets.
func derTLVSize(n int) int { return 1 + derLengthSize(n) + n }

// appendDERHeader appends a tag and the DER (shortest) form of length n.
func appendDERHeader(dst []byte, tag byte, n int) []byte {
	dst = append(dst, tag)
	switch derLengthSize(n) {
	case 1:
		return append(dst, byte(n))
	case 2:
		return append(dst, 0x81, byte(n))
	case 3:
		return append(dst, 0x82, byte(n>>8), byte(n))
	default:
		return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
}

// readDER reads one element with the given tag from the front of b. It accepts only DER: definite,
// shortest-form lengths that fit in b. It returns the content and what follows the element.
func readDER(b []byte, tag byte) (content, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != tag {
		return nil, nil, false
	}
	n, hdr := int(b[1]), 2
	if n >= 0x80 {
		octets := n & 0x7f
		if octets == 0 || octets > 3 || len(b) < 2+octets || b[2] == 0 {
			return nil, nil, false // indefinite, too long, truncated, or leading zero octet
		}
		n = 0
		for _, o := range b[2 : 2+octets] {
			n = n<<8 | int(o)
		}
		hdr += octets
		if derLengthSize(n) != 1+octets {
			return nil, nil, false // not the shortest form
		}
	}
	if n > maxDERLength || len(b)-hdr < n {
		return nil, nil, false
	}
	return b[hdr : hdr+n], b[hdr+n:], true
}

// cutPrefix removes an exact byte string from the front of b.
func cutPrefix(b, prefix []byte) ([]byte, bool) {
	if len(b) < len(prefix) || string(b[:len(prefix)]) != string(prefix) {
		return nil, false
	}
	return b[len(prefix):], true
}
