package kms

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// A seeded world draws every random byte (key IDs, key material, nonces, grant tokens, salts,
// encryption randomness) from ChaCha8 keyed with SHA-256 of the seed: the same seed, clock and calls
// give byte-identical answers. Its signatures are the deterministic variants of their schemes
// (signingRand): RFC 6979 ECDSA, deterministic ML-DSA and SM2; RSA-PSS draws its salt from the
// seed. ChaCha8 is a strong generator; a seeded world is still a test world, whose keys anyone who
// knows the seed can recompute. (Fresh RSA keys, Options.FreshRSAKeys, are never reproducible:
// crypto/rsa reads the reader its own way. Pool keys are.)

// seededReader is an io.Reader over ChaCha8.
type seededReader struct{ c *rand.ChaCha8 }

func newSeededReader(seed string) io.Reader {
	return seededReader{rand.NewChaCha8(sha256.Sum256([]byte("wasmkms seed\x00" + seed)))}
}

func (r seededReader) Read(p []byte) (int, error) { return r.c.Read(p) }

// signingRand is the reader kmscrypto.Sign takes: in a seeded world a kmscrypto.Deterministic, which
// asks for each scheme's deterministic variant (crypto/ecdsa would otherwise read the seeded reader
// its own way, one byte more or not at random), so that a signature is the same in every run; in
// any other world the world's reader, and signatures are randomized as KMS's are.
func (w *World) signingRand() io.Reader {
	if w.opts.Seed == "" {
		return w.rand
	}
	return kmscrypto.Deterministic{Reader: w.rand}
}
