package crypto

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"testing"

	gmecdh "github.com/emmansun/gmsm/ecdh"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/require"
)

// sm2.go, sm2curve.go and sm3.go replaced gmsm in the module; gmsm stays a test dependency, the
// independent implementation they are held to, byte for byte where a reader's bytes decide the
// answer (keys, deterministic signatures, ciphertexts).

// gmsmKey is k as gmsm's key.
func gmsmKey(t testing.TB, k *SM2PrivateKey) *sm2.PrivateKey {
	t.Helper()
	theirs, err := sm2.NewPrivateKey(k.D.FillBytes(make([]byte, 32)))
	require.NoError(t, err)
	return theirs
}

// gmsmPublic is pub on gmsm's curve (gmsm compares curves by identity).
func gmsmPublic(pub *ecdsa.PublicKey) *ecdsa.PublicKey {
	return &ecdsa.PublicKey{Curve: sm2.P256(), X: pub.X, Y: pub.Y}
}

// oursOf is gmsm's key as ours.
func oursOf(t testing.TB, k *sm2.PrivateKey) *SM2PrivateKey {
	t.Helper()
	ours, err := NewSM2PrivateKey(k.D.FillBytes(make([]byte, 32)))
	require.NoError(t, err)
	return ours
}

func sm2TestBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

func TestSM3MatchesTheStandardAndGmsm(t *testing.T) {
	// GB/T 32905-2016, appendix A: "abc" and "abcd" sixteen times.
	require.Equal(t, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
		hex.EncodeToString(sm3Sum([]byte("abc"))))
	require.Equal(t, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
		hex.EncodeToString(sm3Sum(bytes.Repeat([]byte("abcd"), 16))))
	for n := range 300 {
		m := sm2TestBytes(t, n)
		want := sm3.Sum(m)
		require.Equal(t, want[:], sm3Sum(m), "%d bytes", n)
		h := newSM3() // written in pieces, summed twice
		h.Write(m[:n/3])
		h.Write(m[n/3:])
		require.Equal(t, want[:], h.Sum(nil))
		require.Equal(t, want[:], h.Sum(nil))
	}
}

func TestSM2CurveMatchesGmsm(t *testing.T) {
	ours, theirs := SM2P256(), sm2.P256()
	require.Equal(t, "sm2p256v1", ours.Params().Name)
	require.Zero(t, ours.Params().P.Cmp(theirs.Params().P))
	require.Zero(t, ours.Params().N.Cmp(theirs.Params().N))
	require.Zero(t, ours.Params().B.Cmp(theirs.Params().B))
	require.Zero(t, ours.Params().Gx.Cmp(theirs.Params().Gx))
	require.Zero(t, ours.Params().Gy.Cmp(theirs.Params().Gy))
	n := ours.Params().N
	scalars := [][]byte{{0}, {1}, {2}, new(big.Int).Sub(n, big.NewInt(1)).Bytes(), n.Bytes(),
		new(big.Int).Add(n, big.NewInt(5)).Bytes(), sm2TestBytes(t, 40)}
	for range 40 {
		scalars = append(scalars, sm2TestBytes(t, 32))
	}
	for _, k := range scalars {
		x1, y1 := ours.ScalarBaseMult(k)
		x2, y2 := theirs.ScalarBaseMult(k)
		require.Zero(t, x1.Cmp(x2), "k = %x", k)
		require.Zero(t, y1.Cmp(y2), "k = %x", k)
		// k·P for a point P of the curve, and sums and doubles of points.
		px, py := theirs.ScalarBaseMult(sm2TestBytes(t, 32))
		x1, y1 = ours.ScalarMult(px, py, k)
		x2, y2 = theirs.ScalarMult(px, py, k)
		require.Zero(t, x1.Cmp(x2), "k = %x", k)
		require.Zero(t, y1.Cmp(y2), "k = %x", k)
		qx, qy := theirs.ScalarBaseMult(k)
		x1, y1 = ours.Add(px, py, qx, qy)
		x2, y2 = theirs.Add(px, py, qx, qy)
		require.Zero(t, x1.Cmp(x2))
		require.Zero(t, y1.Cmp(y2))
		x1, y1 = ours.Double(px, py)
		x2, y2 = theirs.Double(px, py)
		require.Zero(t, x1.Cmp(x2))
		require.Zero(t, y1.Cmp(y2))
		require.True(t, ours.IsOnCurve(px, py))
		require.False(t, ours.IsOnCurve(px, new(big.Int).Add(py, big.NewInt(1))))
	}
	// P + P, P + (−P), the point at infinity.
	px, py := ours.ScalarBaseMult([]byte{7})
	x, y := ours.Add(px, py, px, py)
	dx, dy := ours.Double(px, py)
	require.Zero(t, x.Cmp(dx))
	require.Zero(t, y.Cmp(dy))
	x, y = ours.Add(px, py, px, new(big.Int).Sub(ours.Params().P, py))
	require.Zero(t, x.Sign())
	require.Zero(t, y.Sign())
	require.False(t, ours.IsOnCurve(x, y))
	x, y = ours.ScalarMult(px, py, []byte{0})
	require.Zero(t, x.Sign()+y.Sign())
	// Not a point: (0, 0) from every operation, never a panic.
	bad := new(big.Int).Add(py, big.NewInt(1))
	x, y = ours.ScalarMult(px, bad, []byte{3})
	require.Zero(t, x.Sign()+y.Sign())
	x, y = ours.Add(px, bad, px, py)
	require.Zero(t, x.Sign()+y.Sign())
	require.False(t, ours.IsOnCurve(nil, py))
	require.False(t, ours.IsOnCurve(new(big.Int).Neg(px), py))
	require.False(t, ours.IsOnCurve(new(big.Int).Add(px, ours.Params().P), py))
}

func TestSM2KeysMatchGmsm(t *testing.T) {
	n := SM2P256().Params().N
	minus := func(d int64) []byte { return new(big.Int).Sub(n, big.NewInt(d)).FillBytes(make([]byte, 32)) }
	ds := [][]byte{make([]byte, 32), append(make([]byte, 31), 1), minus(2), minus(1), minus(0),
		bytes.Repeat([]byte{0xff}, 32), make([]byte, 31), make([]byte, 33)}
	for range 20 {
		ds = append(ds, sm2TestBytes(t, 32))
	}
	for _, d := range ds {
		ours, errOurs := NewSM2PrivateKey(d)
		theirs, errTheirs := sm2.NewPrivateKey(d)
		require.Equal(t, errTheirs == nil, errOurs == nil, "d = %x: %v / %v", d, errOurs, errTheirs)
		if errOurs == nil {
			require.Zero(t, ours.D.Cmp(theirs.D))
			require.Zero(t, ours.X.Cmp(theirs.X))
			require.Zero(t, ours.Y.Cmp(theirs.Y))
			require.True(t, ours.Equal(oursOf(t, theirs)))
		}
	}
}

func TestSM2SignaturesMatchGmsm(t *testing.T) {
	for range 20 {
		priv, err := GenerateSM2(rand.Reader)
		require.NoError(t, err)
		theirs := gmsmKey(t, priv)
		message := sm2TestBytes(t, 50)
		e, err := sm2Hash(&priv.PublicKey, message)
		require.NoError(t, err)
		want, err := sm2.CalculateSM2Hash(gmsmPublic(&priv.PublicKey), message, nil)
		require.NoError(t, err)
		require.Equal(t, want, e, "SM3(Z ‖ M) with the default ID")

		// Deterministic: gmsm's signature exactly.
		ours, err := sm2Sign(nil, true, priv, e)
		require.NoError(t, err)
		ref, err := sm2.SignDeterministic(theirs, e, nil)
		require.NoError(t, err)
		require.Equal(t, ref, ours)

		// Random: each verifies the other's.
		ours, err = sm2Sign(rand.Reader, false, priv, e)
		require.NoError(t, err)
		require.True(t, sm2.VerifyASN1(gmsmPublic(&priv.PublicKey), e, ours))
		ref, err = sm2.SignASN1(rand.Reader, theirs, e, nil)
		require.NoError(t, err)
		require.True(t, sm2Verify(&priv.PublicKey, e, ref))

		// Altered signatures, hashes and keys: both verifiers answer the same.
		other, err := GenerateSM2(rand.Reader)
		require.NoError(t, err)
		require.False(t, sm2Verify(&other.PublicKey, e, ref))
		for i := range ref {
			bad := bytes.Clone(ref)
			bad[i] ^= 1 << (i % 8)
			require.Equal(t, sm2.VerifyASN1(gmsmPublic(&priv.PublicKey), e, bad), sm2Verify(&priv.PublicKey, e, bad), "byte %d", i)
		}
		badE := bytes.Clone(e)
		badE[0] ^= 1
		require.False(t, sm2Verify(&priv.PublicKey, badE, ref))
	}
}

func TestSM2VerifyRefusesOutOfRangeValues(t *testing.T) {
	priv, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	e := sm2TestBytes(t, 32)
	n := SM2P256().Params().N
	der := func(r, s *big.Int) []byte {
		b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
		require.NoError(t, err)
		return b
	}
	one := big.NewInt(1)
	for _, c := range [][2]*big.Int{{big.NewInt(0), one}, {one, big.NewInt(0)}, {n, one}, {one, n},
		{big.NewInt(-1), one}, {new(big.Int).Sub(n, one), one}} { // r + s = n
		sig := der(c[0], c[1])
		require.False(t, sm2Verify(&priv.PublicKey, e, sig), "r = %v, s = %v", c[0], c[1])
		require.False(t, sm2.VerifyASN1(gmsmPublic(&priv.PublicKey), e, sig))
	}
	require.False(t, sm2Verify(&ecdsa.PublicKey{Curve: SM2P256(), X: big.NewInt(1), Y: big.NewInt(1)}, e, der(one, one)))
}

func TestSM2EncryptionMatchesGmsm(t *testing.T) {
	for _, size := range []int{1, 31, 32, 33, 100, 4096} {
		priv, err := GenerateSM2(rand.Reader)
		require.NoError(t, err)
		plaintext := sm2TestBytes(t, size)
		// The same bytes for k: the same ciphertext.
		stream := sm2TestBytes(t, 64)
		ours, err := SM2Encrypt(bytes.NewReader(stream), &priv.PublicKey, plaintext)
		require.NoError(t, err)
		theirs, err := sm2.EncryptASN1(bytes.NewReader(stream), gmsmPublic(&priv.PublicKey), plaintext)
		require.NoError(t, err)
		require.Equal(t, theirs, ours)

		got, err := sm2.Decrypt(gmsmKey(t, priv), ours)
		require.NoError(t, err)
		require.Equal(t, plaintext, got)
		// Altered ciphertexts: both decrypt or both refuse.
		for i := range min(len(ours), 200) {
			bad := bytes.Clone(ours)
			bad[i] ^= 1 << (i % 8)
			want, errTheirs := sm2.Decrypt(gmsmKey(t, priv), bad)
			got, errOurs := SM2Decrypt(priv, bad)
			if bad[0] != tagSequence { // gmsm also reads the raw encodings; KMS does not
				require.ErrorIs(t, errOurs, ErrInvalidCiphertext)
				continue
			}
			require.Equal(t, errTheirs == nil, errOurs == nil, "byte %d: %v / %v", i, errOurs, errTheirs)
			require.Equal(t, want, got)
		}
	}
}

func TestSM2KeyAgreementMatchesGmsm(t *testing.T) {
	for range 10 {
		priv, err := GenerateSM2(rand.Reader)
		require.NoError(t, err)
		peer, err := GenerateSM2(rand.Reader)
		require.NoError(t, err)
		point := append([]byte{4}, append(peer.X.FillBytes(make([]byte, 32)), peer.Y.FillBytes(make([]byte, 32))...)...)
		ours, err := sm2ECDH(priv, point)
		require.NoError(t, err)
		own, err := gmsmKey(t, priv).ECDH()
		require.NoError(t, err)
		theirPeer, err := gmecdh.P256().NewPublicKey(point)
		require.NoError(t, err)
		want, err := own.ECDH(theirPeer)
		require.NoError(t, err)
		require.Equal(t, want, ours)

		bad := bytes.Clone(point)
		bad[64] ^= 1
		_, err = sm2ECDH(priv, bad)
		require.ErrorIs(t, err, ErrInvalidPublicKey)
		_, err = sm2ECDH(priv, point[:33])
		require.ErrorIs(t, err, ErrInvalidPublicKey)
	}
}
