package crypto

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

func kwHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// RFC 5649 section 6's two examples, and AES-256 wrappings that Python's cryptography
// (aes_key_wrap_with_padding, 48.0.0) made of byte i = (7i+3) mod 256 under the key 00 01 .. 1f.
func TestAESKeyWrapPadVectors(t *testing.T) {
	rfcKEK := kwHex(t, "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8")
	kek := make([]byte, 32)
	for i := range kek {
		kek[i] = byte(i)
	}
	pattern := func(n int) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte((i*7 + 3) % 256)
		}
		return p
	}
	cases := []struct {
		kek, plaintext []byte
		wrapped        string
	}{
		{rfcKEK, kwHex(t, "c37b7e6492584340bed12207808941155068f738"), "138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"},
		{rfcKEK, kwHex(t, "466f7250617369"), "afbeb0f07dfbf5419200f2ccb50bb24f"},
		{kek, pattern(1), "bfae7145269d379207e60adeb7a09662"},
		{kek, pattern(8), "76be56734ca64548fcd657169c37227c"},
		{kek, pattern(9), "0d7bf73b302d16799ad7ed349e076a0bb08e879654003490"},
		{kek, pattern(16), "e5d927322e546a242d20df0d2f14ddd7f2bf1cb6345d9e13"},
		{kek, pattern(32), "978db231bbcd8a4e569ea466f592bffa93588a75f63b4bdf83dd73ccee1647a0f057d455b01a5956"},
		{kek, pattern(121), "28eadbbc20865011c8ed58cd56b3c8cdb0763fc1f3f88026ce0706160b9e0d41f25b50f90127e9f8d0d84c56d84079b173f4ab9f1f10d9b58c86a9a2d86ef6784bc2da1a0c841f581698f5077a0bbb7b363ac1764abd13573c038454d65add5ed51e7e072defcb3cfcf38ab501fb0bbc87e7c4a83f9059417b4e642c1010916ace41c8e7afdba139"},
	}
	for _, c := range cases {
		wrapped, err := AESKeyWrapPad(c.kek, c.plaintext)
		require.NoError(t, err)
		require.Equal(t, c.wrapped, hex.EncodeToString(wrapped), "wrapping %d bytes", len(c.plaintext))
		plaintext, err := AESKeyUnwrapPad(c.kek, wrapped)
		require.NoError(t, err)
		require.Equal(t, c.plaintext, plaintext)
	}
}

func TestAESKeyUnwrapPadRefuses(t *testing.T) {
	kek := make([]byte, 32)
	wrapped, err := AESKeyWrapPad(kek, []byte("seventeen bytes!!"))
	require.NoError(t, err)
	for i := range wrapped {
		bad := append([]byte(nil), wrapped...)
		bad[i] ^= 1
		_, err := AESKeyUnwrapPad(kek, bad)
		require.ErrorIs(t, err, ErrInvalidCiphertext, "byte %d changed", i)
	}
	for _, bad := range [][]byte{nil, wrapped[:8], wrapped[:len(wrapped)-1], wrapped[:len(wrapped)-8]} {
		_, err := AESKeyUnwrapPad(kek, bad)
		require.ErrorIs(t, err, ErrInvalidCiphertext)
	}
	other := make([]byte, 32)
	other[0] = 1
	_, err = AESKeyUnwrapPad(other, wrapped)
	require.ErrorIs(t, err, ErrInvalidCiphertext)
	_, err = AESKeyUnwrapPad(kek[:7], wrapped)
	require.Error(t, err)
	_, err = AESKeyWrapPad(kek, nil)
	require.Error(t, err)
}

func TestRSAAESWrapRoundTrip(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	material := make([]byte, 1217) // about an RSA_2048 PKCS#8 key, too long for OAEP alone
	_, _ = rand.Read(material)
	aesKey := make([]byte, 32)
	_, _ = rand.Read(aesKey)
	for _, h := range []OAEPHash{OAEPSHA1, OAEPSHA256} {
		ct, err := RSAAESWrap(rand.Reader, &priv.PublicKey, h, aesKey, material)
		require.NoError(t, err)
		require.Len(t, ct, 256+(len(material)+7)/8*8+8)
		got, err := RSAAESUnwrap(priv, h, ct)
		require.NoError(t, err)
		require.Equal(t, material, got)
		other := OAEPSHA1
		if h == OAEPSHA1 {
			other = OAEPSHA256
		}
		_, err = RSAAESUnwrap(priv, other, ct)
		require.ErrorIs(t, err, ErrInvalidCiphertext)
		_, err = RSAAESUnwrap(priv, h, ct[:256])
		require.ErrorIs(t, err, ErrInvalidCiphertext)
		ct[len(ct)-1] ^= 1
		_, err = RSAAESUnwrap(priv, h, ct)
		require.ErrorIs(t, err, ErrInvalidCiphertext)
	}
}
