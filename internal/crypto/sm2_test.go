package crypto

import (
	"bytes"
	"crypto/rand"
	"encoding/asn1"
	"fmt"
	"math/big"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/require"
)

// sm2Ciphertext is the DER form KMS uses, read here with encoding/asn1 as an independent parser.
type sm2Ciphertext struct {
	X, Y   *big.Int
	C3, C2 []byte
}

func TestSM2RoundTripAndDERForm(t *testing.T) {
	priv, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	for _, size := range []int{1, 32, 1024} {
		plaintext := bytes.Repeat([]byte{0x42}, size)
		ct, err := SM2Encrypt(rand.Reader, &priv.PublicKey, plaintext)
		require.NoError(t, err)

		var parsed sm2Ciphertext
		rest, err := asn1.Unmarshal(ct, &parsed)
		require.NoError(t, err)
		require.Empty(t, rest)
		require.Len(t, parsed.C3, 32, "C3 is an SM3 hash")
		require.Len(t, parsed.C2, size, "C2 is as long as the plaintext")
		require.True(t, priv.Curve.IsOnCurve(parsed.X, parsed.Y), "C1 is a point on the SM2 curve")
		again, err := asn1.Marshal(parsed)
		require.NoError(t, err)
		require.Equal(t, ct, again, "DER, in the order x, y, C3, C2")

		got, err := SM2Decrypt(priv, ct)
		require.NoError(t, err)
		require.Equal(t, plaintext, got)
	}
}

func TestSM2InteropWithGmsm(t *testing.T) {
	priv, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	plaintext := []byte("encrypted offline with the GetPublicKey key")
	theirs, err := sm2.Encrypt(rand.Reader, gmsmPublic(&priv.PublicKey), plaintext, sm2.ASN1EncrypterOpts)
	require.NoError(t, err)
	got, err := SM2Decrypt(priv, theirs)
	require.NoError(t, err)
	require.Equal(t, plaintext, got)

	ours, err := SM2Encrypt(rand.Reader, &priv.PublicKey, plaintext)
	require.NoError(t, err)
	got, err = sm2.Decrypt(gmsmKey(t, priv), ours)
	require.NoError(t, err)
	require.Equal(t, plaintext, got)
}

func TestSM2DecryptRejects(t *testing.T) {
	priv, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	other, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	plaintext := []byte("sm2 payload")
	ct, err := SM2Encrypt(rand.Reader, &priv.PublicKey, plaintext)
	require.NoError(t, err)
	plain, err := sm2.Encrypt(rand.Reader, gmsmPublic(&priv.PublicKey), plaintext, nil) // 04 || C1 || C3 || C2
	require.NoError(t, err)
	cases := map[string]struct {
		key *SM2PrivateKey
		ct  []byte
	}{
		"other key":           {other, ct},
		"trailing byte":       {priv, append(bytes.Clone(ct), 0)},
		"truncated":           {priv, ct[:len(ct)-1]},
		"empty":               {priv, nil},
		"raw C1C3C2, not DER": {priv, plain},
	}
	for i := range ct {
		flipped := bytes.Clone(ct)
		flipped[i] ^= 0x01
		cases[fmt.Sprintf("flipped bit in byte %d", i)] = struct {
			key *SM2PrivateKey
			ct  []byte
		}{priv, flipped}
	}
	for name, c := range cases {
		got, err := SM2Decrypt(c.key, c.ct)
		require.ErrorIs(t, err, ErrInvalidCiphertext, name)
		require.Nil(t, got, name)
	}
	_, err = SM2Encrypt(rand.Reader, &priv.PublicKey, nil)
	require.Error(t, err, "empty plaintext")
}
