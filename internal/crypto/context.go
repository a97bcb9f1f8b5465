package crypto

import (
	"encoding/binary"
	"sort"
)

// CanonicalContext encodes an encryption context for use as authenticated data. The pairs are
// sorted by key (bytewise, so the order they were sent in does not matter), and every key and every
// value is prefixed by its length as a 4-byte big-endian integer:
//
//	len(k1) k1 len(v1) v1 len(k2) k2 len(v2) v2 ...
//
// The length prefixes make the encoding unambiguous: {"ab":"c"} and {"a":"bc"} encode differently,
// which a plain concatenation would not. A nil map and an empty map both encode as no bytes, as KMS
// treats an absent and an empty context alike.
func CanonicalContext(context map[string]string) []byte {
	if len(context) == 0 {
		return nil
	}
	keys := make([]string, 0, len(context))
	size := 0
	for k, v := range context {
		keys = append(keys, k)
		size += 8 + len(k) + len(v)
	}
	sort.Strings(keys) // Go string comparison is bytewise.
	out := make([]byte, 0, size)
	for _, k := range keys {
		out = binary.BigEndian.AppendUint32(out, uint32(len(k)))
		out = append(out, k...)
		v := context[k]
		out = binary.BigEndian.AppendUint32(out, uint32(len(v)))
		out = append(out, v...)
	}
	return out
}
