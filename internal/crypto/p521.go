package crypto

//go:generate go run p521_gen.go

// The field of P-521, p = 2⁵²¹ − 1, for the module's own base-point multiplication (p521_base.go).
//
// Why not crypto/internal/fips140/nistec's: its field is fiat-crypto's Montgomery code on nine 64-bit
// limbs, whose every 64×64→128-bit product is a math/bits.Mul64, an intrinsic on native targets but
// emulated in wasm (four 32-bit products and the carries between them). Here an element is 18 limbs of
// 29 bits (522 bits): a product of two limbs is 58 bits, a plain i64.mul in wasm, and a column of a
// product (at most 35 such terms, counting the doubled ones of the reduction) stays below 2⁶⁴. p being
// a Mersenne prime, the reduction is a shift: 2⁵²² ≡ 2 (mod p), so the product's limb 18 + k folds onto
// limb k doubled, and the bit 2⁵²¹ that a carry leaves at the top folds onto bit 0.
//
// Constant time: no operation branches on or indexes memory by an element's value.
//
// Bounds. A "tight" element is what every operation answers: limbs 0..16 below 2²⁹ + 2⁸, limb 17 below
// 2²⁸ + 1 (a value below 2⁵²¹ + 2³⁷, reduced mod p only by p521Elt.bytes). Every operation takes tight
// elements: the product's columns are then below 35·(2²⁹ + 2⁸)² < 2⁶⁴, and a subtraction's 4p (limbs
// 2³¹ − 4, the top 2³⁰ − 4) exceeds every limb of the subtrahend, so no limb goes negative.

const (
	p521Limbs    = 18
	p521LimbBits = 29
	p521LimbMask = 1<<p521LimbBits - 1
	p521TopBits  = 521 - 17*p521LimbBits // 28: limb 17 holds bits 493..520
	p521TopMask  = 1<<p521TopBits - 1
)

// p521Elt is an element of the field in 18 little-endian limbs of 29 bits (limb 17 of 28), tight.
type p521Elt [p521Limbs]uint64

// mul sets z = x·y. z may be x or y. Column k of the product is Σ x[i]·y[k−i] over i ≤ k plus, from
// column 18 + k (2⁵²² ≡ 2), Σ x[i]·2y[18+k−i] over i > k: with w = 2y[1..17] || y, that is
// Σ x[i]·w[17+k−i], one line over a window of w. A loop over the columns of that line: fully
// unrolled (324 products) it is a quarter faster in wasm, and some 4 KB more of the module.
func (z *p521Elt) mul(x, y *p521Elt) {
	var w [2*p521Limbs - 1]uint64
	for j := range p521Limbs - 1 {
		w[j] = y[j+1] << 1
	}
	copy(w[p521Limbs-1:], y[:])
	a := *x // on the frame: each limb a load at an offset from SP
	var t p521Elt
	for k := range t {
		s := (*p521Elt)(w[k:])
		t[k] = a[0]*s[17] + a[1]*s[16] + a[2]*s[15] + a[3]*s[14] + a[4]*s[13] + a[5]*s[12] +
			a[6]*s[11] + a[7]*s[10] + a[8]*s[9] + a[9]*s[8] + a[10]*s[7] + a[11]*s[6] +
			a[12]*s[5] + a[13]*s[4] + a[14]*s[3] + a[15]*s[2] + a[16]*s[1] + a[17]*s[0]
	}
	z.carry(&t)
}

// sqr sets z = x²: mul's columns, each product x[i]·x[j] (i ≠ j) once and doubled, in two loops of
// one line each (odd columns, even ones), half mul's products. Column 2h + 1's pairs are
// (h − m, h + 1 + m) for m = 0..8, column 2h's (h − m, h + m) for m = 1..8 and the squares x[h]² and
// x[h + 9]²·2 (h + 9 twice is column 2h + 18, folded), indices below 0 wrapping to 18 more with the
// fold's 2: with l = 2x || x (l[18 + i] = x[i], l[i] = 2x[i]), a pair is l[18 + h − m]·x[j].
func (z *p521Elt) sqr(x *p521Elt) {
	a := *x
	var l [2 * p521Limbs]uint64
	for i, v := range a {
		l[i] = v << 1
		l[p521Limbs+i] = v
	}
	var t p521Elt
	for h := range p521Limbs / 2 {
		s := (*[p521Limbs + 1]uint64)(l[h:]) // s[18 − m] = l[18 + h − m]
		b := (*[p521Limbs/2 + 1]uint64)(a[h:])
		t[2*h+1] = (s[18]*b[1] + s[17]*b[2] + s[16]*b[3] + s[15]*b[4] + s[14]*b[5] + s[13]*b[6] +
			s[12]*b[7] + s[11]*b[8] + s[10]*b[9]) << 1
		t[2*h] = (s[17]*b[1]+s[16]*b[2]+s[15]*b[3]+s[14]*b[4]+s[13]*b[5]+s[12]*b[6]+s[11]*b[7]+
			s[10]*b[8])<<1 + s[18]*b[0] + s[9]*b[9]
	}
	z.carry(&t)
}

// sqrN sets z = x^(2ⁿ), n ≥ 1.
func (z *p521Elt) sqrN(x *p521Elt, n int) {
	z.sqr(x)
	for range n - 1 {
		z.sqr(z)
	}
}

// inv sets z = 1/x (0 for x = 0) as x^(p−2), p − 2 = (2⁵¹⁹ − 1)·4 + 1, by a fixed chain (constant
// time) of steps r[dst] = r[src]^(2ⁿ)·r[by] on registers r[0] = x, r[1] = a₂, r[2] = a₄, r[3] = aₘ,
// r[4] = a₃, r[5] = a₇, where aₘ = x^(2ᵐ − 1): a₂, a₄, a₈ ... a₅₁₂ (a₂ₘ = aₘ^(2ᵐ)·aₘ), a₃ = a₂²·x,
// a₇ = a₄^(2³)·a₃, a₅₁₉ = a₅₁₂^(2⁷)·a₇, then a₅₁₉^(2²)·x. 524 squarings and 13 multiplications.
func (z *p521Elt) inv(x *p521Elt) {
	var r [6]p521Elt
	r[0] = *x
	for _, s := range [...]struct {
		src     uint8
		n       uint16
		by, dst uint8
	}{
		{0, 1, 0, 1}, {1, 2, 1, 2}, {2, 4, 2, 3}, {3, 8, 3, 3}, {3, 16, 3, 3}, {3, 32, 3, 3}, {3, 64, 3, 3},
		{3, 128, 3, 3}, {3, 256, 3, 3}, {1, 1, 0, 4}, {2, 3, 4, 5}, {3, 7, 5, 3}, {3, 2, 0, 3},
	} {
		var t p521Elt
		t.sqrN(&r[s.src], int(s.n))
		r[s.dst].mul(&t, &r[s.by])
	}
	*z = r[3]
}

// exact answers x mod p with exact limbs (0..16 below 2²⁹, 17 below 2²⁸): one carry of a tight
// element leaves a value in [0, p] (an excess over 28 bits at limb 17 is only there when the value is
// 2⁵²¹ plus less than 2³⁷, and folds onto a small limb 0), and p itself is 0: all ones, the only value
// whose + 1 carries out of bit 520, which then clears every limb.
func (x *p521Elt) exact() p521Elt {
	var v p521Elt
	v.carry(x)
	c := uint64(1)
	for i := range p521Limbs - 1 {
		c = (v[i] + c) >> p521LimbBits
	}
	c = (v[17] + c) >> p521TopBits
	keep := c - 1 // 0 for v = p, all ones otherwise
	for i := range v {
		v[i] &= keep
	}
	return v
}

// bytes answers x mod p, 66 bytes big-endian.
func (x *p521Elt) bytes() (b [66]byte) {
	v := x.exact()
	var acc uint64
	bitsIn, n := 0, len(b)
	for _, l := range v {
		acc |= l << bitsIn
		for bitsIn += p521LimbBits; bitsIn >= 8 && n > 0; bitsIn -= 8 {
			n--
			b[n] = byte(acc)
			acc >>= 8
		}
	}
	if n > 0 {
		b[n-1] = byte(acc)
	}
	return b
}

// selectIf sets z to x where mask is all ones, leaves it where mask is 0.
func (z *p521Elt) selectIf(mask uint64, x *p521Elt) {
	for i := range z {
		z[i] ^= (z[i] ^ x[i]) & mask
	}
}
