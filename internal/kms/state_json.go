package kms

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The state document's own JSON coding. A world of 10,000 keys is a 3 MB document, and through
// encoding/json its export took 230 ms and its import 880 ms in the module (reflection per member,
// the Marshaler round trip of every timestamp, a validating pre-scan of the whole input). These two
// walk the state structs from tables built once per type, so a member added to a state struct needs
// nothing here; the members every key has are coded by typed functions (stateMembers), the others
// through reflection. Each gives exactly what encoding/json gives, and state_json_test.go holds
// them to it:
//   - appendJSON writes the bytes json.Marshal writes for the state;
//   - decodeStateJSON fills a worldState as json.Unmarshal does, or answers false for anything it
//     does not handle itself (a member name that matches only without regard to case, or no member;
//     a member twice; a null where encoding/json would do more than leave a zero value; invalid
//     JSON): importState then uses json.Unmarshal, whose answer (and error) is authoritative.
//
// Values of types these do not walk (maps, arrays, interfaces, types with their own JSON or text
// methods other than epochTime, structs with embedded fields or tag options other than omitempty)
// go through encoding/json, one value at a time.

// stateType is what the walkers know of one type, built once (stateTypeOf).
type stateType struct {
	own    bool       // the type brings its own JSON or text coding: encoding/json codes its values
	epoch  bool       // epochTime, which the walkers code as its methods do
	blob   bool       // []byte: base64
	elem   *stateType // pointers and slices: the element's
	walk   bool       // structs: walked member by member (else encoding/json codes them)
	fields []stateField
	byName map[string]int // structs: member name -> position in fields
	direct bool           // structs: some members have typed codecs (stateMembers)
}

// stateField is one JSON member of a struct type.
type stateField struct {
	name      string
	quoted    string // the member name as JSON writes it, with its colon
	index     int
	omitEmpty bool
	typ       *stateType
	member    *stateMember // the typed codec, or nil
}

// stateMember codes one member without reflection; p is a pointer to the struct.
type stateMember struct {
	empty func(p any) bool
	enc   func(dst []byte, p any) []byte
	dec   func(d *stateDecoder, p any) bool
}

func stringMember(field func(p any) *string) *stateMember {
	return &stateMember{
		empty: func(p any) bool { return *field(p) == "" },
		enc:   func(dst []byte, p any) []byte { return appendJSONString(dst, *field(p)) },
		dec: func(d *stateDecoder, p any) bool {
			s, ok := d.str()
			*field(p) = s
			return ok
		},
	}
}

func epochMember(field func(p any) *epochTime) *stateMember {
	return &stateMember{
		empty: func(any) bool { return false },
		enc:   func(dst []byte, p any) []byte { return appendEpoch(dst, *field(p)) },
		dec:   func(d *stateDecoder, p any) bool { return d.epoch(field(p)) },
	}
}

// blobMember codes a []byte member. In a load (the decoder has an arena) the bytes of a kept member
// are the arena's; those of a member that is not (a backing ID, which a key holds as an array) are
// the decoder's, good until the key is handed on.
func blobMember(field func(p any) *[]byte, kept bool) *stateMember {
	return &stateMember{
		empty: func(p any) bool { return len(*field(p)) == 0 },
		enc:   func(dst []byte, p any) []byte { return appendJSONBlob(dst, *field(p)) },
		dec: func(d *stateDecoder, p any) bool {
			if d.peek() == 'n' {
				return d.literal("null") // nil, as encoding/json leaves it
			}
			if d.arena != nil {
				return d.blobInPlace(field(p), kept)
			}
			return d.blob(field(p))
		},
	}
}

// symmetricMaterialMember codes a key's symmetric material: in a load, its parts in the decoder's
// room (the key's materials copy them), with no first pass to count them.
func symmetricMaterialMember() *stateMember {
	plain := structSliceMember(func(p any) *[]symmetricPart { return &p.(*keyState).Symmetric }, &symmetricPartType, 0)
	return &stateMember{empty: plain.empty, enc: plain.enc, dec: func(d *stateDecoder, p any) bool {
		if d.arena == nil || d.peek() != '[' {
			return plain.dec(d, p)
		}
		parts := d.parts[:0]
		ok := d.array(func() bool {
			parts = append(parts, symmetricPart{})
			return d.object(&parts[len(parts)-1], symmetricPartType, 0)
		}, func() {})
		d.parts = parts
		if parts == nil {
			parts = []symmetricPart{} // "[]", as encoding/json reads it
		}
		p.(*keyState).Symmetric = parts
		return ok
	}}
}

// stateMembers are the typed codecs: a region's keys, the members of a symmetric key and of its
// material. (Set in init: they refer to the tables that refer to them.)
var stateMembers map[reflect.Type]map[string]*stateMember

var (
	stateTypesMu sync.Mutex
	stateTypes   = map[reflect.Type]*stateType{}

	keyStateType, symmetricPartType *stateType
)

func init() {
	stateMembers = map[reflect.Type]map[string]*stateMember{
		reflect.TypeOf(regionState{}): {"keys": structSliceMember(func(p any) *[]keyState { return &p.(*regionState).Keys }, &keyStateType, 2)},
		// A state log's records (statelog_record.go) hold keys as a region does.
		reflect.TypeOf(regionRecord{}): {"keys": recordKeysMember(false), "keyUpdates": recordKeysMember(true)},
		reflect.TypeOf(keyState{}): {
			"keyId":             stringMember(func(p any) *string { return &p.(*keyState).KeyID }),
			"keySpec":           stringMember(func(p any) *string { return &p.(*keyState).KeySpec }),
			"keyUsage":          stringMember(func(p any) *string { return &p.(*keyState).KeyUsage }),
			"description":       stringMember(func(p any) *string { return &p.(*keyState).Description }),
			"origin":            stringMember(func(p any) *string { return &p.(*keyState).Origin }),
			"keyState":          stringMember(func(p any) *string { return &p.(*keyState).KeyState }),
			"creationDate":      epochMember(func(p any) *epochTime { return &p.(*keyState).CreationDate }),
			"policy":            stringMember(func(p any) *string { return &p.(*keyState).Policy }),
			"symmetricMaterial": symmetricMaterialMember(),
		},
		reflect.TypeOf(symmetricPart{}): {
			"backingId":    blobMember(func(p any) *[]byte { return &p.(*symmetricPart).BackingID }, false),
			"material":     blobMember(func(p any) *[]byte { return &p.(*symmetricPart).Material }, true),
			"rotationType": stringMember(func(p any) *string { return &p.(*symmetricPart).RotationType }),
		},
	}
	keyStateType = stateTypeOf(reflect.TypeOf(keyState{}))
	symmetricPartType = stateTypeOf(reflect.TypeOf(symmetricPart{}))
	regionRecordType = stateTypeOf(reflect.TypeOf(regionRecord{}))
	stateRecordType = stateTypeOf(reflect.TypeOf(stateRecord{}))
	checkKeyMembers()
}

// structSliceMember codes a slice of structs, grown by append, each by the typed codecs *typ (read
// when coding: the types are made after the table); depth is the decoder's nesting of an element.
func structSliceMember[T any](slice func(p any) *[]T, typ **stateType, depth int) *stateMember {
	return &stateMember{
		empty: func(p any) bool { return len(*slice(p)) == 0 },
		enc: func(dst []byte, p any) []byte {
			items := *slice(p)
			if items == nil {
				return append(dst, "null"...)
			}
			dst = append(dst, '[')
			for i := range items {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendStateStruct(dst, &items[i], *typ)
			}
			return append(dst, ']')
		},
		dec: func(d *stateDecoder, p any) bool {
			items := slice(p)
			if d.peek() == 'n' {
				return d.literal("null")
			}
			*items = slices.Grow(*items, d.elements(depth))
			return d.array(func() bool {
				var zero T
				*items = append(*items, zero)
				return d.object(&(*items)[len(*items)-1], *typ, depth)
			}, func() { *items = []T{} })
		},
	}
}

var (
	epochTimeType       = reflect.TypeOf(epochTime{})
	jsonMarshalerType   = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	jsonUnmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	textMarshalerType   = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	textUnmarshalerType = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// ownJSON reports whether a type brings its own JSON or text coding (epochTime excepted, which
// both walkers write and read as its methods do).
func ownJSON(t reflect.Type) bool {
	if t == epochTimeType {
		return false
	}
	p := reflect.PointerTo(t)
	return t.Implements(jsonMarshalerType) || p.Implements(jsonMarshalerType) || p.Implements(jsonUnmarshalerType) ||
		t.Implements(textMarshalerType) || p.Implements(textMarshalerType) || p.Implements(textUnmarshalerType)
}

// stateTypeOf answers the walkers' table of a type.
func stateTypeOf(t reflect.Type) *stateType {
	stateTypesMu.Lock()
	defer stateTypesMu.Unlock()
	return stateTypeLocked(t)
}

func stateTypeLocked(t reflect.Type) *stateType {
	if s, ok := stateTypes[t]; ok {
		return s
	}
	s := &stateType{own: ownJSON(t), epoch: t == epochTimeType}
	stateTypes[t] = s // before the members: a type may hold itself
	switch t.Kind() {
	case reflect.Pointer:
		s.elem = stateTypeLocked(t.Elem())
	case reflect.Slice:
		s.blob = t.Elem().Kind() == reflect.Uint8 && !ownJSON(t.Elem())
		s.elem = stateTypeLocked(t.Elem())
	case reflect.Struct:
		s.walk = !s.own && !s.epoch
		s.byName = map[string]int{}
		structFields(t, s)
	}
	return s
}

func structFields(t reflect.Type, s *stateType) {
	members := stateMembers[t]
	for i := 0; i < t.NumField() && s.walk; i++ {
		f := t.Field(i)
		if f.Anonymous {
			s.walk = false
			break
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, options, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if options != "" && options != "omitempty" {
			s.walk = false
			break
		}
		if _, twice := s.byName[name]; twice {
			s.walk = false
			break
		}
		s.byName[name] = len(s.fields)
		quoted := appendJSONString(nil, name)
		s.fields = append(s.fields, stateField{name: name, quoted: string(append(quoted, ':')), index: i,
			omitEmpty: options == "omitempty", typ: stateTypeLocked(f.Type), member: members[name]})
		s.direct = s.direct || members[name] != nil
	}
}

// ---- Writing ----

// appendJSON writes the state as json.Marshal does (Handle uses it for WasmKMS.ExportState's answer).
func (st worldState) appendJSON(dst []byte) []byte {
	if dst == nil {
		n := 0
		for _, r := range st.Regions {
			n += len(r.Keys)
		}
		dst = make([]byte, 0, 4096+400*n) // a symmetric key with the default policy takes about 340 bytes
	}
	return appendStateValue(dst, reflect.ValueOf(&st).Elem(), stateTypeOf(reflect.TypeOf(st)))
}

// appendStateValue writes v, which is addressable.
func appendStateValue(dst []byte, v reflect.Value, s *stateType) []byte {
	switch {
	case s.epoch:
		return appendEpoch(dst, v.Interface().(epochTime))
	case s.own:
		return appendMarshaled(dst, v)
	}
	switch v.Kind() {
	case reflect.String:
		return appendJSONString(dst, v.String())
	case reflect.Bool:
		return strconv.AppendBool(dst, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, v.Int(), 10)
	case reflect.Pointer:
		if v.IsNil() {
			return append(dst, "null"...)
		}
		if s.elem.own {
			return appendMarshaled(dst, v)
		}
		return appendStateValue(dst, v.Elem(), s.elem)
	case reflect.Slice:
		if s.blob {
			return appendJSONBlob(dst, v.Bytes())
		}
		if v.IsNil() {
			return append(dst, "null"...)
		}
		dst = append(dst, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendStateValue(dst, v.Index(i), s.elem)
		}
		return append(dst, ']')
	case reflect.Struct:
		if !s.walk {
			return appendMarshaled(dst, v)
		}
		var p any
		if s.direct {
			p = v.Addr().Interface()
		}
		return appendStateFields(dst, v, p, s)
	}
	return appendMarshaled(dst, v)
}

// appendStateStruct writes the struct p points to (a key by its own writer: state_json_write.go).
func appendStateStruct(dst []byte, p any, s *stateType) []byte {
	if ks, ok := p.(*keyState); ok {
		return appendKeyStateJSON(dst, ks)
	}
	return appendStateFields(dst, reflect.ValueOf(p).Elem(), p, s)
}

func appendStateFields(dst []byte, v reflect.Value, p any, s *stateType) []byte {
	dst = append(dst, '{')
	first := true
	for i := range s.fields {
		f := &s.fields[i]
		var fv reflect.Value
		if f.member != nil {
			if f.omitEmpty && f.member.empty(p) {
				continue
			}
		} else {
			fv = v.Field(f.index)
			if f.omitEmpty && isEmptyJSONValue(fv) {
				continue
			}
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, f.quoted...)
		if f.member != nil {
			dst = f.member.enc(dst, p)
		} else {
			dst = appendStateValue(dst, fv, f.typ)
		}
	}
	return append(dst, '}')
}

// appendMarshaled writes one value through encoding/json (maps, arrays, types with their own coding).
func appendMarshaled(dst []byte, v reflect.Value) []byte {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		// json.Marshal of the whole state would have failed; a state's types cannot fail.
		panic("kms: the state does not encode: " + err.Error())
	}
	return append(dst, b...)
}

// appendEpoch writes an epochTime as its MarshalJSON does: the shortest decimal of the float64 nearest
// the milliseconds ÷ 1,000. Below 10^15 ms that decimal is the seconds, a point and the milliseconds
// without their trailing zeros, written here without strconv's float formatting (the division is
// correctly rounded, so that decimal rounds to the same float64, and its at most 15 digits are
// fewer than a float64 tells apart, so no shorter decimal does: TestAppendEpoch holds the two to it).
func appendEpoch(dst []byte, t epochTime) []byte {
	ms := time.Time(t).UnixMilli()
	if ms < 0 || ms >= 1e15 {
		return strconv.AppendFloat(dst, float64(ms)/1000, 'f', -1, 64)
	}
	dst = strconv.AppendInt(dst, ms/1000, 10)
	frac := ms % 1000
	if frac == 0 {
		return dst
	}
	digits := [3]byte{byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	n := 3
	for digits[n-1] == '0' {
		n--
	}
	dst = append(dst, '.')
	return append(dst, digits[:n]...)
}

// isEmptyJSONValue is encoding/json's omitempty test.
func isEmptyJSONValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// ---- Reading ----

// decodeStateJSON fills st from data as json.Unmarshal would, or answers false (st is then
// undefined) for a document it leaves to encoding/json.
func decodeStateJSON(data []byte, st *worldState) bool {
	d := stateDecoder{data: data, strs: &stateStrings{}}
	d.space()
	if !d.value(reflect.ValueOf(st).Elem(), stateTypeOf(reflect.TypeOf(*st)), 0) {
		return false
	}
	d.space()
	return d.pos == len(d.data)
}

type stateDecoder struct {
	data []byte
	pos  int
	strs *stateStrings
	// keySink, when set, takes each key of a state log's record as it is read, instead of a slice
	// holding them (statelog_record.go); sinkErr is its refusal, sunk counts the keys it took.
	keySink func(record any, ks *keyState, update bool) error
	sinkErr error
	sunk    int
	// arena, in a load: where strings and kept bytes go (statelog_arena.go); transient and parts are
	// the decoder's room for what the key handed to keySink does not keep (backing IDs, the parts of
	// its symmetric material), used again for the next key.
	arena     *loadArena
	transient []byte
	parts     []symmetricPart
}

// maxStateDepth: a state nests about eight deep; anything deeper is left to encoding/json (whose
// own limit then applies to the whole document).
const maxStateDepth = 64

func (d *stateDecoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *stateDecoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// value reads one JSON value into v, an addressable zero value of its type.
func (d *stateDecoder) value(v reflect.Value, s *stateType, depth int) bool {
	if depth > maxStateDepth {
		return false
	}
	if d.peek() == 'n' {
		// null leaves a zero value where encoding/json sets nil; elsewhere it may call a method.
		switch v.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			return d.literal("null")
		}
		return false
	}
	switch {
	case s.epoch:
		return d.epoch(v.Addr().Interface().(*epochTime))
	case v.Kind() == reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		if !d.value(elem.Elem(), s.elem, depth+1) {
			return false
		}
		v.Set(elem)
		return true
	case s.own:
		return d.delegate(v, depth)
	}
	switch v.Kind() {
	case reflect.String:
		str, ok := d.str()
		if ok {
			v.SetString(str)
		}
		return ok
	case reflect.Bool:
		switch {
		case d.literal("true"):
			v.SetBool(true)
		case d.literal("false"):
		default:
			return false
		}
		return true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := d.integer()
		if !ok || v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
		return true
	case reflect.Slice:
		if s.blob {
			var b []byte
			if !d.blob(&b) {
				return false
			}
			v.SetBytes(b)
			return true
		}
		out := v
		ok := d.array(func() bool {
			out = reflect.Append(out, reflect.Zero(v.Type().Elem()))
			return d.value(out.Index(out.Len()-1), s.elem, depth+1)
		}, func() { out = reflect.MakeSlice(v.Type(), 0, 0) })
		if ok {
			v.Set(out)
		}
		return ok
	case reflect.Struct:
		if !s.walk {
			return d.delegate(v, depth)
		}
		var p any
		if s.direct {
			p = v.Addr().Interface()
		}
		return d.fields(v, p, s, depth)
	}
	return d.delegate(v, depth)
}

// object reads the struct p points to.
func (d *stateDecoder) object(p any, s *stateType, depth int) bool {
	return d.fields(reflect.ValueOf(p).Elem(), p, s, depth)
}

func (d *stateDecoder) fields(v reflect.Value, p any, s *stateType, depth int) bool {
	switch s {
	case keyStateType: // the members every key has, without the table (state_json_key.go)
		return d.keyFields(p.(*keyState), depth)
	case symmetricPartType:
		return d.partFields(p.(*symmetricPart), depth)
	}
	if len(s.fields) > 64 { // more members than the bit set of those seen holds
		return false
	}
	next := 0 // members usually come in the struct's order: try the next one before the map
	return d.members(s, func(name []byte) int {
		if next < len(s.fields) && s.fields[next].name == string(name) {
			return next
		}
		return -1
	}, func(i int) bool {
		next = i + 1
		f := &s.fields[i]
		if f.member != nil {
			return f.member.dec(d, p)
		}
		return d.value(v.Field(f.index), f.typ, depth+1)
	})
}

// array reads a JSON array, calling elem for each value; empty is called for an array without
// values (encoding/json makes an empty, non-nil slice of it).
func (d *stateDecoder) array(elem func() bool, empty func()) bool {
	if d.peek() != '[' {
		return false
	}
	d.pos++
	d.space()
	if d.peek() == ']' {
		d.pos++
		empty()
		return true
	}
	for {
		if !elem() {
			return false
		}
		if end, ok := d.after(']'); end || !ok {
			return ok
		}
	}
}

// after reads what follows a value of an object or array (closer its '}' or ']'): a ',' and the space
// after it (more to come), or closer (end). ok is false for anything else.
func (d *stateDecoder) after(closer byte) (end, ok bool) {
	d.space()
	switch d.peek() {
	case ',':
		d.pos++
		d.space()
		return false, true
	case closer:
		d.pos++
		return true, true
	}
	return false, false
}

// elements counts the values of the array at d.pos without moving on (0 for anything but a
// well-formed array, whose decoding then says what is wrong). A slice of 10,000 keys is then made
// once at its size: grown by append instead, it was copied about twenty times over (with the GC's
// write barriers on every pointer it holds): a third of an import's time in the module.
func (d *stateDecoder) elements(depth int) int {
	e := stateDecoder{data: d.data, pos: d.pos}
	if e.peek() != '[' {
		return 0
	}
	e.pos++
	e.space()
	if e.peek() == ']' {
		return 0
	}
	for n := 1; ; n++ {
		if !e.skip(depth + 1) {
			return 0
		}
		end, ok := e.after(']')
		if !ok {
			return 0
		}
		if end {
			return n
		}
	}
}

// delegate reads one value with encoding/json: the value is found by skip, and json.Unmarshal
// checks it.
func (d *stateDecoder) delegate(v reflect.Value, depth int) bool {
	start := d.pos
	if !d.skip(depth) {
		return false
	}
	return json.Unmarshal(d.data[start:d.pos], v.Addr().Interface()) == nil
}

// skip passes over one value without checking it beyond finding where it ends.
func (d *stateDecoder) skip(depth int) bool {
	nesting := 0
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; c {
		case '"':
			if !d.stringEnd() {
				return false
			}
			if nesting == 0 {
				return true
			}
			continue
		case '{', '[':
			nesting++
			if depth+nesting > maxStateDepth {
				return false
			}
		case '}', ']':
			nesting--
			if nesting < 0 {
				return false
			}
			if nesting == 0 {
				d.pos++
				return true
			}
		case ',', ':', ' ', '\t', '\n', '\r':
			if nesting == 0 {
				return false
			}
		default:
			if nesting == 0 {
				for d.pos < len(d.data) && !strings.ContainsRune(",:]} \t\n\r", rune(d.data[d.pos])) {
					d.pos++
				}
				return true
			}
		}
		d.pos++
	}
	return false
}

// stringEnd moves past a string, d.pos at its opening quote.
func (d *stateDecoder) stringEnd() bool {
	for i := d.pos + 1; i < len(d.data); i++ {
		switch d.data[i] {
		case '\\':
			i++
		case '"':
			d.pos = i + 1
			return true
		}
	}
	return false
}

// plainString reads a string of printable ASCII without escapes and answers its bytes (no copy);
// it does not move on anything else.
func (d *stateDecoder) plainString() ([]byte, bool) {
	if d.peek() != '"' {
		return nil, false
	}
	for i := d.pos + 1; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			s := d.data[d.pos+1 : i]
			d.pos = i + 1
			return s, true
		case c < 0x20 || c > 0x7e || c == '\\':
			return nil, false
		}
	}
	return nil, false
}

// str reads a string: printable ASCII directly, anything else through encoding/json.
// stateStrings holds the short strings a decoder read so far: a state repeats its key specs, usages,
// origins and states thousands of times. recent are the last few of them, tried before the map (whose
// hashing, in the module, costs more than a few short compares); once the map holds 256, a string
// that is not recent is taken as a new one.
type stateStrings struct {
	interned map[string]string
	recent   [16]string
	next     int
}

func (d *stateDecoder) str() (string, bool) {
	start := d.pos
	if raw, ok := d.plainString(); ok {
		if len(raw) <= 24 {
			strs := d.strs
			for _, s := range strs.recent {
				if s == string(raw) {
					return s, true
				}
			}
			if len(strs.interned) < 256 {
				s, hit := strs.interned[string(raw)]
				if !hit {
					if strs.interned == nil {
						strs.interned = map[string]string{}
					}
					s = string(raw)
					strs.interned[s] = s
				}
				strs.recent[strs.next%len(strs.recent)] = s
				strs.next++
				return s, true
			}
		}
		if d.arena != nil {
			return d.arena.string(raw), true
		}
		return string(raw), true
	}
	if d.peek() != '"' || !d.stringEnd() {
		return "", false
	}
	var s string
	return s, json.Unmarshal(d.data[start:d.pos], &s) == nil
}

// blob reads base64 as encoding/json reads a []byte: a non-nil slice, empty for "".
func (d *stateDecoder) blob(b *[]byte) bool {
	start := d.pos
	raw, ok := d.plainString()
	if !ok {
		return d.escapedBlob(start, b)
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(raw)))
	n, err := base64.StdEncoding.Decode(out, raw)
	*b = out[:n]
	return err == nil
}

// escapedBlob reads from start a blob whose text plainString refused (escapes in it), through
// encoding/json; false when it is no string at all.
func (d *stateDecoder) escapedBlob(start int, b *[]byte) bool {
	if d.peek() != '"' || !d.stringEnd() {
		return false
	}
	return json.Unmarshal(d.data[start:d.pos], b) == nil
}

// blobInPlace is blob in a load: the bytes in the arena (kept) or in the decoder's room.
func (d *stateDecoder) blobInPlace(b *[]byte, kept bool) bool {
	start := d.pos
	raw, ok := d.plainString()
	if !ok {
		return d.escapedBlob(start, b)
	}
	n := base64.StdEncoding.DecodedLen(len(raw))
	var out []byte
	if kept {
		out = d.arena.bytesOf(n)
	} else {
		at := len(d.transient)
		d.transient = slices.Grow(d.transient, n)[:at+n]
		out = d.transient[at : at+n : at+n]
	}
	n, err := base64.StdEncoding.Decode(out, raw)
	*b = out[:n:n]
	return err == nil
}

// epoch reads a number into an epochTime as encoding/json does: its UnmarshalJSON, given the number.
// The numbers a state holds (seconds with at most three decimals) are read without it.
func (d *stateDecoder) epoch(t *epochTime) bool {
	start := d.pos
	if !d.number() {
		return false
	}
	if ms, ok := epochMillis(d.data[start:d.pos]); ok {
		*t = epochTime(time.UnixMilli(ms).UTC())
		return true
	}
	return t.UnmarshalJSON(d.data[start:d.pos]) == nil
}

// epochMillis reads a JSON number of the form digits[.d[d[d]]], at most 12 digits before the point,
// as milliseconds: what UnmarshalJSON makes of it (the float64 nearest the number is within 2^-53 of
// it, so its thousandfold, rounded, is the exact count of milliseconds, below 2^53).
func epochMillis(num []byte) (int64, bool) {
	var ms int64
	i := 0
	for ; i < len(num) && num[i] >= '0' && num[i] <= '9'; i++ {
		ms = ms*10 + int64(num[i]-'0')
	}
	if i == 0 || i > 12 {
		return 0, false
	}
	decimals := 0
	if i < len(num) && num[i] == '.' {
		for i++; i < len(num) && num[i] >= '0' && num[i] <= '9' && decimals < 3; i++ {
			ms = ms*10 + int64(num[i]-'0')
			decimals++
		}
		if decimals == 0 {
			return 0, false
		}
	}
	if i != len(num) {
		return 0, false // an exponent, or a fourth decimal
	}
	for ; decimals < 3; decimals++ {
		ms *= 10
	}
	return ms, true
}

func (d *stateDecoder) literal(word string) bool {
	if len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word {
		d.pos += len(word)
		return true
	}
	return false
}

// integer reads an integer without fraction or exponent, as encoding/json reads one into an int.
func (d *stateDecoder) integer() (int64, bool) {
	start := d.pos
	if d.peek() == '-' {
		d.pos++
	}
	digits := d.pos
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
	}
	n := d.pos - digits
	if n == 0 || n > 18 || n > 1 && d.data[digits] == '0' {
		return 0, false
	}
	switch d.peek() {
	case '.', 'e', 'E':
		return 0, false
	}
	i, err := strconv.ParseInt(string(d.data[start:d.pos]), 10, 64)
	return i, err == nil
}

// number passes over a JSON number (RFC 8259's grammar).
func (d *stateDecoder) number() bool {
	if d.peek() == '-' {
		d.pos++
	}
	first := d.pos
	n := d.digits()
	if n == 0 || n > 1 && d.data[first] == '0' {
		return false
	}
	if d.peek() == '.' {
		d.pos++
		if d.digits() == 0 {
			return false
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.pos++
		if c := d.peek(); c == '+' || c == '-' {
			d.pos++
		}
		if d.digits() == 0 {
			return false
		}
	}
	return true
}

func (d *stateDecoder) digits() int {
	start := d.pos
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
	}
	return d.pos - start
}
