package crypto

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"sync"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/require"
)

// secp256k1.go is checked against decred's secp256k1 (the implementation it replaced, imported by
// tests only): the elliptic.Curve operations on random and edge inputs, and ECDSA both ways.

var decredS256 = secp256k1.S256()

func requirePoint(t *testing.T, wantX, wantY, gotX, gotY *big.Int, msgAndArgs ...any) {
	t.Helper()
	require.NotNil(t, gotX, msgAndArgs...)
	require.NotNil(t, gotY, msgAndArgs...)
	require.Zero(t, wantX.Cmp(gotX), msgAndArgs...)
	require.Zero(t, wantY.Cmp(gotY), msgAndArgs...)
}

func requireInfinity(t *testing.T, x, y *big.Int, msgAndArgs ...any) {
	t.Helper()
	require.True(t, x != nil && y != nil && x.Sign() == 0 && y.Sign() == 0, msgAndArgs...)
}

// secpScalars: edge scalars (empty, zeros, 1, N−1, N, N+1, 2N, longer than 32 bytes, all ones) and
// random ones of random lengths.
func secpScalars(rng *mrand.Rand) [][]byte {
	n := decredS256.N
	add := func(v *big.Int, d int64) []byte { return new(big.Int).Add(v, big.NewInt(d)).Bytes() }
	ks := [][]byte{
		nil, {}, {0}, make([]byte, 32), make([]byte, 40), {1}, {2}, {3}, {15}, {16}, {17}, {0xff},
		add(n, -1), add(n, -2), n.Bytes(), add(n, 1), add(n, 2), new(big.Int).Lsh(n, 1).Bytes(),
		new(big.Int).Mul(n, big.NewInt(1000)).Bytes(),
		bytes.Repeat([]byte{0xff}, 32), bytes.Repeat([]byte{0xff}, 33), bytes.Repeat([]byte{0xff}, 64),
		append(make([]byte, 10), n.Bytes()...), // N with leading zeros
		new(big.Int).Lsh(big.NewInt(1), 255).Bytes(), new(big.Int).Lsh(big.NewInt(1), 256).Bytes(),
		new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), n).Bytes(),
	}
	// One bit set in each comb row and window position.
	for i := 0; i < 256; i += 7 {
		ks = append(ks, new(big.Int).Lsh(big.NewInt(1), uint(i)).Bytes())
	}
	for range 60 {
		k := make([]byte, 32)
		for i := range k {
			k[i] = byte(rng.Uint32())
		}
		ks = append(ks, k)
	}
	for range 20 {
		k := make([]byte, rng.IntN(70))
		for i := range k {
			k[i] = byte(rng.Uint32())
		}
		ks = append(ks, k)
	}
	return ks
}

// secpPoints: G, −G, 2G, a few small multiples and random points, all on the curve.
func secpPoints(rng *mrand.Rand) [][2]*big.Int {
	var ps [][2]*big.Int
	for _, k := range []int64{1, 2, 3, 7, 16} {
		x, y := decredS256.ScalarBaseMult(big.NewInt(k).Bytes())
		ps = append(ps, [2]*big.Int{x, y})
	}
	p := decredS256.P
	ps = append(ps, [2]*big.Int{decredS256.Gx, new(big.Int).Sub(p, decredS256.Gy)}) // −G
	for range 10 {
		k := make([]byte, 32)
		for i := range k {
			k[i] = byte(rng.Uint32())
		}
		x, y := decredS256.ScalarBaseMult(k)
		ps = append(ps, [2]*big.Int{x, y})
	}
	return ps
}

// offCurve: inputs that are neither points of the curve nor (0, 0).
func offCurve() [][2]*big.Int {
	c := decredS256
	p := c.P
	return [][2]*big.Int{
		{c.Gx, new(big.Int).Add(c.Gy, big.NewInt(1))},
		{big.NewInt(1), big.NewInt(1)},
		{big.NewInt(0), big.NewInt(1)},
		{big.NewInt(1), big.NewInt(0)},
		{new(big.Int).Add(c.Gx, p), c.Gy}, // G with x + P: decred reduces it, crypto/elliptic does not
		{c.Gx, new(big.Int).Add(c.Gy, p)},
		{new(big.Int).Neg(c.Gx), c.Gy},
		{p, big.NewInt(0)},
		{nil, c.Gy},
		{c.Gx, nil},
		{nil, nil},
	}
}

func TestSecp256k1Params(t *testing.T) {
	c := Secp256k1()
	require.True(t, c == Secp256k1(), "one shared instance")
	got, want := c.Params(), decredS256.Params()
	require.Equal(t, "secp256k1", got.Name)
	require.Equal(t, 256, got.BitSize)
	for _, pair := range [][2]*big.Int{{want.P, got.P}, {want.N, got.N}, {want.B, got.B}, {want.Gx, got.Gx}, {want.Gy, got.Gy}} {
		require.Zero(t, pair[0].Cmp(pair[1]))
	}
	require.Zero(t, got.B.Cmp(big.NewInt(7)))
	// The curve is not crypto/elliptic's a = −3 one: CurveParams' own IsOnCurve says G is not on it.
	require.True(t, c.IsOnCurve(got.Gx, got.Gy))
	require.False(t, got.IsOnCurve(got.Gx, got.Gy))
}

func TestSecp256k1ScalarBaseMultMatchesDecred(t *testing.T) {
	c := Secp256k1()
	rng := mrand.New(mrand.NewPCG(1, 2))
	for _, k := range secpScalars(rng) {
		wx, wy := decredS256.ScalarBaseMult(k)
		gx, gy := c.ScalarBaseMult(k)
		requirePoint(t, wx, wy, gx, gy, "k = %x", k)
		// The window path agrees with the comb.
		mx, my := c.ScalarMult(c.Params().Gx, c.Params().Gy, k)
		requirePoint(t, wx, wy, mx, my, "k = %x", k)
		if wx.Sign() != 0 || wy.Sign() != 0 {
			require.True(t, c.IsOnCurve(gx, gy))
		}
	}
	n := c.Params().N
	for _, k := range [][]byte{nil, make([]byte, 32), n.Bytes(), new(big.Int).Lsh(n, 3).Bytes()} {
		x, y := c.ScalarBaseMult(k)
		requireInfinity(t, x, y, "k = %x", k)
	}
}

func TestSecp256k1ScalarMultMatchesDecred(t *testing.T) {
	c := Secp256k1()
	rng := mrand.New(mrand.NewPCG(3, 4))
	ks := secpScalars(rng)
	for _, p := range secpPoints(rng) {
		for i, k := range ks {
			if i%3 != 0 && len(k) == 32 { // every edge scalar, a third of the random ones
				continue
			}
			wx, wy := decredS256.ScalarMult(p[0], p[1], k)
			gx, gy := c.ScalarMult(p[0], p[1], k)
			requirePoint(t, wx, wy, gx, gy, "P = (%x, %x), k = %x", p[0], p[1], k)
		}
	}
	// The point at infinity times anything is itself.
	for _, k := range ks[:30] {
		x, y := c.ScalarMult(new(big.Int), new(big.Int), k)
		requireInfinity(t, x, y)
	}
	// N−1 times P is −P; N times P is the point at infinity.
	n := c.Params().N
	g := c.Params()
	x, y := c.ScalarMult(g.Gx, g.Gy, new(big.Int).Sub(n, big.NewInt(1)).Bytes())
	requirePoint(t, g.Gx, new(big.Int).Sub(g.P, g.Gy), x, y)
	x, y = c.ScalarMult(g.Gx, g.Gy, n.Bytes())
	requireInfinity(t, x, y)
}

func TestSecp256k1AddDoubleMatchDecred(t *testing.T) {
	c := Secp256k1()
	rng := mrand.New(mrand.NewPCG(5, 6))
	ps := secpPoints(rng)
	p := c.Params().P
	for _, a := range ps {
		// Double, and Add of a point to itself (the doubling case of the addition).
		wx, wy := decredS256.Double(a[0], a[1])
		gx, gy := c.Double(a[0], a[1])
		requirePoint(t, wx, wy, gx, gy)
		gx, gy = c.Add(a[0], a[1], a[0], a[1])
		requirePoint(t, wx, wy, gx, gy)
		// P + (−P) is the point at infinity.
		negY := new(big.Int).Sub(p, a[1])
		gx, gy = c.Add(a[0], a[1], a[0], negY)
		requireInfinity(t, gx, gy)
		wx, wy = decredS256.Add(a[0], a[1], a[0], negY)
		requireInfinity(t, wx, wy)
		// The point at infinity is the identity, on either side.
		zero := new(big.Int)
		gx, gy = c.Add(a[0], a[1], zero, zero)
		requirePoint(t, a[0], a[1], gx, gy)
		gx, gy = c.Add(zero, zero, a[0], a[1])
		requirePoint(t, a[0], a[1], gx, gy)
		for _, b := range ps {
			wx, wy := decredS256.Add(a[0], a[1], b[0], b[1])
			gx, gy := c.Add(a[0], a[1], b[0], b[1])
			requirePoint(t, wx, wy, gx, gy)
		}
	}
	x, y := c.Add(new(big.Int), new(big.Int), new(big.Int), new(big.Int))
	requireInfinity(t, x, y)
	x, y = c.Double(new(big.Int), new(big.Int))
	requireInfinity(t, x, y)
	// Results are fresh values, not the inputs.
	g := c.Params()
	x, _ = c.Add(g.Gx, g.Gy, new(big.Int), new(big.Int))
	require.False(t, x == g.Gx)
}

func TestSecp256k1IsOnCurve(t *testing.T) {
	c := Secp256k1()
	rng := mrand.New(mrand.NewPCG(7, 8))
	for _, p := range secpPoints(rng) {
		require.True(t, c.IsOnCurve(p[0], p[1]))
		require.True(t, decredS256.IsOnCurve(p[0], p[1]))
	}
	// Random coordinates in [0, P): decred and ours agree (about half of the x have a y, never this y).
	for range 200 {
		var b [32]byte
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		x := new(big.Int).Mod(new(big.Int).SetBytes(b[:]), c.Params().P)
		y := new(big.Int).Mod(new(big.Int).SetBytes(b[16:]), c.Params().P)
		require.Equal(t, decredS256.IsOnCurve(x, y), c.IsOnCurve(x, y))
	}
	// (0, 0), the point at infinity, is not on the curve (crypto/elliptic's convention); neither is
	// anything off it, nor a coordinate outside [0, P) (which decred would reduce first), nor nil.
	require.False(t, c.IsOnCurve(new(big.Int), new(big.Int)))
	require.False(t, decredS256.IsOnCurve(new(big.Int), new(big.Int)))
	for _, q := range offCurve() {
		require.False(t, c.IsOnCurve(q[0], q[1]), "(%v, %v)", q[0], q[1])
	}
}

// Where crypto/elliptic panics (an operand neither on the curve nor (0, 0)), the answer is (0, 0).
func TestSecp256k1OffCurveInputs(t *testing.T) {
	c := Secp256k1()
	g := c.Params()
	for _, q := range offCurve() {
		require.NotPanics(t, func() {
			x, y := c.Add(q[0], q[1], g.Gx, g.Gy)
			requireInfinity(t, x, y)
			x, y = c.Add(g.Gx, g.Gy, q[0], q[1])
			requireInfinity(t, x, y)
			x, y = c.Double(q[0], q[1])
			requireInfinity(t, x, y)
			x, y = c.ScalarMult(q[0], q[1], []byte{5})
			requireInfinity(t, x, y)
		}, "(%v, %v)", q[0], q[1])
	}
	// crypto/elliptic's generic code panics there.
	require.Panics(t, func() { (&elliptic.CurveParams{}).Double(big.NewInt(1), big.NewInt(1)) })
}

func TestSecp256k1ConcurrentFirstUse(t *testing.T) {
	// A fresh curve value, so that the comb is computed here, by several goroutines at once.
	Secp256k1()
	c := &secp256k1Curve{params: Secp256k1().Params()}
	k := sha256.Sum256([]byte("concurrent"))
	wx, wy := decredS256.ScalarBaseMult(k[:])
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			x, y := c.ScalarBaseMult(k[:])
			if x.Cmp(wx) != 0 || y.Cmp(wy) != 0 {
				errs <- fmt.Errorf("got (%x, %x)", x, y)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// decredKey is k as decred's own key types.
func decredKey(t testing.TB, k *ecdsa.PrivateKey) (*secp256k1.PrivateKey, *secp256k1.PublicKey) {
	t.Helper()
	priv := secp256k1.PrivKeyFromBytes(k.D.FillBytes(make([]byte, 32)))
	var x, y secp256k1.FieldVal
	require.False(t, x.SetByteSlice(k.X.Bytes()))
	require.False(t, y.SetByteSlice(k.Y.Bytes()))
	pub := secp256k1.NewPublicKey(&x, &y)
	require.True(t, priv.PubKey().IsEqual(pub), "decred derives the same public key")
	return priv, pub
}

// crypto/ecdsa on our curve and decred's ECDSA verify each other's signatures, and both refuse a
// changed digest.
func TestSecp256k1ECDSAInteropWithDecred(t *testing.T) {
	for i := range 25 {
		k, err := GenerateSecp256k1(rand.Reader)
		require.NoError(t, err)
		require.True(t, k.Curve == Secp256k1())
		dPriv, dPub := decredKey(t, k)
		digest := sha256.Sum256([]byte(fmt.Sprintf("message %d", i)))
		other := sha256.Sum256([]byte(fmt.Sprintf("other %d", i)))

		ours, err := ecdsa.SignASN1(rand.Reader, k, digest[:])
		require.NoError(t, err)
		parsed, err := secpecdsa.ParseDERSignature(ours)
		require.NoError(t, err)
		require.True(t, parsed.Verify(digest[:], dPub), "decred verifies crypto/ecdsa's signature")
		require.False(t, parsed.Verify(other[:], dPub))
		require.True(t, ecdsa.VerifyASN1(&k.PublicKey, digest[:], ours))

		theirs := secpecdsa.Sign(dPriv, digest[:]).Serialize()
		require.True(t, ecdsa.VerifyASN1(&k.PublicKey, digest[:], theirs), "crypto/ecdsa verifies decred's signature")
		require.False(t, ecdsa.VerifyASN1(&k.PublicKey, other[:], theirs))

		// And through this package's Sign and Verify.
		sig, err := Sign(rand.Reader, k, "ECDSA_SHA_256", "DIGEST", digest[:])
		require.NoError(t, err)
		require.True(t, verifySecp256k1(t, k, digest[:], sig))
		require.True(t, Verify(&k.PublicKey, "ECDSA_SHA_256", "DIGEST", digest[:], theirs))
	}
}

// GenerateSecp256k1 draws the scalar from rand exactly as decred's GeneratePrivateKeyFromRand
// (which it used before): a seed gives the same key as before, including when the first 32 bytes
// are not a valid scalar (0, or N and above) and more are drawn.
func TestGenerateSecp256k1MatchesDecred(t *testing.T) {
	n := decredS256.N.FillBytes(make([]byte, 32))
	seeds := [][]byte{
		bytes.Repeat([]byte{7}, 64),
		append(make([]byte, 32), bytes.Repeat([]byte{9}, 32)...),                  // zero first
		append(bytes.Clone(n), bytes.Repeat([]byte{1}, 32)...),                    // N first
		append(bytes.Repeat([]byte{0xff}, 32), bytes.Repeat([]byte{2}, 32)...),    // above N first
		new(big.Int).Sub(decredS256.N, big.NewInt(1)).FillBytes(make([]byte, 32)), // N−1
	}
	for range 10 {
		s := make([]byte, 32)
		_, _ = rand.Read(s)
		seeds = append(seeds, s)
	}
	for _, seed := range seeds {
		ours, err := GenerateSecp256k1(bytes.NewReader(seed))
		require.NoError(t, err)
		theirs, err := secp256k1.GeneratePrivateKeyFromRand(bytes.NewReader(seed))
		require.NoError(t, err)
		want := theirs.ToECDSA()
		require.Zero(t, want.D.Cmp(ours.D))
		requirePoint(t, want.X, want.Y, ours.X, ours.Y)
	}
	_, err := GenerateSecp256k1(bytes.NewReader(make([]byte, 31)))
	require.Error(t, err)
	_, err = GenerateSecp256k1(bytes.NewReader(n)) // N only, then nothing
	require.Error(t, err)
}

// BenchmarkSecp256k1: the curve operations and what KMS does with them (CreateKey's key generation,
// Sign, Verify), with decred's for comparison.
func BenchmarkSecp256k1(b *testing.B) {
	c := Secp256k1()
	k := sha256.Sum256([]byte("scalar"))
	key, err := GenerateSecp256k1(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("message"))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ScalarBaseMult", func(b *testing.B) {
		for b.Loop() {
			c.ScalarBaseMult(k[:])
		}
	})
	b.Run("ScalarMult", func(b *testing.B) {
		for b.Loop() {
			c.ScalarMult(key.X, key.Y, k[:])
		}
	})
	b.Run("InitComb", func(b *testing.B) {
		for b.Loop() {
			(&secp256k1Curve{params: c.Params()}).initComb()
		}
	})
	b.Run("GenerateSecp256k1", func(b *testing.B) {
		for b.Loop() {
			if _, err := GenerateSecp256k1(rand.Reader); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Sign", func(b *testing.B) {
		for b.Loop() {
			if _, err := ecdsa.SignASN1(rand.Reader, key, digest[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Verify", func(b *testing.B) {
		for b.Loop() {
			if !ecdsa.VerifyASN1(&key.PublicKey, digest[:], sig) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("SignVerify", func(b *testing.B) {
		for b.Loop() {
			s, err := Sign(rand.Reader, key, "ECDSA_SHA_256", "DIGEST", digest[:])
			if err != nil || !Verify(&key.PublicKey, "ECDSA_SHA_256", "DIGEST", digest[:], s) {
				b.Fatal("sign and verify", err)
			}
		}
	})
	dkey := &ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: decredS256, X: key.X, Y: key.Y}, D: key.D}
	b.Run("decred/ScalarBaseMult", func(b *testing.B) {
		for b.Loop() {
			decredS256.ScalarBaseMult(k[:])
		}
	})
	b.Run("decred/SignVerify", func(b *testing.B) {
		for b.Loop() {
			s, err := ecdsa.SignASN1(rand.Reader, dkey, digest[:])
			if err != nil || !ecdsa.VerifyASN1(&dkey.PublicKey, digest[:], s) {
				b.Fatal("sign and verify", err)
			}
		}
	})
}

// The field arithmetic against math/big, on edge values (0, 1, P−1, around 2⁶⁴ multiples and
// 2²⁵⁶ − P, all-ones limbs) and random ones, every pair.
func TestSecp256k1FieldMatchesBig(t *testing.T) {
	p := decredS256.P
	rng := mrand.New(mrand.NewPCG(9, 10))
	one := big.NewInt(1)
	vals := []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(2), big.NewInt(7), big.NewInt(feC - 1), big.NewInt(feC),
		big.NewInt(feC + 1), new(big.Int).Rsh(p, 1), new(big.Int).Add(new(big.Int).Rsh(p, 1), one),
	}
	for _, d := range []int64{1, 2, 3, feC, feC + 1, 1 << 32} {
		vals = append(vals, new(big.Int).Sub(p, big.NewInt(d)))
	}
	for _, s := range []uint{63, 64, 65, 127, 128, 192, 224, 255} {
		v := new(big.Int).Lsh(one, s)
		vals = append(vals, v, new(big.Int).Sub(v, one))
	}
	for range 40 {
		var b [32]byte
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		vals = append(vals, new(big.Int).Mod(new(big.Int).SetBytes(b[:]), p))
	}
	mod := func(v *big.Int) *big.Int { return v.Mod(v, p) }
	var x, y, z fe
	for _, a := range vals {
		x.setBig(a)
		require.Zero(t, a.Cmp(x.big()), "round trip %x", a)
		if a.Sign() != 0 {
			z.inv(&x)
			require.Zero(t, new(big.Int).ModInverse(a, p).Cmp(z.big()), "1/%x", a)
		}
		for _, b := range vals {
			y.setBig(b)
			z.add(&x, &y)
			require.Zero(t, mod(new(big.Int).Add(a, b)).Cmp(z.big()), "%x + %x", a, b)
			z.sub(&x, &y)
			require.Zero(t, mod(new(big.Int).Sub(a, b)).Cmp(z.big()), "%x - %x", a, b)
			z.mul(&x, &y)
			require.Zero(t, mod(new(big.Int).Mul(a, b)).Cmp(z.big()), "%x * %x", a, b)
			// Aliased operands.
			z = x
			z.mul(&z, &z)
			require.Zero(t, mod(new(big.Int).Mul(a, a)).Cmp(z.big()), "%x²", a)
		}
	}
}
