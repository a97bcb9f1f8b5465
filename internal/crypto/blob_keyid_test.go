package crypto

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every key ID of both forms comes back from its header field as it went in: decodeKeyID writes the
// string itself, and must spell each byte and dash where the ID has them.
func TestKeyIDFieldRoundTrips(t *testing.T) {
	for range 1000 {
		var raw [16]byte
		_, _ = rand.Read(raw[:])
		h := hex.EncodeToString(raw[:])
		for _, id := range []string{h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], multiRegionPrefix + h} {
			field, err := encodeKeyID(nil, id)
			require.NoError(t, err, id)
			got, ok := decodeKeyID(field)
			require.True(t, ok, id)
			require.Equal(t, id, got)
		}
	}
	_, ok := decodeKeyID(append([]byte{0x03}, make([]byte, 16)...))
	require.False(t, ok, "an unknown kind")
	_, ok = decodeKeyID(make([]byte, 16))
	require.False(t, ok, "a short field")
}
