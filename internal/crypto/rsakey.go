package crypto

import (
	"crypto/rsa"
	"errors"
	"math/big"

	"github.com/wasmkms/wasmkms/internal/crypto/rsapool"
)

var bigOne = big.NewInt(1)

// rsaKeyFromPrimes builds the key n = p*q, e = 65537, d = e^-1 mod lcm(p-1, q-1) (the smallest
// valid d, as FIPS 186-5 asks), with the CRT values filled in before Precompute. Handing crypto/rsa
// the CRT values lets it take the path that only checks them; without them it would compute
// Qinv = q^(p-2) mod p, a full constant-time modular exponentiation: measured for RSA-4096 in
// Node's V8, 22 ms per key that way against 1.0 ms this way (natively 3.0 ms against 0.45 ms).
// Qinv here comes from the extended Euclidean algorithm (variable time, which is fine: the primes
// are public). crypto/rsa still checks everything: pq = n, de = 1 mod p-1 and q-1, q*Qinv = 1
// mod p, |p-q| and the size of d.
func rsaKeyFromPrimes(p, q *big.Int) (*rsa.PrivateKey, error) {
	e := big.NewInt(rsapool.PublicExponent)
	pMinus1 := new(big.Int).Sub(p, bigOne)
	qMinus1 := new(big.Int).Sub(q, bigOne)
	gcd := new(big.Int).GCD(nil, nil, pMinus1, qMinus1)
	lambda := new(big.Int).Mul(pMinus1, qMinus1)
	lambda.Quo(lambda, gcd)
	d := new(big.Int).ModInverse(e, lambda)
	qInv := new(big.Int).ModInverse(q, p)
	if d == nil || qInv == nil {
		return nil, errors.New("crypto: RSA pool primes do not form a key")
	}
	key := &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: rsapool.PublicExponent},
		D:         d,
		Primes:    []*big.Int{new(big.Int).Set(p), new(big.Int).Set(q)},
	}
	key.Precomputed.Dp = new(big.Int).Mod(d, pMinus1)
	key.Precomputed.Dq = new(big.Int).Mod(d, qMinus1)
	key.Precomputed.Qinv = qInv
	key.Precompute()
	if err := key.Validate(); err != nil {
		return nil, err
	}
	return key, nil
}
