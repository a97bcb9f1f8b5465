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

// seededReader is an io.Reader over ChaCha8 that counts the bytes it has given: that count is the
// world's draw position, which its snapshot keeps (seededDraws, SNAPSHOT.md), so that a seeded world
// loaded from its state (the endpoint restarted on its state file) goes on with its sequence instead
// of drawing the same key IDs, key material and prime pool pairs again. The world's lock guards it.
type seededReader struct {
	key   [32]byte
	c     *rand.ChaCha8
	drawn uint64
}

func newSeededReader(seed string) *seededReader {
	key := sha256.Sum256([]byte("wasmkms seed\x00" + seed))
	return &seededReader{key: key, c: rand.NewChaCha8(key)}
}

// Read draws len(p) bytes. ChaCha8's Read is one stream of bytes however it is cut into reads, so
// the position is just the count.
func (r *seededReader) Read(p []byte) (int, error) {
	n, err := r.c.Read(p)
	r.drawn += uint64(n)
	return n, err
}

// maxSeededDraws bounds the position a snapshot may ask a world to move to: moving there reads the
// stream up to it (some 10 ms a MB in the module), and a world that drew 4 GiB (hundreds of millions
// of calls) is far beyond any test's.
const maxSeededDraws = 1 << 32

// seek moves the stream forward to position pos (a position behind it is left as it is: a world's
// draws only move forward, like its clock, so that nothing it handed out is drawn again).
func (r *seededReader) seek(pos uint64) {
	var skip [4096]byte
	for r.drawn < pos {
		r.Read(skip[:min(uint64(len(skip)), pos-r.drawn)])
	}
}

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
