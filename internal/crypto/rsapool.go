package crypto

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"math/big"
	"sort"
	"sync"

	"github.com/wasmkms/wasmkms/internal/crypto/rsapool"
)

// RSAPool builds RSA keys in microseconds from pairs of the pre-computed primes shipped in package
// rsapool, instead of generating them (seconds, especially inside wasm). Pairs are drawn at random
// and without repetition, so with one pool per world every key in a world has its own modulus.
// When the pairs of a size run out, Key falls back to GenerateRSA.
//
// KEYS FROM THE POOL ARE TEST KEYS. Their primes are public (they ship in every build), so anyone can
// factor their moduli. They must never protect real data. Two pool keys may share one prime.
type RSAPool struct {
	rand   io.Reader
	primes func(primeBits int) ([]*big.Int, error)

	mu   sync.Mutex
	used map[int]map[[2]int]bool // key bits -> used pairs of prime indices (i < j)
}

// NewRSAPool returns an empty pool over the shipped primes; rand picks which pair comes next (and
// feeds the fallback generation).
func NewRSAPool(rand io.Reader) *RSAPool {
	return newRSAPool(rand, rsapool.Primes)
}

func newRSAPool(rand io.Reader, primes func(int) ([]*big.Int, error)) *RSAPool {
	return &RSAPool{rand: rand, primes: primes, used: map[int]map[[2]int]bool{}}
}

// Key returns an RSA key of bits bits (2048, 3072 or 4096) with e = 65537, CRT values precomputed.
// Other sizes, and sizes whose pairs are all used, are freshly generated. Safe for concurrent use.
func (p *RSAPool) Key(bits int) (*rsa.PrivateKey, error) {
	if bits != 2048 && bits != 3072 && bits != 4096 {
		return GenerateRSA(p.rand, bits)
	}
	primes, err := p.primes(bits / 2)
	if err != nil {
		return nil, err
	}
	i, j, ok, err := p.draw(bits, len(primes))
	if err != nil {
		return nil, err
	}
	if !ok {
		return GenerateRSA(p.rand, bits)
	}
	return rsaKeyFromPrimes(primes[i], primes[j])
}

// draw picks an unused pair i < j of n primes uniformly at random and marks it used.
func (p *RSAPool) draw(bits, n int) (i, j int, ok bool, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	used := p.used[bits]
	free := n*(n-1)/2 - len(used)
	if free <= 0 {
		return 0, 0, false, nil
	}
	r, err := rand.Int(p.rand, big.NewInt(int64(free)))
	if err != nil {
		return 0, 0, false, err
	}
	target := int(r.Int64())
	for i = 0; i < n; i++ {
		for j = i + 1; j < n; j++ {
			if used[[2]int{i, j}] {
				continue
			}
			if target == 0 {
				p.markLocked(bits, i, j)
				return i, j, true, nil
			}
			target--
		}
	}
	return 0, 0, false, errors.New("crypto: RSA pool bookkeeping is inconsistent")
}

// UsedPairs returns, per key size in bits, the pairs of prime indices (i < j, sorted) already
// drawn. Saving it with a world and replaying it through MarkUsed on restore keeps the keys of the
// restored world unique.
func (p *RSAPool) UsedPairs() map[int][][2]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[int][][2]int, len(p.used))
	for bits, pairs := range p.used {
		list := make([][2]int, 0, len(pairs))
		for pair := range pairs {
			list = append(list, pair)
		}
		sort.Slice(list, func(a, b int) bool {
			return list[a][0] < list[b][0] || list[a][0] == list[b][0] && list[a][1] < list[b][1]
		})
		out[bits] = list
	}
	return out
}

// MarkUsed records that the pair (i, j) of bits-bit keys is taken (the order of i and j does not
// matter). Indices outside the shipped primes and i == j are ignored: such a pair can never be drawn.
func (p *RSAPool) MarkUsed(bits, i, j int) {
	if i > j {
		i, j = j, i
	}
	primes, err := p.primes(bits / 2)
	if err != nil || i < 0 || i == j || j >= len(primes) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.markLocked(bits, i, j)
}

func (p *RSAPool) markLocked(bits, i, j int) {
	if p.used[bits] == nil {
		p.used[bits] = map[[2]int]bool{}
	}
	p.used[bits][[2]int{i, j}] = true
}
