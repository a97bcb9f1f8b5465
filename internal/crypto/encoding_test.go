package crypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
)

func TestEncodingsParseWithCryptoX509(t *testing.T) {
	rsaKey, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	keys := map[string]privateKey{"RSA_2048": rsaKey}
	for name, curve := range map[string]elliptic.Curve{
		"ECC_NIST_P256": elliptic.P256(), "ECC_NIST_P384": elliptic.P384(), "ECC_NIST_P521": elliptic.P521(),
	} {
		k, err := GenerateECDSA(rand.Reader, curve)
		require.NoError(t, err)
		keys[name] = k
	}
	for name, priv := range keys {
		t.Run(name, func(t *testing.T) {
			der, err := MarshalPKCS8(priv)
			require.NoError(t, err)
			parsed, err := x509.ParsePKCS8PrivateKey(der)
			require.NoError(t, err)
			require.True(t, priv.Equal(parsed))
			ours, err := ParsePKCS8(der)
			require.NoError(t, err)
			require.True(t, priv.Equal(ours))

			spki, err := MarshalSPKI(priv.Public())
			require.NoError(t, err)
			pub, err := x509.ParsePKIXPublicKey(spki)
			require.NoError(t, err)
			require.True(t, priv.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pub))
		})
	}
}

// privateKey is what every standard-library private key implements.
type privateKey interface {
	Public() crypto.PublicKey
	Equal(crypto.PrivateKey) bool
}

var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSM2Curve    = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}
)

func TestSM2EncodingsParseWithSmx509(t *testing.T) {
	priv, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)

	der, err := MarshalPKCS8(priv)
	require.NoError(t, err)
	parsed, err := smx509.ParsePKCS8PrivateKey(der)
	require.NoError(t, err)
	require.IsType(t, &sm2.PrivateKey{}, parsed)
	require.Equal(t, 0, priv.D.Cmp(parsed.(*sm2.PrivateKey).D))
	ours, err := ParsePKCS8(der)
	require.NoError(t, err)
	require.Equal(t, 0, priv.D.Cmp(ours.(*sm2.PrivateKey).D))

	for _, pub := range []any{&priv.PublicKey, priv} {
		spki, err := MarshalSPKI(pub)
		require.NoError(t, err)
		back, err := smx509.ParsePKIXPublicKey(spki)
		require.NoError(t, err)
		require.True(t, back.(*ecdsa.PublicKey).Equal(&priv.PublicKey))

		// id-ecPublicKey with the SM2 curve as its named curve, as KMS's GetPublicKey returns.
		var info struct {
			Algorithm struct {
				Algorithm asn1.ObjectIdentifier
				Curve     asn1.ObjectIdentifier
			}
			PublicKey asn1.BitString
		}
		_, err = asn1.Unmarshal(spki, &info)
		require.NoError(t, err)
		require.Equal(t, oidECPublicKey, info.Algorithm.Algorithm)
		require.Equal(t, oidSM2Curve, info.Algorithm.Curve)
	}
}

func TestEncodingsRefuseUnknownKeys(t *testing.T) {
	_, err := MarshalPKCS8("not a key")
	require.Error(t, err)
	_, err = MarshalSPKI(42)
	require.Error(t, err)
	_, err = ParsePKCS8([]byte{0x30, 0x00})
	require.Error(t, err)
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
	require.Equal(t, sm2.P256(), sm2Key.Curve)

	a, err := GenerateHMACKey(rand.Reader, 64)
	require.NoError(t, err)
	b, err := GenerateHMACKey(rand.Reader, 64)
	require.NoError(t, err)
	require.Len(t, a, 64)
	require.NotEqual(t, a, b)
	_, err = GenerateHMACKey(rand.Reader, 0)
	require.Error(t, err)
}
