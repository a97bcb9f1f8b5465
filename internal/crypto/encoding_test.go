package crypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"

	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
)

// The encoders replace smx509 and crypto/x509 in the module (see encoding.go). These tests hold
// them to those libraries byte for byte; smx509 and crypto/x509 are imported by tests only, so
// they never enter the wasm module.

// privateKey is what every private key type here implements.
type privateKey interface {
	Public() crypto.PublicKey
	Equal(crypto.PrivateKey) bool
}

// testKeys is one key of every kind KMS has: RSA (from the pool and freshly generated), the three
// NIST curves and SM2.
func testKeys(t *testing.T) map[string]privateKey {
	t.Helper()
	pooled, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	generated, err := GenerateRSA(rand.Reader, 3072)
	require.NoError(t, err)
	keys := map[string]privateKey{"RSA_2048 pooled": pooled, "RSA_3072 generated": generated}
	for name, curve := range map[string]elliptic.Curve{
		"ECC_NIST_P256": elliptic.P256(), "ECC_NIST_P384": elliptic.P384(), "ECC_NIST_P521": elliptic.P521(),
	} {
		k, err := GenerateECDSA(rand.Reader, curve)
		require.NoError(t, err)
		keys[name] = k
	}
	sm2Key, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	keys["SM2"] = sm2Key
	return keys
}

func TestEncodingsMatchSmx509ByteForByte(t *testing.T) {
	for name, priv := range testKeys(t) {
		t.Run(name, func(t *testing.T) {
			// smx509 knows SM2 keys as gmsm's (sm2_gmsm_test.go converts); the others are Go's own.
			theirKey, theirPublic := any(priv), priv.Public()
			if k, ok := priv.(*SM2PrivateKey); ok {
				theirKey, theirPublic = gmsmKey(t, k), gmsmPublic(&k.PublicKey)
			}
			ours, err := MarshalPKCS8(priv)
			require.NoError(t, err)
			theirs, err := smx509.MarshalPKCS8PrivateKey(theirKey)
			require.NoError(t, err)
			require.Equal(t, theirs, ours)

			parsed, err := smx509.ParsePKCS8PrivateKey(ours)
			require.NoError(t, err)
			require.True(t, theirKey.(interface{ Equal(crypto.PrivateKey) bool }).Equal(parsed))
			back, err := ParsePKCS8(ours)
			require.NoError(t, err)
			require.True(t, priv.Equal(back))
			require.IsType(t, priv, back)

			for _, pub := range []any{priv.Public(), priv} {
				ours, err := MarshalSPKI(pub)
				require.NoError(t, err)
				theirs, err := smx509.MarshalPKIXPublicKey(theirPublic)
				require.NoError(t, err)
				require.Equal(t, theirs, ours)
				parsed, err := smx509.ParsePKIXPublicKey(ours)
				require.NoError(t, err)
				require.True(t, theirPublic.(interface{ Equal(crypto.PublicKey) bool }).Equal(parsed))
			}
		})
	}
}

func TestEncodingsMatchCryptoX509ByteForByte(t *testing.T) {
	for name, priv := range testKeys(t) {
		if _, ok := priv.(*SM2PrivateKey); ok {
			continue // crypto/x509 does not know the SM2 curve
		}
		t.Run(name, func(t *testing.T) {
			ours, err := MarshalPKCS8(priv)
			require.NoError(t, err)
			theirs, err := x509.MarshalPKCS8PrivateKey(priv)
			require.NoError(t, err)
			require.Equal(t, theirs, ours)
			back, err := ParsePKCS8(theirs)
			require.NoError(t, err)
			require.True(t, priv.Equal(back))

			spki, err := MarshalSPKI(priv.Public())
			require.NoError(t, err)
			theirSPKI, err := x509.MarshalPKIXPublicKey(priv.Public())
			require.NoError(t, err)
			require.Equal(t, theirSPKI, spki)
		})
	}
}

// SM2 public keys are id-ecPublicKey with the SM2 curve as the named curve, as KMS's GetPublicKey
// returns them.
func TestSM2SPKINamesTheSM2Curve(t *testing.T) {
	priv, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	spki, err := MarshalSPKI(&priv.PublicKey)
	require.NoError(t, err)
	var info struct {
		Algorithm struct {
			Algorithm asn1.ObjectIdentifier
			Curve     asn1.ObjectIdentifier
		}
		PublicKey asn1.BitString
	}
	rest, err := asn1.Unmarshal(spki, &info)
	require.NoError(t, err)
	require.Empty(t, rest)
	require.Equal(t, asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, info.Algorithm.Algorithm)
	require.Equal(t, asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}, info.Algorithm.Curve)
}

// Encodings other tools write, which ParsePKCS8 must read: the curve named only inside the
// ECPrivateKey (crypto/x509's ECPrivateKey with a PKCS#8 wrapper lacking parameters), and SM2 named
// as the algorithm (older SM2 toolkits).
func TestParsePKCS8AcceptsOtherToolsForms(t *testing.T) {
	p384, err := GenerateECDSA(rand.Reader, elliptic.P384())
	require.NoError(t, err)
	sm2Key, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	sec1SM2, err := smx509.MarshalSM2PrivateKey(gmsmKey(t, sm2Key))
	require.NoError(t, err)
	sec1P384, err := x509.MarshalECPrivateKey(p384)
	require.NoError(t, err)
	rsaKey, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	rsaPKCS8, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		der  []byte
		want privateKey
	}{
		{"P-384 curve only in ECPrivateKey", wrapPKCS8(t, oidECPublicKey, nil, sec1P384), p384},
		{"SM2 as the algorithm", wrapPKCS8(t, oidSM2, oidSM2, sec1SM2), sm2Key},
		{"SM2 curve only in ECPrivateKey", wrapPKCS8(t, oidECPublicKey, nil, sec1SM2), sm2Key},
		{"RSA with attributes", withAttributes(t, rsaPKCS8), rsaKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePKCS8(tc.der)
			require.NoError(t, err)
			require.IsType(t, tc.want, got)
			require.True(t, tc.want.Equal(got))
		})
	}
}

func TestParsePKCS8RefusesBadKeys(t *testing.T) {
	p256, err := GenerateECDSA(rand.Reader, elliptic.P256())
	require.NoError(t, err)
	good, err := MarshalPKCS8(p256)
	require.NoError(t, err)
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	p224DER, err := x509.MarshalPKCS8PrivateKey(p224)
	require.NoError(t, err)
	rsaKey, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	brokenRSA := *rsaKey
	brokenRSA.D = new(big.Int).Add(rsaKey.D, big.NewInt(2))
	brokenRSA.Precomputed = rsa.PrecomputedValues{}
	brokenRSADER := wrapPKCS8(t, oidRSAEncryption, nil, x509.MarshalPKCS1PrivateKey(&brokenRSA))
	p256Curve := elliptic.P256().Params()
	sm2Curve := SM2P256().Params()

	for _, tc := range []struct {
		name string
		der  []byte
	}{
		{"empty", nil},
		{"empty sequence", []byte{0x30, 0x00}},
		{"trailing data", append(append([]byte(nil), good...), 0)},
		{"truncated", good[:len(good)-1]},
		{"unknown algorithm", wrapPKCS8(t, asn1.ObjectIdentifier{1, 3, 101, 112}, nil, []byte{4, 0})},
		{"P-224, not a KMS curve", p224DER},
		{"P-256 scalar zero", wrapPKCS8(t, oidECPublicKey, curveOIDFor(t, elliptic.P256()), ecScalar(t, 1, make([]byte, 32)))},
		{"P-256 scalar equal to the order", wrapPKCS8(t, oidECPublicKey, curveOIDFor(t, elliptic.P256()), ecScalar(t, 1, p256Curve.N.Bytes()))},
		{"P-256 scalar too long", wrapPKCS8(t, oidECPublicKey, curveOIDFor(t, elliptic.P256()), ecScalar(t, 1, append([]byte{1}, make([]byte, 32)...)))},
		{"SM2 scalar equal to the order", wrapPKCS8(t, oidECPublicKey, oidSM2, ecScalar(t, 1, sm2Curve.N.Bytes()))},
		{"EC version 2", wrapPKCS8(t, oidECPublicKey, curveOIDFor(t, elliptic.P256()), ecScalar(t, 2, p256.D.FillBytes(make([]byte, 32))))},
		{"RSA that fails validation", brokenRSADER},
		{"RSA not a sequence", wrapPKCS8(t, oidRSAEncryption, nil, []byte{2, 1, 0})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePKCS8(tc.der)
			require.Error(t, err)
		})
	}
}

func TestEncodingsRefuseUnknownKeys(t *testing.T) {
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	for _, key := range []any{"not a key", 42, nil, p224, &p224.PublicKey} {
		_, err := MarshalPKCS8(key)
		require.Error(t, err)
		_, err = MarshalSPKI(key)
		require.Error(t, err)
	}
}

// The test inputs below are built with encoding/asn1, independently of the encoders under test.
type (
	testAlgorithmIdentifier struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	testPKCS8 struct {
		Version    int
		Algorithm  testAlgorithmIdentifier
		PrivateKey []byte
	}
	testECPrivateKey struct {
		Version    int
		PrivateKey []byte
	}
)

// wrapPKCS8 builds a PKCS#8 PrivateKeyInfo, with curve (nil: none) as the parameters.
func wrapPKCS8(t *testing.T, algorithm, curve asn1.ObjectIdentifier, inner []byte) []byte {
	t.Helper()
	alg := testAlgorithmIdentifier{Algorithm: algorithm}
	if curve != nil {
		params, err := asn1.Marshal(curve)
		require.NoError(t, err)
		alg.Parameters = asn1.RawValue{FullBytes: params}
	}
	der, err := asn1.Marshal(testPKCS8{Algorithm: alg, PrivateKey: inner})
	require.NoError(t, err)
	return der
}

// withAttributes adds RFC 5208's optional attributes ([0] IMPLICIT SET OF Attribute, here one
// empty SET) to a PrivateKeyInfo.
func withAttributes(t *testing.T, der []byte) []byte {
	t.Helper()
	var info testPKCS8
	_, err := asn1.Unmarshal(der, &info)
	require.NoError(t, err)
	out, err := asn1.Marshal(struct {
		Version    int
		Algorithm  testAlgorithmIdentifier
		PrivateKey []byte
		Attributes asn1.RawValue
	}{info.Version, info.Algorithm, info.PrivateKey, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: []byte{0x31, 0x00}}})
	require.NoError(t, err)
	return out
}

// ecScalar is an ECPrivateKey with only a version and a scalar.
func ecScalar(t *testing.T, version int, d []byte) []byte {
	t.Helper()
	der, err := asn1.Marshal(testECPrivateKey{Version: version, PrivateKey: d})
	require.NoError(t, err)
	return der
}

func curveOIDFor(t *testing.T, curve elliptic.Curve) asn1.ObjectIdentifier {
	t.Helper()
	oid, ok := curveOID(curve)
	require.True(t, ok)
	return oid
}

func TestGenerateKeys(t *testing.T) {
	rsaKey, err := GenerateRSA(rand.Reader, 2048)
	require.NoError(t, err)
	require.NoError(t, rsaKey.Validate())
	require.Equal(t, 2048, rsaKey.N.BitLen())
	require.IsType(t, &rsa.PrivateKey{}, rsaKey)

	ec, err := GenerateECDSA(rand.Reader, elliptic.P384())
	require.NoError(t, err)
	require.Equal(t, elliptic.P384(), ec.Curve)

	sm2Key, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	require.Equal(t, SM2P256(), sm2Key.Curve)

	a, err := GenerateHMACKey(rand.Reader, 64)
	require.NoError(t, err)
	b, err := GenerateHMACKey(rand.Reader, 64)
	require.NoError(t, err)
	require.Len(t, a, 64)
	require.NotEqual(t, a, b)
	_, err = GenerateHMACKey(rand.Reader, 0)
	require.Error(t, err)
}
