package crypto

import (
	"crypto/elliptic"
	"encoding/binary"
	"math/big"
	"math/bits"
	"sync"
)

// secp256k1 (SEC 2: y² = x³ + 7 over the prime field of P = 2²⁵⁶ − 2³² − 977, prime order N,
// cofactor 1), KMS's ECC_SECG_P256K1, as a crypto/elliptic.Curve for crypto/ecdsa's path for custom
// curves (ecdsa.SignASN1 and VerifyASN1 take it for any curve that is not a NIST one).
//
// Why not the Decred project's secp256k1 package (dcrd's dcrec/secp256k1/v4), which this replaces:
// its package init always links a 700 KB compressed table of precomputed points and zlib to inflate
// it. A wasip1 main with crypto/ecdsa on P-256 is 4.07 MB; adding its S256 made it 5.07 MB, and the
// module went from 8,749,441 to 7,813,422 bytes raw (2,736,623 to 2,146,631 gzip -9) without it.
// Inflating the table also made the first secp256k1 CreateKey of a wasm process take over a second
// under Node (on a loaded 2-core machine). This file needs nothing the module does not link anyway.
// The tests check it against that package.
//
// NOT CONSTANT TIME. The point operations branch on and index tables by the scalar's bits, and the
// math/big parts (scalar reduction, inversion) are variable time: the timing leaks private keys and
// nonces. That is acceptable here because wasmkms keys are test keys (the elliptic.Curve adaptor of
// the package this replaces is variable time too). Do not reuse this for real keys.
//
// Points are in Jacobian coordinates (x, y, z) for (x/z², y/z³); z = 0 is the point at infinity,
// which the affine API writes (0, 0), as crypto/elliptic does. The doubling is the a = 0 formula:
// crypto/elliptic.CurveParams' own methods assume a = −3 and are wrong for this curve, which is why
// every method is implemented here. ScalarMult uses a fixed 4-bit window; ScalarBaseMult a 6-tooth
// comb over a 63-point table of multiples of G, computed on first use (not shipped).
//
// Field elements are four 64-bit limbs (math/bits), reduced with P's special form; math/big is used
// at the API's edge, for scalars mod N and for inversions. A first version kept field elements in
// big.Int: a key took 0.2 ms natively and 1.3 ms in wasm under Node, the comb 5.5 ms in wasm; the
// limbs are about 4 times as fast (best of three runs each, on the same loaded machine: the commit
// message has the numbers).
//
// Bad input never panics. Where crypto/elliptic panics (an operand that is not on the curve and not
// (0, 0)), the answer here is (0, 0); IsOnCurve is false for nil, negative or ≥ P coordinates and
// for (0, 0). Note what that means for ECDSA: crypto/ecdsa's custom-curve Verify does not check
// that the public key is on the curve, so callers must (sign.go's validPoint does).

// Secp256k1 returns the secp256k1 curve. Every call returns the same value, so curves can be
// compared with ==. Its Params().Name is "secp256k1".
func Secp256k1() elliptic.Curve {
	secp256k1Once.Do(initSecp256k1)
	return secp256k1Instance
}

var (
	secp256k1Once     sync.Once
	secp256k1Instance = &secp256k1Curve{} // params filled in by initSecp256k1
)

func initSecp256k1() {
	hex := func(s string) *big.Int {
		n, _ := new(big.Int).SetString(s, 16)
		return n
	}
	secp256k1Instance.params = &elliptic.CurveParams{
		P:       hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"),
		N:       hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
		B:       big.NewInt(7),
		Gx:      hex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
		Gy:      hex("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"),
		BitSize: 256,
		Name:    "secp256k1",
	}
}

type secp256k1Curve struct {
	params *elliptic.CurveParams

	combOnce sync.Once
	comb     [1 << combTeeth]jacobian // comb[i] for i ≥ 1, affine (z = 1); comb[0] is unused
}

const (
	// The comb for ScalarBaseMult: the scalar's 256 bits are combTeeth rows of combSpacing bits, and
	// each column (one bit of each row) indexes comb, so a base multiplication is combSpacing − 1
	// doublings and at most combSpacing additions. 6 teeth: 63 points, which cost about one
	// ScalarMult to compute, and a base multiplication about 3 times as fast as ScalarMult.
	combTeeth   = 6
	combSpacing = (256 + combTeeth - 1) / combTeeth
)

// fe is an element of the field: little-endian 64-bit limbs, always in [0, P).
type fe [4]uint64

var (
	feP   = fe{0xfffffffefffffc2f, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff}
	feOne = fe{1}
	feB   = fe{7}
)

// feC is 2²⁵⁶ mod P = 2³² + 977: a·2²⁵⁶ + b is congruent to a·feC + b.
const feC = 0x1000003d1

// setBytes sets z to the 32-byte big-endian b, which must be below P.
func (z *fe) setBytes(b *[32]byte) {
	for i := range z {
		z[i] = binary.BigEndian.Uint64(b[24-8*i:])
	}
}

func (x *fe) bytes() (b [32]byte) {
	for i, l := range x {
		binary.BigEndian.PutUint64(b[24-8*i:], l)
	}
	return b
}

// setBig sets z to v, which must be in [0, P).
func (z *fe) setBig(v *big.Int) {
	var b [32]byte
	v.FillBytes(b[:])
	z.setBytes(&b)
}

func (x *fe) big() *big.Int {
	b := x.bytes()
	return new(big.Int).SetBytes(b[:])
}

func (x *fe) isZero() bool { return x[0]|x[1]|x[2]|x[3] == 0 }

// reduced answers r mod P for r < 2²⁵⁶ (one subtraction at most, as 2²⁵⁶ < 2P).
func reduced(r fe) fe {
	var d fe
	var b uint64
	d[0], b = bits.Sub64(r[0], feP[0], 0)
	d[1], b = bits.Sub64(r[1], feP[1], b)
	d[2], b = bits.Sub64(r[2], feP[2], b)
	d[3], b = bits.Sub64(r[3], feP[3], b)
	if b != 0 {
		return r
	}
	return d
}

func (z *fe) add(x, y *fe) {
	var s fe
	var c uint64
	s[0], c = bits.Add64(x[0], y[0], 0)
	s[1], c = bits.Add64(x[1], y[1], c)
	s[2], c = bits.Add64(x[2], y[2], c)
	s[3], c = bits.Add64(x[3], y[3], c)
	if c == 0 {
		*z = reduced(s)
		return
	}
	// x + y = 2²⁵⁶ + s < 2P: the result is s + 2²⁵⁶ − P = s + feC, below P.
	s[0], c = bits.Add64(s[0], feC, 0)
	s[1], c = bits.Add64(s[1], 0, c)
	s[2], c = bits.Add64(s[2], 0, c)
	s[3], _ = bits.Add64(s[3], 0, c)
	*z = s
}

func (z *fe) sub(x, y *fe) {
	var d fe
	var b uint64
	d[0], b = bits.Sub64(x[0], y[0], 0)
	d[1], b = bits.Sub64(x[1], y[1], b)
	d[2], b = bits.Sub64(x[2], y[2], b)
	d[3], b = bits.Sub64(x[3], y[3], b)
	if b != 0 { // x − y + P, mod 2²⁵⁶
		var c uint64
		d[0], c = bits.Add64(d[0], feP[0], 0)
		d[1], c = bits.Add64(d[1], feP[1], c)
		d[2], c = bits.Add64(d[2], feP[2], c)
		d[3], _ = bits.Add64(d[3], feP[3], c)
	}
	*z = d
}

// mac answers acc + x·y + carry as two words (which cannot overflow: at most 2¹²⁸ − 1).
func mac(acc, x, y, carry uint64) (lo, hi uint64) {
	hi, lo = bits.Mul64(x, y)
	var c uint64
	lo, c = bits.Add64(lo, acc, 0)
	hi += c
	lo, c = bits.Add64(lo, carry, 0)
	hi += c
	return lo, hi
}

// mul sets z = x·y mod P; z may be x or y. Unrolled: a quarter faster than the loops in wasm.
func (z *fe) mul(x, y *fe) {
	// The 512-bit product t.
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	var t0, t1, t2, t3, t4, t5, t6, t7, c uint64
	t0, c = mac(0, x0, y[0], 0)
	t1, c = mac(0, x0, y[1], c)
	t2, c = mac(0, x0, y[2], c)
	t3, t4 = mac(0, x0, y[3], c)
	t1, c = mac(t1, x1, y[0], 0)
	t2, c = mac(t2, x1, y[1], c)
	t3, c = mac(t3, x1, y[2], c)
	t4, t5 = mac(t4, x1, y[3], c)
	t2, c = mac(t2, x2, y[0], 0)
	t3, c = mac(t3, x2, y[1], c)
	t4, c = mac(t4, x2, y[2], c)
	t5, t6 = mac(t5, x2, y[3], c)
	t3, c = mac(t3, x3, y[0], 0)
	t4, c = mac(t4, x3, y[1], c)
	t5, c = mac(t5, x3, y[2], c)
	t6, t7 = mac(t6, x3, y[3], c)
	// t = H·2²⁵⁶ + L ≡ H·feC + L, below 2²⁵⁶ + 2²⁹⁰: r + c·2²⁵⁶ with c < 2³⁴.
	var r fe
	r[0], c = mac(t0, t4, feC, 0)
	r[1], c = mac(t1, t5, feC, c)
	r[2], c = mac(t2, t6, feC, c)
	r[3], c = mac(t3, t7, feC, c)
	// Fold c·2²⁵⁶ in again as c·feC (< 2⁶⁷).
	hi, lo := bits.Mul64(c, feC)
	r[0], c = bits.Add64(r[0], lo, 0)
	r[1], c = bits.Add64(r[1], hi, c)
	r[2], c = bits.Add64(r[2], 0, c)
	r[3], c = bits.Add64(r[3], 0, c)
	// A carry out leaves r below 2⁶⁷; 2²⁵⁶ ≡ feC once more cannot carry again.
	r[0], c = bits.Add64(r[0], c*feC, 0)
	r[1], c = bits.Add64(r[1], 0, c)
	r[2], c = bits.Add64(r[2], 0, c)
	r[3], _ = bits.Add64(r[3], 0, c)
	*z = reduced(r)
}

func (z *fe) sqr(x *fe) { z.mul(x, x) }

// inv sets z = 1/x mod P (x ≠ 0) with math/big.
func (z *fe) inv(x *fe) {
	v := x.big()
	z.setBig(v.ModInverse(v, feBigP))
}

var feBigP = feP.big()

// jacobian is a point in Jacobian coordinates; z = 0 is the point at infinity.
type jacobian struct{ x, y, z fe }

func (p *jacobian) isInfinity() bool { return p.z.isZero() }

var jacobianInfinity = jacobian{x: feOne, y: feOne}

// double sets r = 2p (dbl-2009-l, for a = 0: 2M + 5S). r may be p.
func (r *jacobian) double(p *jacobian) {
	if p.isInfinity() || p.y.isZero() { // y = 0 would be a point of order 2; secp256k1 has none
		*r = jacobianInfinity
		return
	}
	var a, b, c, d, e, f, x3, y3, z3 fe
	a.sqr(&p.x) // A = X1²
	b.sqr(&p.y) // B = Y1²
	c.sqr(&b)   // C = B²
	d.add(&p.x, &b)
	d.sqr(&d)
	d.sub(&d, &a)
	d.sub(&d, &c)
	d.add(&d, &d) // D = 2((X1 + B)² − A − C)
	e.add(&a, &a)
	e.add(&e, &a) // E = 3A
	f.sqr(&e)     // F = E²
	x3.sub(&f, &d)
	x3.sub(&x3, &d) // X3 = F − 2D
	c.add(&c, &c)
	c.add(&c, &c)
	c.add(&c, &c)
	y3.sub(&d, &x3)
	y3.mul(&e, &y3)
	y3.sub(&y3, &c) // Y3 = E(D − X3) − 8C
	z3.mul(&p.y, &p.z)
	z3.add(&z3, &z3) // Z3 = 2·Y1·Z1
	*r = jacobian{x3, y3, z3}
}

// add sets r = p + q (add-2007-bl, cheaper when q.z = 1). r may be p or q.
func (r *jacobian) add(p, q *jacobian) {
	if p.isInfinity() {
		*r = *q
		return
	}
	if q.isInfinity() {
		*r = *p
		return
	}
	var z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, x3, y3, z3 fe
	qAffine := q.z == feOne
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
			*r = jacobianInfinity
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
	*r = jacobian{x3, y3, z3}
}

// affine answers p in affine coordinates, (0, 0) for the point at infinity.
func (p *jacobian) affine() (x, y *big.Int) {
	if p.isInfinity() {
		return new(big.Int), new(big.Int)
	}
	var zInv, zInv2, ax, ay fe
	zInv.inv(&p.z)
	zInv2.sqr(&zInv)
	ax.mul(&p.x, &zInv2)
	zInv2.mul(&zInv2, &zInv)
	ay.mul(&p.y, &zInv2)
	return ax.big(), ay.big()
}

// normalize makes every point of ps affine (z = 1) with a single inversion (Montgomery's trick).
// Points at infinity are left as they are.
func normalize(ps []*jacobian) {
	prefix := make([]fe, len(ps)) // prefix[i]: the product of the z of ps[:i+1]
	acc := feOne
	for i, p := range ps {
		if !p.isInfinity() {
			acc.mul(&acc, &p.z)
		}
		prefix[i] = acc
	}
	var inv fe
	inv.inv(&acc) // acc ≠ 0: a product of non-zero elements of a field
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		if p.isInfinity() {
			continue
		}
		zInv := inv // 1/z of ps[i] = 1/prefix[i] · prefix[i−1]
		if i > 0 {
			zInv.mul(&inv, &prefix[i-1])
		}
		inv.mul(&inv, &p.z)
		var zInv2 fe
		zInv2.sqr(&zInv)
		p.x.mul(&p.x, &zInv2)
		zInv2.mul(&zInv2, &zInv)
		p.y.mul(&p.y, &zInv2)
		p.z = feOne
	}
}

// toField answers v as a field element, false if v is nil or outside [0, P).
func (c *secp256k1Curve) toField(v *big.Int) (fe, bool) {
	var f fe
	if v == nil || v.Sign() < 0 || v.Cmp(c.params.P) >= 0 {
		return f, false
	}
	f.setBig(v)
	return f, true
}

// load answers the affine point (x, y), (0, 0) being the point at infinity, and false if (x, y)
// is neither that nor a point of the curve.
func (c *secp256k1Curve) load(x, y *big.Int) (jacobian, bool) {
	if x != nil && y != nil && x.Sign() == 0 && y.Sign() == 0 {
		return jacobianInfinity, true
	}
	fx, okX := c.toField(x)
	fy, okY := c.toField(y)
	if !okX || !okY || !onCurve(&fx, &fy) {
		return jacobian{}, false
	}
	return jacobian{fx, fy, feOne}, true
}

func onCurve(x, y *fe) bool {
	var y2, rhs fe
	y2.sqr(y)
	rhs.sqr(x)
	rhs.mul(&rhs, x)
	rhs.add(&rhs, &feB)
	return y2 == rhs
}

// scalar answers k mod N as 32 big-endian bytes (k·Q = (k mod N)·Q for every Q of the curve).
func (c *secp256k1Curve) scalar(k []byte) [32]byte {
	s := new(big.Int).SetBytes(k)
	if s.Cmp(c.params.N) >= 0 {
		s.Mod(s, c.params.N)
	}
	var b [32]byte
	s.FillBytes(b[:])
	return b
}

// Params answers the curve's parameters. Do not call their methods: elliptic.CurveParams' own
// arithmetic assumes a = −3 and is wrong for secp256k1.
func (c *secp256k1Curve) Params() *elliptic.CurveParams { return c.params }

// IsOnCurve says whether (x, y) is a point of the curve, both coordinates in [0, P). It is false
// for (0, 0), the point at infinity, as crypto/elliptic's is.
func (c *secp256k1Curve) IsOnCurve(x, y *big.Int) bool {
	fx, okX := c.toField(x)
	fy, okY := c.toField(y)
	return okX && okY && onCurve(&fx, &fy)
}

// Add answers (x1, y1) + (x2, y2); (0, 0) if either is neither a point of the curve nor (0, 0).
func (c *secp256k1Curve) Add(x1, y1, x2, y2 *big.Int) (*big.Int, *big.Int) {
	p, ok1 := c.load(x1, y1)
	q, ok2 := c.load(x2, y2)
	if !ok1 || !ok2 {
		return new(big.Int), new(big.Int)
	}
	p.add(&p, &q)
	return p.affine()
}

// Double answers 2(x, y); (0, 0) if (x, y) is neither a point of the curve nor (0, 0).
func (c *secp256k1Curve) Double(x, y *big.Int) (*big.Int, *big.Int) {
	p, ok := c.load(x, y)
	if !ok {
		return new(big.Int), new(big.Int)
	}
	p.double(&p)
	return p.affine()
}

// ScalarMult answers k·(x, y), k big-endian of any length; (0, 0) if (x, y) is neither a point of
// the curve nor (0, 0). A fixed 4-bit window: at most 252 doublings and 64 additions, from an
// affine table of the first 15 multiples.
func (c *secp256k1Curve) ScalarMult(x, y *big.Int, k []byte) (*big.Int, *big.Int) {
	p, ok := c.load(x, y)
	if !ok || p.isInfinity() {
		return new(big.Int), new(big.Int)
	}
	kb := c.scalar(k)
	var table [16]jacobian // table[i] = i·p for i ≥ 1
	var ps [15]*jacobian
	table[1] = p
	table[2].double(&p)
	for i := 3; i < 16; i++ {
		table[i].add(&table[i-1], &p)
	}
	for i := range ps {
		ps[i] = &table[i+1]
	}
	normalize(ps[:])
	r := jacobianInfinity
	for _, b := range kb {
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
	return r.affine()
}

// ScalarBaseMult answers k·G, k big-endian of any length, with the comb.
func (c *secp256k1Curve) ScalarBaseMult(k []byte) (*big.Int, *big.Int) {
	c.combOnce.Do(c.initComb)
	kb := c.scalar(k)
	bit := func(n int) int { // bit n of the scalar, 0 beyond 255
		if n >= 256 {
			return 0
		}
		return int(kb[31-n/8]>>(n%8)) & 1
	}
	r := jacobianInfinity
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
	return r.affine()
}

// initComb computes comb[i] = Σ over the set bits j of i of 2^(j·combSpacing)·G, made affine.
func (c *secp256k1Curve) initComb() {
	var teeth [combTeeth]jacobian // teeth[j] = 2^(j·combSpacing)·G
	g, _ := c.load(c.params.Gx, c.params.Gy)
	teeth[0] = g
	for j := 1; j < combTeeth; j++ {
		teeth[j] = teeth[j-1]
		for range combSpacing {
			teeth[j].double(&teeth[j])
		}
	}
	ps := make([]*jacobian, 0, len(c.comb)-1)
	for i := 1; i < len(c.comb); i++ {
		low := bits.TrailingZeros(uint(i))
		if rest := i &^ (1 << low); rest == 0 {
			c.comb[i] = teeth[low]
		} else {
			c.comb[i].add(&c.comb[rest], &teeth[low])
		}
		ps = append(ps, &c.comb[i])
	}
	normalize(ps)
}
