package kms

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/require"
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// The table's RSA limits are what OAEP itself allows for the key size.
func TestKeySpecRSALimitsMatchOAEP(t *testing.T) {
	pool := kmscrypto.NewRSAPool(rand.Reader)
	for name, spec := range keySpecs {
		if spec.family != familyRSA {
			continue
		}
		priv, err := pool.Key(spec.bits)
		require.NoError(t, err)
		require.Equal(t, kmscrypto.OAEPMaxPlaintext(&priv.PublicKey, kmscrypto.OAEPSHA1), spec.maxPlaintext[algRSAOAEPSHA1], name)
		require.Equal(t, kmscrypto.OAEPMaxPlaintext(&priv.PublicKey, kmscrypto.OAEPSHA256), spec.maxPlaintext[algRSAOAEPSHA256], name)
	}
}

// Every row is coherent: each usage has algorithms, each encryption algorithm a limit, and every
// spec name is in the model's enum.
func TestKeySpecTableIsCoherent(t *testing.T) {
	for name, spec := range keySpecs {
		require.Contains(t, enumKeySpec, name)
		require.NotEmpty(t, spec.usages, name)
		for _, u := range spec.usages {
			require.Contains(t, enumKeyUsageType, u, name)
			require.NotEmpty(t, spec.algorithmsFor(u), "%s %s", name, u)
		}
		for _, alg := range spec.algorithmsFor(usageEncryptDecrypt) {
			require.Contains(t, enumEncryptionAlgorithmSpec, alg)
			require.Positive(t, spec.maxPlaintext[alg], "%s %s", name, alg)
		}
	}
}
