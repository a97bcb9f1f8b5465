package crypto

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// p521Want is crypto/ecdh's k·G (nistec's), the uncompressed point without its leading 4.
func p521Want(t *testing.T, k []byte) []byte {
	t.Helper()
	priv, err := ecdh.P521().NewPrivateKey(k)
	require.NoError(t, err)
	return priv.PublicKey().Bytes()[1:]
}

// p521G is the generator.
func TestP521G(t *testing.T) {
	one := make([]byte, 66)
	one[65] = 1
	x, y := p521G.x.bytes(), p521G.y.bytes()
	require.Equal(t, p521Want(t, one), append(x[:], y[:]...))
}

// The module's own P-521 base-point multiplication makes crypto/ecdh's point for random scalars and
// for the edges: 1, 2, small ones, each single bit, digits all 15, n − 1, n − 2, the top bit alone.
func TestP521BasePointIsNistecs(t *testing.T) {
	n := elliptic.P521().Params().N
	var scalars []*big.Int
	for _, v := range []int64{1, 2, 3, 15, 16, 17, 255, 256, 0x7edcba9876543210} {
		scalars = append(scalars, big.NewInt(v))
	}
	for b := range n.BitLen() {
		one := new(big.Int).Lsh(big.NewInt(1), uint(b))
		scalars = append(scalars, one, new(big.Int).Sub(one, big.NewInt(1)))
	}
	for _, d := range []int64{1, 2, 3, 16} {
		scalars = append(scalars, new(big.Int).Sub(n, big.NewInt(d)))
	}
	scalars = append(scalars, new(big.Int).Rsh(n, 1), new(big.Int).Rsh(n, 4))
	iterations := 2000
	if testing.Short() {
		iterations = 200
	}
	for range iterations {
		k, err := rand.Int(rand.Reader, new(big.Int).Sub(n, big.NewInt(1)))
		require.NoError(t, err)
		scalars = append(scalars, k.Add(k, big.NewInt(1)))
	}
	for _, k := range scalars {
		if k.Sign() == 0 {
			continue // 2⁰ − 1
		}
		kb := k.FillBytes(make([]byte, 66))
		require.Equal(t, p521Want(t, kb), p521BasePoint((*[66]byte)(kb)), "k = %x", kb)
	}
}

// The field against math/big, with operands at the bounds the operations allow.
func TestP521Field(t *testing.T) {
	p := elliptic.P521().Params().P
	toBig := func(x *p521Elt) *big.Int {
		b := x.bytes()
		return new(big.Int).SetBytes(b[:])
	}
	// Tight elements at their largest (every limb at the top of its bound), p, 0, random.
	maxTight := p521Elt{}
	for i := range maxTight {
		maxTight[i] = p521LimbMask
	}
	maxTight[1] = p521LimbMask + 1<<8 - 1
	maxTight[17] = p521TopMask
	pElt := maxTight
	pElt[1] = p521LimbMask
	elts := []p521Elt{maxTight, pElt, {}, {1}}
	for range 200 {
		v, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 521))
		require.NoError(t, err)
		var b [66]byte
		v.FillBytes(b[:])
		var e p521Elt
		e.setBytes(&b)
		elts = append(elts, e)
	}
	value := func(x *p521Elt) *big.Int { // the value of any limbs, unreduced
		v := new(big.Int)
		for i := p521Limbs - 1; i >= 0; i-- {
			v.Lsh(v, p521LimbBits).Add(v, new(big.Int).SetUint64(x[i]))
		}
		return v.Mod(v, p)
	}
	eq := func(want *big.Int, z *p521Elt) {
		t.Helper()
		require.Zero(t, want.Cmp(toBig(z)), "want %x, got %x", want, toBig(z))
	}
	for i := range elts {
		x := &elts[i]
		y := &elts[(i*7+3)%len(elts)]
		vx, vy := value(x), value(y)
		var z p521Elt
		z.mul(x, y)
		eq(new(big.Int).Mod(new(big.Int).Mul(vx, vy), p), &z)
		z.sqr(x)
		eq(new(big.Int).Mod(new(big.Int).Mul(vx, vx), p), &z)
		z.add(x, y)
		eq(new(big.Int).Mod(new(big.Int).Add(vx, vy), p), &z)
		z.sub(x, y)
		eq(new(big.Int).Mod(new(big.Int).Sub(vx, vy), p), &z)
		z.inv(x)
		want := new(big.Int).ModInverse(vx, p)
		if want == nil {
			want = new(big.Int)
		}
		eq(want, &z)
	}
}

// P-521's base point is the module's own on a JS host (no abi.CapAnySize), for keys and signatures
// alike, and the host's on a native one; the keys and the deterministic signatures are the same all
// three ways (no host, either host), and a randomized signature verifies.
func TestP521OwnUnlessNativeHost(t *testing.T) {
	digest := sha512.Sum512([]byte("message"))
	var want struct {
		key *ecdsa.PrivateKey
		sig []byte
	}
	for i, mode := range []string{"no host", "JS host", "native host"} {
		host := newCountingHost()
		var e *Engine
		switch mode {
		case "JS host":
			e = NewEngine(sizeBound{host})
		case "native host":
			e = NewEngine(host)
		}
		for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P521()} {
			before := host.calls["ecpoint"].Load()
			k, err := e.GenerateECDSA(newSeeded(5), curve)
			require.NoError(t, err)
			usedHost := host.calls["ecpoint"].Load() > before
			require.Equal(t, mode == "native host" || mode == "JS host" && curve == elliptic.P256(), usedHost, "%s %s", mode, curve.Params().Name)
			if curve != elliptic.P521() {
				continue
			}
			want2, err := ecdsa.ParseRawPrivateKey(curve, k.D.FillBytes(make([]byte, 66)))
			require.NoError(t, err)
			require.True(t, want2.Equal(k), mode)

			before = host.calls["ec"].Load()
			sig, err := e.Sign(Deterministic{newSeeded(6)}, k, "ECDSA_SHA_512", "DIGEST", digest[:])
			require.NoError(t, err)
			require.Equal(t, mode == "native host", host.calls["ec"].Load() > before, mode)
			random, err := e.Sign(rand.Reader, k, "ECDSA_SHA_512", "DIGEST", digest[:])
			require.NoError(t, err)
			require.True(t, ecdsa.VerifyASN1(&k.PublicKey, digest[:], random), mode)
			if i == 0 {
				want.key, want.sig = k, sig
				rfc6979, err := k.Sign(nil, digest[:], crypto.SHA512) // crypto/ecdsa's RFC 6979
				require.NoError(t, err)
				require.Equal(t, rfc6979, sig)
			}
			require.True(t, want.key.Equal(k), mode)
			require.Equal(t, want.sig, sig, mode)
		}
	}
}

// wrongPoint is a host whose public points are not on the curve.
type wrongPoint struct{ *countingHost }

func (wrongPoint) ECBasePoint(curve int32, scalar, point []byte) int32 {
	clear(point)
	point[len(point)-1] = 1
	return abi.HostOK
}

// A host's point off the curve does not make a key, nor an endless draw: Go's code makes the key the
// same bytes give.
func TestECDSAKeyPointOffCurve(t *testing.T) {
	e := NewEngine(wrongPoint{newCountingHost()})
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384()} {
		want, err := GenerateECDSA(newSeeded(3), curve)
		require.NoError(t, err)
		got, err := e.GenerateECDSA(newSeeded(3), curve)
		require.NoError(t, err)
		require.True(t, want.Equal(got), curve.Params().Name)
	}
}

func BenchmarkP521BasePoint(b *testing.B) {
	k := new([66]byte)
	k[1] = 0xa5
	k[65] = 0x5a
	p521BasePoint(k) // the table
	b.Run("own", func(b *testing.B) {
		for b.Loop() {
			p521BasePoint(k)
		}
	})
	b.Run("nistec", func(b *testing.B) {
		for b.Loop() {
			priv, _ := ecdh.P521().NewPrivateKey(k[:])
			priv.PublicKey()
		}
	})
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			p521MakeTable()
		}
	})
}

// setBytes sets z to the 66-byte big-endian b, which must be below 2⁵²¹ (the bits above are dropped).
func (z *p521Elt) setBytes(b *[66]byte) {
	var acc uint64
	bitsIn, n := 0, len(b)
	for i := range z {
		for bitsIn < p521LimbBits && n > 0 {
			n--
			acc |= uint64(b[n]) << bitsIn
			bitsIn += 8
		}
		z[i] = acc & p521LimbMask
		acc >>= p521LimbBits
		bitsIn -= p521LimbBits
	}
	z[17] &= p521TopMask
}
