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

func TestParseEncryptRequest(t *testing.T) {
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name   string
		buf    []byte
		ok     bool
		caller kms.Caller
		in     kms.EncryptInput
	}{
		{"all members", directReq("444455556666", "eu-west-1", "root", "alias/a", "pt", contextField("k", "v", "k", "last"), "SYMMETRIC_DEFAULT"), true,
			kms.Caller{Account: "444455556666", Region: "eu-west-1", Principal: "root"},
			kms.EncryptInput{KeyID: str("alias/a"), Plaintext: []byte("pt"), EncryptionContext: map[string]string{"k": "last"}, EncryptionAlgorithm: str("SYMMETRIC_DEFAULT")}},
		{"absent members", directReq(nil, nil, nil, nil, nil, nil, nil), true, kms.Caller{}, kms.EncryptInput{}},
		{"empty members are not absent", directReq("", "", "", "", "", contextField(), ""), true, kms.Caller{},
			kms.EncryptInput{KeyID: str(""), Plaintext: []byte{}, EncryptionContext: map[string]string{}, EncryptionAlgorithm: str("")}},
		{"invalid UTF-8 becomes U+FFFD per byte", directReq("", "", "", "a\xff\xfeb", nil, contextField("\xc3", "ok"), nil), true, kms.Caller{},
			kms.EncryptInput{KeyID: str("a\uFFFD\uFFFDb"), EncryptionContext: map[string]string{"\uFFFD": "ok"}}},
		{"a missing field", directReq("", "", "", "k", "pt", nil), false, kms.Caller{}, kms.EncryptInput{}},
		{"a byte after the fields", append(directReq("", "", "", "k", "pt", nil, nil), 0), false, kms.Caller{}, kms.EncryptInput{}},
		{"a length beyond the buffer", append(directReq("", "", ""), 0xff, 0, 0, 0), false, kms.Caller{}, kms.EncryptInput{}},
		{"a context short of its count", directReq("", "", "", "k", "pt", append(contextField("k", "v"), 0)[:4], nil), false, kms.Caller{}, kms.EncryptInput{}},
		{"a request ID after the last field", directReq("", "", "", "k", "pt", nil, nil, "req-1"), true,
			kms.Caller{RequestID: "req-1"}, kms.EncryptInput{KeyID: str("k"), Plaintext: []byte("pt")}},
		{"an absent request ID", directReq("", "", "", "k", "pt", nil, nil, nil), true,
			kms.Caller{}, kms.EncryptInput{KeyID: str("k"), Plaintext: []byte("pt")}},
		{"two fields after the last one", directReq("", "", "", "k", "pt", nil, nil, "req-1", "x"), false, kms.Caller{}, kms.EncryptInput{}},
		{"a request ID longer than what follows", append(directReq("", "", "", "k", "pt", nil, nil), 9, 0, 0, 0, 'r'), false, kms.Caller{}, kms.EncryptInput{}},
		{"a context pair with an absent value", directReq("", "", "", "k", "pt", append(binary.LittleEndian.AppendUint32(contextField()[:0], 1), append(field("k"), 'k', 0xff, 0xff, 0xff, 0xff)...), nil), false, kms.Caller{}, kms.EncryptInput{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, in, ok := parseEncryptRequest(tc.buf)
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
	c, in, ok := parseDecryptRequest(directReq("", "", "", "blob", contextField("a", "b"), "key", "RSAES_OAEP_SHA_1"))
	want := kms.DecryptInput{CiphertextBlob: []byte("blob"), EncryptionContext: map[string]string{"a": "b"}}
	if !ok || c != (kms.Caller{}) || !reflect.DeepEqual(in.CiphertextBlob, want.CiphertextBlob) ||
		!reflect.DeepEqual(in.EncryptionContext, want.EncryptionContext) || *in.KeyID != "key" || *in.EncryptionAlgorithm != "RSAES_OAEP_SHA_1" {
		t.Fatalf("got %v %+v %v", ok, in, c)
	}
}

func TestParseDecryptRequestID(t *testing.T) {
	c, _, ok := parseDecryptRequest(directReq("", "", "", "blob", nil, "key", nil, "9f0c-id"))
	if !ok || c != (kms.Caller{RequestID: "9f0c-id"}) {
		t.Fatalf("got %v %+v", ok, c)
	}
}

func TestAppendFields(t *testing.T) {
	got := appendFields(nil, []byte("blob"), []byte("arn"), nil)
	want := directReq("blob", "arn", nil) // nil: absent
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %x, want %x", got, want)
	}
}
