//go:build wasip1

// Command corewasm is the Go core alone in a wasm module: exports that run Encrypt or Decrypt of 32
// bytes n times inside the module, with no boundary crossing per call, so that bench/core-in-wasm.mjs
// can time the core's own cost in wasm against the same calls natively (BENCHMARKS.md, "What is left
// of issue 15"). Not part of the package: its build is the benchmark's.
package main

import (
	"encoding/json"

	"github.com/wasmkms/wasmkms/internal/kms"
)

var w *kms.World
var keyID string
var blob []byte

func setup() {
	if w != nil {
		return
	}
	w = kms.NewWorld(kms.Options{})
	_, created := w.Handle(kms.Caller{}, "TrentService.CreateKey", []byte(`{}`))
	var md struct{ KeyMetadata struct{ KeyId string } }
	_ = json.Unmarshal(created, &md)
	keyID = md.KeyMetadata.KeyId
	out, _, _ := w.Encrypt(kms.Caller{}, kms.EncryptInput{KeyID: &keyID, Plaintext: make([]byte, 32)})
	blob = out.CiphertextBlob
}

//go:wasmexport decrypts
func decrypts(n int32) int32 {
	setup()
	in := kms.DecryptInput{CiphertextBlob: blob}
	var s int32
	for i := int32(0); i < n; i++ {
		_, status, _ := w.Decrypt(kms.Caller{}, in)
		s += int32(status)
	}
	return s
}

//go:wasmexport encrypts
func encrypts(n int32) int32 {
	setup()
	in := kms.EncryptInput{KeyID: &keyID, Plaintext: make([]byte, 32)}
	var s int32
	for i := int32(0); i < n; i++ {
		_, status, _ := w.Encrypt(kms.Caller{}, in)
		s += int32(status)
	}
	return s
}

func main() {}
