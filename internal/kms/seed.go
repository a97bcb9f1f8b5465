package kms

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
)

// A seeded world draws every random byte (key IDs, key material, nonces, grant tokens, signatures'
// randomness) from ChaCha8 keyed with SHA-256 of the seed: the same seed, clock and calls give
// byte-identical answers. ChaCha8 is a strong generator; a seeded world is still a test world, whose
// keys anyone who knows the seed can recompute.

// seededReader is an io.Reader over ChaCha8.
type seededReader struct{ c *rand.ChaCha8 }

func newSeededReader(seed string) io.Reader {
	return seededReader{rand.NewChaCha8(sha256.Sum256([]byte("wasmkms seed\x00" + seed)))}
}

func (r seededReader) Read(p []byte) (int, error) { return r.c.Read(p) }
