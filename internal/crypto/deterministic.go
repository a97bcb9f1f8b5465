package crypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"errors"
	"hash"
	"io"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Deterministic is the reader of a world that must give the same answers for the same seed, clock
// and calls (the kms package's seeded worlds). Handed to Sign, it asks for the deterministic
// variant of every signature scheme that has one, so that a signature depends on the key and the
// message only and reads nothing; the schemes that need randomness read exactly what they need
// from the Reader inside:
//
//	RSASSA_PSS_*              the salt (as long as the digest) from Reader, as with any reader
//	RSASSA_PKCS1_V1_5_*       deterministic by definition
//	ED25519_SHA_512, _PH_     deterministic by definition (RFC 8032)
//	ECDSA_SHA_*               RFC 6979 with the algorithm's hash (signRFC6979 below), on every
//	                          curve: crypto/ecdsa's PrivateKey.Sign with a nil reader gives the
//	                          same signatures on the NIST curves
//	SM2DSA                    RFC 6979's nonce with HMAC-SM3 (sm2Sign; gmsm's SignDeterministic)
//	ML_DSA_SHAKE_256          FIPS 204's deterministic variant (rnd = 32 zero bytes),
//	                          filippo.io/mldsa's SignDeterministic
//
// Given any other reader (crypto/rand.Reader in an unseeded world), Sign is randomized as before:
// ECDSA and SM2 with a random nonce, ML-DSA hedged.
//
// Nothing else needs the marker, because nothing else hands its reader to a library that reads it
// in a way of its own: every Generate* function draws the bytes of the key from its reader itself,
// exactly as many per try as it says (never through crypto/internal/rand.CustomReader, which reads
// one byte more at random, randutil.MaybeReadByte), and the encryptions read their randomness as it
// is (RSAEncryptOAEP's seed, which crypto/rsa reads with io.ReadFull; SM2Encrypt's k, which sm2.go
// reads with io.ReadFull; MLKEMEncapsulate's m; the symmetric blob's nonce). A Deterministic may be
// handed to them all the same. The one exception is GenerateRSA (fresh RSA keys): crypto/rsa wraps
// the reader in CustomReader, so fresh RSA keys are never reproducible; the prime pool's are.
type Deterministic struct{ io.Reader }

// deterministic reports whether rand is a Deterministic, and the reader to draw from.
func deterministic(rand io.Reader) (io.Reader, bool) {
	if d, ok := rand.(Deterministic); ok {
		return d.Reader, true
	}
	return rand, false
}

// signRFC6979 is ECDSA (SEC 1 4.1.3) with the per-message secret k of RFC 6979 section 3.2, HMAC
// with the hash h (the algorithm's), on any elliptic.Curve: P-256, P-384, P-521 and secp256k1. It
// gives crypto/ecdsa's RFC 6979 signature on the NIST curves (the tests check it, and RFC 6979's
// vectors), which is not used because it links a copy of its code per curve, 18 KB of the module,
// and knows the NIST curves only. Variable time (math/big), which does not matter here: it signs in
// seeded worlds only, whose keys anyone with the seed can recompute anyway (and, with a host's
// base-point multiplication, in any world of a test double). The signature is DER SEQUENCE { r, s }
// with s as it comes out (no low-s normalization).
func signRFC6979(priv *ecdsa.PrivateKey, h crypto.Hash, digest []byte) ([]byte, error) {
	return signECDSAWith(priv, h, digest, true, nil, nil)
}

// signECDSAWith is ECDSA (SEC 1 4.1.3) with the per-message secret k of RFC 6979 (det) or drawn
// uniformly from [1, n-1] from rand, and k·G's x-coordinate from baseX (a host's; nil, or a failed
// call, is the curve's own ScalarBaseMult). The rest is math/big, here: r = x mod n,
// s = k⁻¹(e + r·d) mod n, a new k while either is 0. So a host's base-point multiplication gives
// the same signature for the same k, RFC 6979's included.
func signECDSAWith(priv *ecdsa.PrivateKey, h crypto.Hash, digest []byte, det bool, rand io.Reader, baseX func(k []byte) (*big.Int, bool)) ([]byte, error) {
	n := priv.Curve.Params().N
	if priv.D == nil || priv.D.Sign() <= 0 || priv.D.Cmp(n) >= 0 {
		return nil, errors.New("crypto: invalid ECDSA private key")
	}
	e := bits2int(digest, n.BitLen())
	var nonces *rfc6979
	if det {
		nonces = newRFC6979(n, h.New, priv.D, digest)
	}
	scalar := make([]byte, (n.BitLen()+7)/8)
	for {
		var k *big.Int
		if det {
			k = nonces.next()
		} else {
			var err error
			if k, err = randomScalar(rand, n, scalar); err != nil {
				return nil, err
			}
		}
		k.FillBytes(scalar)
		var x *big.Int
		ok := false
		if baseX != nil {
			x, ok = baseX(scalar)
		}
		if !ok {
			x, _ = priv.Curve.ScalarBaseMult(scalar)
		}
		r := x.Mod(x, n)
		s := new(big.Int).Mul(r, priv.D)
		s.Add(s, e)
		s.Mul(s, k.ModInverse(k, n))
		s.Mod(s, n)
		if r.Sign() == 0 || s.Sign() == 0 {
			continue
		}
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1BigInt(r)
			b.AddASN1BigInt(s)
		})
		return b.Bytes()
	}
}

// randomScalar draws k uniformly from [1, n-1]: len(buf) bytes from rand, the bits above n's
// length cleared, drawn again while out of range.
func randomScalar(rand io.Reader, n *big.Int, buf []byte) (*big.Int, error) {
	excess := len(buf)*8 - n.BitLen()
	for {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, err
		}
		buf[0] &= 0xff >> excess
		if k := new(big.Int).SetBytes(buf); k.Sign() > 0 && k.Cmp(n) < 0 {
			return k, nil
		}
	}
}

// rfc6979 generates the candidates k of RFC 6979 section 3.2 for the group order q: steps b to g
// in newRFC6979, step h in next. mac is HMAC keyed with K.
type rfc6979 struct {
	q       *big.Int
	h       func() hash.Hash
	mac     hash.Hash
	v       []byte
	started bool
}

// newRFC6979 takes the private key x and the message hash h1 (any length: bits2octets reduces it).
func newRFC6979(q *big.Int, h func() hash.Hash, x *big.Int, h1 []byte) *rfc6979 {
	rlen := (q.BitLen() + 7) / 8
	g := &rfc6979{q: q, h: h, mac: hmac.New(h, make([]byte, h().Size()))} // c. K = 0x00 ... 0x00
	g.v = make([]byte, g.mac.Size())
	for i := range g.v {
		g.v[i] = 1 // b. V = 0x01 ... 0x01
	}
	z := bits2int(h1, q.BitLen()) // bits2octets(h1): z1 mod q, and z1 < 2q
	if z.Cmp(q) >= 0 {
		z.Sub(z, q)
	}
	provided := append(x.FillBytes(make([]byte, rlen)), z.FillBytes(make([]byte, rlen))...)
	g.update(0, provided) // d. and e.
	g.update(1, provided) // f. and g.
	return g
}

// update is K = HMAC_K(V || sep || provided), then V = HMAC_K(V).
func (g *rfc6979) update(sep byte, provided []byte) {
	g.mac.Reset()
	g.mac.Write(g.v)
	g.mac.Write([]byte{sep})
	g.mac.Write(provided)
	g.mac = hmac.New(g.h, g.mac.Sum(nil))
	g.nextV()
}

// nextV is V = HMAC_K(V).
func (g *rfc6979) nextV() []byte {
	g.mac.Reset()
	g.mac.Write(g.v)
	g.v = g.mac.Sum(g.v[:0])
	return g.v
}

// next answers the next candidate in [1, q-1] (step h). Calling it again means the previous one
// was not suitable (r or s was 0): it goes on as step h.3 says.
func (g *rfc6979) next() *big.Int {
	for {
		if g.started {
			g.update(0, nil) // h.3
		}
		g.started = true
		var t []byte // h.1, h.2
		for len(t)*8 < g.q.BitLen() {
			t = append(t, g.nextV()...)
		}
		if k := bits2int(t, g.q.BitLen()); k.Sign() > 0 && k.Cmp(g.q) < 0 {
			return k
		}
	}
}

// bits2int is RFC 6979 section 2.3.2 (and SEC 1's truncation of e): the leftmost qlen bits of b
// as an integer.
func bits2int(b []byte, qlen int) *big.Int {
	x := new(big.Int).SetBytes(b)
	if excess := len(b)*8 - qlen; excess > 0 {
		x.Rsh(x, uint(excess))
	}
	return x
}
