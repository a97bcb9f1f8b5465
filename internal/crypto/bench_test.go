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
// process (once per baseline name), so the cost this package adds is visible whatever the machine.
// (testing.Benchmark cannot be called from inside a benchmark: it waits on the lock the running
// benchmark holds. Hence the small timing loop.)

var (
	baselineMu sync.Mutex
	baselineNs = map[string]float64{}
)

// measureNs runs op until minTime has passed (at least once) and returns the mean ns per call.
func measureNs(op func(), minTime time.Duration) float64 {
	n := 0
	start := time.Now()
	for n == 0 || time.Since(start) < minTime {
		op()
		n++
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// reportRatio measures the baseline op once per name and reports b's ns/op divided by it. Call it
// after b's loop.
func reportRatio(b *testing.B, name string, op func()) {
	b.StopTimer()
	elapsed := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	baselineMu.Lock()
	ns, ok := baselineNs[name]
	if !ok {
		// The best of three runs: the machine is shared, and a baseline inflated by a neighbour's
		// burst would flatter the ratio.
		ns = min(measureNs(op, 200*time.Millisecond), measureNs(op, 200*time.Millisecond),
			measureNs(op, 200*time.Millisecond))
		baselineNs[name] = ns
	}
	baselineMu.Unlock()
	b.ReportMetric(ns, "baseline-ns/op")
	b.ReportMetric(elapsed/ns, "x-baseline")
}

// bareGCMSeal is the baseline of EncryptSymmetric: an AES-256-GCM seal into a fresh slice, with the
// same per-call cipher setup and nonce draw, and nothing else (no header, DER or context).
func bareGCMSeal(size int) func() {
	key := make([]byte, 32)
	plaintext := make([]byte, size)
	nonce := make([]byte, 12)
	return func() {
		block, _ := aes.NewCipher(key)
		aead, _ := cipher.NewGCM(block)
		rand.Read(nonce)
		aead.Seal(nil, nonce, plaintext, nil)
	}
}

// bareGCMOpen is the baseline of DecryptSymmetric: cipher setup and an AES-256-GCM open.
func bareGCMOpen(size int) func() {
	key := make([]byte, 32)
	nonce := make([]byte, 12)
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	sealed := aead.Seal(nil, nonce, make([]byte, size), nil)
	return func() {
		block, _ := aes.NewCipher(key)
		aead, _ := cipher.NewGCM(block)
		if _, err := aead.Open(nil, nonce, sealed, nil); err != nil {
			panic(err)
		}
	}
}

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
			reportRatio(b, fmt.Sprintf("gcm-seal-%d", size), bareGCMSeal(size))
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
			reportRatio(b, fmt.Sprintf("gcm-open-%d", size), bareGCMOpen(size))
		})
	}
}

// BenchmarkRSAPoolKey: a key from the prime pool, against fresh generation of the same size (the
// baseline; skipped with -short, as it takes seconds per key inside wasm). A fresh pool replaces an
// exhausted one outside the timer, so every iteration builds a pool key.
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
				reportRatio(b, fmt.Sprint("generate-rsa-", bits), func() {
					if _, err := GenerateRSA(rand.Reader, bits); err != nil {
						b.Fatal(err)
					}
				})
			}
		})
	}
}

// BenchmarkGenerateRSA: fresh keys, the opt-in path. Slow and very variable (prime search): run it
// with -benchtime=Nx.
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
			if _, err := RSAEncryptOAEP(rand.Reader, &key.PublicKey, OAEPSHA256, plaintext); err != nil {
				b.Fatal(err)
			}
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

// BenchmarkSM2Encrypt1KiB, against RSA-4096 OAEP encryption (the other asymmetric Encrypt).
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
	rsaKey, err := NewRSAPool(rand.Reader).Key(4096)
	if err != nil {
		b.Fatal(err)
	}
	rsaPlaintext := make([]byte, 446)
	reportRatio(b, "rsa-oaep-4096-encrypt", func() {
		if _, err := RSAEncryptOAEP(rand.Reader, &rsaKey.PublicKey, OAEPSHA256, rsaPlaintext); err != nil {
			b.Fatal(err)
		}
	})
}
