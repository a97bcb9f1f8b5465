package kms

import (
	"crypto/sha256"
	"sync"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// parsedKeys keeps the private keys of this process, parsed or exported, by the SHA-256 of their
// PKCS #8, for every world of the process: a suite loads the same fixtures, and restores the same
// snapshot, into world after world, and parsing a private key is costly in the module: crypto/rsa's
// check of an RSA key (pq = n, d against dP and dQ: about 3 ms for RSA_4096), the scalar
// multiplication that makes an ECC key's public point (about 0.2 ms for P-256; a quarter of the
// restore of a world of 10,000 keys of which 500 are ECC). The keys are read-only once made, so
// worlds share them.
var parsedKeys struct {
	sync.Mutex
	byDigest map[[sha256.Size]byte]any
}

// maxParsedKeys bounds the cache; it starts over when full.
const maxParsedKeys = 4096

// parsePrivateKey parses a PKCS #8 private key (kmscrypto.ParsePKCS8), from the cache if it has it.
func parsePrivateKey(der []byte) (any, error) {
	digest := sha256.Sum256(der)
	parsedKeys.Lock()
	cached := parsedKeys.byDigest[digest]
	parsedKeys.Unlock()
	if cached != nil {
		return cached, nil
	}
	parsed, err := kmscrypto.ParsePKCS8(der)
	if err == nil {
		rememberPrivateKey(digest, parsed)
	}
	return parsed, err
}

// rememberPrivateKey keeps a private key under its PKCS #8's digest: a parsed one, or one a world
// exports (whose snapshot may come back in this process).
func rememberPrivateKey(digest [sha256.Size]byte, priv any) {
	parsedKeys.Lock()
	defer parsedKeys.Unlock()
	if parsedKeys.byDigest == nil || len(parsedKeys.byDigest) >= maxParsedKeys {
		parsedKeys.byDigest = map[[sha256.Size]byte]any{}
	}
	parsedKeys.byDigest[digest] = priv
}
