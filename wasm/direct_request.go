package main

import (
	"encoding/binary"
	"unicode/utf8"
	"unsafe"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The binary requests and answers of the direct exports (ABI.md, "Direct exports"; their fields are
// abi.DirectExports'): fields back to back, each a u32 length and its bytes, abi.AbsentField (the length
// 0xFFFFFFFF) for an absent member (JSON null): no bytes follow.

// fieldReader reads the fields of a direct request in order; ok turns false at the first field that
// does not fit, and stays false.
type fieldReader struct {
	rest []byte
	ok   bool
}

func (r *fieldReader) next() (field []byte, present bool) {
	if !r.ok {
		return nil, false
	}
	if len(r.rest) < 4 {
		r.ok = false
		return nil, false
	}
	n := binary.LittleEndian.Uint32(r.rest)
	r.rest = r.rest[4:]
	if n == abi.AbsentField {
		return nil, false
	}
	if uint64(n) > uint64(len(r.rest)) {
		r.ok = false
		return nil, false
	}
	field, r.rest = r.rest[:n], r.rest[n:]
	return field, true
}

// bytes is a blob member, nil when absent: a slice of the request's copy (parse), capped so that an
// append cannot reach the next field.
func (r *fieldReader) bytes() []byte {
	field, present := r.next()
	if !present {
		return nil
	}
	return field[:len(field):len(field)]
}

// context is an encryption context: a u32 count, then that many key and value fields (neither may
// be absent). Nil when absent.
func (r *fieldReader) context() map[string]string {
	field, present := r.next()
	if !present {
		return nil
	}
	pairs := fieldReader{rest: field, ok: true}
	if len(field) < 4 {
		r.ok = false
		return nil
	}
	count := binary.LittleEndian.Uint32(field)
	pairs.rest = field[4:]
	m := make(map[string]string, min(count, 64))
	for i := uint32(0); i < count; i++ {
		k, kPresent := pairs.next()
		v, vPresent := pairs.next()
		if !kPresent || !vPresent {
			r.ok = false
			return nil
		}
		m[ownedText(k)] = ownedText(v)
	}
	if len(pairs.rest) != 0 {
		r.ok = false
		return nil
	}
	return m
}

// caller reads the three caller fields into c; absent and empty both mean the default (c's fields
// are left empty, the usual case, without a conversion each).
func (r *fieldReader) caller(c *kms.Caller) {
	for _, s := range [...]*string{&c.Account, &c.Region, &c.Principal} {
		if f, _ := r.next(); len(f) > 0 {
			*s = string(f)
		}
	}
}

// done reads the optional request ID after the last field (trailingRequestID) into c, and reports
// whether every field was well formed and nothing else follows the last one.
func (r *fieldReader) done(c *kms.Caller) bool {
	if !r.ok {
		return false
	}
	id, ok := trailingRequestID(r.rest)
	c.RequestID = id
	return ok
}

// ownedText is jsonText for bytes of the request's copy (parse), which nothing writes: valid UTF-8 (the
// usual case) is the string of those bytes, without a copy.
func ownedText(b []byte) string {
	if utf8.Valid(b) {
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	return jsonText(b)
}

// jsonText is the string a JSON body would give for these UTF-8 bytes: each byte that is not part
// of valid UTF-8 becomes U+FFFD, as encoding/json (and the core's request decoding) does.
func jsonText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return string(out)
}

// directExport is one direct export: its entry in abi.DirectExports, and the core's typed form of its
// operation with the same members.
type directExport struct {
	abi.DirectExport
	op *kms.TypedOperation
}

// kmsKinds are the core's kinds of the ABI's field kinds.
var kmsKinds = map[abi.Kind]kms.Kind{
	abi.String: kms.KindString, abi.Blob: kms.KindBlob, abi.Context: kms.KindContext,
	abi.Integer: kms.KindInteger, abi.Boolean: kms.KindBoolean, abi.JSON: kms.KindJSON,
	abi.KeyList: kms.KindKeyList,
}

// newDirectExport makes the direct export of abi.DirectExports with that name. It panics for a name
// the table does not have, or members the core's operation does not have: a module that would parse
// fields its core cannot take must not start (wasm_test.go makes every export).
func newDirectExport(name string) *directExport {
	members := func(ms []abi.Member) []kms.Member {
		out := make([]kms.Member, len(ms))
		for i, m := range ms {
			out[i] = kms.Member{Name: m.Name, Kind: kmsKinds[m.Kind]}
		}
		return out
	}
	for _, d := range abi.DirectExports {
		if d.Export == name {
			if len(d.Input) > maxDirectFields || len(d.Output) > maxDirectFields {
				panic(name + ": more fields than maxDirectFields")
			}
			op, err := kms.NewTypedOperation(d.Operation, members(d.Input), members(d.Output))
			if err != nil {
				panic(name + ": " + err.Error())
			}
			return &directExport{DirectExport: d, op: op}
		}
	}
	panic(name + " is not in abi.DirectExports")
}

// maxDirectFields is the most fields a direct request or answer has (CreateKey's request: 10), so
// that a call's values live on the stack.
const maxDirectFields = 12

// parse reads a direct request: the caller, the export's fields in order into in (as long as the
// export's input, each zero), then the optional request ID. It reports false for a request that is
// malformed. The host may reuse its request buffer once the call returns, and the core keeps what it
// is given (the journal): the fields are read from one copy of the request, a single allocation
// where a copy of each string and blob was one each. The caller's strings are copies of their own: a
// Region's or an account's name may outlive the request by far (the world's map of Regions).
func (d *directExport) parse(buf []byte, in []kms.Value, c *kms.Caller) bool {
	r := fieldReader{rest: buf, ok: true}
	r.caller(c)
	r.rest = append(make([]byte, 0, len(r.rest)), r.rest...)
	for i, m := range d.Input {
		r.value(m.Kind, &in[i])
	}
	return r.done(c)
}

// value reads one field of a kind into v, which is zero (and stays so for an absent field). Integers
// and booleans must have their exact size; anything else clears ok. v is written in place: a Value
// returned is some 120 bytes copied, a memmove call through the host in wasm.
func (r *fieldReader) value(kind abi.Kind, v *kms.Value) {
	switch kind {
	case abi.String:
		if f, present := r.next(); present {
			v.Present, v.Text = true, ownedText(f)
		}
	case abi.Blob:
		if b := r.bytes(); b != nil {
			v.Present, v.Bytes = true, b
		}
	case abi.Context:
		if m := r.context(); m != nil {
			v.Present, v.Context = true, m
		}
	case abi.Integer:
		if f, present := r.next(); present {
			if len(f) != 4 {
				r.ok = false
				return
			}
			v.Present, v.Int = true, int32(binary.LittleEndian.Uint32(f))
		}
	case abi.Boolean:
		if f, present := r.next(); present {
			if len(f) != 1 || f[0] > 1 {
				r.ok = false
				return
			}
			v.Present, v.Bool = true, f[0] == 1
		}
	default:
		r.ok = false
	}
}

// answerSize is the size of a 200 answer's fields.
func (d *directExport) answerSize(out []kms.Value) int {
	size := 0
	for i, m := range d.Output {
		size += 4
		if out[i].Present {
			size += answerLen(m.Kind, &out[i])
		}
	}
	return size
}

// answerLen is the length of a present answer member's bytes.
func answerLen(kind abi.Kind, v *kms.Value) int {
	switch kind {
	case abi.String:
		return len(v.Text)
	case abi.Blob:
		return len(v.Bytes)
	case abi.Boolean:
		return 1
	case abi.KeyList:
		n := 8 + len(v.Text) // the count and the prefix's length
		for _, id := range v.List {
			n += 4 + len(id)
		}
		return n
	}
	return len(v.JSON)
}

// appendAnswer writes the 200 answer's fields: each a u32 length and its bytes, abi.AbsentField for an
// absent member.
func (d *directExport) appendAnswer(dst []byte, out []kms.Value) []byte {
	for i, m := range d.Output {
		v := &out[i]
		if !v.Present {
			dst = binary.LittleEndian.AppendUint32(dst, abi.AbsentField)
			continue
		}
		dst = binary.LittleEndian.AppendUint32(dst, uint32(answerLen(m.Kind, v)))
		switch m.Kind {
		case abi.String:
			dst = append(dst, v.Text...)
		case abi.Blob:
			dst = append(dst, v.Bytes...)
		case abi.Boolean:
			dst = append(dst, boolByte(v.Bool))
		case abi.KeyList:
			dst = appendKeyList(dst, v.Text, v.List)
		default:
			dst = append(dst, v.JSON...)
		}
	}
	return dst
}

// appendKeyList writes a KeyList field's bytes (abi.KeyList): the count, the lengths of the prefix
// and of each ID, then their text back to back.
func appendKeyList(dst []byte, prefix string, ids []string) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(ids)))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(prefix)))
	for _, id := range ids {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(id)))
	}
	dst = append(dst, prefix...)
	for _, id := range ids {
		dst = append(dst, id...)
	}
	return dst
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
