package kms

import (
	"encoding/base64"
	"encoding/pem"
	"testing"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// fixtureBenchBody is a WasmKMS.LoadFixtures body of 100 keys: 20 RSA_4096 with their private keys
// (PEM PKCS #8), 40 symmetric keys with given material, an alias and tags, 20 generated symmetric
// keys, 10 generated ECC_NIST_P256 keys and 10 HMAC_256 keys with given material.
func fixtureBenchBody(b *testing.B) []byte {
	b.Helper()
	pool := NewWorld(Options{Seed: "fixture bench"})
	var keys []map[string]any
	for i := 0; i < 20; i++ {
		priv, err := pool.rsaKeyFor(4096)
		if err != nil {
			b.Fatal(err)
		}
		der, err := kmscrypto.MarshalPKCS8(priv)
		if err != nil {
			b.Fatal(err)
		}
		keys = append(keys, map[string]any{"keySpec": "RSA_4096", "keyUsage": "SIGN_VERIFY",
			"material": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
	}
	material := func(n, i int) string {
		m := make([]byte, n)
		m[0], m[1] = byte(i), byte(i>>8)
		return base64.StdEncoding.EncodeToString(m)
	}
	for i := 0; i < 40; i++ {
		keys = append(keys, map[string]any{"material": material(32, i), "aliases": []string{"alias/key-" + itoa(i)},
			"tags": map[string]string{"team": "bench", "index": itoa(i)}, "description": "fixture " + itoa(i)})
	}
	for i := 0; i < 20; i++ {
		keys = append(keys, map[string]any{})
	}
	for i := 0; i < 10; i++ {
		keys = append(keys, map[string]any{"keySpec": "ECC_NIST_P256", "keyUsage": "SIGN_VERIFY"})
	}
	for i := 0; i < 10; i++ {
		keys = append(keys, map[string]any{"keySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC", "material": material(32, i)})
	}
	return mustMarshal(map[string]any{"keys": keys})
}

// BenchmarkLoadFixtures100: WasmKMS.LoadFixtures of fixtureBenchBody into a fresh world, through
// Handle. The target is at most 100 ms in the wasm module.
func BenchmarkLoadFixtures100(b *testing.B) {
	body := fixtureBenchBody(b)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := NewWorld(Options{})
		b.StartTimer()
		if status, resp := w.Handle(Caller{}, "WasmKMS.LoadFixtures", body); status != 200 {
			b.Fatalf("%s", resp)
		}
	}
}

// BenchmarkLoadFixtures100Cold: the same, the process's cache of fixture RSA keys emptied before
// each load (the first load of a fixture set in a process).
func BenchmarkLoadFixtures100Cold(b *testing.B) {
	body := fixtureBenchBody(b)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := NewWorld(Options{})
		parsedKeys.Lock()
		parsedKeys.byDigest = nil
		parsedKeys.Unlock()
		b.StartTimer()
		if status, resp := w.Handle(Caller{}, "WasmKMS.LoadFixtures", body); status != 200 {
			b.Fatalf("%s", resp)
		}
	}
}
