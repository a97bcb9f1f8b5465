package crypto

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"hash"
	"testing"

	"github.com/stretchr/testify/require"
)

var oaepHashes = []struct {
	name string
	h    OAEPHash
	new  func() hash.Hash
}{
	{"SHA-1", OAEPSHA1, sha1.New},
	{"SHA-256", OAEPSHA256, sha256.New},
}

func TestOAEPMaxPlaintextMatchesKMS(t *testing.T) {
	pool := NewRSAPool(rand.Reader)
	// KMS's documented limits (kms-facts.md), by key spec.
	cases := []struct {
		bits         int
		sha1, sha256 int
	}{
		{2048, 214, 190},
		{3072, 342, 318},
		{4096, 470, 446},
	}
	for _, c := range cases {
		key, err := pool.Key(c.bits)
		require.NoError(t, err)
		require.Equal(t, c.sha1, OAEPMaxPlaintext(&key.PublicKey, OAEPSHA1), "RSA_%d SHA-1", c.bits)
		require.Equal(t, c.sha256, OAEPMaxPlaintext(&key.PublicKey, OAEPSHA256), "RSA_%d SHA-256", c.bits)
	}
}

// At the limit encryption works and round-trips; one byte over it fails.
func TestOAEPLimitsAreExact(t *testing.T) {
	pool := NewRSAPool(rand.Reader)
	for _, bits := range []int{2048, 3072, 4096} {
		key, err := pool.Key(bits)
		require.NoError(t, err)
		for _, h := range oaepHashes {
			limit := OAEPMaxPlaintext(&key.PublicKey, h.h)
			plaintext := bytes.Repeat([]byte{0x5a}, limit)
			ct, err := RSAEncryptOAEP(rand.Reader, &key.PublicKey, h.h, plaintext)
			require.NoError(t, err)
			require.Len(t, ct, bits/8, "ciphertext is the raw RSA output")
			got, err := RSADecryptOAEP(key, h.h, ct)
			require.NoError(t, err)
			require.Equal(t, plaintext, got)
			_, err = RSAEncryptOAEP(rand.Reader, &key.PublicKey, h.h, append(plaintext, 0))
			require.Error(t, err, "RSA_%d %s one byte over", bits, h.name)
		}
	}
}

func TestOAEPInteropWithCryptoRSA(t *testing.T) {
	key, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	plaintext := []byte("offline client data")
	for _, h := range oaepHashes {
		t.Run(h.name, func(t *testing.T) {
			// Ours, opened by the standard library.
			ct, err := RSAEncryptOAEP(rand.Reader, &key.PublicKey, h.h, plaintext)
			require.NoError(t, err)
			got, err := rsa.DecryptOAEP(h.new(), nil, key, ct, nil)
			require.NoError(t, err)
			require.Equal(t, plaintext, got)
			// The standard library's (a client encrypting with the GetPublicKey key), opened by ours.
			ct, err = rsa.EncryptOAEP(h.new(), rand.Reader, &key.PublicKey, plaintext, nil)
			require.NoError(t, err)
			got, err = RSADecryptOAEP(key, h.h, ct)
			require.NoError(t, err)
			require.Equal(t, plaintext, got)
		})
	}
}

func TestRSADecryptOAEPRejects(t *testing.T) {
	pool := NewRSAPool(rand.Reader)
	key, err := pool.Key(2048)
	require.NoError(t, err)
	other, err := pool.Key(2048)
	require.NoError(t, err)
	ct, err := RSAEncryptOAEP(rand.Reader, &key.PublicKey, OAEPSHA256, []byte("x"))
	require.NoError(t, err)
	flipped := bytes.Clone(ct)
	flipped[len(flipped)/2] ^= 1
	withLabel, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &key.PublicKey, []byte("x"), []byte("label"))
	require.NoError(t, err)
	cases := []struct {
		name string
		key  *rsa.PrivateKey
		h    OAEPHash
		ct   []byte
	}{
		{"other hash", key, OAEPSHA1, ct},
		{"other key", other, OAEPSHA256, ct},
		{"flipped bit", key, OAEPSHA256, flipped},
		{"short", key, OAEPSHA256, ct[1:]},
		{"long", key, OAEPSHA256, append(bytes.Clone(ct), 0)},
		{"empty", key, OAEPSHA256, nil},
		{"non-empty label", key, OAEPSHA256, withLabel},
		{"ciphertext >= modulus", key, OAEPSHA256, bytes.Repeat([]byte{0xff}, 256)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := RSADecryptOAEP(c.key, c.h, c.ct)
			require.ErrorIs(t, err, ErrInvalidCiphertext)
			require.Nil(t, got)
		})
	}
	_, err = RSAEncryptOAEP(rand.Reader, &key.PublicKey, OAEPHash(512), []byte("x"))
	require.Error(t, err, "unknown hash")
}
