package crypto

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"io"

	"github.com/emmansun/gmsm/sm2"
)

// GenerateRSA generates a fresh RSA key with crypto/rsa (e = 65537). It is slow: 0.1 to 2 s for
// 4096 bits natively, several seconds inside wasm. RSAPool is the fast path for test keys.
// crypto/rsa ignores rand since Go 1.26 (see the package doc).
func GenerateRSA(rand io.Reader, bits int) (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand, bits)
}

// GenerateECDSA generates a key on curve (P-256, P-384, P-521). crypto/ecdsa ignores rand since
// Go 1.26 (see the package doc).
func GenerateECDSA(rand io.Reader, curve elliptic.Curve) (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(curve, rand)
}

// GenerateSM2 generates a key on the SM2 curve.
func GenerateSM2(rand io.Reader) (*sm2.PrivateKey, error) {
	return sm2.GenerateKey(rand)
}

// GenerateHMACKey draws bytes of fresh HMAC key material.
func GenerateHMACKey(rand io.Reader, bytes int) ([]byte, error) {
	if bytes <= 0 {
		return nil, errors.New("crypto: HMAC key length must be positive")
	}
	key := make([]byte, bytes)
	if _, err := io.ReadFull(rand, key); err != nil {
		return nil, err
	}
	return key, nil
}

// GenerateEd25519 generates an Ed25519 key (KMS's ECC_NIST_EDWARDS25519) from 32 bytes of rand.
func GenerateEd25519(rand io.Reader) (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand)
	return priv, err
}

// GenerateSecp256k1 generates a key on secp256k1 (KMS's ECC_SECG_P256K1): an *ecdsa.PrivateKey on
// the Secp256k1() curve. Unlike GenerateECDSA it honours rand, so it is reproducible from a seed:
// the scalar is the first 32 bytes of rand that make a number in [1, N-1], big-endian, as the Decred
// secp256k1 package's GeneratePrivateKeyFromRand draws it (which this package used before, so a seed
// gives the same key as it did then).
func GenerateSecp256k1(rand io.Reader) (*ecdsa.PrivateKey, error) {
	var b [32]byte
	for {
		if _, err := io.ReadFull(rand, b[:]); err != nil {
			return nil, err
		}
		if k, err := newSecp256k1PrivateKey(b[:]); err == nil {
			return k, nil
		}
	}
}
