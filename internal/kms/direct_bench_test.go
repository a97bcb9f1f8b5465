package kms

import (
	"encoding/json"
	"testing"
)

// BenchmarkTypedEncrypt32 is Encrypt through the typed entry point (the module's direct export):
// the core's own per-call cost without JSON.
func BenchmarkTypedEncrypt32(b *testing.B) {
	w := NewWorld(Options{})
	_, created := w.Handle(Caller{}, "TrentService.CreateKey", []byte(`{}`))
	var md struct{ KeyMetadata struct{ KeyId string } }
	if err := json.Unmarshal(created, &md); err != nil {
		b.Fatal(err)
	}
	in := EncryptInput{KeyID: &md.KeyMetadata.KeyId, Plaintext: make([]byte, 32)}
	for b.Loop() {
		if _, status, body := w.Encrypt(Caller{}, in); status != 200 {
			b.Fatalf("%d %s", status, body)
		}
	}
}
