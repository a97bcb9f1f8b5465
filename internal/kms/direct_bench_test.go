package kms

import "testing"

// BenchmarkTypedEncrypt32 is Encrypt through the typed entry point (the module's direct export):
// the core's own per-call cost without JSON.
func BenchmarkTypedEncrypt32(b *testing.B) {
	w, keyID := worldWithKey(b)
	in := EncryptInput{KeyID: &keyID, Plaintext: make([]byte, 32)}
	for b.Loop() {
		if _, status, body := w.Encrypt(Caller{}, in); status != 200 {
			b.Fatalf("%d %s", status, body)
		}
	}
}

// BenchmarkTypedDecrypt32 is Decrypt of a 32-byte plaintext's blob through the typed entry point: the
// core's own cost of the call that Node's native envelope answers in the fewest microseconds (BENCHMARKS.md,
// "What is left of issue 15").
func BenchmarkTypedDecrypt32(b *testing.B) {
	w, keyID := worldWithKey(b)
	sealed, status, body := w.Encrypt(Caller{}, EncryptInput{KeyID: &keyID, Plaintext: make([]byte, 32)})
	if status != 200 {
		b.Fatalf("%d %s", status, body)
	}
	in := DecryptInput{CiphertextBlob: sealed.CiphertextBlob}
	for b.Loop() {
		if _, status, body := w.Decrypt(Caller{}, in); status != 200 {
			b.Fatalf("%d %s", status, body)
		}
	}
}

// BenchmarkTypedCreateKey is CreateKey through the typed entry point with the module's direct
// export's members (internal/abi): the core's own cost of a key, without the JSON request. One world
// keeps every key, as a test suite's world does.
func BenchmarkTypedCreateKey(b *testing.B) {
	for _, spec := range []string{"SYMMETRIC_DEFAULT", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"} {
		b.Run(spec, func(b *testing.B) {
			op, err := NewTypedOperation("CreateKey", []Member{{"KeySpec", KindString}, {"KeyUsage", KindString}},
				[]Member{{"KeyMetadata", KindJSON}})
			if err != nil {
				b.Fatal(err)
			}
			in := []Value{{Present: true, Text: spec}, {}}
			if spec != "SYMMETRIC_DEFAULT" {
				in[1] = Value{Present: true, Text: "SIGN_VERIFY"}
			}
			w, out := NewWorld(Options{}), make([]Value, 1)
			b.ReportAllocs()
			for b.Loop() {
				if status, body := w.CallTyped(op, Caller{}, in, out); status != 200 {
					b.Fatalf("%d %s", status, body)
				}
			}
		})
	}
}
