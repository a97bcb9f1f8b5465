package crypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/emmansun/gmsm/sm2"
)

// Key encodings as KMS returns them: private keys as DER PKCS#8 (GenerateDataKeyPair, state
// export), public keys as DER SubjectPublicKeyInfo (GetPublicKey).
//
// Why not crypto/x509 or gmsm's smx509: both are certificate libraries. smx509 (the only one that
// knows the SM2 curve) drags SM9, ML-DSA, SLH-DSA, net, os/exec, flag and testing into the wasm
// module and runs SM9's table precomputation at start. Measured on the wasm build: dropping it took
// the module from 8,282,355 to 7,237,053 bytes raw (2,294,428 to 2,048,996 gzip -9) and removed the
// WASI path_open/path_filestat_get imports the JS shim does not implement; crypto/x509 would bring
// most of the same (net, os, pem, certificate parsing) back. The structures KMS needs (RFC 5208
// PKCS#8, RFC 5915 ECPrivateKey, RFC 3447 RSAPrivateKey, RFC 5280 SubjectPublicKeyInfo) are small,
// so they are written here with encoding/asn1 (already in the module through gmsm's sm2). The tests
// compare every encoding byte for byte with crypto/x509's and smx509's and parse each with them.

var (
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1} // RFC 3279 rsaEncryption
	oidECPublicKey   = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}     // RFC 5480 id-ecPublicKey
	// oidSM2 names the SM2 curve (GM/T 0006). KMS, like smx509, encodes SM2 keys as id-ecPublicKey
	// with this named curve; some SM2 tools also use it as the algorithm itself, which is accepted.
	oidSM2 = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}
)

// curveOIDs are the RFC 5480 / GM/T names of every curve a KMS asymmetric key can be on.
var (
	oidP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidP384 = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidP521 = asn1.ObjectIdentifier{1, 3, 132, 0, 35}
)

// The curves are looked up by switch, not kept in a table built at package init: the first
// elliptic.P256() call sets up every crypto/elliptic curve (big.Int constants parsed from hex),
// which took about 20 ms of the wasm module's start.

func curveOID(curve elliptic.Curve) (asn1.ObjectIdentifier, bool) {
	switch curve {
	case elliptic.P256():
		return oidP256, true
	case elliptic.P384():
		return oidP384, true
	case elliptic.P521():
		return oidP521, true
	case sm2.P256():
		return oidSM2, true
	}
	return nil, false
}

func curveFromOID(oid asn1.ObjectIdentifier) elliptic.Curve {
	switch {
	case oid.Equal(oidP256):
		return elliptic.P256()
	case oid.Equal(oidP384):
		return elliptic.P384()
	case oid.Equal(oidP521):
		return elliptic.P521()
	case oid.Equal(oidSM2):
		return sm2.P256()
	}
	return nil
}

// algorithmIdentifier is RFC 5280's AlgorithmIdentifier (crypto/x509/pkix's, without the import).
type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

// pkcs8 is RFC 5208's PrivateKeyInfo; the optional attributes are ignored when reading.
type pkcs8 struct {
	Version    int
	Algorithm  algorithmIdentifier
	PrivateKey []byte
}

// ecPrivateKey is RFC 5915's ECPrivateKey.
type ecPrivateKey struct {
	Version       int
	PrivateKey    []byte
	NamedCurveOID asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey     asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// rsaPrivateKey is RFC 3447's two-prime RSAPrivateKey (KMS keys never have more primes).
type rsaPrivateKey struct {
	Version      int
	N            *big.Int
	E            int
	D, P, Q      *big.Int
	Dp, Dq, QInv *big.Int
}

type rsaPublicKey struct {
	N *big.Int
	E int
}

// subjectPublicKeyInfo is RFC 5280's SubjectPublicKeyInfo.
type subjectPublicKeyInfo struct {
	Algorithm algorithmIdentifier
	PublicKey asn1.BitString
}

// ecKey is the ECDSA view of an NIST or SM2 private key.
func ecKey(priv any) (*ecdsa.PrivateKey, bool) {
	switch k := priv.(type) {
	case *ecdsa.PrivateKey:
		return k, true
	case *sm2.PrivateKey:
		return &k.PrivateKey, true
	}
	return nil, false
}

// MarshalPKCS8 encodes *rsa.PrivateKey, *ecdsa.PrivateKey or *sm2.PrivateKey as DER PKCS#8. RSA
// keys are precomputed and validated first (as crypto/x509 does).
func MarshalPKCS8(priv any) ([]byte, error) {
	if k, ok := priv.(*rsa.PrivateKey); ok {
		if len(k.Primes) != 2 {
			return nil, errors.New("crypto: only two-prime RSA keys can be encoded")
		}
		k.Precompute()
		if err := k.Validate(); err != nil {
			return nil, err
		}
		inner, err := asn1.Marshal(rsaPrivateKey{N: k.N, E: k.E, D: k.D, P: k.Primes[0], Q: k.Primes[1],
			Dp: k.Precomputed.Dp, Dq: k.Precomputed.Dq, QInv: k.Precomputed.Qinv})
		if err != nil {
			return nil, err
		}
		return asn1.Marshal(pkcs8{Algorithm: algorithmIdentifier{Algorithm: oidRSAEncryption, Parameters: asn1.NullRawValue}, PrivateKey: inner})
	}
	k, ok := ecKey(priv)
	if !ok {
		return nil, fmt.Errorf("crypto: cannot encode private key of type %T", priv)
	}
	params, point, err := ecPublicParts(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	// The curve is named once, in the PKCS#8 algorithm, not again inside the ECPrivateKey.
	d := k.D.FillBytes(make([]byte, (k.Curve.Params().N.BitLen()+7)/8))
	inner, err := asn1.Marshal(ecPrivateKey{Version: 1, PrivateKey: d, PublicKey: asn1.BitString{Bytes: point, BitLength: 8 * len(point)}})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(pkcs8{Algorithm: algorithmIdentifier{Algorithm: oidECPublicKey, Parameters: params}, PrivateKey: inner})
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
	var info subjectPublicKeyInfo
	switch k := pub.(type) {
	case *rsa.PublicKey:
		der, err := asn1.Marshal(rsaPublicKey{N: k.N, E: k.E})
		if err != nil {
			return nil, err
		}
		// RFC 3279 2.3.1: rsaEncryption carries NULL parameters.
		info.Algorithm = algorithmIdentifier{Algorithm: oidRSAEncryption, Parameters: asn1.NullRawValue}
		info.PublicKey = asn1.BitString{Bytes: der, BitLength: 8 * len(der)}
	case *ecdsa.PublicKey:
		params, point, err := ecPublicParts(k)
		if err != nil {
			return nil, err
		}
		info.Algorithm = algorithmIdentifier{Algorithm: oidECPublicKey, Parameters: params}
		info.PublicKey = asn1.BitString{Bytes: point, BitLength: 8 * len(point)}
	default:
		return nil, fmt.Errorf("crypto: cannot encode public key of type %T", pub)
	}
	return asn1.Marshal(info)
}

// ecPublicParts gives the named-curve parameters and the uncompressed point (SEC 1 2.3.3) of pub.
func ecPublicParts(pub *ecdsa.PublicKey) (params asn1.RawValue, point []byte, err error) {
	oid, ok := curveOID(pub.Curve)
	if !ok {
		return params, nil, errors.New("crypto: unsupported elliptic curve")
	}
	if pub.X == nil || pub.Y == nil || !pub.Curve.IsOnCurve(pub.X, pub.Y) {
		return params, nil, errors.New("crypto: public key is not on its curve")
	}
	oidDER, err := asn1.Marshal(oid)
	if err != nil {
		return params, nil, err
	}
	byteLen := (pub.Curve.Params().BitSize + 7) / 8
	point = make([]byte, 1+2*byteLen)
	point[0] = 4 // uncompressed
	pub.X.FillBytes(point[1 : 1+byteLen])
	pub.Y.FillBytes(point[1+byteLen:])
	return asn1.RawValue{FullBytes: oidDER}, point, nil
}

// ParsePKCS8 decodes DER PKCS#8 into *rsa.PrivateKey, *ecdsa.PrivateKey (P-256, P-384, P-521) or
// *sm2.PrivateKey. It accepts what crypto/x509 and smx509 accept for these key types, except
// multi-prime RSA keys and trailing data.
func ParsePKCS8(der []byte) (any, error) {
	var info pkcs8
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, errors.New("crypto: not a DER PKCS#8 private key")
	}
	switch alg := info.Algorithm; {
	case alg.Algorithm.Equal(oidRSAEncryption):
		return parseRSAPrivateKey(info.PrivateKey)
	case alg.Algorithm.Equal(oidECPublicKey), alg.Algorithm.Equal(oidSM2):
		// The curve is named in the algorithm parameters or, failing that, in the ECPrivateKey.
		var named asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &named); err != nil {
			named = nil
		}
		return parseECPrivateKey(named, info.PrivateKey)
	}
	return nil, fmt.Errorf("crypto: unsupported private key algorithm %v", info.Algorithm.Algorithm)
}

func parseRSAPrivateKey(der []byte) (*rsa.PrivateKey, error) {
	var k rsaPrivateKey
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) > 0 {
		return nil, errors.New("crypto: malformed RSA private key")
	}
	if k.Version != 0 {
		return nil, errors.New("crypto: only two-prime RSA keys are supported")
	}
	for _, v := range []*big.Int{k.N, k.D, k.P, k.Q, k.Dp, k.Dq, k.QInv} {
		if v.Sign() <= 0 {
			return nil, errors.New("crypto: RSA private key contains zero or negative value")
		}
	}
	priv := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: k.N, E: k.E}, D: k.D, Primes: []*big.Int{k.P, k.Q}}
	priv.Precomputed.Dp, priv.Precomputed.Dq, priv.Precomputed.Qinv = k.Dp, k.Dq, k.QInv
	priv.Precompute()
	if err := priv.Validate(); err != nil {
		return nil, err
	}
	return priv, nil
}

// parseECPrivateKey reads an RFC 5915 ECPrivateKey. The public point is recomputed from the
// scalar, never trusted from the encoding.
func parseECPrivateKey(named asn1.ObjectIdentifier, der []byte) (any, error) {
	var k ecPrivateKey
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) > 0 {
		return nil, errors.New("crypto: malformed EC private key")
	}
	if k.Version != 1 {
		return nil, fmt.Errorf("crypto: unknown EC private key version %d", k.Version)
	}
	if named == nil {
		named = k.NamedCurveOID
	}
	curve := curveFromOID(named)
	if curve == nil {
		return nil, errors.New("crypto: unsupported elliptic curve")
	}
	// Fixed length: left-pad short scalars, drop leading zero octets of long ones.
	size := (curve.Params().N.BitLen() + 7) / 8
	d := k.PrivateKey
	for len(d) > size {
		if d[0] != 0 {
			return nil, errors.New("crypto: invalid EC private key length")
		}
		d = d[1:]
	}
	raw := make([]byte, size)
	copy(raw[size-len(d):], d)
	if curve == sm2.P256() {
		return sm2.NewPrivateKey(raw)
	}
	return ecdsa.ParseRawPrivateKey(curve, raw)
}
