package kms

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"sync"
	"testing"
	"time"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Benchmarks print the service's cost beside the bare primitive measured in the same process, as
// the metric "x-bare" (service ns/op divided by primitive ns/op). Run:
//
//	go test ./internal/kms -run '^$' -bench . -benchtime 2000x
//
// (RSA generation baselines take seconds each; -bench 'Encrypt' skips them.)

var baselines sync.Map // name -> ns/op

// baseline measures fn's ns/op once per process with its own loop (testing.Benchmark cannot run
// inside a benchmark): it doubles the iteration count until a run takes at least 300 ms, or a
// single iteration takes longer than that.
func baseline(name string, fn func(n int)) float64 {
	if v, ok := baselines.Load(name); ok {
		return v.(float64)
	}
	var ns float64
	for n := 1; ; n *= 2 {
		start := time.Now()
		fn(n)
		elapsed := time.Since(start)
		if elapsed >= 300*time.Millisecond {
			ns = float64(elapsed.Nanoseconds()) / float64(n)
			break
		}
	}
	baselines.Store(name, ns)
	return ns
}

func bareSeal(size int) func(n int) {
	return func(n int) {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		block, _ := aes.NewCipher(key)
		gcm, _ := cipher.NewGCM(block)
		pt := make([]byte, size)
		nonce := make([]byte, 12)
		out := make([]byte, 0, size+16)
		for i := 0; i < n; i++ {
			_, _ = rand.Read(nonce)
			out = gcm.Seal(out[:0], nonce, pt, nil)
		}
	}
}

func benchmarkEncrypt(b *testing.B, size int) {
	w, keyID := worldWithKey(b)
	body, _ := json.Marshal(map[string]any{"KeyId": keyID, "Plaintext": make([]byte, size), "EncryptionContext": map[string]string{"k": "v"}})
	bare := baseline("seal"+itoa(size), bareSeal(size))
	blob := baseline("blob"+itoa(size), bareBlob(size))
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if status, resp := w.Handle(Caller{}, "TrentService.Encrypt", body); status != 200 {
			b.Fatalf("%s", resp)
		}
	}
	b.StopTimer()
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(bare, "bare-ns/op")
	b.ReportMetric(perOp/bare, "x-bare")
	b.ReportMetric(perOp/blob, "x-blob")
}

// bareBlob is kmscrypto's whole symmetric blob (AES-GCM inside the KMS-shaped envelope): the
// ratio to it is the service's own overhead (JSON, base64, validation, lookup, policy).
func bareBlob(size int) func(n int) {
	return func(n int) {
		key, _ := kmscrypto.NewSymmetricKey(rand.Reader)
		pt := make([]byte, size)
		ctx := map[string]string{"k": "v"}
		for i := 0; i < n; i++ {
			if _, err := kmscrypto.EncryptSymmetric(rand.Reader, key, "1234abcd-12ab-34cd-56ef-1234567890ab", ctx, pt); err != nil {
				panic(err)
			}
		}
	}
}

func BenchmarkEncrypt32(b *testing.B)   { benchmarkEncrypt(b, 32) }
func BenchmarkEncrypt4096(b *testing.B) { benchmarkEncrypt(b, 4096) }

func bareRSA(bits int) func(n int) {
	return func(n int) {
		for i := 0; i < n; i++ {
			if _, err := rsa.GenerateKey(rand.Reader, bits); err != nil {
				panic(err)
			}
		}
	}
}

// BenchmarkCreateKey creates keys of each spec through Handle; RSA specs (from the prime pool)
// report their ratio to bare crypto/rsa generation.
func BenchmarkCreateKey(b *testing.B) {
	specs := []struct {
		spec, usage string
		rsaBits     int
	}{
		{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", 0},
		{"RSA_2048", "ENCRYPT_DECRYPT", 2048},
		{"RSA_3072", "ENCRYPT_DECRYPT", 3072},
		{"RSA_4096", "ENCRYPT_DECRYPT", 4096},
		{"ECC_NIST_P256", "SIGN_VERIFY", 0},
		{"ECC_NIST_P521", "SIGN_VERIFY", 0},
		{"HMAC_256", "GENERATE_VERIFY_MAC", 0},
		{"SM2", "ENCRYPT_DECRYPT", 0},
	}
	for _, s := range specs {
		b.Run(s.spec, func(b *testing.B) {
			body, _ := json.Marshal(map[string]any{"KeySpec": s.spec, "KeyUsage": s.usage})
			c := Caller{}
			if s.spec == "SM2" {
				c.Region = "cn-north-1"
			}
			w := NewWorld(Options{})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%500 == 499 {
					b.StopTimer()
					w = NewWorld(Options{}) // a fresh pool: pairs are drawn without repetition
					b.StartTimer()
				}
				if status, resp := w.Handle(c, "TrentService.CreateKey", body); status != 200 {
					b.Fatalf("%s", resp)
				}
			}
			b.StopTimer()
			if s.rsaBits > 0 {
				perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
				bare := baseline("rsa"+itoa(s.rsaBits), bareRSA(s.rsaBits))
				b.ReportMetric(bare, "bare-ns/op")
				b.ReportMetric(perOp/bare, "x-bare")
			}
		})
	}
}
