package crypto

import (
	"crypto/elliptic"
	"encoding/binary"
	"math/big"
	"math/bits"
	"sync"
)

// The SM2 curve (GB/T 32918.5, "sm2p256v1": y² = x³ − 3x + b over the prime field of
// P = 2²⁵⁶ − 2²²⁴ − 2⁹⁶ + 2⁶⁴ − 1, prime order N, cofactor 1), KMS's SM2 key spec, as a
// crypto/elliptic.Curve. sm2.go builds SM2's signatures, encryption and key agreement on it.
//
// Why not gmsm (github.com/emmansun/gmsm, which this replaces; the tests check this against it):
// for the one curve, its sm2 package links SM3, SM4, its own bigmod, fiat field code, an ASN.1
// layer and key caches, 278 KB of the module's code; without it the module went from 9,354,541 to
// 8,851,426 bytes raw (2,563,735 to 2,373,968 gzip -9). This file and sm2.go need only what the
// module links anyway (math/big, crypto/elliptic's interface, cryptobyte, crypto/hmac) and SM3
// (sm3.go).
//
// NOT CONSTANT TIME, like secp256k1.go (whose layout this follows): the point operations branch on
// the scalar's bits and math/big is variable time. Acceptable for wasmkms's test keys only.
//
// Field elements are four 64-bit limbs in Montgomery form (x·2²⁵⁶ mod P), multiplied by CIOS
// Montgomery multiplication; P's low limb is 2⁶⁴ − 1, so −P⁻¹ mod 2⁶⁴ is 1 and each reduction step
// needs no multiplication to find its factor. Points are Jacobian (x, y, z) for (x/z², y/z³), z = 0
// the point at infinity, written (0, 0) by the affine API as crypto/elliptic does. Doubling is the
// a = −3 formula (dbl-2001-b); ScalarMult a fixed 4-bit window; ScalarBaseMult the same 6-tooth comb
// as secp256k1's, computed on first use.

// SM2P256 returns the SM2 curve. Every call returns the same value, so curves can be compared with
// ==. Its Params().Name is "sm2p256v1", as gmsm's and OpenSSL's.
func SM2P256() elliptic.Curve {
	sm2Once.Do(initSM2)
	return sm2Instance
}

var (
	sm2Once     sync.Once
	sm2Instance = &sm2Curve{}
)

func initSM2() {
	hex := func(s string) *big.Int {
		n, _ := new(big.Int).SetString(s, 16)
		return n
	}
	sm2Instance.params = &elliptic.CurveParams{
		P:       hex("fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff"),
		N:       hex("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123"),
		B:       hex("28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93"),
		Gx:      hex("32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"),
		Gy:      hex("bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0"),
		BitSize: 256,
		Name:    "sm2p256v1",
	}
}

type sm2Curve struct {
	params *elliptic.CurveParams

	combOnce sync.Once
	comb     [1 << combTeeth]sm2Point // comb[i] for i ≥ 1, affine (z = one); comb[0] is unused
}

// sm2fe is an element of the field in Montgomery form: little-endian limbs, always in [0, P).
type sm2fe [4]uint64

var (
	sm2P   = sm2fe{0xffffffffffffffff, 0xffffffff00000000, 0xffffffffffffffff, 0xfffffffeffffffff}
	sm2One = sm2fe{0x0000000000000001, 0x00000000ffffffff, 0x0000000000000000, 0x0000000100000000} // 2²⁵⁶ mod P
	sm2RR  = sm2fe{0x0000000200000003, 0x00000002ffffffff, 0x0000000100000001, 0x0000000400000002} // 2⁵¹² mod P
	sm2B   = sm2fe{0x90d230632bc0dd42, 0x71cf379ae9b537ab, 0x527981505ea51c3c, 0x240fe188ba20e2c8} // b·2²⁵⁶ mod P
)

// setBytes sets z to the 32-byte big-endian b, which must be below P, in Montgomery form.
func (z *sm2fe) setBytes(b *[32]byte) {
	for i := range z {
		z[i] = binary.BigEndian.Uint64(b[24-8*i:])
	}
	z.mul(z, &sm2RR)
}

// bytes answers x out of Montgomery form, 32 bytes big-endian.
func (x *sm2fe) bytes() (b [32]byte) {
	var v sm2fe
	v.mul(x, &sm2fe{1})
	for i, l := range v {
		binary.BigEndian.PutUint64(b[24-8*i:], l)
	}
	return b
}

func (z *sm2fe) setBig(v *big.Int) {
	var b [32]byte
	v.FillBytes(b[:])
	z.setBytes(&b)
}

func (x *sm2fe) big() *big.Int {
	b := x.bytes()
	return new(big.Int).SetBytes(b[:])
}

func (x *sm2fe) isZero() bool { return x[0]|x[1]|x[2]|x[3] == 0 }

// subP answers (c·2²⁵⁶ + r) − P if that is not negative, else r: the reduction of a sum below 2P.
func subP(r sm2fe, c uint64) sm2fe {
	var d sm2fe
	var b uint64
	d[0], b = bits.Sub64(r[0], sm2P[0], 0)
	d[1], b = bits.Sub64(r[1], sm2P[1], b)
	d[2], b = bits.Sub64(r[2], sm2P[2], b)
	d[3], b = bits.Sub64(r[3], sm2P[3], b)
	if c == 0 && b != 0 {
		return r
	}
	return d
}

func (z *sm2fe) add(x, y *sm2fe) {
	var s sm2fe
	var c uint64
	s[0], c = bits.Add64(x[0], y[0], 0)
	s[1], c = bits.Add64(x[1], y[1], c)
	s[2], c = bits.Add64(x[2], y[2], c)
	s[3], c = bits.Add64(x[3], y[3], c)
	*z = subP(s, c)
}

func (z *sm2fe) sub(x, y *sm2fe) {
	var d sm2fe
	var b uint64
	d[0], b = bits.Sub64(x[0], y[0], 0)
	d[1], b = bits.Sub64(x[1], y[1], b)
	d[2], b = bits.Sub64(x[2], y[2], b)
	d[3], b = bits.Sub64(x[3], y[3], b)
	if b != 0 { // x − y + P, mod 2²⁵⁶
		var c uint64
		d[0], c = bits.Add64(d[0], sm2P[0], 0)
		d[1], c = bits.Add64(d[1], sm2P[1], c)
		d[2], c = bits.Add64(d[2], sm2P[2], c)
		d[3], _ = bits.Add64(d[3], sm2P[3], c)
	}
	*z = d
}

// mul sets z = x·y·2⁻²⁵⁶ mod P (Montgomery multiplication, CIOS); z may be x or y. Each of the
// four rounds adds x·y[i], then m·P with m = t0 (as −P⁻¹ mod 2⁶⁴ = 1), which clears the low limb,
// and shifts one limb down. The result is below 2P: one conditional subtraction.
func (z *sm2fe) mul(x, y *sm2fe) {
	var t0, t1, t2, t3, t4 uint64
	for _, yi := range y {
		var c, t5 uint64
		t0, c = mac(t0, x[0], yi, 0)
		t1, c = mac(t1, x[1], yi, c)
		t2, c = mac(t2, x[2], yi, c)
		t3, c = mac(t3, x[3], yi, c)
		t4, t5 = bits.Add64(t4, c, 0)
		m := t0
		_, c = mac(t0, m, sm2P[0], 0)
		t0, c = mac(t1, m, sm2P[1], c)
		t1, c = mac(t2, m, sm2P[2], c)
		t2, c = mac(t3, m, sm2P[3], c)
		t3, c = bits.Add64(t4, c, 0)
		t4 = t5 + c
	}
	*z = subP(sm2fe{t0, t1, t2, t3}, t4)
}

func (z *sm2fe) sqr(x *sm2fe) { z.mul(x, x) }

// inv sets z = 1/x mod P (x ≠ 0) with math/big.
func (z *sm2fe) inv(x *sm2fe) {
	v := x.big()
	z.setBig(v.ModInverse(v, sm2BigP))
}

var sm2BigP = new(big.Int).SetBytes([]byte{
	0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})

// sm2Point is a point in Jacobian coordinates; z = 0 is the point at infinity.
type sm2Point struct{ x, y, z sm2fe }

func (p *sm2Point) isInfinity() bool { return p.z.isZero() }

var sm2Infinity = sm2Point{x: sm2One, y: sm2One}

// double sets r = 2p (dbl-2001-b, for a = −3: 3M + 5S). r may be p.
func (r *sm2Point) double(p *sm2Point) {
	if p.isInfinity() || p.y.isZero() { // y = 0 would be a point of order 2; the curve has none
		*r = sm2Infinity
		return
	}
	var delta, gamma, beta, alpha, t, x3, y3, z3 sm2fe
	delta.sqr(&p.z)
	gamma.sqr(&p.y)
	beta.mul(&p.x, &gamma)
	t.sub(&p.x, &delta)
	alpha.add(&p.x, &delta)
	alpha.mul(&alpha, &t)
	t.add(&alpha, &alpha)
	alpha.add(&t, &alpha) // alpha = 3(X1 − delta)(X1 + delta)
	x3.sqr(&alpha)
	t.add(&beta, &beta)
	t.add(&t, &t)
	t.add(&t, &t)
	x3.sub(&x3, &t) // X3 = alpha² − 8·beta
	z3.add(&p.y, &p.z)
	z3.sqr(&z3)
	z3.sub(&z3, &gamma)
	z3.sub(&z3, &delta) // Z3 = (Y1 + Z1)² − gamma − delta
	t.add(&beta, &beta)
	t.add(&t, &t)
	y3.sub(&t, &x3)
	y3.mul(&alpha, &y3)
	gamma.sqr(&gamma)
	gamma.add(&gamma, &gamma)
	gamma.add(&gamma, &gamma)
	gamma.add(&gamma, &gamma)
	y3.sub(&y3, &gamma) // Y3 = alpha(4·beta − X3) − 8·gamma²
	*r = sm2Point{x3, y3, z3}
}

// add sets r = p + q (add-2007-bl, cheaper when q.z = 1, as in secp256k1.go). r may be p or q.
func (r *sm2Point) add(p, q *sm2Point) {
	if p.isInfinity() {
		*r = *q
		return
	}
	if q.isInfinity() {
		*r = *p
		return
	}
	var z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, x3, y3, z3 sm2fe
	qAffine := q.z == sm2One
	z1z1.sqr(&p.z)
	u2.mul(&q.x, &z1z1)
	s2.mul(&q.y, &p.z)
	s2.mul(&s2, &z1z1)
	if qAffine {
		u1, s1 = p.x, p.y
	} else {
		z2z2.sqr(&q.z)
		u1.mul(&p.x, &z2z2)
		s1.mul(&p.y, &q.z)
		s1.mul(&s1, &z2z2)
	}
	h.sub(&u2, &u1)
	rr.sub(&s2, &s1)
	if h.isZero() {
		if rr.isZero() { // p = q
			r.double(p)
		} else { // p = −q
			*r = sm2Infinity
		}
		return
	}
	rr.add(&rr, &rr) // r = 2(S2 − S1)
	i.add(&h, &h)
	i.sqr(&i)     // I = (2H)²
	j.mul(&h, &i) // J = H·I
	v.mul(&u1, &i)
	x3.sqr(&rr)
	x3.sub(&x3, &j)
	x3.sub(&x3, &v)
	x3.sub(&x3, &v) // X3 = r² − J − 2V
	y3.sub(&v, &x3)
	y3.mul(&rr, &y3)
	s1.mul(&s1, &j)
	s1.add(&s1, &s1)
	y3.sub(&y3, &s1) // Y3 = r(V − X3) − 2·S1·J
	z3.mul(&p.z, &h)
	if !qAffine {
		z3.mul(&z3, &q.z)
	}
	z3.add(&z3, &z3) // Z3 = 2·Z1·Z2·H
	*r = sm2Point{x3, y3, z3}
}

// affineBytes answers p's affine coordinates, 32 bytes each, and false for the point at infinity.
func (p *sm2Point) affineBytes() (x, y [32]byte, ok bool) {
	if p.isInfinity() {
		return x, y, false
	}
	var zInv, zInv2, ax, ay sm2fe
	zInv.inv(&p.z)
	zInv2.sqr(&zInv)
	ax.mul(&p.x, &zInv2)
	zInv2.mul(&zInv2, &zInv)
	ay.mul(&p.y, &zInv2)
	return ax.bytes(), ay.bytes(), true
}

// affine answers p in affine coordinates, (0, 0) for the point at infinity.
func (p *sm2Point) affine() (x, y *big.Int) {
	bx, by, ok := p.affineBytes()
	if !ok {
		return new(big.Int), new(big.Int)
	}
	return new(big.Int).SetBytes(bx[:]), new(big.Int).SetBytes(by[:])
}

// sm2Normalize makes every point of ps affine (z = one) with a single inversion (Montgomery's
// trick). Points at infinity are left as they are.
func sm2Normalize(ps []*sm2Point) {
	prefix := make([]sm2fe, len(ps)) // prefix[i]: the product of the z of ps[:i+1]
	acc := sm2One
	for i, p := range ps {
		if !p.isInfinity() {
			acc.mul(&acc, &p.z)
		}
		prefix[i] = acc
	}
	var inv sm2fe
	inv.inv(&acc)
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		if p.isInfinity() {
			continue
		}
		zInv := inv
		if i > 0 {
			zInv.mul(&inv, &prefix[i-1])
		}
		inv.mul(&inv, &p.z)
		var zInv2 sm2fe
		zInv2.sqr(&zInv)
		p.x.mul(&p.x, &zInv2)
		zInv2.mul(&zInv2, &zInv)
		p.y.mul(&p.y, &zInv2)
		p.z = sm2One
	}
}

func sm2OnCurve(x, y *sm2fe) bool {
	var y2, rhs, t sm2fe
	y2.sqr(y)
	rhs.sqr(x)
	rhs.mul(&rhs, x)
	t.add(x, x)
	t.add(&t, x)
	rhs.sub(&rhs, &t)
	rhs.add(&rhs, &sm2B)
	return y2 == rhs
}

// sm2PointFromBytes reads the 32-byte big-endian coordinates of a point of the curve: false if
// either is P or more or the point is not on the curve.
func sm2PointFromBytes(x, y *[32]byte) (sm2Point, bool) {
	for _, c := range [2]*[32]byte{x, y} {
		if new(big.Int).SetBytes(c[:]).Cmp(sm2BigP) >= 0 {
			return sm2Point{}, false
		}
	}
	p := sm2Point{z: sm2One}
	p.x.setBytes(x)
	p.y.setBytes(y)
	return p, sm2OnCurve(&p.x, &p.y)
}

// load answers the affine point (x, y), (0, 0) being the point at infinity, and false if (x, y)
// is neither that nor a point of the curve.
func (c *sm2Curve) load(x, y *big.Int) (sm2Point, bool) {
	if x == nil || y == nil || x.Sign() < 0 || y.Sign() < 0 || x.BitLen() > 256 || y.BitLen() > 256 {
		return sm2Point{}, false
	}
	if x.Sign() == 0 && y.Sign() == 0 {
		return sm2Infinity, true
	}
	var bx, by [32]byte
	x.FillBytes(bx[:])
	y.FillBytes(by[:])
	return sm2PointFromBytes(&bx, &by)
}

// scalar answers k mod N as 32 big-endian bytes (k·Q = (k mod N)·Q for every Q of the curve).
func (c *sm2Curve) scalar(k []byte) [32]byte {
	s := new(big.Int).SetBytes(k)
	if s.Cmp(c.params.N) >= 0 {
		s.Mod(s, c.params.N)
	}
	var b [32]byte
	s.FillBytes(b[:])
	return b
}

// Params answers the curve's parameters (a = −3, so CurveParams' own methods would be right too,
// but slow).
func (c *sm2Curve) Params() *elliptic.CurveParams { return c.params }

// IsOnCurve says whether (x, y) is a point of the curve, both coordinates in [0, P). It is false
// for (0, 0), the point at infinity, as crypto/elliptic's is.
func (c *sm2Curve) IsOnCurve(x, y *big.Int) bool {
	p, ok := c.load(x, y)
	return ok && !p.isInfinity()
}

// Add answers (x1, y1) + (x2, y2); (0, 0) if either is neither a point of the curve nor (0, 0).
func (c *sm2Curve) Add(x1, y1, x2, y2 *big.Int) (*big.Int, *big.Int) {
	p, ok1 := c.load(x1, y1)
	q, ok2 := c.load(x2, y2)
	if !ok1 || !ok2 {
		return new(big.Int), new(big.Int)
	}
	p.add(&p, &q)
	return p.affine()
}

// Double answers 2(x, y); (0, 0) if (x, y) is neither a point of the curve nor (0, 0).
func (c *sm2Curve) Double(x, y *big.Int) (*big.Int, *big.Int) {
	p, ok := c.load(x, y)
	if !ok {
		return new(big.Int), new(big.Int)
	}
	p.double(&p)
	return p.affine()
}

// ScalarMult answers k·(x, y), k big-endian of any length; (0, 0) if (x, y) is neither a point of
// the curve nor (0, 0).
func (c *sm2Curve) ScalarMult(x, y *big.Int, k []byte) (*big.Int, *big.Int) {
	p, ok := c.load(x, y)
	if !ok {
		return new(big.Int), new(big.Int)
	}
	r := c.mult(&p, c.scalar(k))
	return r.affine()
}

// ScalarBaseMult answers k·G, k big-endian of any length, with the comb.
func (c *sm2Curve) ScalarBaseMult(k []byte) (*big.Int, *big.Int) {
	r := c.baseMult(c.scalar(k))
	return r.affine()
}

// mult answers k·p with a fixed 4-bit window: at most 252 doublings and 64 additions, from an
// affine table of the first 15 multiples.
func (c *sm2Curve) mult(p *sm2Point, k [32]byte) sm2Point {
	if p.isInfinity() {
		return sm2Infinity
	}
	var table [16]sm2Point // table[i] = i·p for i ≥ 1
	var ps [15]*sm2Point
	table[1] = *p
	table[2].double(p)
	for i := 3; i < 16; i++ {
		table[i].add(&table[i-1], p)
	}
	for i := range ps {
		ps[i] = &table[i+1]
	}
	sm2Normalize(ps[:])
	r := sm2Infinity
	for _, b := range k {
		for _, w := range [2]byte{b >> 4, b & 15} {
			if !r.isInfinity() {
				r.double(&r)
				r.double(&r)
				r.double(&r)
				r.double(&r)
			}
			if w != 0 {
				r.add(&r, &table[w])
			}
		}
	}
	return r
}

// baseMult answers k·G with the comb (secp256k1.go's: combSpacing − 1 doublings, at most
// combSpacing additions).
func (c *sm2Curve) baseMult(k [32]byte) sm2Point {
	c.combOnce.Do(c.initComb)
	bit := func(n int) int { // bit n of the scalar, 0 beyond 255
		if n >= 256 {
			return 0
		}
		return int(k[31-n/8]>>(n%8)) & 1
	}
	r := sm2Infinity
	for col := combSpacing - 1; col >= 0; col-- {
		if !r.isInfinity() {
			r.double(&r)
		}
		idx := 0
		for row := range combTeeth {
			idx |= bit(row*combSpacing+col) << row
		}
		if idx != 0 {
			r.add(&r, &c.comb[idx])
		}
	}
	return r
}

// initComb computes comb[i] = Σ over the set bits j of i of 2^(j·combSpacing)·G, made affine.
func (c *sm2Curve) initComb() {
	var teeth [combTeeth]sm2Point // teeth[j] = 2^(j·combSpacing)·G
	g, _ := c.load(c.params.Gx, c.params.Gy)
	teeth[0] = g
	for j := 1; j < combTeeth; j++ {
		teeth[j] = teeth[j-1]
		for range combSpacing {
			teeth[j].double(&teeth[j])
		}
	}
	ps := make([]*sm2Point, 0, len(c.comb)-1)
	for i := 1; i < len(c.comb); i++ {
		low := bits.TrailingZeros(uint(i))
		if rest := i &^ (1 << low); rest == 0 {
			c.comb[i] = teeth[low]
		} else {
			c.comb[i].add(&c.comb[rest], &teeth[low])
		}
		ps = append(ps, &c.comb[i])
	}
	sm2Normalize(ps)
}
