package crypto

import (
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
)

// FuzzParsePKCS8: keys come from hosts (SupplyRSAKey, ImportState), so any bytes must give a key or
// an error, never a panic; a key that parses must survive a round trip through MarshalPKCS8, and
// smx509 (the reference) must agree it is that key. Plain `go test` runs the seeds below;
// `go test -fuzz FuzzParsePKCS8 ./internal/crypto` explores further.
func FuzzParsePKCS8(f *testing.F) {
	rsaKey, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(f, err)
	keys := []any{rsaKey}
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		k, err := GenerateECDSA(rand.Reader, curve)
		require.NoError(f, err)
		keys = append(keys, k)
	}
	sm2Key, err := GenerateSM2(rand.Reader)
	require.NoError(f, err)
	keys = append(keys, sm2Key)
	for _, k := range keys {
		der, err := MarshalPKCS8(k)
		require.NoError(f, err)
		f.Add(der)
		f.Add(der[:len(der)/2])
		flipped := append([]byte(nil), der...)
		flipped[len(flipped)/3] ^= 0x40
		f.Add(flipped)
	}
	f.Add([]byte{})
	f.Add([]byte{0x30, 0x80, 0x00, 0x00}) // BER indefinite length

	f.Fuzz(func(t *testing.T, der []byte) {
		key, err := ParsePKCS8(der)
		if err != nil {
			return
		}
		again, err := MarshalPKCS8(key)
		require.NoError(t, err)
		back, err := ParsePKCS8(again)
		require.NoError(t, err)
		require.True(t, key.(privateKey).Equal(back))
		reference, err := smx509.ParsePKCS8PrivateKey(again)
		require.NoError(t, err)
		if k, ok := reference.(*sm2.PrivateKey); ok {
			reference = oursOf(t, k) // smx509 answers gmsm's SM2 keys
		}
		require.True(t, key.(privateKey).Equal(reference))
	})
}
