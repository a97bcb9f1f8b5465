package crypto

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"math/big"
	"math/bits"
	"slices"
	"sync"

	"github.com/wasmkms/wasmkms/internal/crypto/rsapool"
)

// RSAPool builds RSA keys in about a millisecond (inside wasm) from pairs of the pre-computed primes
// shipped in package rsapool, instead of generating them (seconds inside wasm). Pairs are drawn at
// random and without repetition, so with one pool per world every key in a world has its own
// modulus. When the pairs of a size run out, Key falls back to GenerateRSA.
//
// KEYS FROM THE POOL ARE TEST KEYS. Their primes are public (they ship in every build), so anyone can
// factor their moduli. They must never protect real data. Two pool keys may share one prime.
type RSAPool struct {
	rand   io.Reader
	primes func(primeBits int) ([]*big.Int, error)

	mu   sync.Mutex
	used map[int]*pairSet // by key size in bits
	// drawn: every pair marked used, in the order it was (a state log writes the new ones).
	drawn []drawnPair
}

type drawnPair struct{ bits, i, j int }

// NewRSAPool returns an empty pool over the shipped primes; rand picks which pair comes next (and
// feeds the fallback generation).
func NewRSAPool(rand io.Reader) *RSAPool {
	return newRSAPool(rand, rsapool.Primes)
}

func newRSAPool(rand io.Reader, primes func(int) ([]*big.Int, error)) *RSAPool {
	return &RSAPool{rand: rand, primes: primes, used: map[int]*pairSet{}}
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
	set := p.setLocked(bits, n)
	free := set.pairs - set.count
	if free <= 0 {
		return 0, 0, false, nil
	}
	r, err := rand.Int(p.rand, big.NewInt(int64(free)))
	if err != nil {
		return 0, 0, false, err
	}
	k := set.nthFree(int(r.Int64()))
	if k < 0 {
		return 0, 0, false, errors.New("crypto: RSA pool bookkeeping is inconsistent")
	}
	set.mark(k)
	i, j = pairOf(k, n)
	p.drawn = append(p.drawn, drawnPair{bits, i, j})
	return i, j, true, nil
}

// Drawn counts the pairs marked used so far (drawn, or marked by MarkUsed and MarkKey).
func (p *RSAPool) Drawn() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.drawn)
}

// DrawnSince returns, per key size in bits, the pairs marked used after the first n (Drawn's count
// at an earlier moment), in the order they were.
func (p *RSAPool) DrawnSince(n int) map[int][][2]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[int][][2]int{}
	for _, d := range p.drawn[min(n, len(p.drawn)):] {
		out[d.bits] = append(out[d.bits], [2]int{d.i, d.j})
	}
	return out
}

// UsedPairs returns, per key size in bits, the pairs of prime indices (i < j, in increasing order)
// already drawn. Saving it with a world and replaying it through MarkUsed on restore keeps the keys
// of the restored world unique.
func (p *RSAPool) UsedPairs() map[int][][2]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[int][][2]int, len(p.used))
	for bits, set := range p.used {
		if set.count == 0 {
			continue
		}
		list := make([][2]int, 0, set.count)
		for k := range set.pairs {
			if set.has(k) {
				i, j := pairOf(k, set.n)
				list = append(list, [2]int{i, j})
			}
		}
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
	set := p.setLocked(bits, len(primes))
	if k := pairIndex(i, j, len(primes)); !set.has(k) {
		set.mark(k)
		p.drawn = append(p.drawn, drawnPair{bits, i, j})
	}
}

// MarkKey records the pair an RSA key was built from when it is a pool key (a key of a pool size
// whose two primes are both shipped ones), so that a world restored from keys whose draws were not
// saved never draws one of them again. Any other key is ignored.
func (p *RSAPool) MarkKey(priv *rsa.PrivateKey) {
	bits := priv.N.BitLen()
	if len(priv.Primes) != 2 || bits != 2048 && bits != 3072 && bits != 4096 {
		return
	}
	primes, err := p.primes(bits / 2)
	if err != nil {
		return
	}
	index := func(q *big.Int) int { return slices.IndexFunc(primes, func(p *big.Int) bool { return p.Cmp(q) == 0 }) }
	if i, j := index(priv.Primes[0]), index(priv.Primes[1]); i >= 0 && j >= 0 {
		p.MarkUsed(bits, i, j)
	}
}

func (p *RSAPool) setLocked(bits, n int) *pairSet {
	set := p.used[bits]
	if set == nil {
		set = newPairSet(n)
		p.used[bits] = set
	}
	return set
}

// pairSet is a bitset over the n*(n-1)/2 pairs of n primes, numbered row by row:
// (0,1), (0,2) ... (0,n-1), (1,2) ... A bitset keeps draws cheap inside wasm, where a scan of 2016
// map lookups would cost more than building the key.
type pairSet struct {
	n, pairs, count int
	bits            []uint64
}

func newPairSet(n int) *pairSet {
	pairs := n * (n - 1) / 2
	return &pairSet{n: n, pairs: pairs, bits: make([]uint64, (pairs+63)/64)}
}

func (s *pairSet) has(k int) bool { return s.bits[k/64]&(1<<(k%64)) != 0 }

func (s *pairSet) mark(k int) {
	s.bits[k/64] |= 1 << (k % 64)
	s.count++
}

// nthFree returns the number of the r-th (from 0) unused pair, or -1.
func (s *pairSet) nthFree(r int) int {
	for w, word := range s.bits {
		width := min(64, s.pairs-64*w)
		free := width - bits.OnesCount64(word)
		if r >= free {
			r -= free
			continue
		}
		for b := range width {
			if word&(1<<b) == 0 {
				if r == 0 {
					return 64*w + b
				}
				r--
			}
		}
	}
	return -1
}

// pairIndex numbers the pair i < j of n primes row by row.
func pairIndex(i, j, n int) int { return i*n - i*(i+1)/2 + (j - i - 1) }

// pairOf is the inverse of pairIndex.
func pairOf(k, n int) (i, j int) {
	for i = 0; ; i++ {
		row := n - 1 - i // pairs (i, i+1) ... (i, n-1)
		if k < row {
			return i, i + 1 + k
		}
		k -= row
	}
}
