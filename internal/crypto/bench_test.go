package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Benchmarks report, beside ns/op, "x-baseline": the ratio to a bare primitive measured in the same
// process (once per baseline), so the cost this package adds is visible whatever the machine.

var (
	baselineMu sync.Mutex
	baselineNs = map[string]float64{}
)

// reportRatio measures baseline once (by name) with testing.Benchmark and reports b's ns/op
// divided by it. Call it after b's loop.
func reportRatio(b *testing.B, name string, baseline func(b *testing.B)) {
	b.StopTimer()
	elapsed := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	baselineMu.Lock()
	ns, ok := baselineNs[name]
	if !ok {
		r := testing.Benchmark(baseline)
		ns = float64(r.T.Nanoseconds()) / float64(r.N)
		baselineNs[name] = ns
	}
	baselineMu.Unlock()
	b.ReportMetric(ns, "baseline-ns/op")
	b.ReportMetric(elapsed/ns, "x-baseline")
}

func benchBareGCMSeal(size int) func(b *testing.B) {
	return func(b *testing.B) {
		key := make([]byte, 32)
		plaintext := make([]byte, size)
		nonce := make([]byte, 12)
		dst := make([]byte, 0, size+16)
		for b.Loop() {
			block, _ := aes.NewCipher(key) // EncryptSymmetric also sets up the cipher per call
			aead, _ := cipher.NewGCM(block)
			rand.Read(nonce)
			aead.Seal(dst, nonce, plaintext, nil)
		}
	}
}

// BenchmarkEncryptSymmetric: the whole blob (header, DER, fresh nonce, AAD) against a bare AES-GCM
// seal with the same per-call cipher setup and nonce draw.
func BenchmarkEncryptSymmetric(b *testing.B) {
	key := newTestKey(b)
	ctx := map[string]string{"purpose": "bench"}
	for _, size := range []int{32, 4096} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			plaintext := make([]byte, size)
			for b.Loop() {
				if _, err := EncryptSymmetric(rand.Reader, key, testKeyID, ctx, plaintext); err != nil {
					b.Fatal(err)
				}
			}
			reportRatio(b, fmt.Sprintf("gcm-seal-%d", size), benchBareGCMSeal(size))
		})
	}
}

func BenchmarkDecryptSymmetric(b *testing.B) {
	key := newTestKey(b)
	for _, size := range []int{32, 4096} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			blob, err := EncryptSymmetric(rand.Reader, key, testKeyID, nil, make([]byte, size))
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := DecryptSymmetric(key, blob, nil); err != nil {
					b.Fatal(err)
				}
			}
			reportRatio(b, fmt.Sprintf("gcm-seal-%d", size), benchBareGCMSeal(size))
		})
	}
}

// BenchmarkRSAPoolKey: a key from the prime pool against fresh generation of the same size. A fresh
// pool replaces an exhausted one (outside the timer), so every iteration builds a pool key.
func BenchmarkRSAPoolKey(b *testing.B) {
	for _, bits := range []int{2048, 3072, 4096} {
		b.Run(fmt.Sprint(bits), func(b *testing.B) {
			pool := NewRSAPool(rand.Reader)
			drawn := 0
			var each []time.Duration // the target is a median, so report one
			for b.Loop() {
				if drawn == 2000 {
					b.StopTimer()
					pool, drawn = NewRSAPool(rand.Reader), 0
					b.StartTimer()
				}
				start := time.Now()
				if _, err := pool.Key(bits); err != nil {
					b.Fatal(err)
				}
				each = append(each, time.Since(start))
				drawn++
			}
			slices.Sort(each)
			b.ReportMetric(float64(each[len(each)/2].Nanoseconds()), "median-ns/op")
			if !testing.Short() {
				reportRatio(b, fmt.Sprint("generate-rsa-", bits), func(b *testing.B) {
					for b.Loop() {
						if _, err := GenerateRSA(rand.Reader, bits); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkGenerateRSA: fresh keys, the opt-in path (slow; run it with -benchtime=Nx).
func BenchmarkGenerateRSA(b *testing.B) {
	for _, bits := range []int{2048, 3072, 4096} {
		b.Run(fmt.Sprint(bits), func(b *testing.B) {
			for b.Loop() {
				if _, err := GenerateRSA(rand.Reader, bits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRSAOAEP4096(b *testing.B) {
	key, err := NewRSAPool(rand.Reader).Key(4096)
	if err != nil {
		b.Fatal(err)
	}
	plaintext := make([]byte, 446)
	ciphertext, err := RSAEncryptOAEP(rand.Reader, &key.PublicKey, OAEPSHA256, plaintext)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encrypt-sha256", func(b *testing.B) {
		for b.Loop() {
			RSAEncryptOAEP(rand.Reader, &key.PublicKey, OAEPSHA256, plaintext)
		}
	})
	b.Run("decrypt-sha256", func(b *testing.B) {
		for b.Loop() {
			if _, err := RSADecryptOAEP(key, OAEPSHA256, ciphertext); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSM2Encrypt1KiB(b *testing.B) {
	priv, err := GenerateSM2(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	plaintext := make([]byte, 1024)
	for b.Loop() {
		if _, err := SM2Encrypt(rand.Reader, &priv.PublicKey, plaintext); err != nil {
			b.Fatal(err)
		}
	}
	// Baseline: RSA-4096 OAEP encrypt, the other asymmetric Encrypt a test may pick.
	reportRatio(b, "rsa-oaep-4096-encrypt", func(b *testing.B) {
		key, _ := NewRSAPool(rand.Reader).Key(4096)
		pt := make([]byte, 446)
		for b.Loop() {
			RSAEncryptOAEP(rand.Reader, &key.PublicKey, OAEPSHA256, pt)
		}
	})
}
