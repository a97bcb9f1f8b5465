package crypto

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"testing"

	"github.com/stretchr/testify/require"
)

// RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
var rfc4231Case2 = map[string]string{
	"HMAC_SHA_224": "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
	"HMAC_SHA_256": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	"HMAC_SHA_384": "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e" +
		"8e2240ca5e69e2c78b3239ecfab21649",
	"HMAC_SHA_512": "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554" +
		"9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
}

func TestMACRFC4231Case2(t *testing.T) {
	for algorithm, want := range rfc4231Case2 {
		got, err := MAC(algorithm, []byte("Jefe"), []byte("what do ya want for nothing?"))
		require.NoError(t, err, algorithm)
		require.Equal(t, want, hex.EncodeToString(got), algorithm)
	}
}

func TestMACMatchesCryptoHMAC(t *testing.T) {
	for algorithm, h := range map[string]func() hash.Hash{
		"HMAC_SHA_224": sha256.New224, "HMAC_SHA_256": sha256.New,
		"HMAC_SHA_384": sha512.New384, "HMAC_SHA_512": sha512.New,
	} {
		// The key lengths of KMS's HMAC key specs (HMAC_224 .. HMAC_512: 28 to 64 bytes), one longer
		// than the block of SHA-256 (hashed first), and messages up to KMS's 4096 bytes.
		for _, keyLen := range []int{28, 32, 48, 64, 129} {
			for _, msgLen := range []int{0, 1, 4096} {
				key, message := make([]byte, keyLen), make([]byte, msgLen)
				rand.Read(key)
				rand.Read(message)
				m := hmac.New(h, key)
				m.Write(message)
				got, err := MAC(algorithm, key, message)
				require.NoError(t, err)
				require.Equal(t, m.Sum(nil), got, "%s key %d message %d", algorithm, keyLen, msgLen)
			}
		}
	}
}

func TestMACRefusesUnknownAlgorithms(t *testing.T) {
	for _, algorithm := range []string{"", "HMAC_SHA_1", "hmac_sha_256", "HMAC_256", "ECDSA_SHA_256"} {
		_, err := MAC(algorithm, []byte("key"), []byte("m"))
		require.Error(t, err, algorithm)
	}
}

// One PreparedMAC kept across calls answers crypto/hmac's MAC for every message, and is made again
// for another key (an equal one in another slice keeps it; the same slice changed in place does not)
// or another algorithm.
func TestMACPreparedMatchesCryptoHMAC(t *testing.T) {
	want := func(h func() hash.Hash, key, message []byte) []byte {
		m := hmac.New(h, key)
		m.Write(message)
		return m.Sum(nil)
	}
	var prepared *PreparedMAC
	for algorithm, h := range map[string]func() hash.Hash{
		"HMAC_SHA_224": sha256.New224, "HMAC_SHA_256": sha256.New,
		"HMAC_SHA_384": sha512.New384, "HMAC_SHA_512": sha512.New,
	} {
		for _, keyLen := range []int{28, 32, 48, 64, 129} {
			key := make([]byte, keyLen)
			rand.Read(key)
			for _, msgLen := range []int{0, 1, 32, 55, 56, 64, 111, 112, 128, 1000, 4096} {
				message := make([]byte, msgLen)
				rand.Read(message)
				got, err := (*Engine)(nil).MACPrepared(&prepared, algorithm, key, message)
				require.NoError(t, err)
				require.Equal(t, want(h, key, message), got, "%s key %d message %d", algorithm, keyLen, msgLen)
			}
			kept := prepared
			_, err := (*Engine)(nil).MACPrepared(&prepared, algorithm, append([]byte(nil), key...), []byte("m"))
			require.NoError(t, err)
			require.Same(t, kept, prepared, "an equal key in another slice")
			key[0] ^= 1
			got, err := (*Engine)(nil).MACPrepared(&prepared, algorithm, key, []byte("m"))
			require.NoError(t, err)
			require.Equal(t, want(h, key, []byte("m")), got, "%s: the key changed in place", algorithm)
		}
	}
	_, err := (*Engine)(nil).MACPrepared(&prepared, "HMAC_SHA_1", []byte("key"), []byte("m"))
	require.Error(t, err)
}
