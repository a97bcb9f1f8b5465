package crypto

import (
	"crypto/rand"
	"math/big"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/crypto/rsapool"
)

func TestRSAPoolKeysAreValidAndUnique(t *testing.T) {
	pool := NewRSAPool(rand.Reader)
	for _, bits := range []int{2048, 3072, 4096} {
		seen := map[string]bool{}
		for range 20 {
			key, err := pool.Key(bits)
			require.NoError(t, err)
			require.NoError(t, key.Validate())
			require.Equal(t, bits, key.N.BitLen())
			require.Equal(t, 65537, key.E)
			require.False(t, seen[key.N.String()], "modulus drawn twice")
			seen[key.N.String()] = true
		}
		require.Len(t, pool.UsedPairs()[bits], 20)
	}
}

func TestRSAPoolConcurrentDrawsAreUnique(t *testing.T) {
	pool := NewRSAPool(rand.Reader)
	var mu sync.Mutex
	var moduli []string
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				key, err := pool.Key(2048)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				moduli = append(moduli, key.N.String())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Len(t, moduli, 80)
	unique := map[string]bool{}
	for _, n := range moduli {
		unique[n] = true
	}
	require.Len(t, unique, 80, "every concurrent draw is a distinct key")
}

// A pool over three primes has three pairs; the fourth key must be freshly generated, and marked
// pairs must never be drawn.
func TestRSAPoolExhaustionFallsBack(t *testing.T) {
	shipped, err := rsapool.Primes(1024)
	require.NoError(t, err)
	tiny := shipped[:3]
	pool := newRSAPool(rand.Reader, func(primeBits int) ([]*big.Int, error) { return tiny, nil })
	pool.MarkUsed(2048, 2, 0) // order does not matter
	fromPool := map[string]bool{}
	for range 2 {
		key, err := pool.Key(2048)
		require.NoError(t, err)
		require.True(t, isFromPrimes(key.Primes, tiny), "drawn from the tiny pool")
		require.False(t, sameSet(key.Primes, []*big.Int{tiny[0], tiny[2]}), "a marked pair was drawn")
		fromPool[key.N.String()] = true
	}
	require.Len(t, fromPool, 2)
	require.Equal(t, [][2]int{{0, 1}, {0, 2}, {1, 2}}, pool.UsedPairs()[2048])

	fresh, err := pool.Key(2048)
	require.NoError(t, err)
	require.NoError(t, fresh.Validate())
	require.False(t, isFromPrimes(fresh.Primes, tiny), "fallback must generate fresh primes")
}

func TestRSAPoolMarkUsedIgnoresImpossiblePairs(t *testing.T) {
	pool := NewRSAPool(rand.Reader)
	pool.MarkUsed(2048, 1, 1)
	pool.MarkUsed(2048, -1, 3)
	pool.MarkUsed(2048, 0, rsapool.Count)
	pool.MarkUsed(1000, 0, 1)
	require.Empty(t, pool.UsedPairs())
}

func isFromPrimes(primes, pool []*big.Int) bool {
	for _, p := range primes {
		found := false
		for _, q := range pool {
			found = found || p.Cmp(q) == 0
		}
		if !found {
			return false
		}
	}
	return true
}

func sameSet(a, b []*big.Int) bool {
	return len(a) == len(b) && isFromPrimes(a, b) && isFromPrimes(b, a)
}
