// TestGenerateECDSAIsCryptoECDSAs hands ecdsa.GenerateKey a reader of its own, which crypto/ecdsa
// reads only with this setting. Nothing else here needs it: the package never hands Go's crypto a
// reader it must read (see the package doc), so this test binary says so itself, whatever go.mod sets.
//
//go:debug cryptocustomrand=1

package crypto

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	mathrand "math/rand/v2"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Deterministic signatures and keys drawn from a reader (deterministic.go, keygen.go). Every
// deterministic signature is held to an implementation other than the one that made it: RFC 6979's
// published vectors, crypto/ecdsa's RFC 6979, decred's RFC 6979 for secp256k1, circl's
// deterministic ML-DSA, and the independent verifiers of sign_test.go.

// seeded is a reader of a fixed pseudo-random stream that counts what was read from it.
type seeded struct {
	c *mathrand.ChaCha8
	n int
}

func newSeeded(seed byte) *seeded {
	return &seeded{c: mathrand.NewChaCha8([32]byte{seed})}
}

func (r *seeded) Read(p []byte) (int, error) {
	r.n += len(p)
	return r.c.Read(p)
}

func fromHex(t testing.TB, s string) *big.Int {
	t.Helper()
	n, ok := new(big.Int).SetString(s, 16)
	require.True(t, ok, s)
	return n
}

func parseECDSASignature(t testing.TB, sig []byte) (r, s *big.Int) {
	t.Helper()
	input := cryptobyte.String(sig)
	var inner cryptobyte.String
	r, s = new(big.Int), new(big.Int)
	require.True(t, input.ReadASN1(&inner, cbasn1.SEQUENCE) && input.Empty() &&
		inner.ReadASN1Integer(r) && inner.ReadASN1Integer(s) && inner.Empty(), "DER SEQUENCE { r, s }")
	return r, s
}

// RFC 6979 A.2.5 to A.2.7 (SHA-256, messages "sample" and "test"), and a P-256 vector of Go's
// crypto/ecdsa tests that makes step h loop (checked there against OpenSSL and python-ecdsa):
// signRFC6979 is generic, so the NIST curves check it.
func TestSignRFC6979Vectors(t *testing.T) {
	p256 := [3]string{"C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
		"60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
		"7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"}
	p384 := [3]string{"6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5",
		"EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13",
		"8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720"}
	p521 := [3]string{"0FAD06DAA62BA3B25D2FB40133DA757205DE67F5BB0018FEE8C86E1B68C7E75CAA896EB32F1F47C70855836A6D16FCC1466F6D8FBEC67DB89EC0C08B0E996B83538",
		"1894550D0785932E00EAA23B694F213F8C3121F86DC97A04E5A7167DB4E5BCD371123D46E45DB6B5D5370A7F20FB633155D38FFA16D2BD761DCAC474B9A2F5023A4",
		"0493101C962CD4D2FDDF782285E64584139C2F91B47F87FF82354D6630F746A28A0DB25741B5B34A828008B22ACC23F924FAAFBD4D33F81EA66956DFEAA2BFDFCF5"}
	for _, v := range []struct {
		curve        elliptic.Curve
		key          [3]string
		msg, r, s    string
		loopsInStepH bool
	}{
		{elliptic.P256(), p256, "wv[vnX", "EFD9073B652E76DA1B5A019C0E4A2E3FA529B035A6ABB91EF67F0ED7A1F21234",
			"3DB4706C9D9F4A4FE13BB5E08EF0FAB53A57DBAB2061C83A35FA411C68D2BA33", true},
		{elliptic.P256(), p256, "sample", "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
			"F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", false},
		{elliptic.P256(), p256, "test", "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
			"019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083", false},
		{elliptic.P384(), p384, "sample", "21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB2CD",
			"F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0AB0", false},
		{elliptic.P384(), p384, "test", "6D6DEFAC9AB64DABAFE36C6BF510352A4CC27001263638E5B16D9BB51D451559F918EEDAF2293BE5B475CC8F0188636B",
			"2D46F3BECBCC523D5F1A1256BF0C9B024D879BA9E838144C8BA6BAEB4B53B47D51AB373F9845C0514EEFB14024787265", false},
		{elliptic.P521(), p521, "sample", "1511BB4D675114FE266FC4372B87682BAECC01D3CC62CF2303C92B3526012659D16876E25C7C1E57648F23B73564D67F61C6F14D527D54972810421E7D87589E1A7",
			"04A171143A83163D6DF460AAF61522695F207A58B95C0644D87E52AA1A347916E4F7A72930B1BC06DBE22CE3F58264AFD23704CBB63B29B931F7DE6C9D949A7ECFC", false},
		{elliptic.P521(), p521, "test", "00E871C4A14F993C6C7369501900C4BC1E9C7B0B4BA44E04868B30B41D8071042EB28C4C250411D0CE08CD197E4188EA4876F279F90B3D8D74A3C76E6F1E4656AA8",
			"0CD52DBAA33B063C3A6CD8058A1FB0A46A4754B034FCC644766CA14DA8CA5CA9FDE00E88C1AD60CCBA759025299079D7A427EC3CC5B619BFBC828E7769BCD694E86", false},
	} {
		t.Run(v.curve.Params().Name+" "+v.msg, func(t *testing.T) {
			priv := &ecdsa.PrivateKey{D: fromHex(t, v.key[0]),
				PublicKey: ecdsa.PublicKey{Curve: v.curve, X: fromHex(t, v.key[1]), Y: fromHex(t, v.key[2])}}
			digest := sha256.Sum256([]byte(v.msg))
			sig, err := signRFC6979(priv, crypto.SHA256, digest[:])
			require.NoError(t, err)
			r, s := parseECDSASignature(t, sig)
			require.Zero(t, r.Cmp(fromHex(t, v.r)), "r")
			require.Zero(t, s.Cmp(fromHex(t, v.s)), "s")
			require.True(t, ecdsa.VerifyASN1(&priv.PublicKey, digest[:], sig))

			// The nonce is the generator's first candidate in [1, q-1]; in the looping vector the
			// first T of step h (one HMAC block for P-256 and SHA-256) is not below q.
			n := v.curve.Params().N
			if v.loopsInStepH {
				first := newRFC6979(n, sha256.New, priv.D, digest[:]).nextV()
				require.True(t, bits2int(first, n.BitLen()).Cmp(n) >= 0)
			}
			x, _ := v.curve.ScalarBaseMult(newRFC6979(n, sha256.New, priv.D, digest[:]).next().Bytes())
			require.Zero(t, new(big.Int).Mod(x, n).Cmp(r))
		})
	}
}

// On the NIST curves signRFC6979 gives crypto/ecdsa's RFC 6979 signature, with each hash.
func TestSignRFC6979MatchesCryptoECDSA(t *testing.T) {
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
			for i := range 4 {
				k, err := GenerateECDSA(rand.Reader, curve)
				require.NoError(t, err)
				digest := sha(h, []byte(fmt.Sprint("message ", i)))
				want, err := k.Sign(nil, digest, h)
				require.NoError(t, err)
				got, err := signRFC6979(k, h, digest)
				require.NoError(t, err)
				require.Equal(t, want, got, "%s %s", curve.Params().Name, h)
			}
		}
	}
}

// The RFC 6979 nonces on secp256k1 with SHA-256 are decred's NonceRFC6979 (no extra data), the
// first and the ones after it (decred's extraIterations): decred's own vectors, then random keys
// and hashes.
func TestRFC6979NonceMatchesDecred(t *testing.T) {
	n := Secp256k1().Params().N
	key, one := "0011111111111111111111111111111111111111111111111111111111111111",
		"0000000000000000000000000000000000000000000000000000000000000001"
	g := newRFC6979(n, sha256.New, fromHex(t, key), fromHex(t, one).FillBytes(make([]byte, 32)))
	for _, want := range []string{ // decred's nonce_test.go: iterations 0, 1 and 2
		"154e92760f77ad9af6b547edd6f14ad0fae023eb2221bc8be2911675d8a686a3",
		"66fca3fe494a6216e4a3f15cfbc1d969c60d9cdefda1a1c193edabd34aa8cd5e",
		"70da248c92b5d28a52eafca1848b1a37d4cb36526c02553c9c48bb0b895fc77d",
	} {
		require.Equal(t, want, hex.EncodeToString(g.next().FillBytes(make([]byte, 32))))
	}
	for range 50 {
		x, err := GenerateSecp256k1(rand.Reader)
		require.NoError(t, err)
		hash := make([]byte, 32)
		rand.Read(hash)
		priv := x.D.FillBytes(make([]byte, 32))
		g := newRFC6979(n, sha256.New, x.D, hash)
		for it := range uint32(3) {
			want := secp256k1.NonceRFC6979(priv, hash, nil, nil, it).Bytes()
			require.Equal(t, want[:], g.next().FillBytes(make([]byte, 32)))
		}
	}
}

// Sign with a Deterministic reader on secp256k1 is decred's RFC 6979 signature, except that decred
// normalizes s to the lower half (BIP 62) and KMS does not: s is decred's or N minus it.
func TestSecp256k1DeterministicMatchesDecred(t *testing.T) {
	n := Secp256k1().Params().N
	var high int
	for i := range 50 {
		k, err := GenerateSecp256k1(rand.Reader)
		require.NoError(t, err)
		dPriv, _ := decredKey(t, k)
		message := []byte(fmt.Sprint("message ", i))
		digest := sha256.Sum256(message)
		r0 := newSeeded(1)
		sig, err := Sign(Deterministic{r0}, k, "ECDSA_SHA_256", "RAW", message)
		require.NoError(t, err)
		require.Zero(t, r0.n, "nothing read")
		require.True(t, verifySecp256k1(t, k, digest[:], sig))
		again, err := Sign(Deterministic{newSeeded(2)}, k, "ECDSA_SHA_256", "DIGEST", digest[:])
		require.NoError(t, err)
		require.Equal(t, sig, again)

		theirs := secpecdsa.Sign(dPriv, digest[:]).Serialize()
		tr, ts := parseECDSASignature(t, theirs)
		r, s := parseECDSASignature(t, sig)
		require.Zero(t, tr.Cmp(r), "r")
		if s.Cmp(ts) != 0 {
			require.Zero(t, new(big.Int).Sub(n, s).Cmp(ts), "s or N-s")
			high++
		}
	}
	require.NotZero(t, high, "some s in the upper half (kept as is)")
}

// With a Deterministic reader, every signature of sign_test.go's cases verifies independently and
// is the same whatever the reader holds, and reads nothing, except RSASSA-PSS, which reads exactly
// its salt from the reader (the same stream, the same signature). Without one they stay randomized
// (TestSignaturesRandomizedWhereTheSchemeIs).
func TestDeterministicSignatures(t *testing.T) {
	keys := newSigningKeys(t)
	message := []byte("message signed by a seeded world")
	for name, c := range signCases(t, keys) {
		t.Run(name, func(t *testing.T) {
			pss := strings.HasPrefix(c.algorithm, "RSASSA_PSS")
			ra, rb, rc := newSeeded(1), newSeeded(1), newSeeded(2)
			a, err := Sign(Deterministic{ra}, c.key, c.algorithm, "RAW", message)
			require.NoError(t, err)
			b, err := Sign(Deterministic{rb}, c.key, c.algorithm, "RAW", message)
			require.NoError(t, err)
			other, err := Sign(Deterministic{rc}, c.key, c.algorithm, "RAW", message)
			require.NoError(t, err)
			require.Equal(t, a, b)
			require.Equal(t, !pss, bytes.Equal(a, other))
			if pss {
				require.Equal(t, len(c.digest(message)), ra.n, "the salt, as long as the digest")
			} else {
				require.Zero(t, ra.n)
			}
			require.True(t, c.verify(message, a))
			require.True(t, Verify(c.key.Public(), c.algorithm, "RAW", message, a))
			if c.digest != nil {
				d, err := Sign(Deterministic{newSeeded(1)}, c.key, c.algorithm, "DIGEST", c.digest(message))
				require.NoError(t, err)
				require.Equal(t, a, d, "DIGEST signs what RAW does")
			}
		})
	}
}

// NIST curves: Sign with a Deterministic reader gives crypto/ecdsa's RFC 6979 signature.
func TestDeterministicECDSAIsCryptoECDSA(t *testing.T) {
	keys := newSigningKeys(t)
	for _, k := range []*ecdsa.PrivateKey{keys.p256, keys.p384, keys.p521} {
		for alg, h := range map[string]crypto.Hash{"ECDSA_SHA_256": crypto.SHA256, "ECDSA_SHA_384": crypto.SHA384, "ECDSA_SHA_512": crypto.SHA512} {
			digest := sha(h, []byte("m"))
			want, err := k.Sign(nil, digest, h)
			require.NoError(t, err)
			got, err := Sign(Deterministic{newSeeded(3)}, k, alg, "DIGEST", digest)
			require.NoError(t, err)
			require.Equal(t, want, got)
		}
	}
}

// SM2: a Deterministic reader gives gmsm's SignDeterministic.
func TestDeterministicSM2IsGmsm(t *testing.T) {
	keys := newSigningKeys(t)
	e, err := sm2.CalculateSM2Hash(gmsmPublic(&keys.sm2.PublicKey), []byte("m"), nil)
	require.NoError(t, err)
	want, err := sm2.SignDeterministic(gmsmKey(t, keys.sm2), e, nil)
	require.NoError(t, err)
	got, err := Sign(Deterministic{newSeeded(3)}, keys.sm2, "SM2DSA", "RAW", []byte("m"))
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.True(t, sm2.VerifyASN1WithSM2(gmsmPublic(&keys.sm2.PublicKey), nil, []byte("m"), got))
}

// ML-DSA: a Deterministic reader gives FIPS 204's deterministic signature, which circl's scheme
// Sign (deterministic) computes independently from the same seed; RAW and EXTERNAL_MU alike.
func TestDeterministicMLDSAMatchesCircl(t *testing.T) {
	for _, ps := range mldsaParamSets {
		r := newSeeded(byte(ps))
		priv, err := GenerateMLDSA(r, ps)
		require.NoError(t, err)
		require.Equal(t, mldsaSeed, r.n)
		_, circlPriv := circlMLDSA(ps).DeriveKey(priv.seed[:])
		for _, size := range []int{0, 1, 100} {
			message := bytes.Repeat([]byte{byte(size)}, size)
			want := circlMLDSA(ps).Sign(circlPriv, message, nil)
			r := newSeeded(9)
			raw, err := Sign(Deterministic{r}, priv, "ML_DSA_SHAKE_256", "RAW", message)
			require.NoError(t, err)
			require.Equal(t, want, raw, "ML-DSA-%d, %d bytes", ps, size)
			require.Zero(t, r.n)
			ext, err := Sign(Deterministic{r}, priv, "ML_DSA_SHAKE_256", "EXTERNAL_MU", testMu(priv.pub.Bytes(), message))
			require.NoError(t, err)
			require.Equal(t, want, ext)
		}
	}
}

type privateKeyEqualer interface{ Equal(crypto.PrivateKey) bool }

// Keys are made of the reader's bytes, a fixed number per try: the same stream gives the same key,
// and exactly the bytes a key takes are read.
func TestKeysFromTheReader(t *testing.T) {
	for name, c := range map[string]struct {
		gen   func(io.Reader) (privateKeyEqualer, error)
		bytes int
	}{
		"P-256":     {func(r io.Reader) (privateKeyEqualer, error) { return GenerateECDSA(r, elliptic.P256()) }, 32},
		"P-384":     {func(r io.Reader) (privateKeyEqualer, error) { return GenerateECDSA(r, elliptic.P384()) }, 48},
		"P-521":     {func(r io.Reader) (privateKeyEqualer, error) { return GenerateECDSA(r, elliptic.P521()) }, 66},
		"secp256k1": {func(r io.Reader) (privateKeyEqualer, error) { return GenerateSecp256k1(r) }, 32},
		"SM2":       {func(r io.Reader) (privateKeyEqualer, error) { return GenerateSM2(r) }, 32},
		"Ed25519":   {func(r io.Reader) (privateKeyEqualer, error) { return GenerateEd25519(r) }, 32},
		"ML-DSA-65": {func(r io.Reader) (privateKeyEqualer, error) { return GenerateMLDSA(r, 65) }, 32},
	} {
		t.Run(name, func(t *testing.T) {
			ra, rb := newSeeded(5), newSeeded(5)
			a, err := c.gen(ra)
			require.NoError(t, err)
			b, err := c.gen(rb)
			require.NoError(t, err)
			require.True(t, a.Equal(b))
			require.Equal(t, c.bytes, ra.n)
			other, err := c.gen(newSeeded(6))
			require.NoError(t, err)
			require.False(t, a.Equal(other))
			_, err = c.gen(bytes.NewReader(make([]byte, c.bytes-1)))
			require.Error(t, err, "short read")
		})
	}
}

// GenerateECDSA is FIPS 186-5 A.2.2 as crypto/ecdsa does it: the bytes are the scalar (P-521: its
// leftmost 521 bits), and a number that is 0 or not below N is drawn again.
func TestGenerateECDSARejectionSampling(t *testing.T) {
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		n := curve.Params().N
		size := (n.BitLen() + 7) / 8
		good := bytes.Repeat([]byte{0x35}, size)
		want := new(big.Int).SetBytes(good)
		want.Rsh(want, uint(size*8-n.BitLen()))
		nBytes := n.FillBytes(make([]byte, size))
		if curve == elliptic.P521() {
			nBytes = new(big.Int).Lsh(n, 7).FillBytes(make([]byte, size)) // N once shifted
		}
		for name, stream := range map[string][]byte{
			"first":          good,
			"zero first":     append(make([]byte, size), good...),
			"N first":        append(bytes.Clone(nBytes), good...),
			"all-ones first": append(bytes.Repeat([]byte{0xff}, size), good...),
		} {
			r := bytes.NewReader(stream)
			k, err := GenerateECDSA(r, curve)
			require.NoError(t, err, name)
			require.Zero(t, k.D.Cmp(want), "%s %s", curve.Params().Name, name)
			require.Zero(t, r.Len(), "every byte read")
			x, y := curve.ScalarBaseMult(k.D.Bytes())
			require.True(t, x.Cmp(k.X) == 0 && y.Cmp(k.Y) == 0)
		}
		_, err := GenerateECDSA(bytes.NewReader(nBytes), curve) // N, then nothing
		require.Error(t, err)
	}
	_, err := GenerateECDSA(newSeeded(1), Secp256k1())
	require.Error(t, err, "GenerateSecp256k1's")
}

// GenerateECDSA makes the key crypto/ecdsa would make of the same bytes. ecdsa.GenerateKey reads
// one byte first or not, at random (MaybeReadByte), so its key is ours of the stream or of the
// stream after its first byte; over 40 tries both happen.
func TestGenerateECDSAIsCryptoECDSAs(t *testing.T) {
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		var skipped, read int
		for i := range 40 {
			stream := make([]byte, 300)
			newSeeded(byte(i)).Read(stream)
			theirs, err := ecdsa.GenerateKey(curve, bytes.NewReader(stream))
			require.NoError(t, err)
			whole, err := GenerateECDSA(bytes.NewReader(stream), curve)
			require.NoError(t, err)
			after, err := GenerateECDSA(bytes.NewReader(stream[1:]), curve)
			require.NoError(t, err)
			switch {
			case theirs.Equal(whole):
				read++
			case theirs.Equal(after):
				skipped++
			default:
				t.Fatalf("%s: crypto/ecdsa made another key", curve.Params().Name)
			}
		}
		require.NotZero(t, skipped)
		require.NotZero(t, read)
	}
}

// GenerateSM2 makes gmsm's GenerateKey's key of the same bytes (so seeded SM2 keys are what they
// were), rejection sampling included: 0, N-1 and N or more are drawn again.
func TestGenerateSM2IsGmsms(t *testing.T) {
	n := sm2.P256().Params().N
	good := bytes.Repeat([]byte{0x42}, 32)
	streams := [][]byte{
		good,
		append(make([]byte, 32), good...),
		append(new(big.Int).Sub(n, big.NewInt(1)).FillBytes(make([]byte, 32)), good...),
		append(n.FillBytes(make([]byte, 32)), good...),
		append(bytes.Repeat([]byte{0xff}, 32), good...),
	}
	for i := range 10 {
		s := make([]byte, 64)
		newSeeded(byte(i)).Read(s)
		streams = append(streams, s)
	}
	for i, stream := range streams {
		theirs, err := sm2.GenerateKey(bytes.NewReader(stream))
		require.NoError(t, err)
		r := bytes.NewReader(stream)
		ours, err := GenerateSM2(r)
		require.NoError(t, err)
		require.True(t, ours.Equal(oursOf(t, theirs)), "stream %d", i)
		if i < 5 {
			require.Zero(t, new(big.Int).SetBytes(good).Cmp(ours.D))
			require.Zero(t, r.Len())
		}
	}
}
