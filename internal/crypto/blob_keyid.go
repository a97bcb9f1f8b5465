package crypto

import (
	"encoding/hex"
	"errors"
)

// A KMS key ID inside a blob header takes 17 bytes: a kind byte and the 16 bytes the ID spells in
// hex. Both forms of key ID are 128-bit values, so both fit the same field:
//
//	kind 0x01: a single-Region key, "1234abcd-12ab-34cd-56ef-1234567890ab" (a UUID)
//	kind 0x02: a multi-Region key,  "mrk-1234abcd12ab34cd56ef1234567890ab"
//
// Only the lowercase spelling is accepted, as KMS only ever issues lowercase key IDs; that keeps the
// mapping between ID strings and header bytes one-to-one (a blob names exactly one key ID).
const (
	keyIDKindUUID        = 0x01
	keyIDKindMultiRegion = 0x02
	keyIDFieldLen        = 17
)

const multiRegionPrefix = "mrk-"

var errBadKeyID = errors.New("crypto: key ID is neither a lowercase UUID nor mrk- followed by 32 lowercase hex digits")

// encodeKeyID appends the 17-byte header field for keyID to dst.
func encodeKeyID(dst []byte, keyID string) ([]byte, error) {
	switch {
	case len(keyID) == 36 && keyID[8] == '-' && keyID[13] == '-' && keyID[18] == '-' && keyID[23] == '-':
		hexDigits := keyID[0:8] + keyID[9:13] + keyID[14:18] + keyID[19:23] + keyID[24:36]
		return appendLowerHex(append(dst, keyIDKindUUID), hexDigits)
	case len(keyID) == len(multiRegionPrefix)+32 && keyID[:len(multiRegionPrefix)] == multiRegionPrefix:
		return appendLowerHex(append(dst, keyIDKindMultiRegion), keyID[len(multiRegionPrefix):])
	}
	return nil, errBadKeyID
}

func appendLowerHex(dst []byte, hexDigits string) ([]byte, error) {
	for i := 0; i < len(hexDigits); i++ {
		c := hexDigits[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return nil, errBadKeyID
		}
	}
	var raw [16]byte
	if _, err := hex.Decode(raw[:], []byte(hexDigits)); err != nil {
		return nil, errBadKeyID
	}
	return append(dst, raw[:]...), nil
}

// decodeKeyID reads the 17-byte header field back into the key ID string.
func decodeKeyID(field []byte) (string, bool) {
	if len(field) != keyIDFieldLen {
		return "", false
	}
	h := hex.EncodeToString(field[1:])
	switch field[0] {
	case keyIDKindUUID:
		return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], true
	case keyIDKindMultiRegion:
		return multiRegionPrefix + h, true
	}
	return "", false
}
