package kms

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"fmt"
	"io"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// newSymmetricKey makes the material of a SYMMETRIC_DEFAULT key.
func newSymmetricKey(rand io.Reader) (kmscrypto.SymmetricKey, error) {
	return kmscrypto.NewSymmetricKey(rand)
}

// curveNamed maps the key spec table's curve names to Go's curves. A function, not a map built at
// package init: the first elliptic.P256() call sets up every crypto/elliptic curve (big.Int
// constants parsed from hex), which took about 20 ms of the module's start in wasm; now the first
// ECC key pays it.
func curveNamed(name string) (elliptic.Curve, bool) {
	switch name {
	case "P-256":
		return elliptic.P256(), true
	case "P-384":
		return elliptic.P384(), true
	case "P-521":
		return elliptic.P521(), true
	}
	return nil, false
}

// isCurve says whether c is the curve the key spec table names name.
func isCurve(c elliptic.Curve, name string) bool {
	return c.Params().Name == name
}

// generateECDSA makes a key on a curve of the key spec table, the public point of a NIST curve's from
// the host where e has it (the same key as Go's code makes of the same bytes). secp256k1's stays in
// Go: the module's own curve (a window and a comb) made one in less time than node:crypto.
func generateECDSA(e *kmscrypto.Engine, rand io.Reader, curve string) (*ecdsa.PrivateKey, error) {
	if curve == "secp256k1" {
		return kmscrypto.GenerateSecp256k1(rand)
	}
	c, ok := curveNamed(curve)
	if !ok {
		return nil, fmt.Errorf("unknown curve %s", curve)
	}
	return e.GenerateECDSA(rand, c)
}

// asSigner hands a freshly made private key on as the key's material.
func asSigner[K privateKey](priv K, err error) (privateKey, error) {
	if err != nil {
		return nil, err
	}
	return priv, nil
}
