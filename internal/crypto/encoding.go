package crypto

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
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
// so they are written here with cryptobyte, which gmsm's sm2 already links in. Not encoding/asn1:
// its reflective Marshal/Unmarshal would be the module's only use of it, and leaving it out took
// the module from 6,732,381 to 6,546,419 bytes raw (1,922,270 to 1,869,826 gzip -9). The tests
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
	case SM2P256():
		return oidSM2, true
	case Secp256k1():
		return oidSecp256k1, true
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
		return SM2P256()
	case oid.Equal(oidSecp256k1):
		return Secp256k1()
	}
	return nil
}

// Context-specific tags of the optional fields of RFC 5915's ECPrivateKey.
var (
	tagECParameters = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagECPublicKey  = cbasn1.Tag(1).Constructed().ContextSpecific()
)

// ecKey is the ECDSA view of an NIST or SM2 private key.
func ecKey(priv any) (*ecdsa.PrivateKey, bool) {
	switch k := priv.(type) {
	case *ecdsa.PrivateKey:
		return k, true
	case *SM2PrivateKey:
		return k.ecdsa(), true
	}
	return nil, false
}

// MarshalPKCS8 encodes *rsa.PrivateKey, *ecdsa.PrivateKey (secp256k1 too), *SM2PrivateKey or
// ed25519.PrivateKey (RFC 8410) as DER PKCS#8:
//
//	PrivateKeyInfo ::= SEQUENCE { version INTEGER (0), algorithm AlgorithmIdentifier, privateKey OCTET STRING }
//
// RSA keys are precomputed and validated first (as crypto/x509 does). *MLDSAPrivateKey and
// *MLKEMPrivateKey are written in their seed form (mldsa.go).
func MarshalPKCS8(priv any) ([]byte, error) {
	if der, ok, err := marshalPostQuantumPKCS8(priv); ok { // ML-DSA, ML-KEM: mldsa.go
		return der, err
	}
	if k, ok := priv.(ed25519.PrivateKey); ok {
		return marshalEd25519PKCS8(k)
	}
	if k, ok := priv.(*rsa.PrivateKey); ok {
		if len(k.Primes) != 2 {
			return nil, errors.New("crypto: only two-prime RSA keys can be encoded")
		}
		k.Precompute()
		if err := k.Validate(); err != nil {
			return nil, err
		}
		return buildPKCS8(func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oidRSAEncryption)
			b.AddASN1NULL()
		}, func(b *cryptobyte.Builder) { addRSAPrivateKey(b, k) })
	}
	k, ok := ecKey(priv)
	if !ok {
		return nil, fmt.Errorf("crypto: cannot encode private key of type %T", priv)
	}
	oid, point, err := ecPublicParts(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	d := k.D.FillBytes(make([]byte, (k.Curve.Params().N.BitLen()+7)/8))
	return buildPKCS8(func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oidECPublicKey)
		b.AddASN1ObjectIdentifier(oid)
	}, func(b *cryptobyte.Builder) {
		// ECPrivateKey; the curve is named once, in the PKCS#8 algorithm, not again in here.
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(1)
			b.AddASN1OctetString(d)
			b.AddASN1(tagECPublicKey, func(b *cryptobyte.Builder) { b.AddASN1BitString(point) })
		})
	})
}

// buildPKCS8 writes a PrivateKeyInfo whose AlgorithmIdentifier contents and private key (before
// its OCTET STRING wrapping) the two continuations add.
func buildPKCS8(algorithm, key cryptobyte.BuilderContinuation) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		b.AddASN1(cbasn1.SEQUENCE, algorithm)
		b.AddASN1(cbasn1.OCTET_STRING, key)
	})
	return b.Bytes()
}

// addRSAPrivateKey adds RFC 3447's two-prime RSAPrivateKey:
//
//	SEQUENCE { version (0), n, e, d, p, q, d mod (p-1), d mod (q-1), q^-1 mod p }
func addRSAPrivateKey(b *cryptobyte.Builder, k *rsa.PrivateKey) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		b.AddASN1BigInt(k.N)
		b.AddASN1Int64(int64(k.E))
		for _, v := range []*big.Int{k.D, k.Primes[0], k.Primes[1], k.Precomputed.Dp, k.Precomputed.Dq, k.Precomputed.Qinv} {
			b.AddASN1BigInt(v)
		}
	})
}

// MarshalSPKI encodes *rsa.PublicKey, *ecdsa.PublicKey (SM2 keys: their ecdsa.PublicKey, on the SM2
// curve; secp256k1 too) or ed25519.PublicKey (RFC 8410) as DER SubjectPublicKeyInfo. Private keys
// are accepted too and encode their public half.
//
//	SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
//
// ML-DSA and ML-KEM keys (*MLDSAPublicKey, *MLKEMPublicKey or their private keys) are the NIST OID
// without parameters and the raw FIPS 204 or 203 public key (mldsa.go).
func MarshalSPKI(pub any) ([]byte, error) {
	if der, ok, err := marshalPostQuantumSPKI(pub); ok { // ML-DSA, ML-KEM: mldsa.go
		return der, err
	}
	switch k := pub.(type) {
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	case *ecdsa.PrivateKey:
		pub = &k.PublicKey
	case *SM2PrivateKey:
		pub = &k.PublicKey
	case ed25519.PrivateKey:
		pub = ed25519Public(k)
	}
	var algorithm cryptobyte.BuilderContinuation
	var key []byte
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N == nil {
			return nil, errors.New("crypto: RSA public key without modulus")
		}
		// RFC 3279 2.3.1: rsaEncryption carries NULL parameters; the key is SEQUENCE { n, e }.
		algorithm = func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oidRSAEncryption)
			b.AddASN1NULL()
		}
		var kb cryptobyte.Builder
		kb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1BigInt(k.N)
			b.AddASN1Int64(int64(k.E))
		})
		var err error
		if key, err = kb.Bytes(); err != nil {
			return nil, err
		}
	case *ecdsa.PublicKey:
		oid, point, err := ecPublicParts(k)
		if err != nil {
			return nil, err
		}
		algorithm = func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oidECPublicKey)
			b.AddASN1ObjectIdentifier(oid)
		}
		key = point
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, errors.New("crypto: invalid Ed25519 public key length")
		}
		// RFC 8410: id-Ed25519 with absent parameters; the key is the 32-byte encoding itself.
		algorithm = func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidEd25519) }
		key = k
	default:
		return nil, fmt.Errorf("crypto: cannot encode public key of type %T", pub)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, algorithm)
		b.AddASN1BitString(key)
	})
	return b.Bytes()
}

// ecPublicParts gives the named curve and the uncompressed point (SEC 1 2.3.3) of pub.
func ecPublicParts(pub *ecdsa.PublicKey) (curve asn1.ObjectIdentifier, point []byte, err error) {
	oid, ok := curveOID(pub.Curve)
	if !ok {
		return nil, nil, errors.New("crypto: unsupported elliptic curve")
	}
	if pub.X == nil || pub.Y == nil || !pub.Curve.IsOnCurve(pub.X, pub.Y) {
		return nil, nil, errors.New("crypto: public key is not on its curve")
	}
	byteLen := (pub.Curve.Params().BitSize + 7) / 8
	point = make([]byte, 1+2*byteLen)
	point[0] = 4 // uncompressed
	pub.X.FillBytes(point[1 : 1+byteLen])
	pub.Y.FillBytes(point[1+byteLen:])
	return oid, point, nil
}

// ParsePKCS8 decodes DER PKCS#8 into *rsa.PrivateKey, *ecdsa.PrivateKey (P-256, P-384, P-521,
// secp256k1), *SM2PrivateKey or ed25519.PrivateKey. It accepts what crypto/x509 and smx509 accept
// for these key types, except multi-prime RSA keys, BER and trailing data. ML-DSA and ML-KEM keys
// in the seed form give *MLDSAPrivateKey and *MLKEMPrivateKey (mldsa.go).
func ParsePKCS8(der []byte) (any, error) {
	input := cryptobyte.String(der)
	var info, algorithm cryptobyte.String
	var version int
	var oid asn1.ObjectIdentifier
	var key []byte
	// PrivateKeyInfo; what follows privateKey (the optional attributes and public key) is ignored.
	if !input.ReadASN1(&info, cbasn1.SEQUENCE) || !input.Empty() ||
		!info.ReadASN1Integer(&version) ||
		!info.ReadASN1(&algorithm, cbasn1.SEQUENCE) || !algorithm.ReadASN1ObjectIdentifier(&oid) ||
		!info.ReadASN1Bytes(&key, cbasn1.OCTET_STRING) {
		return nil, errors.New("crypto: not a DER PKCS#8 private key")
	}
	switch {
	case oid.Equal(oidRSAEncryption):
		return parseRSAPrivateKey(key)
	case oid.Equal(oidECPublicKey), oid.Equal(oidSM2):
		// The curve is named in the algorithm parameters or, failing that, in the ECPrivateKey.
		var named asn1.ObjectIdentifier
		if !algorithm.ReadASN1ObjectIdentifier(&named) {
			named = nil
		}
		return parseECPrivateKey(named, key)
	case oid.Equal(oidEd25519):
		return parseEd25519PKCS8(algorithm, key)
	}
	if priv, ok, err := parsePostQuantumPKCS8(oid, algorithm, key); ok { // ML-DSA, ML-KEM: mldsa.go
		return priv, err
	}
	return nil, fmt.Errorf("crypto: unsupported private key algorithm %v", oid)
}

func parseRSAPrivateKey(der []byte) (*rsa.PrivateKey, error) {
	input := cryptobyte.String(der)
	var seq cryptobyte.String
	var version, e int
	n := new(big.Int)
	var rest [6]*big.Int // d, p, q, d mod (p-1), d mod (q-1), q^-1 mod p
	ok := input.ReadASN1(&seq, cbasn1.SEQUENCE) && input.Empty() &&
		seq.ReadASN1Integer(&version) && seq.ReadASN1Integer(n) && seq.ReadASN1Integer(&e)
	for i := range rest {
		rest[i] = new(big.Int)
		ok = ok && seq.ReadASN1Integer(rest[i])
	}
	if !ok {
		return nil, errors.New("crypto: malformed RSA private key")
	}
	if version != 0 {
		return nil, errors.New("crypto: only two-prime RSA keys are supported")
	}
	if n.Sign() <= 0 {
		return nil, errors.New("crypto: RSA private key contains zero or negative value")
	}
	for _, v := range rest {
		if v.Sign() <= 0 {
			return nil, errors.New("crypto: RSA private key contains zero or negative value")
		}
	}
	priv := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: e}, D: rest[0], Primes: []*big.Int{rest[1], rest[2]}}
	priv.Precomputed.Dp, priv.Precomputed.Dq, priv.Precomputed.Qinv = rest[3], rest[4], rest[5]
	priv.Precompute()
	if err := priv.Validate(); err != nil {
		return nil, err
	}
	return priv, nil
}

// parseECPrivateKey reads an RFC 5915 ECPrivateKey:
//
//	SEQUENCE { version (1), privateKey OCTET STRING, parameters [0] OID OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
//
// The public point is recomputed from the scalar, never trusted from the encoding.
func parseECPrivateKey(named asn1.ObjectIdentifier, der []byte) (any, error) {
	input := cryptobyte.String(der)
	var seq, params cryptobyte.String
	var version int
	var d []byte
	var hasParams bool
	if !input.ReadASN1(&seq, cbasn1.SEQUENCE) || !input.Empty() ||
		!seq.ReadASN1Integer(&version) || !seq.ReadASN1Bytes(&d, cbasn1.OCTET_STRING) ||
		!seq.ReadOptionalASN1(&params, &hasParams, tagECParameters) {
		return nil, errors.New("crypto: malformed EC private key")
	}
	if version != 1 {
		return nil, fmt.Errorf("crypto: unknown EC private key version %d", version)
	}
	if named == nil && hasParams && !params.ReadASN1ObjectIdentifier(&named) {
		return nil, errors.New("crypto: malformed EC private key parameters")
	}
	curve := curveFromOID(named)
	if curve == nil {
		return nil, errors.New("crypto: unsupported elliptic curve")
	}
	// Fixed length: left-pad short scalars, drop leading zero octets of long ones.
	size := (curve.Params().N.BitLen() + 7) / 8
	for len(d) > size {
		if d[0] != 0 {
			return nil, errors.New("crypto: invalid EC private key length")
		}
		d = d[1:]
	}
	raw := make([]byte, size)
	copy(raw[size-len(d):], d)
	if curve == SM2P256() {
		return NewSM2PrivateKey(raw)
	}
	if curve == Secp256k1() {
		return newSecp256k1PrivateKey(raw)
	}
	return ecdsa.ParseRawPrivateKey(curve, raw)
}
