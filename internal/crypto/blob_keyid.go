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

// encodeKeyID appends the 17-byte header field for keyID to dst. It decodes the hex digits in place
// (no intermediate strings: it runs on every Encrypt).
func encodeKeyID(dst []byte, keyID string) ([]byte, error) {
	switch {
	case len(keyID) == 36 && keyID[8] == '-' && keyID[13] == '-' && keyID[18] == '-' && keyID[23] == '-':
		return appendLowerHex(append(dst, keyIDKindUUID), keyID, 8, 13, 18, 23)
	case len(keyID) == len(multiRegionPrefix)+32 && keyID[:len(multiRegionPrefix)] == multiRegionPrefix:
		return appendLowerHex(append(dst, keyIDKindMultiRegion), keyID[len(multiRegionPrefix):])
	}
	return nil, errBadKeyID
}

// appendLowerHex appends the 16 bytes that the 32 lowercase hex digits of s spell, skipping the
// bytes at the positions in dashes (ascending).
func appendLowerHex(dst []byte, s string, dashes ...int) ([]byte, error) {
	var raw [16]byte
	n := 0
	for i := 0; i < len(s); i++ {
		if len(dashes) > 0 && i == dashes[0] {
			dashes = dashes[1:]
			continue
		}
		var v byte
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			v = c - '0'
		case 'a' <= c && c <= 'f':
			v = c - 'a' + 10
		default:
			return nil, errBadKeyID
		}
		if n == 32 {
			return nil, errBadKeyID
		}
		raw[n/2] |= v << (4 * (1 - n%2))
		n++
	}
	if n != 32 {
		return nil, errBadKeyID
	}
	return append(dst, raw[:]...), nil
}

// decodeKeyID reads the 17-byte header field back into the key ID string, written in one buffer and
// made a string once (it runs on every Decrypt: hex.EncodeToString and four concatenations were five
// allocations).
func decodeKeyID(field []byte) (string, bool) {
	if len(field) != keyIDFieldLen {
		return "", false
	}
	var id [36]byte
	switch field[0] {
	case keyIDKindUUID:
		at := 0
		for i, b := range field[1:] {
			if i == 4 || i == 6 || i == 8 || i == 10 { // the dashes of 8-4-4-4-12
				id[at] = '-'
				at++
			}
			id[at], id[at+1] = lowerHex[b>>4], lowerHex[b&0x0f]
			at += 2
		}
		return string(id[:]), true
	case keyIDKindMultiRegion:
		copy(id[:], multiRegionPrefix)
		hex.Encode(id[len(multiRegionPrefix):], field[1:])
		return string(id[:]), true
	}
	return "", false
}

const lowerHex = "0123456789abcdef"
