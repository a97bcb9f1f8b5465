package crypto

import (
	"crypto/rand"
	"crypto/rsa"
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

func TestPairNumbering(t *testing.T) {
	for _, n := range []int{2, 3, 64} {
		k := 0
		for i := range n {
			for j := i + 1; j < n; j++ {
				require.Equal(t, k, pairIndex(i, j, n))
				gi, gj := pairOf(k, n)
				require.Equal(t, [2]int{i, j}, [2]int{gi, gj})
				k++
			}
		}
		require.Equal(t, n*(n-1)/2, k)
	}
}

// Drawing every pair of a full-size pool yields each exactly once, then falls back.
func TestRSAPoolDrawsEveryPairOnce(t *testing.T) {
	pool := NewRSAPool(rand.Reader)
	n := rsapool.Count
	seen := map[[2]int]bool{}
	for range n * (n - 1) / 2 {
		i, j, ok, err := pool.draw(2048, n)
		require.NoError(t, err)
		require.True(t, ok)
		require.Less(t, i, j)
		require.False(t, seen[[2]int{i, j}], "pair (%d, %d) drawn twice", i, j)
		seen[[2]int{i, j}] = true
	}
	_, _, ok, err := pool.draw(2048, n)
	require.NoError(t, err)
	require.False(t, ok, "exhausted")
	require.Len(t, pool.UsedPairs()[2048], n*(n-1)/2)
}

// A world restored from saved state replays UsedPairs through MarkUsed; its new keys must differ
// from every key of the saved world.
func TestRSAPoolRestoredStateKeepsKeysUnique(t *testing.T) {
	saved := NewRSAPool(rand.Reader)
	old := map[string]bool{}
	for range 30 {
		key, err := saved.Key(2048)
		require.NoError(t, err)
		old[key.N.String()] = true
	}
	restored := NewRSAPool(rand.Reader)
	for bits, pairs := range saved.UsedPairs() {
		for _, pair := range pairs {
			restored.MarkUsed(bits, pair[1], pair[0])
		}
	}
	require.Equal(t, saved.UsedPairs(), restored.UsedPairs())
	for range 200 {
		key, err := restored.Key(2048)
		require.NoError(t, err)
		require.False(t, old[key.N.String()], "a restored pool drew a saved key again")
	}
}

// MarkKey finds the pair of a pool key from its primes, and leaves any other key alone.
func TestRSAPoolMarkKeyFindsPoolKeys(t *testing.T) {
	source := NewRSAPool(rand.Reader)
	var keys []*rsa.PrivateKey
	for _, bits := range []int{2048, 3072, 4096} {
		key, err := source.Key(bits)
		require.NoError(t, err)
		keys = append(keys, key)
	}
	pool := NewRSAPool(rand.Reader)
	for _, key := range keys {
		pool.MarkKey(key)
	}
	assert.Equal(t, source.UsedPairs(), pool.UsedPairs())

	other, err := GenerateRSA(rand.Reader, 2048)
	require.NoError(t, err)
	pool.MarkKey(other)
	twoPrimes := &rsa.PrivateKey{PublicKey: keys[0].PublicKey, Primes: []*big.Int{keys[0].Primes[0], big.NewInt(7)}}
	pool.MarkKey(twoPrimes)
	assert.Equal(t, source.UsedPairs(), pool.UsedPairs(), "keys not built from two pool primes are not pool keys")
}
