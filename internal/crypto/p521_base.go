package crypto

import "sync"

// P-521's base-point multiplication k·G in the module's own code (the field: p521.go): a new P-521
// key's public point and ECDSA's k·G on P-521, on every host but a native one (hostops.go, ownP521):
// a browser, a world with hostCrypto: false, a JS host (whose OpenSSL P-521 is slower), native Go
// (where this is also faster than crypto/ecdsa's). crypto/ecdsa's took some 4.7 ms of a P-521
// CreateKey's 5 in wasm (Node and Chromium alike), nearly all of it in nistec's field multiplication
// without its native 64×64→128-bit products (p521.go says why); this one some 0.4 ms (BENCHMARKS.md,
// "P-521's base point in the module's own code").
//
// The method is nistec's: a fixed four-bit window with the doublings precomputed. The table holds
// d·16ⁱ·G for d = 1..15 in each of the scalar's 131 windows i, and k·G is the sum over the windows of
// the entry of the window's digit: 131 additions, no doublings. Here the entries are affine (nistec's
// are projective), so each addition is a mixed Jacobian + affine one (8M + 3S against nistec's
// complete formula's 12M + 2M), and the table is 1,965 points of 144 bytes (283 KB) computed on the
// first use (some 9 ms in Node; nistec computes its own table on first use too). Shipped, the table
// would be 283 KB of the module, some 13 times this code.
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

// The point formulas are programs of field operations on a file of registers, run by p521Run: as Go
// code each operation is a call site of some 100 bytes in wasm (its arguments stored, the call, the
// resume check), and the two formulas took 4.6 KB of the code; as data the module is 2.2 KB smaller,
// for some 6% more time an addition in wasm (2.16 against 2.04 µs: the registers' copies in and out).

// p521Op is z = x op y on the registers (y unused by a squaring).
type p521Op struct{ op, z, x, y uint8 }

const (
	p521OpMul = iota
	p521OpSqr
	p521OpAdd
	p521OpSub
)

// p521Regs is a program's registers: inputs, temporaries, outputs.
type p521Regs [16]p521Elt

// p521Run runs prog on r.
func p521Run(r *p521Regs, prog []p521Op) {
	for _, o := range prog {
		z, x, y := &r[o.z&15], &r[o.x&15], &r[o.y&15]
		switch o.op {
		case p521OpMul:
			z.mul(x, y)
		case p521OpSqr:
			z.sqr(x)
		case p521OpAdd:
			z.add(x, y)
		default:
			z.sub(x, y)
		}
	}
}

// Registers of the formulas: the inputs X1 Y1 Z1 (and X2 Y2), then temporaries, some used twice.
const (
	rX1, rY1, rZ1, rX2, rY2 = 0, 1, 2, 3, 4
	rA, rB, rC, rD, rE, rF  = 5, 6, 7, 8, 9, 10
	rG, rH, rI, rJ, rK      = 11, 12, 13, 14, 15
)

// p521AddAffine is madd-2007-bl (8M + 3S, squarings being multiplications here): X3 in rJ, Y3 in
// rK, Z3 in rC.
var p521AddAffine = [...]p521Op{
	{p521OpSqr, rA, rZ1, 0},  // Z1Z1 = Z1²
	{p521OpMul, rB, rX2, rA}, // U2 = X2·Z1Z1
	{p521OpMul, rC, rZ1, rA}, //
	{p521OpMul, rC, rY2, rC}, // S2 = Y2·Z1·Z1Z1
	{p521OpSub, rD, rB, rX1}, // H = U2 − X1
	{p521OpSqr, rE, rD, 0},   // HH = H²
	{p521OpAdd, rF, rE, rE},  //
	{p521OpAdd, rF, rF, rF},  // I = 4·HH
	{p521OpMul, rG, rD, rF},  // J = H·I
	{p521OpSub, rH, rC, rY1}, //
	{p521OpAdd, rH, rH, rH},  // r = 2·(S2 − Y1)
	{p521OpMul, rI, rX1, rF}, // V = X1·I
	{p521OpSqr, rJ, rH, 0},   //
	{p521OpSub, rJ, rJ, rG},  //
	{p521OpSub, rJ, rJ, rI},  //
	{p521OpSub, rJ, rJ, rI},  // X3 = r² − J − 2·V
	{p521OpSub, rK, rI, rJ},  //
	{p521OpMul, rK, rH, rK},  //
	{p521OpMul, rB, rY1, rG}, //
	{p521OpAdd, rB, rB, rB},  //
	{p521OpSub, rK, rK, rB},  // Y3 = r·(V − X3) − 2·Y1·J
	{p521OpMul, rC, rZ1, rD}, //
	{p521OpAdd, rC, rC, rC},  // Z3 = 2·Z1·H (as a squaring, (Z1 + H)² − Z1Z1 − HH, where that is cheaper)
}

// p521Double is dbl-2001-b, for a = −3: X3 in rJ, Y3 in rK, Z3 in rI.
var p521Double = [...]p521Op{
	{p521OpSqr, rA, rZ1, 0},   // δ = Z1²
	{p521OpSqr, rB, rY1, 0},   // γ = Y1²
	{p521OpMul, rC, rX1, rB},  // β = X1·γ
	{p521OpSub, rD, rX1, rA},  //
	{p521OpAdd, rE, rX1, rA},  //
	{p521OpMul, rF, rD, rE},   //
	{p521OpAdd, rD, rF, rF},   //
	{p521OpAdd, rF, rD, rF},   // α = 3·(X1 − δ)·(X1 + δ)
	{p521OpSqr, rJ, rF, 0},    //
	{p521OpAdd, rG, rC, rC},   //
	{p521OpAdd, rG, rG, rG},   // 4β
	{p521OpAdd, rH, rG, rG},   //
	{p521OpSub, rJ, rJ, rH},   // X3 = α² − 8β
	{p521OpMul, rI, rY1, rZ1}, //
	{p521OpAdd, rI, rI, rI},   // Z3 = 2·Y1·Z1
	{p521OpSub, rG, rG, rJ},   //
	{p521OpMul, rK, rF, rG},   //
	{p521OpSqr, rH, rB, 0},    //
	{p521OpAdd, rH, rH, rH},   //
	{p521OpAdd, rH, rH, rH},   //
	{p521OpAdd, rH, rH, rH},   //
	{p521OpSub, rK, rK, rH},   // Y3 = α·(4β − X3) − 8γ²
}

// addAffine sets r = p + q for p ≠ ±q, neither at infinity. r may be p.
func (r *p521Jacobian) addAffine(p *p521Jacobian, q *p521Affine) {
	var regs p521Regs
	regs[rX1], regs[rY1], regs[rZ1], regs[rX2], regs[rY2] = p.x, p.y, p.z, q.x, q.y
	p521Run(&regs, p521AddAffine[:])
	r.x, r.y, r.z = regs[rJ], regs[rK], regs[rC]
}

// double sets r = 2p, p not at infinity. r may be p.
func (r *p521Jacobian) double(p *p521Jacobian) {
	var regs p521Regs
	regs[rX1], regs[rY1], regs[rZ1] = p.x, p.y, p.z
	p521Run(&regs, p521Double[:])
	r.x, r.y, r.z = regs[rJ], regs[rK], regs[rI]
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
