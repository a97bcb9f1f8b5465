package crypto

import "sync"

// P-521's base-point multiplication k·G in the module's own code (the field: p521.go): a new P-521
// key's public point and ECDSA's k·G on P-521, on every host but a native one (hostops.go, ownP521):
// a browser, a world with hostCrypto: false, a JS host (whose OpenSSL P-521 is slower), native Go
// (where this is also faster than crypto/ecdsa's). crypto/ecdsa's took some 4.7 ms of a P-521 CreateKey's
// 5 in wasm (Node and Chromium alike), nearly all of it in nistec's field multiplication without its
// native 64×64→128-bit products (p521.go says why); this one some 0.4 ms (BENCHMARKS.md, "P-521's base
// point in the module's own code").
//
// The method is nistec's: a fixed four-bit window with the doublings precomputed. The table holds
// d·16ⁱ·G for d = 1..15 in each of the scalar's 131 windows i, and k·G is the sum over the windows of
// the entry of the window's digit: 131 additions, no doublings. Here the entries are affine (nistec's
// are projective), so each addition is a mixed Jacobian + affine one (8M + 3S against nistec's
// complete formula's 12M + 2M), and the table is 1,965 points of 144 bytes (283 KB) computed on the
// first use (some 9 ms in Node; nistec computes its own table on first use too). Shipped, the table
// would be 40 times the code's size in the module.
//
// Constant time, as nistec's: the digits are read from the scalar at fixed places, each window's
// entry is found by a masked scan of all 15 (no index or branch depends on the scalar), and the two
// cases the addition formula does not cover are selected by masks: a digit 0 (nothing to add) and the
// running sum still at infinity (before the first non-zero digit: the sum becomes the entry). No other
// case occurs: adding window i, the sum so far is c·G with c = k mod 16ⁱ < 16ⁱ ≤ d·16ⁱ, and
// c + d·16ⁱ ≤ k < n, so the two points are neither equal nor opposite. The scalar must be in [1, n−1].

const (
	p521Windows = 131 // ⌈521 / 4⌉
	p521Entries = 15  // d = 1..15
)

// p521Affine is an affine point (x, y).
type p521Affine struct{ x, y p521Elt }

// p521Jacobian is a point (X/Z², Y/Z³) in Jacobian coordinates.
type p521Jacobian struct{ x, y, z p521Elt }

// p521Entry is a table entry: an affine point's exact limbs, two to a word (limb 2i + 1 above limb 2i,
// from bit 29), x's then y's: half the words for the lookup's scan to read.
type p521Entry [p521Limbs]uint64

// p521Window is a window's entries: d·16ⁱ·G at d − 1.
type p521Window [p521Entries]p521Entry

var (
	p521TableOnce sync.Once
	p521Table     *[p521Windows]p521Window
)

// p521G is the generator (FIPS 186-5, SEC 2), in limbs (the tests hold it to crypto/ecdh's 1·G).
var p521G = p521Affine{
	x: p521Elt{0x2e5bd66, 0xbf3f18e, 0x1a90a6fe, 0x1167830a, 0x1a8de334, 0x93d17f, 0x4a3f877, 0xefdfceb, 0x1aa14b5e,
		0x35a69ed, 0x1e0a2bd8, 0xa7f6a43, 0x6481390, 0xada214e, 0x1b2d988e, 0x1d39b3c7, 0x6b70404, 0x6342c70},
	y: p521Elt{0x1fd16650, 0x5f4a3b4, 0x1cb09022, 0x18e10d44, 0x10761353, 0x1c809fd6, 0x19031542, 0x132bde84, 0xc97ee72,
		0x1939f331, 0x5ebef45, 0xf3688d0, 0xf544495, 0x1e8deccc, 0x97ed0b1, 0x18008b91, 0xa789a3b, 0x8c1c94b},
}

// p521BasePoint answers k·G, affine x || y (66 bytes each, big-endian), for a big-endian k in
// [1, n−1].
func p521BasePoint(k *[66]byte) []byte {
	p521TableOnce.Do(p521MakeTable)
	var acc p521Jacobian
	accInfinity := ^uint64(0)
	for i := range p521Windows {
		b := k[len(k)-1-i/2]
		d := uint64(b>>(4*(i&1))) & 0xf
		var t p521Affine
		p521Table[i].lookup(&t, d)
		var sum p521Jacobian
		sum.addAffine(&acc, &t)
		zero := (d - 1) >> 63 // 1 for d = 0
		acc.selectIf(^accInfinity&(zero-1), &sum)
		first := p521Jacobian{x: t.x, y: t.y, z: p521Elt{1}}
		acc.selectIf(accInfinity, &first)
		accInfinity &= -zero
	}
	var zInv p521Elt
	zInv.inv(&acc.z)
	var a p521Affine
	a.set(&acc, &zInv)
	xb, yb := a.x.bytes(), a.y.bytes()
	return append(xb[:], yb[:]...)
}

// set sets a to p, given 1/Z.
func (a *p521Affine) set(p *p521Jacobian, zInv *p521Elt) {
	var zInv2 p521Elt
	zInv2.sqr(zInv)
	a.x.mul(&p.x, &zInv2)
	zInv2.mul(&zInv2, zInv)
	a.y.mul(&p.y, &zInv2)
}

func (p *p521Jacobian) selectIf(mask uint64, q *p521Jacobian) {
	p.x.selectIf(mask, &q.x)
	p.y.selectIf(mask, &q.y)
	p.z.selectIf(mask, &q.z)
}

// addAffine sets r = p + q (madd-2007-bl: 8M + 3S, squarings being
// multiplications here) for p ≠ ±q, neither at infinity. r may be p.
func (r *p521Jacobian) addAffine(p *p521Jacobian, q *p521Affine) {
	var z1z1, u2, s2, h, hh, i, j, rr, v, t p521Elt
	z1z1.sqr(&p.z)      // Z1Z1 = Z1²
	u2.mul(&q.x, &z1z1) // U2 = X2·Z1Z1
	s2.mul(&p.z, &z1z1) //
	s2.mul(&q.y, &s2)   // S2 = Y2·Z1·Z1Z1
	h.sub(&u2, &p.x)    // H = U2 − X1
	hh.sqr(&h)          // HH = H²
	i.mulSmall(&hh, 4)  // I = 4·HH
	j.mul(&h, &i)       // J = H·I
	rr.sub(&s2, &p.y)   //
	rr.add(&rr, &rr)    // r = 2·(S2 − Y1)
	v.mul(&p.x, &i)     // V = X1·I
	var x3, y3, z3 p521Elt
	x3.sqr(&rr)
	x3.sub(&x3, &j)
	x3.sub(&x3, &v)
	x3.sub(&x3, &v) // X3 = r² − J − 2·V
	y3.sub(&v, &x3)
	y3.mul(&rr, &y3)
	t.mul(&p.y, &j)
	t.add(&t, &t)
	y3.sub(&y3, &t) // Y3 = r·(V − X3) − 2·Y1·J
	z3.mul(&p.z, &h)
	z3.add(&z3, &z3) // Z3 = 2·Z1·H (as a squaring, (Z1 + H)² − Z1Z1 − HH, where that is cheaper)
	r.x, r.y, r.z = x3, y3, z3
}

// double sets r = 2p (dbl-2001-b, for a = −3), p not at infinity. r may be p.
func (r *p521Jacobian) double(p *p521Jacobian) {
	var delta, gamma, beta, alpha, t, u p521Elt
	delta.sqr(&p.z)        // δ = Z1²
	gamma.sqr(&p.y)        // γ = Y1²
	beta.mul(&p.x, &gamma) // β = X1·γ
	t.sub(&p.x, &delta)
	u.add(&p.x, &delta)
	alpha.mul(&t, &u)
	alpha.mulSmall(&alpha, 3) // α = 3·(X1 − δ)·(X1 + δ)
	var x3, y3, z3 p521Elt
	x3.sqr(&alpha)
	t.mulSmall(&beta, 8)
	x3.sub(&x3, &t) // X3 = α² − 8β
	z3.mul(&p.y, &p.z)
	z3.add(&z3, &z3) // Z3 = 2·Y1·Z1
	t.mulSmall(&beta, 4)
	t.sub(&t, &x3)
	y3.mul(&alpha, &t)
	u.sqr(&gamma)
	u.mulSmall(&u, 8)
	y3.sub(&y3, &u) // Y3 = α·(4β − X3) − 8γ²
	r.x, r.y, r.z = x3, y3, z3
}

// p521MakeTable computes the table: the windows' bases Bᵢ = 16ⁱ·G by doublings, made affine together;
// then d·Bᵢ = (d − 1)·Bᵢ + Bᵢ (2·Bᵢ by a doubling), made affine eight windows at a time: 18 inversions
// in all, and some 150 KB of points at a time besides the table (all windows at once would take one
// inversion less each, some 60 µs, but 1.7 MB, and wasm's memory does not shrink again). Variable
// time is fine here: every value is public.
func p521MakeTable() {
	bases := make([]p521Jacobian, p521Windows)
	bases[0] = p521Jacobian{p521G.x, p521G.y, p521Elt{1}}
	for i := 1; i < p521Windows; i++ {
		bases[i] = bases[i-1]
		for range 4 {
			bases[i].double(&bases[i])
		}
	}
	affine := p521Normalize(bases)
	table := new([p521Windows]p521Window)
	const chunk = 8 // windows
	points := make([]p521Jacobian, chunk*p521Entries)
	for i0 := 0; i0 < p521Windows; i0 += chunk {
		n := min(chunk, p521Windows-i0)
		for i := range n {
			b, w := &affine[i0+i], points[i*p521Entries:]
			w[0] = p521Jacobian{b.x, b.y, p521Elt{1}}
			w[1].double(&w[0])
			for d := 2; d < p521Entries; d++ {
				w[d].addAffine(&w[d-1], b)
			}
		}
		for j, a := range p521Normalize(points[:n*p521Entries]) {
			table[i0+j/p521Entries][j%p521Entries].set(&a)
		}
	}
	p521Table = table
}

// set sets the entry to the affine point a.
func (e *p521Entry) set(a *p521Affine) {
	for c, v := range [2]*p521Elt{&a.x, &a.y} {
		v := v.exact()
		for l := range p521Limbs / 2 {
			e[c*p521Limbs/2+l] = v[2*l] | v[2*l+1]<<p521LimbBits
		}
	}
}

// p521Normalize answers the points (none at infinity) in affine coordinates, with one inversion
// (Montgomery's trick).
func p521Normalize(ps []p521Jacobian) []p521Affine {
	prefix := make([]p521Elt, len(ps)) // prefix[i] = Z0·Z1·…·Zi
	acc := p521Elt{1}
	for i := range ps {
		acc.mul(&acc, &ps[i].z)
		prefix[i] = acc
	}
	var inv p521Elt
	inv.inv(&acc)
	out := make([]p521Affine, len(ps))
	for i := len(ps) - 1; i >= 0; i-- {
		zInv := inv // 1/Zi = 1/prefix[i] · prefix[i−1]
		if i > 0 {
			zInv.mul(&inv, &prefix[i-1])
		}
		inv.mul(&inv, &ps[i].z)
		out[i].set(&ps[i], &zInv)
	}
	return out
}
