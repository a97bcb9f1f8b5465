package crypto

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"io"
	"math/big"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// GenerateRSA generates a fresh RSA key with crypto/rsa (e = 65537). It is slow: 0.1 to 2 s for
// 4096 bits natively, several seconds inside wasm. RSAPool is the fast path for test keys.
// crypto/rsa ignores rand since Go 1.26 (see the package doc).
func GenerateRSA(rand io.Reader, bits int) (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand, bits)
}

// GenerateECDSA generates a key on curve (P-256, P-384, P-521) from bytes of rand, by FIPS 186-5
// A.2.2's rejection sampling as crypto/ecdsa does it: ceil(len(N)/8) bytes per try, shifted right
// to the bit length of N (P-521's 7 excess bits), until the number is in [1, N-1]. The bytes are
// read here because ecdsa.GenerateKey ignores rand since Go 1.26, and with cryptocustomrand=1 reads
// one byte more at random first (see the package doc); the same bytes give the key
// ecdsa.GenerateKey would have made of them.
func GenerateECDSA(rand io.Reader, curve elliptic.Curve) (*ecdsa.PrivateKey, error) {
	return (*Engine)(nil).GenerateECDSA(rand, curve)
}

// GenerateECDSA is the package's GenerateECDSA with the public point from the host where it
// multiplies on the curve: the scalar is drawn here, from rand, as Go's code draws it, so the same
// bytes make the same key either way (host_test.go holds them together). Go's code in wasm takes
// milliseconds for the point on P-384 and P-521 (some 4 ms a P-521 key in Node, 13 in Chromium), which
// node:crypto and native Go do in well under one; P-521's is the module's own without a host
// (ecdsaKey).
func (e *Engine) GenerateECDSA(rand io.Reader, curve elliptic.Curve) (*ecdsa.PrivateKey, error) {
	switch curve {
	case elliptic.P256(), elliptic.P384(), elliptic.P521():
	default:
		return nil, errors.New("crypto: GenerateECDSA takes P-256, P-384 or P-521")
	}
	bits := curve.Params().N.BitLen()
	b := make([]byte, (bits+7)/8)
	excess := len(b)*8 - bits
	for {
		if _, err := io.ReadFull(rand, b); err != nil {
			return nil, err
		}
		if excess > 0 {
			for i := len(b) - 1; i >= 0; i-- {
				b[i] >>= excess
				if i > 0 {
					b[i] |= b[i-1] << (8 - excess)
				}
			}
		}
		if k, err := e.ecdsaKey(curve, b); err == nil { // it refuses 0 and N or more
			return k, nil
		}
	}
}

// ecdsaKey is ecdsa.ParseRawPrivateKey (a NIST curve's scalar, as long as the order), with the public
// point from the host where it supplies the curve, or on P-521 from the module's own base-point
// multiplication where that is the faster (ownP521; p521_base.go: some 10 times as fast as
// crypto/ecdsa's in wasm, which has no native 64-bit products): a key the same as
// ParseRawPrivateKey's, made without Go's scalar multiplication. The point is checked to be on the
// curve.
func (e *Engine) ecdsaKey(curve elliptic.Curve, d []byte) (*ecdsa.PrivateKey, error) {
	if id := hostCurve(curve); id != 0 && e.has(abi.CapCurve(int(id))) || curve == elliptic.P521() {
		scalar := new(big.Int).SetBytes(d)
		if scalar.Sign() == 0 || scalar.Cmp(curve.Params().N) >= 0 {
			return nil, errors.New("crypto: invalid private key")
		}
		if point, ok := e.publicPoint(curve, d); ok {
			// A point off the curve (a host's fault, or this code's) is not returned: Go's code then
			// makes the key, rather than the caller drawing again and again.
			if pub, err := ecdsa.ParseUncompressedPublicKey(curve, append([]byte{4}, point...)); err == nil {
				return &ecdsa.PrivateKey{PublicKey: *pub, D: scalar}, nil
			}
		}
	}
	return ecdsa.ParseRawPrivateKey(curve, d)
}

// GenerateSM2 generates a key on the SM2 curve from 32 bytes of rand per try, until they make a
// number in [1, N-2] (GB/T 32918.1's range), as gmsm's GenerateKey drew it: the same bytes give
// the same key.
func GenerateSM2(rand io.Reader) (*SM2PrivateKey, error) {
	var b [32]byte
	for {
		if _, err := io.ReadFull(rand, b[:]); err != nil {
			return nil, err
		}
		if k, err := NewSM2PrivateKey(b[:]); err == nil { // it refuses 0, N-1 and N or more
			return k, nil
		}
	}
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

// GenerateEd25519 generates an Ed25519 key (KMS's ECC_NIST_EDWARDS25519) from 32 bytes of rand, the
// RFC 8032 seed.
func GenerateEd25519(rand io.Reader) (ed25519.PrivateKey, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(rand, seed); err != nil {
		return nil, err
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// GenerateSecp256k1 generates a key on secp256k1 (KMS's ECC_SECG_P256K1): an *ecdsa.PrivateKey on
// the Secp256k1() curve. Like every key here it is reproducible from a seed: the scalar is the
// first 32 bytes of rand that make a number in [1, N-1], big-endian, as the Decred secp256k1
// package's GeneratePrivateKeyFromRand draws it (which this package used before, so a seed gives
// the same key as it did then).
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
