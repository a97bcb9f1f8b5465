package crypto

import (
	"encoding/binary"
	"errors"
)

// A small CBOR (RFC 8949) codec for the one CBOR structure KMS reads: a Nitro Enclaves attestation
// document, a COSE_Sign1 (RFC 9052) whose payload is a CBOR map (nitro.go). It decodes definite-length
// items of the major types the document uses (unsigned and negative integers, byte and text strings,
// arrays, maps, tags, and the simple values false, true and null) and refuses the rest (floats,
// indefinite lengths), and encodes the same (nitro_make.go, the test documents). Not a module
// dependency: the whole of it is smaller than what a general CBOR library adds to the wasm module.

// cborMaxDepth bounds nesting: an attestation document nests three deep; the bound keeps a hostile
// document from recursing the module's stack.
const cborMaxDepth = 16

var errCBOR = errors.New("crypto: malformed CBOR")

// cborTag is a tagged item (major type 6).
type cborTag struct {
	number uint64
	value  any
}

// cborPair is one entry of a map, in the document's order.
type cborPair struct {
	key, value any
}

// CBOR values decode to: uint64 (major 0), int64 (major 1, always negative), []byte, string, []any,
// []cborPair, cborTag, bool, nil.

// decodeCBOR decodes one item that fills b.
func decodeCBOR(b []byte) (any, error) {
	v, rest, err := cborItem(b, 0)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errCBOR
	}
	return v, nil
}

// cborHead reads an item's major type and argument.
func cborHead(b []byte) (major byte, arg uint64, rest []byte, err error) {
	if len(b) == 0 {
		return 0, 0, nil, errCBOR
	}
	major, info := b[0]>>5, b[0]&0x1f
	b = b[1:]
	switch {
	case info < 24:
		return major, uint64(info), b, nil
	case info == 24 && len(b) >= 1:
		return major, uint64(b[0]), b[1:], nil
	case info == 25 && len(b) >= 2:
		return major, uint64(binary.BigEndian.Uint16(b)), b[2:], nil
	case info == 26 && len(b) >= 4:
		return major, uint64(binary.BigEndian.Uint32(b)), b[4:], nil
	case info == 27 && len(b) >= 8:
		return major, binary.BigEndian.Uint64(b), b[8:], nil
	}
	return 0, 0, nil, errCBOR // reserved, indefinite length, or truncated
}

func cborItem(b []byte, depth int) (any, []byte, error) {
	if depth > cborMaxDepth {
		return nil, nil, errCBOR
	}
	major, arg, b, err := cborHead(b)
	if err != nil {
		return nil, nil, err
	}
	switch major {
	case 0:
		return arg, b, nil
	case 1:
		if arg > 1<<63-1 {
			return nil, nil, errCBOR
		}
		return -1 - int64(arg), b, nil
	case 2, 3:
		if arg > uint64(len(b)) {
			return nil, nil, errCBOR
		}
		s := b[:arg:arg]
		if major == 3 {
			return string(s), b[arg:], nil
		}
		return s, b[arg:], nil
	case 4:
		// Each element takes at least one byte: a count beyond what is left is malformed, and
		// checking it first bounds the allocation by the input's size.
		if arg > uint64(len(b)) {
			return nil, nil, errCBOR
		}
		out := make([]any, 0, arg)
		for range arg {
			var v any
			if v, b, err = cborItem(b, depth+1); err != nil {
				return nil, nil, err
			}
			out = append(out, v)
		}
		return out, b, nil
	case 5:
		if arg > uint64(len(b))/2 {
			return nil, nil, errCBOR
		}
		out := make([]cborPair, 0, arg)
		for range arg {
			var k, v any
			if k, b, err = cborItem(b, depth+1); err != nil {
				return nil, nil, err
			}
			if v, b, err = cborItem(b, depth+1); err != nil {
				return nil, nil, err
			}
			out = append(out, cborPair{k, v})
		}
		return out, b, nil
	case 6:
		v, rest, err := cborItem(b, depth+1)
		if err != nil {
			return nil, nil, err
		}
		return cborTag{arg, v}, rest, nil
	case 7:
		switch arg {
		case 20:
			return false, b, nil
		case 21:
			return true, b, nil
		case 22:
			return nil, b, nil
		}
	}
	return nil, nil, errCBOR
}

// cborLookup answers the value of a map's text key, and whether it is there.
func cborLookup(m []cborPair, key string) (any, bool) {
	for _, p := range m {
		if k, ok := p.key.(string); ok && k == key {
			return p.value, true
		}
	}
	return nil, false
}

// Encoding: appenders for the items the test documents hold, in the preferred (shortest) form.

func cborAppendHead(dst []byte, major byte, arg uint64) []byte {
	m := major << 5
	switch {
	case arg < 24:
		return append(dst, m|byte(arg))
	case arg <= 0xff:
		return append(dst, m|24, byte(arg))
	case arg <= 0xffff:
		return binary.BigEndian.AppendUint16(append(dst, m|25), uint16(arg))
	case arg <= 0xffffffff:
		return binary.BigEndian.AppendUint32(append(dst, m|26), uint32(arg))
	}
	return binary.BigEndian.AppendUint64(append(dst, m|27), arg)
}

func cborAppendBytes(dst, b []byte) []byte {
	return append(cborAppendHead(dst, 2, uint64(len(b))), b...)
}

func cborAppendText(dst []byte, s string) []byte {
	return append(cborAppendHead(dst, 3, uint64(len(s))), s...)
}

// cborAppendInt appends an integer, unsigned or negative.
func cborAppendInt(dst []byte, n int64) []byte {
	if n < 0 {
		return cborAppendHead(dst, 1, uint64(-1-n))
	}
	return cborAppendHead(dst, 0, uint64(n))
}

// cborAppendNullableBytes appends b, or null when b is nil (the document's optional fields).
func cborAppendNullableBytes(dst, b []byte) []byte {
	if b == nil {
		return append(dst, 0xf6)
	}
	return cborAppendBytes(dst, b)
}
