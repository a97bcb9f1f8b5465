package kms

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"unsafe"
)

// Typed calls: an operation's request given member by member instead of as a JSON body, and its answer
// taken member by member, for hosts that carry members in binary (the module's direct exports,
// wasm/ABI.md "Direct exports"). A TypedOperation finds its members' fields in the operation's request
// struct once; each call fills a fresh request, as Handle's JSON decoding fills one, and runs the same
// operation function through serve(), the one sequence every KMS call takes (caller check, the lock,
// due deletions and rotations, faults, the journal). So a typed call answers what Handle answers for
// the equivalent JSON body, errors byte for byte, and the journal records the same call.

// Kind is how a member's value is given or answered.
type Kind int

const (
	KindString  Kind = iota + 1 // a string (*string in the request struct, string in the answer)
	KindBlob                    // bytes ([]byte)
	KindContext                 // a map of strings (map[string]string); requests only
	KindInteger                 // an int32 (*int); requests only
	KindBoolean                 // a bool (*bool in the request, bool in the answer)
	KindJSON                    // answers only: any other member, as the JSON text Handle writes for it
	KindKeyList                 // answers only: ListKeys' Keys, the ARN prefix (Text) and the key IDs (List)
)

// Member is one member of a request or an answer, and its kind.
type Member struct {
	Name string
	Kind Kind
}

// Value is one member's value. Present false is an absent member (JSON null or left out), which is not
// the same as an empty one. The field of its kind holds the value: Text (KindString), Bytes (KindBlob),
// Context, Int, Bool, JSON (KindJSON), Text and List (KindKeyList: each key's ARN is Text and its ID).
type Value struct {
	Present bool
	Text    string
	Bytes   []byte
	Context map[string]string
	Int     int32
	Bool    bool
	JSON    []byte
	List    []string // never written again: the caller may keep it
}

// typedRun runs an operation on a request struct it made (newRequest).
type typedRun struct {
	request reflect.Type // the request struct
	run     func(w *World, c caller, req any) (any, *apiError)
}

func typedOf[Req any](fn func(w *World, c caller, req Req) (any, *apiError)) typedRun {
	return typedRun{request: reflect.TypeFor[Req]().Elem(), run: func(w *World, c caller, req any) (any, *apiError) {
		return fn(w, c, req.(Req))
	}}
}

// typedOperations are the operations a typed call may run: the functions Handle's dispatch table
// runs for them (handle.go), after its JSON decoding.
var typedOperations = map[string]typedRun{
	"Encrypt":                         typedOf(encrypt),
	"Decrypt":                         typedOf(decrypt),
	"ReEncrypt":                       typedOf(reEncrypt),
	"GenerateDataKey":                 typedOf(generateDataKey),
	"GenerateDataKeyWithoutPlaintext": typedOf(generateDataKeyWithoutPlaintext),
	"Sign":                            typedOf(sign),
	"Verify":                          typedOf(verify),
	"GenerateMac":                     typedOf(generateMac),
	"VerifyMac":                       typedOf(verifyMac),
	"CreateKey":                       typedOf(createKey),
	"ListKeys":                        typedOf(listKeys),
}

// TypedOperation is an operation called with a fixed list of request members and answering a fixed
// list of answer members. It is safe for concurrent use.
type TypedOperation struct {
	name       string
	typed      typedRun
	input      []uintptr // the offset in the request struct of each input member's field
	names      []string
	kinds      []Kind
	slots      []int // each input member's slot among typedRequest's scalars of its kind (strings, ints, bools)
	output     []Member
	keyID      uintptr // the offset of the request's KeyId field (*string), or noField: the key faults match (keyIDInBody's)
	blob       uintptr // of its CiphertextBlob field ([]byte), or noField
	lastAnswer atomic.Pointer[answerLayout]
}

// answerField is where an answer struct holds an output member.
type answerField struct {
	index     int // -1: the struct has no such member, it is always absent
	omitEmpty bool
	offset    uintptr   // the field's offset in the struct
	read      fieldRead // how answerValues reads the member straight from the field
}

// fieldRead is how a member's value is read from its field: as a string, a blob or a boolean (the
// member's kind and the field's agree), or through reflect (anything else).
type fieldRead uint8

const (
	readReflect fieldRead = iota
	readString
	readBlob
	readBool
)

var typedFieldTypes = map[Kind]reflect.Type{
	KindString:  reflect.TypeFor[*string](),
	KindBlob:    reflect.TypeFor[[]byte](),
	KindContext: reflect.TypeFor[map[string]string](),
	KindInteger: reflect.TypeFor[*int](),
	KindBoolean: reflect.TypeFor[*bool](),
}

// NewTypedOperation makes the typed form of an operation, whose calls give the input members' values
// and read the output members', in these orders. It fails for an operation that has no typed form, or
// an input member that is not a member of its request of that kind.
func NewTypedOperation(operation string, input, output []Member) (*TypedOperation, error) {
	typed, ok := typedOperations[operation]
	if !ok {
		return nil, fmt.Errorf("kms: %s has no typed form", operation)
	}
	op := &TypedOperation{name: operation, typed: typed, output: output,
		keyID: fieldOffset(typed.request, "KeyId", typedFieldTypes[KindString]),
		blob:  fieldOffset(typed.request, "CiphertextBlob", typedFieldTypes[KindBlob])}
	var scalars [KindKeyList + 1]int // the slots given so far, by kind
	for _, m := range input {
		want, known := typedFieldTypes[m.Kind]
		offset := fieldOffset(typed.request, m.Name, want)
		if !known || offset == noField {
			return nil, fmt.Errorf("kms: %s has no request member %s of kind %d", operation, m.Name, m.Kind)
		}
		op.input = append(op.input, offset)
		op.names = append(op.names, m.Name)
		op.kinds = append(op.kinds, m.Kind)
		op.slots = append(op.slots, scalars[m.Kind])
		scalars[m.Kind]++
	}
	var r typedRequest
	if scalars[KindString] > len(r.texts) || scalars[KindInteger] > len(r.ints) || scalars[KindBoolean] > len(r.bools) {
		return nil, fmt.Errorf("kms: %s has more members of a kind than a typed request holds", operation)
	}
	for _, m := range output {
		if m.Kind == KindContext || m.Kind == KindInteger || m.Kind < KindString || m.Kind > KindKeyList {
			return nil, fmt.Errorf("kms: %s's answer member %s cannot be of kind %d", operation, m.Name, m.Kind)
		}
	}
	return op, nil
}

// noField is fieldOffset's answer for a member the struct does not have (no field is that far).
const noField = ^uintptr(0)

// fieldOffset is the offset of the struct field whose JSON name is name and whose type is want, or
// noField.
func fieldOffset(t reflect.Type, name string, want reflect.Type) uintptr {
	if i := requestField(t, name); i >= 0 && t.Field(i).Type == want {
		return t.Field(i).Offset
	}
	return noField
}

// requestField is the index of the struct field whose JSON name is name, or -1.
func requestField(t reflect.Type, name string) int {
	for i := range t.NumField() {
		if jsonName, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); jsonName == name {
			return i
		}
	}
	return -1
}

// CallTyped runs one typed call: in holds the input members' values, in the TypedOperation's order;
// on success (status 200) out, as long as the output members, receives their values, and errBody is
// nil; otherwise errBody is the JSON error answer Handle would give, with its status.
func (w *World) CallTyped(op *TypedOperation, c Caller, in []Value, out []Value) (status int, errBody []byte) {
	if len(in) != len(op.input) || len(out) != len(op.output) {
		panic(fmt.Sprintf("kms: CallTyped %s with %d input and %d output values, not %d and %d", op.name, len(in), len(out), len(op.input), len(op.output)))
	}
	// The request struct, and what the journal and the faults keep of the call with the request's
	// scalar members: two allocations, where they were five (each costs the module several times what
	// it costs natively). One (the request inside a struct of both) would need reflect.StructOf, or a
	// generic type per request struct: 97 KB of module for the second.
	request := reflect.New(op.typed.request).Interface()
	r := &typedRequest{req: request, base: reflect.ValueOf(request).UnsafePointer(), op: op}
	for i := range in {
		if in[i].Present {
			r.setMember(unsafe.Add(r.base, op.input[i]), op.kinds[i], op.slots[i], &in[i])
		}
	}
	r.size = op.journalSize(in)
	info := callInfo{operation: op.name, input: r, keyID: r}
	answer, status, errBody := w.serveTyped(info, func(w *World, c caller) (any, *apiError) { return op.typed.run(w, c, request) }, c)
	if status != 200 {
		return status, errBody
	}
	if err := op.answerValues(answer, out); err != nil {
		status, errBody = err.encode()
	}
	return status, errBody
}

// serveTyped runs one decoded KMS operation as Handle does (recovering a panic into the same
// KMSInternalException: the direct exports' core layer, as Handle's is wasmkms_call's), answering the
// output on success or the encoded error.
func (w *World) serveTyped(info callInfo, fn func(*World, caller) (any, *apiError), c Caller) (out any, status int, errBody []byte) {
	defer func() {
		if r := recover(); r != nil {
			out = nil
			status, errBody = errInternal(fmt.Sprintf("internal error in %s: %v", kmsTargetPrefix+info.operation, r)).encode()
		}
	}()
	out, apiErr := w.serve(c, info, fn)
	if apiErr != nil {
		status, errBody = apiErr.encode()
		return nil, status, errBody
	}
	return out, 200, nil
}

// setMember stores a present value in its request field, at field, as the JSON decoding would: an empty
// blob or context is present (not nil). The field is written through a pointer of its Go type, which
// NewTypedOperation checked against the member's kind (typedFieldTypes): this runs on every call, and
// with reflect.Value.Set instead the module's direct Encrypt of 32 B took about 20% longer than the
// explicit code this replaced (wazero, the two modules alternating in one process; about 9% now). A
// string, integer or boolean member points into r's slot for it (slot, among the members of its kind),
// not at an allocation of its own. The request keeps v's Bytes and Context (the journal holds it past
// the call): the caller gives values it no longer changes.
func (r *typedRequest) setMember(field unsafe.Pointer, kind Kind, slot int, v *Value) {
	switch kind {
	case KindString:
		r.texts[slot] = v.Text
		*(**string)(field) = &r.texts[slot]
	case KindBlob:
		b := v.Bytes
		if b == nil {
			b = []byte{}
		}
		*(*[]byte)(field) = b
	case KindContext:
		m := v.Context
		if m == nil {
			m = map[string]string{}
		}
		*(*map[string]string)(field) = m
	case KindInteger:
		r.ints[slot] = int(v.Int)
		*(**int)(field) = &r.ints[slot]
	case KindBoolean:
		r.bools[slot] = v.Bool
		*(**bool)(field) = &r.bools[slot]
	}
}

// typedAnswer is an answer that gives its members' values itself, having no fields for answerValues to
// find (ListKeys' page: its JSON is the page cache's, its typed Keys the prefix and the IDs).
type typedAnswer interface {
	typedMember(m Member) (v Value, ok bool) // ok false: no such member of that kind
}

// answerValues takes the output members out of an operation's answer (a struct, or a map of members),
// each absent where Handle's JSON answer leaves it out or writes null. How an answer's type gives them
// is found once per type (answerLayoutOf); a string, blob or boolean member is then read straight from
// its field, at its offset: the reflective reads (a reflect.Value per field, its kind, IsZero) were 5%
// of the module's direct Encrypt 32 B, and an assertion to typedAnswer (an itab lookup) another 1%.
func (op *TypedOperation) answerValues(answer any, out []Value) *apiError {
	if members, isMap := answer.(map[string]any); isMap {
		for i, m := range op.output {
			out[i] = Value{}
			if x := members[m.Name]; x != nil {
				if err := answerValue(m, x, &out[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	l := op.answerLayoutOf(reflect.TypeOf(answer))
	if l.own {
		a := answer.(typedAnswer)
		for i, m := range op.output {
			var ok bool
			if out[i], ok = a.typedMember(m); !ok {
				return errInternal(fmt.Sprintf("%s's answer has no member %s of kind %d", op.name, m.Name, m.Kind))
			}
		}
		return nil
	}
	data := (*[2]unsafe.Pointer)(unsafe.Pointer(&answer))[1] // what the interface points to
	if l.fields == nil || l.direct && data == nil {
		return errInternal(fmt.Sprintf("%s answered a %T", op.name, answer))
	}
	var v reflect.Value // the struct, for a member read through reflect
	for i, m := range op.output {
		f := &l.fields[i]
		out[i] = Value{}
		if f.index < 0 {
			continue
		}
		if l.direct { // the value's fields set in place: a Value literal is built aside and copied (120 bytes)
			p, o := unsafe.Add(data, f.offset), &out[i]
			switch f.read {
			case readString:
				if s := *(*string)(p); !f.omitEmpty || s != "" {
					o.Present, o.Text = true, s
				}
				continue
			case readBlob:
				if b := *(*[]byte)(p); b != nil {
					o.Present, o.Bytes = true, b
				}
				continue
			case readBool:
				if b := *(*bool)(p); !f.omitEmpty || b {
					o.Present, o.Bool = true, b
				}
				continue
			}
		}
		if !v.IsValid() {
			if v = reflect.ValueOf(answer); v.Kind() == reflect.Pointer {
				v = v.Elem()
			}
		}
		fv := v.Field(f.index)
		if f.omitEmpty && fv.IsZero() || isNilValue(fv) {
			continue
		}
		if m.Kind == KindBoolean && fv.Kind() == reflect.Bool { // a small struct's (a string or blob is larger)
			out[i] = Value{Present: true, Bool: fv.Bool()}
		} else if err := answerValue(m, fv.Interface(), &out[i]); err != nil {
			return err
		}
	}
	return nil
}

func isNilValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	}
	return false
}

func answerValue(m Member, x any, out *Value) *apiError {
	out.Present = true
	var ok bool
	switch m.Kind {
	case KindString:
		out.Text, ok = x.(string)
	case KindBlob:
		out.Bytes, ok = x.([]byte)
	case KindBoolean:
		out.Bool, ok = x.(bool)
	case KindJSON:
		if a, writesOwn := x.(jsonAppender); writesOwn { // answer_json.go: the same bytes, without reflection
			out.JSON, ok = a.appendJSON(nil), true
			break
		}
		b, err := json.Marshal(x)
		out.JSON, ok = b, err == nil
	}
	if !ok {
		return errInternal(fmt.Sprintf("the answer's %s (%T) is not of kind %d", m.Name, x, m.Kind))
	}
	return nil
}

// answerLayout is how an answer type gives the output members: itself (typedAnswer), or as the fields
// of a struct (fields; nil for any other type).
type answerLayout struct {
	t      reflect.Type
	own    bool
	direct bool // a pointer to the struct, or a struct the interface points to (larger than a pointer)
	fields []answerField
}

var typedAnswerType = reflect.TypeFor[typedAnswer]()

// answerLayoutOf finds how an answer type gives the output members, once per type. An operation
// answers one type (or a map), so the last layout is kept where a call reads it without a map lookup.
func (op *TypedOperation) answerLayoutOf(t reflect.Type) *answerLayout {
	if last := op.lastAnswer.Load(); last != nil && last.t == t {
		return last
	}
	l := &answerLayout{t: t}
	st := t
	if t != nil && t.Kind() == reflect.Pointer {
		st = t.Elem()
	}
	switch {
	case t == nil:
	case t.Implements(typedAnswerType):
		l.own = true
	case st.Kind() == reflect.Struct:
		l.direct = t != st || t.Size() > unsafe.Sizeof(uintptr(0))
		l.fields = make([]answerField, len(op.output))
		for i, m := range op.output {
			l.fields[i] = answerFieldOf(st, m)
		}
	}
	op.lastAnswer.Store(l)
	return l
}

// answerFieldOf is where the struct t holds the member m, and how it is read.
func answerFieldOf(t reflect.Type, m Member) (f answerField) {
	if f.index = requestField(t, m.Name); f.index < 0 {
		return f
	}
	sf := t.Field(f.index)
	_, options, _ := strings.Cut(sf.Tag.Get("json"), ",")
	f.omitEmpty, f.offset = strings.Contains(options, "omitempty"), sf.Offset
	switch {
	case m.Kind == KindString && sf.Type.Kind() == reflect.String:
		f.read = readString
	case m.Kind == KindBlob && sf.Type == byteSliceType:
		f.read = readBlob
	case m.Kind == KindBoolean && sf.Type.Kind() == reflect.Bool:
		f.read = readBool
	}
	return f
}

// typedRequest is a typed call's request as the journal keeps it. Its JSON is the body a host would
// have sent for it: every present member in the request's member order, an empty one too (which
// json.Marshal's omitempty would leave out, so that a call with an empty EncryptionContext would read
// back without one).
type typedRequest struct {
	req  any            // the request struct (a pointer to it)
	base unsafe.Pointer // the same
	size int            // journalSize's
	op   *TypedOperation
	// The request's string, integer and boolean members: its fields point here (setMember).
	texts [8]string
	ints  [2]int
	bools [2]bool
	_     [0]func() // not comparable: no equality function in the module for it
}

// namedKeyID is the key the request names, for the faults: KeyId, or a symmetric blob's key.
func (r *typedRequest) namedKeyID() string {
	var keyID *string
	var blob []byte
	if r.op.keyID != noField {
		keyID = *(**string)(unsafe.Add(r.base, r.op.keyID))
	}
	if r.op.blob != noField {
		blob = *(*[]byte)(unsafe.Add(r.base, r.op.blob))
	}
	return keyIDOrBlobKey(keyID, blob)
}

func (r typedRequest) appendJSON(dst []byte) []byte {
	v := reflect.ValueOf(r.req).Elem()
	t := v.Type()
	dst = append(dst, '{')
	first := true
	for i := range t.NumField() {
		f := v.Field(i)
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || isNilValue(f) || !isNilable(f) && f.IsZero() {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONString(dst, name)
		dst = append(dst, ':')
		if b, isBlob := f.Interface().([]byte); isBlob {
			dst = appendJSONBlob(dst, b)
			continue
		}
		encoded, err := json.Marshal(f.Interface())
		if err != nil {
			encoded = []byte("null")
		}
		dst = append(dst, encoded...)
	}
	return append(dst, '}')
}

func isNilable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	}
	return false
}

// journalSize is the length of the JSON body a typed call's request stands for, as near as entrySize
// needs it to bound the journal as it bounds a JSON call's (by its body): blobs as base64, the rest as
// written.
func (op *TypedOperation) journalSize(in []Value) int {
	n := 2
	for i, v := range in {
		if !v.Present {
			continue
		}
		n += len(op.names[i]) + 4
		switch op.kinds[i] {
		case KindString:
			n += len(v.Text) + 2
		case KindBlob:
			n += base64.StdEncoding.EncodedLen(len(v.Bytes)) + 2
		case KindContext:
			for k, s := range v.Context {
				n += len(k) + len(s) + 6
			}
		default:
			n += 8
		}
	}
	return n
}
