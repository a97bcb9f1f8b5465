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
// (no intermediate strings: it runs on every Encrypt), a pair at a time through a table into an array
// appended once: a digit at a time, skipping dashes from a variadic list, and appending each byte was
// 2% of a direct Encrypt 32 B in wasm.
func encodeKeyID(dst []byte, keyID string) ([]byte, error) {
	var field [keyIDFieldLen]byte
	ok := false
	switch {
	case len(keyID) == 36 && keyID[8] == '-' && keyID[13] == '-' && keyID[18] == '-' && keyID[23] == '-':
		field[0] = keyIDKindUUID
		ok = decodeLowerHex(field[1:5], keyID[:8]) && decodeLowerHex(field[5:7], keyID[9:13]) &&
			decodeLowerHex(field[7:9], keyID[14:18]) && decodeLowerHex(field[9:11], keyID[19:23]) &&
			decodeLowerHex(field[11:17], keyID[24:])
	case len(keyID) == len(multiRegionPrefix)+32 && keyID[:len(multiRegionPrefix)] == multiRegionPrefix:
		field[0] = keyIDKindMultiRegion
		ok = decodeLowerHex(field[1:], keyID[len(multiRegionPrefix):])
	}
	if !ok {
		return nil, errBadKeyID
	}
	return append(dst, field[:]...), nil
}

// decodeLowerHex writes into dst the bytes that s, twice as long, spells in lowercase hex digits; false
// at the first other character.
func decodeLowerHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, lo := lowerHexValue[s[2*i]], lowerHexValue[s[2*i+1]]
		if hi|lo > 0x0f {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

// lowerHexValue is each byte's value as a lowercase hex digit, 0xff for any other byte.
var lowerHexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := range len(lowerHex) {
		t[lowerHex[i]] = byte(i)
	}
	return t
}()

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
