package rsapool

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The shipped files must hold exactly what the package documents: Count primes per size, each fit
// for an RSA key, every pair far enough apart.
func TestShippedPrimes(t *testing.T) {
	for _, bits := range []int{1024, 1536, 2048} {
		primes, err := Primes(bits)
		require.NoError(t, err)
		require.Len(t, primes, Count, "%d-bit primes", bits)
		for i, p := range primes {
			require.NoError(t, CheckPrime(p, bits), "%d-bit prime %d", bits, i)
			for j := range i {
				require.NoError(t, CheckPair(p, primes[j], bits), "%d-bit primes %d and %d", bits, i, j)
				require.NotEqual(t, 0, p.Cmp(primes[j]))
			}
		}
		require.Equal(t, sets[bits].raw, Encode(primes, bits), "Encode inverts Decode")
	}
	_, err := Primes(512)
	require.Error(t, err)
	require.Nil(t, Decode(make([]byte, 129), 1024), "a file of partial primes decodes to nothing")
}
