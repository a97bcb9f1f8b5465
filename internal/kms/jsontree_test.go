package kms

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// decoderTree is what decodeRequest used before parseJSONTree: encoding/json's Decoder with
// UseNumber, and More() after the value. parseJSONTree must accept exactly what it accepts and build
// the same tree, but for nesting deeper than maxJSONDepth, which it refuses.
func decoderTree(data []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil || dec.More() {
		return nil, false
	}
	return tree, true
}

var jsonTreeSeeds = []string{
	``, ` `, `{}`, `[]`, `null`, `true`, `false`, `nul`, `tru`, `0`, `-0`, `-`, `01`, `1.`, `1.5`, `1e5`, `1E+5`, `1e-`, `-1.25e-3`,
	`{"KeyId":"abc","Plaintext":"aGk="}`, `{"a":1,"a":2}`, `{"a":null}`, `{"a":[1,null,"x"]}`, `{"a":{"b":{"c":[]}}}`,
	`{} ]`, `{}}`, `{} x`, `{}{}`, `1]`, `1 2`, `"x"]`, `[1,]`, `{"a":1,}`, `{,}`, `{"a" 1}`, `{"a":}`, `{1:2}`,
	`"\u00e9\ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`, `"\ud800\ud800"`, `"\udc00\ud800"`, `"\ud800\uZZZZ"`, `"\u12"`,
	`"\b\f\n\r\t\/\\\""`, `"\x"`, "\"tab\there\"", "\"\xff\xfe\"", "\"caf\xc3\xa9\"", "\"\xed\xa0\x80\"", `"unterminated`,
	`{"EncryptionContext":{"k":"v","k2":"\u0000"}}`, ` {"a" : [ 1 , 2 ] } `, `[[[[[]]]]]`, `{"a":true,"b":false,"c":null}`,
	strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth),
	strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1),
	strings.Repeat(`{"a":`, maxJSONDepth) + "1" + strings.Repeat("}", maxJSONDepth),
	strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1),
	// The hostile shapes of issue 14: 9,500 nested arrays (it overflowed V8's stack in the module), deeper
	// than encoding/json's own limit, and 50,000 escaped strings (each once reserved the rest of the body).
	strings.Repeat("[", 9500) + strings.Repeat("]", 9500),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	`{"a":[` + strings.Repeat(`"\n",`, 50000) + `""]}`,
	`{"a":"` + strings.Repeat(`\"`, 10000) + `"}`,
}

func TestParseJSONTreeMatchesDecoder(t *testing.T) {
	for _, seed := range jsonTreeSeeds {
		checkJSONTree(t, []byte(seed))
	}
}

func FuzzParseJSONTree(f *testing.F) {
	for _, seed := range jsonTreeSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkJSONTree(t, data) })
}

func checkJSONTree(t *testing.T, data []byte) {
	t.Helper()
	want, wantOK := decoderTree(data)
	if wantOK && treeDepth(want) > maxJSONDepth {
		want, wantOK = nil, false
	}
	got, gotOK := parseJSONTree(data)
	if gotOK != wantOK || !reflect.DeepEqual(got, want) {
		shown := string(data)
		if len(shown) > 80 {
			shown = shown[:80] + "..."
		}
		t.Fatalf("parseJSONTree(%q) = %#v, %v; encoding/json's Decoder gives %#v, %v", shown, got, gotOK, want, wantOK)
	}
}

// treeDepth is how deep a decoded tree nests: 0 for a scalar, 1 for [] or {}.
func treeDepth(v any) int {
	deepest := 0
	switch x := v.(type) {
	case []any:
		for _, item := range x {
			deepest = max(deepest, treeDepth(item))
		}
	case map[string]any:
		for _, item := range x {
			deepest = max(deepest, treeDepth(item))
		}
	default:
		return 0
	}
	return deepest + 1
}

func BenchmarkParseJSONTree4096(b *testing.B) {
	body, _ := json.Marshal(map[string]any{"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "Plaintext": make([]byte, 4096), "EncryptionContext": map[string]string{"k": "v"}})
	b.Run("decoder", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			decoderTree(body)
		}
	})
	b.Run("parseJSONTree", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			parseJSONTree(body)
		}
	})
}
