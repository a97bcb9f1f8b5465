package crypto

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// Key encodings as KMS returns them: private keys as DER PKCS#8 (GenerateDataKeyPair), public keys as
// DER SubjectPublicKeyInfo (GetPublicKey). gmsm's smx509 is a superset of crypto/x509 that also knows
// the SM2 curve (OID 1.2.156.10197.1.301), so one implementation serves every key type.

// MarshalPKCS8 encodes *rsa.PrivateKey, *ecdsa.PrivateKey or *sm2.PrivateKey as DER PKCS#8.
func MarshalPKCS8(priv any) ([]byte, error) {
	switch priv.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, *sm2.PrivateKey:
		return smx509.MarshalPKCS8PrivateKey(priv)
	}
	return nil, fmt.Errorf("crypto: cannot encode private key of type %T", priv)
}

// ParsePKCS8 decodes DER PKCS#8 into *rsa.PrivateKey, *ecdsa.PrivateKey or *sm2.PrivateKey.
func ParsePKCS8(der []byte) (any, error) {
	return smx509.ParsePKCS8PrivateKey(der)
}

// MarshalSPKI encodes *rsa.PublicKey or *ecdsa.PublicKey (SM2 keys: their ecdsa.PublicKey, on the SM2
// curve) as DER SubjectPublicKeyInfo. Private keys are accepted too and encode their public half.
func MarshalSPKI(pub any) ([]byte, error) {
	switch k := pub.(type) {
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	case *ecdsa.PrivateKey:
		pub = &k.PublicKey
	case *sm2.PrivateKey:
		pub = &k.PublicKey
	}
	return smx509.MarshalPKIXPublicKey(pub)
}
