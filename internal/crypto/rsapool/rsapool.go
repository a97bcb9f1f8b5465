// Package rsapool ships pre-computed RSA primes as data, so that RSA test keys can be built in
// microseconds instead of generated in seconds (see crypto.RSAPool, which draws pairs from here).
//
// THESE PRIMES ARE PUBLIC: they are in this repository and in every build of wasmkms. A key built
// from them protects nothing. They exist only so that tests can create RSA KMS keys quickly.
//
// Each file holds Count primes of one size, raw big-endian, each exactly size/8 bytes, one after the
// other. gen/main.go writes them; every prime p has its two top bits set (so a product of two has
// exactly twice the bits), gcd(65537, p-1) = 1, and any two primes of a file differ in their top
// 100 bits (|p-q| > 2^(bits-100), what crypto/rsa demands against Fermat factoring).
package rsapool

//go:generate go run ./gen -count 64 -dir .

import (
	_ "embed"
	"fmt"
	"math/big"
	"sync"
)

// Count is how many primes each file holds. 64 primes give 64*63/2 = 2016 distinct keys per size in
// one world, far more RSA keys than a test suite creates; a world that needs more falls back to
// fresh generation. 64 primes of 2048 bits are 16 KiB, so the three files add 36 KiB to the module.
const Count = 64

// PublicExponent is the e that every key built from these primes uses (and that the primes were
// checked against).
const PublicExponent = 65537

var (
	//go:embed primes1024.bin
	primes1024 []byte
	//go:embed primes1536.bin
	primes1536 []byte
	//go:embed primes2048.bin
	primes2048 []byte
)

type primeSet struct {
	once   sync.Once
	raw    []byte
	primes []*big.Int
}

var sets = map[int]*primeSet{
	1024: {raw: primes1024},
	1536: {raw: primes1536},
	2048: {raw: primes2048},
}

// Primes returns the shipped primes of primeBits bits (1024, 1536 or 2048; a key has twice as many
// bits), decoded once. The slice and its values are shared: callers must not modify them.
func Primes(primeBits int) ([]*big.Int, error) {
	set, ok := sets[primeBits]
	if !ok {
		return nil, fmt.Errorf("rsapool: no %d-bit primes are shipped", primeBits)
	}
	set.once.Do(func() { set.primes = Decode(set.raw, primeBits) })
	if len(set.primes) == 0 {
		return nil, fmt.Errorf("rsapool: primes%d.bin is empty or malformed", primeBits)
	}
	return set.primes, nil
}

// Decode splits a prime file into its primes; a file whose length is not a multiple of the prime
// width decodes to nothing.
func Decode(raw []byte, primeBits int) []*big.Int {
	width := primeBits / 8
	if width == 0 || len(raw)%width != 0 {
		return nil
	}
	out := make([]*big.Int, 0, len(raw)/width)
	for off := 0; off < len(raw); off += width {
		out = append(out, new(big.Int).SetBytes(raw[off:off+width]))
	}
	return out
}

// Encode is the inverse of Decode, for the generator.
func Encode(primes []*big.Int, primeBits int) []byte {
	width := primeBits / 8
	out := make([]byte, 0, len(primes)*width)
	for _, p := range primes {
		out = append(out, p.FillBytes(make([]byte, width))...)
	}
	return out
}
