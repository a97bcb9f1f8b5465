package kms

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
)

func TestGenerateDataKeyPair(t *testing.T) {
	w := NewWorld(Options{})
	for _, c := range []struct {
		caller Caller
		spec   string
		check  func(t *testing.T, private, public any)
	}{
		{Caller{}, "RSA_2048", func(t *testing.T, private, public any) {
			require.Equal(t, 2048, private.(*rsa.PrivateKey).N.BitLen())
			require.True(t, private.(*rsa.PrivateKey).PublicKey.Equal(public))
		}},
		{Caller{}, "ECC_NIST_P256", func(t *testing.T, private, public any) {
			require.Equal(t, "P-256", private.(*ecdsa.PrivateKey).Curve.Params().Name)
			require.True(t, private.(*ecdsa.PrivateKey).PublicKey.Equal(public))
		}},
		{china, "SM2", func(t *testing.T, private, public any) {
			require.True(t, private.(*sm2.PrivateKey).PublicKey.Equal(public))
		}},
	} {
		t.Run(c.spec, func(t *testing.T) {
			md := newKey(t, w, c.caller, map[string]any{})
			ctx := map[string]string{"pair": c.spec}
			out := mustCall(t, w, c.caller, "GenerateDataKeyPair", map[string]any{"KeyId": md["KeyId"], "KeyPairSpec": c.spec, "EncryptionContext": ctx})
			require.Equal(t, md["Arn"], out["KeyId"])
			require.Equal(t, c.spec, out["KeyPairSpec"])
			der := b64(t, out["PrivateKeyPlaintext"])
			private, err := smx509.ParsePKCS8PrivateKey(der)
			require.NoError(t, err)
			public, err := smx509.ParsePKIXPublicKey(b64(t, out["PublicKey"]))
			require.NoError(t, err)
			c.check(t, private, public)
			dec := mustCall(t, w, c.caller, "Decrypt", map[string]any{"CiphertextBlob": out["PrivateKeyCiphertextBlob"], "EncryptionContext": ctx})
			require.Equal(t, der, b64(t, dec["Plaintext"]))

			without := mustCall(t, w, c.caller, "GenerateDataKeyPairWithoutPlaintext", map[string]any{"KeyId": md["KeyId"], "KeyPairSpec": c.spec})
			require.NotContains(t, without, "PrivateKeyPlaintext")
		})
	}
	md := newKey(t, w, Caller{}, map[string]any{})
	status, out := call(t, w, "GenerateDataKeyPair", map[string]any{"KeyId": md["KeyId"]})
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value null at 'keyPairSpec' failed to satisfy constraint: Member must not be null")
	status, out = call(t, w, "GenerateDataKeyPair", map[string]any{"KeyId": md["KeyId"], "KeyPairSpec": "SM2"})
	requireError(t, status, out, "ValidationException", "KeyPairSpec SM2 is not supported in region us-east-1. SM2 keys are available only in the China Regions.")
	rsaKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	status, out = call(t, w, "GenerateDataKeyPair", map[string]any{"KeyId": rsaKey["KeyId"], "KeyPairSpec": "ECC_NIST_P256"})
	requireError(t, status, out, "InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.")
}
