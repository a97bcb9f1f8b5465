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
