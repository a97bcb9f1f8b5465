package main

import (
	"encoding/binary"
	"reflect"
	"testing"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// field is one direct request field: present bytes, or absent (nil with absent true).
func field(b string) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(len(b))) }

func directReq(fields ...any) []byte {
	var out []byte
	for _, f := range fields {
		switch v := f.(type) {
		case nil:
			out = binary.LittleEndian.AppendUint32(out, abi.AbsentField)
		case string:
			out = append(append(out, field(v)...), v...)
		case []byte:
			out = append(binary.LittleEndian.AppendUint32(out, uint32(len(v))), v...)
		}
	}
	return out
}

func contextField(pairs ...string) []byte {
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(pairs)/2))
	for _, s := range pairs {
		out = append(append(out, field(s)...), s...)
	}
	return out
}

// Values of members, for the tables below: present text, bytes, a context, an integer, a boolean.
func text(s string) kms.Value                    { return kms.Value{Present: true, Text: s} }
func blobValue(b string) kms.Value               { return kms.Value{Present: true, Bytes: []byte(b)} }
func contextValue(m map[string]string) kms.Value { return kms.Value{Present: true, Context: m} }

func parseWith(t *testing.T, export string, buf []byte) (kms.Caller, []kms.Value, bool) {
	t.Helper()
	d := newDirectExport(export)
	in := make([]kms.Value, len(d.Input))
	var c kms.Caller
	ok := d.parse(buf, in, &c)
	return c, in, ok
}

func TestParseEncryptRequest(t *testing.T) {
	absent := kms.Value{}
	for _, tc := range []struct {
		name   string
		buf    []byte
		ok     bool
		caller kms.Caller
		in     []kms.Value // KeyId, Plaintext, EncryptionContext, EncryptionAlgorithm
	}{
		{"all members", directReq("444455556666", "eu-west-1", "root", "alias/a", "pt", contextField("k", "v", "k", "last"), "SYMMETRIC_DEFAULT"), true,
			kms.Caller{Account: "444455556666", Region: "eu-west-1", Principal: "root"},
			[]kms.Value{text("alias/a"), blobValue("pt"), contextValue(map[string]string{"k": "last"}), text("SYMMETRIC_DEFAULT")}},
		{"absent members", directReq(nil, nil, nil, nil, nil, nil, nil), true, kms.Caller{}, []kms.Value{absent, absent, absent, absent}},
		{"empty members are not absent", directReq("", "", "", "", "", contextField(), ""), true, kms.Caller{},
			[]kms.Value{text(""), blobValue(""), contextValue(map[string]string{}), text("")}},
		{"invalid UTF-8 becomes U+FFFD per byte", directReq("", "", "", "a\xff\xfeb", nil, contextField("\xc3", "ok"), nil), true, kms.Caller{},
			[]kms.Value{text("a\uFFFD\uFFFDb"), absent, contextValue(map[string]string{"\uFFFD": "ok"}), absent}},
		{"a missing field", directReq("", "", "", "k", "pt", nil), false, kms.Caller{}, nil},
		{"a byte after the fields", append(directReq("", "", "", "k", "pt", nil, nil), 0), false, kms.Caller{}, nil},
		{"a length beyond the buffer", append(directReq("", "", ""), 0xff, 0, 0, 0), false, kms.Caller{}, nil},
		{"a context short of its count", directReq("", "", "", "k", "pt", append(contextField("k", "v"), 0)[:4], nil), false, kms.Caller{}, nil},
		{"a request ID after the last field", directReq("", "", "", "k", "pt", nil, nil, "req-1"), true,
			kms.Caller{RequestID: "req-1"}, []kms.Value{text("k"), blobValue("pt"), absent, absent}},
		{"an absent request ID", directReq("", "", "", "k", "pt", nil, nil, nil), true,
			kms.Caller{}, []kms.Value{text("k"), blobValue("pt"), absent, absent}},
		{"two fields after the last one", directReq("", "", "", "k", "pt", nil, nil, "req-1", "x"), false, kms.Caller{}, nil},
		{"a request ID longer than what follows", append(directReq("", "", "", "k", "pt", nil, nil), 9, 0, 0, 0, 'r'), false, kms.Caller{}, nil},
		{"a context pair with an absent value", directReq("", "", "", "k", "pt", append(binary.LittleEndian.AppendUint32(contextField()[:0], 1), append(field("k"), 'k', 0xff, 0xff, 0xff, 0xff)...), nil), false, kms.Caller{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, in, ok := parseWith(t, "wasmkms_encrypt", tc.buf)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if c != tc.caller || !reflect.DeepEqual(in, tc.in) {
				t.Fatalf("got %+v %+v, want %+v %+v", c, in, tc.caller, tc.in)
			}
		})
	}
}

func TestParseDecryptRequestOrder(t *testing.T) {
	c, in, ok := parseWith(t, "wasmkms_decrypt", directReq("", "", "", "blob", contextField("a", "b"), "key", "RSAES_OAEP_SHA_1"))
	want := []kms.Value{blobValue("blob"), contextValue(map[string]string{"a": "b"}), text("key"), text("RSAES_OAEP_SHA_1")}
	if !ok || c != (kms.Caller{}) || !reflect.DeepEqual(in, want) {
		t.Fatalf("got %v %+v %v", ok, in, c)
	}
}

func TestParseDecryptRequestID(t *testing.T) {
	c, _, ok := parseWith(t, "wasmkms_decrypt", directReq("", "", "", "blob", nil, "key", nil, "9f0c-id"))
	if !ok || c != (kms.Caller{RequestID: "9f0c-id"}) {
		t.Fatalf("got %v %+v", ok, c)
	}
}

// Integers are exactly 4 bytes (a signed int32), booleans exactly 1 byte, 0 or 1.
func TestParseIntegersAndBooleans(t *testing.T) {
	minus := binary.LittleEndian.AppendUint32(nil, 0xfffffff0)
	c, in, ok := parseWith(t, "wasmkms_generate_data_key", directReq("", "", "", "k", nil, minus, "AES_256"))
	if !ok || c != (kms.Caller{}) || !in[2].Present || in[2].Int != -16 {
		t.Fatalf("integer: %v %+v", ok, in)
	}
	for _, bad := range [][]byte{{1, 0, 0}, {1, 0, 0, 0, 0}, {}} {
		if _, _, ok := parseWith(t, "wasmkms_generate_data_key", directReq("", "", "", "k", nil, bad, nil)); ok {
			t.Errorf("an integer field of %d bytes was taken", len(bad))
		}
	}
	// CreateKey: ..., BypassPolicyLockoutSafetyCheck, MultiRegion, XksKeyId.
	createKey := func(bypass, multiRegion any) []byte {
		return directReq("", "", "", nil, "d", nil, nil, nil, nil, nil, bypass, multiRegion, nil)
	}
	_, in, ok = parseWith(t, "wasmkms_create_key", createKey([]byte{0}, []byte{1}))
	if !ok || !in[7].Present || in[7].Bool || !in[8].Present || !in[8].Bool || in[9].Present || !reflect.DeepEqual(in[1], text("d")) {
		t.Fatalf("booleans: %v %+v", ok, in)
	}
	for _, bad := range [][]byte{{2}, {}, {1, 0}} {
		if _, _, ok := parseWith(t, "wasmkms_create_key", createKey(nil, bad)); ok {
			t.Errorf("a boolean field %v was taken", bad)
		}
	}
}

// Every export of the table has its core operation with those members (the module panics at start
// otherwise).
func TestEveryDirectExportIsMade(t *testing.T) {
	for _, d := range abi.DirectExports {
		if got := newDirectExport(d.Export); got.Operation != d.Operation {
			t.Errorf("%s: %s", d.Export, got.Operation)
		}
	}
}

func TestAppendAnswer(t *testing.T) {
	d := newDirectExport("wasmkms_verify_mac") // KeyId, MacValid, MacAlgorithm
	out := []kms.Value{text("arn"), {Present: true, Bool: true}, {}}
	got := d.appendAnswer(nil, out)
	want := directReq("arn", []byte{1}, nil) // nil: absent
	if !reflect.DeepEqual(got, want) || d.answerSize(out) != len(want) {
		t.Fatalf("got %x (size %d), want %x", got, d.answerSize(out), want)
	}
}
