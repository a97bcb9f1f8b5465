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

// curves maps the key spec table's curve names to Go's curves.
var curves = map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}

func generateECDSA(rand io.Reader, curve string) (*ecdsa.PrivateKey, error) {
	c, ok := curves[curve]
	if !ok {
		return nil, fmt.Errorf("unknown curve %s", curve)
	}
	return kmscrypto.GenerateECDSA(rand, c)
}
