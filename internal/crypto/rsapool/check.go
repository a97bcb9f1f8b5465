package rsapool

import (
	"fmt"
	"math/big"
)

// CheckPrime reports whether p is fit for the pool at primeBits bits: exactly primeBits bits with
// the top two set, probably prime, and gcd(PublicExponent, p-1) = 1. The generator and the tests
// both use it, so the rule lives in one place.
func CheckPrime(p *big.Int, primeBits int) error {
	if p.BitLen() != primeBits || p.Bit(primeBits-2) != 1 {
		return fmt.Errorf("rsapool: prime must have exactly %d bits with the top two set", primeBits)
	}
	// Baillie-PSW (no pseudoprime is known) plus one random Miller-Rabin base; the generator's
	// crypto/rand.Prime has already run 20 rounds, this re-check keeps the shipped files honest.
	if !p.ProbablyPrime(1) {
		return fmt.Errorf("rsapool: %x... is not prime", p.Bytes()[:8])
	}
	pMinus1 := new(big.Int).Sub(p, big.NewInt(1))
	if new(big.Int).GCD(nil, nil, big.NewInt(PublicExponent), pMinus1).Cmp(big.NewInt(1)) != 0 {
		return fmt.Errorf("rsapool: gcd(e, p-1) != 1")
	}
	return nil
}

// CheckPair reports whether p and q may form a key: distinct, and far enough apart that Fermat's
// method cannot factor their product (crypto/rsa requires |p-q| > 2^(nlen/2-100)).
func CheckPair(p, q *big.Int, primeBits int) error {
	diff := new(big.Int).Sub(p, q)
	if diff.Abs(diff).BitLen() <= primeBits-100 {
		return fmt.Errorf("rsapool: primes are too close (|p-q| has %d bits)", diff.BitLen())
	}
	return nil
}
