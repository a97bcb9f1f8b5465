package crypto

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mathrand "math/rand/v2"
	"os"
	"strings"
	"testing"

	"filippo.io/mldsa"
	mldsax509 "filippo.io/mldsa/x509"
	"github.com/cloudflare/circl/sign"
	circl44 "github.com/cloudflare/circl/sign/mldsa/mldsa44"
	circl65 "github.com/cloudflare/circl/sign/mldsa/mldsa65"
	circl87 "github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"golang.org/x/crypto/sha3"
)

// The ML-DSA tests hold this package to two implementations it does not use for verifying (circl's
// sign/mldsa, which it does not use at all, and filippo.io/mldsa's Verify), to the NIST ACVP
// vectors, and to an external μ computed here from the FIPS 204 formulas with x/crypto/sha3.

var mldsaParamSets = []int{44, 65, 87}

func circlMLDSA(paramSet int) sign.Scheme {
	switch paramSet {
	case 44:
		return circl44.Scheme()
	case 65:
		return circl65.Scheme()
	}
	return circl87.Scheme()
}

// testMu is FIPS 204's μ for pure ML-DSA with an empty context, from the formulas:
// tr = SHAKE256(pk, 64), μ = SHAKE256(tr ‖ 0x00 ‖ 0x00 ‖ M, 64).
func testMu(pk, message []byte) []byte {
	tr := make([]byte, 64)
	sha3.ShakeSum256(tr, pk)
	mu := make([]byte, 64)
	sha3.ShakeSum256(mu, append(append(tr, 0, 0), message...))
	return mu
}

// pqVectors is testdata/pq_acvp.json.gz: NIST ACVP vectors for ML-DSA and ML-KEM (see its "source").
type pqVectors struct {
	MLDSAKeyGen []struct {
		ParamSet int    `json:"paramSet"`
		TcID     int    `json:"tcId"`
		Seed     string `json:"seed"`
		PkSHA256 string `json:"pkSHA256"`
	} `json:"mldsaKeyGen"`
	MLDSASigVer []struct {
		ParamSet int    `json:"paramSet"`
		Pk       string `json:"pk"`
		Tests    []struct {
			TcID       int    `json:"tcId"`
			Message    string `json:"message"`
			Signature  string `json:"signature"`
			TestPassed bool   `json:"testPassed"`
		} `json:"tests"`
	} `json:"mldsaSigVer"`
	MLKEMKeyGen []struct {
		ParamSet int    `json:"paramSet"`
		TcID     int    `json:"tcId"`
		D        string `json:"d"`
		Z        string `json:"z"`
		EkSHA256 string `json:"ekSHA256"`
	} `json:"mlkemKeyGen"`
	MLKEMEncap []struct {
		ParamSet int    `json:"paramSet"`
		TcID     int    `json:"tcId"`
		Ek       string `json:"ek"`
		M        string `json:"m"`
		CSHA256  string `json:"cSHA256"`
		K        string `json:"k"`
	} `json:"mlkemEncap"`
}

func loadPQVectors(t *testing.T) *pqVectors {
	t.Helper()
	f, err := os.Open("testdata/pq_acvp.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var v pqVectors
	if err := json.NewDecoder(z).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha256Hex(b []byte) string {
	d := sha256.Sum256(b)
	return hex.EncodeToString(d[:])
}

func mustGenerateMLDSA(t testing.TB, paramSet int) *MLDSAPrivateKey {
	t.Helper()
	k, err := GenerateMLDSA(rand.Reader, paramSet)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestMLDSAKeyGenACVP(t *testing.T) {
	v := loadPQVectors(t)
	if len(v.MLDSAKeyGen) != 30 {
		t.Fatalf("%d keyGen vectors", len(v.MLDSAKeyGen))
	}
	for _, tc := range v.MLDSAKeyGen {
		k, err := GenerateMLDSA(bytes.NewReader(unhex(t, tc.Seed)), tc.ParamSet)
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256Hex(k.Public().(*MLDSAPublicKey).Bytes()); got != tc.PkSHA256 {
			t.Errorf("ML-DSA-%d tcId %d: public key hash %s, want %s", tc.ParamSet, tc.TcID, got, tc.PkSHA256)
		}
	}
}

// The ACVP sigVer vectors are for ML-DSA.Verify_internal: μ = SHAKE256(tr ‖ message), which is
// exactly what an EXTERNAL_MU verification is given.
func TestMLDSASigVerACVP(t *testing.T) {
	v := loadPQVectors(t)
	n := 0
	for _, g := range v.MLDSASigVer {
		pub, err := newMLDSAPublicKey(mldsaParamsFor(g.ParamSet), unhex(t, g.Pk))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range g.Tests {
			n++
			h := sha3.NewShake256()
			h.Write(pub.tr[:])
			h.Write(unhex(t, tc.Message))
			mu := make([]byte, 64)
			h.Read(mu)
			if got := verifyMLDSA(pub, "EXTERNAL_MU", mu, unhex(t, tc.Signature)); got != tc.TestPassed {
				t.Errorf("ML-DSA-%d tcId %d: verified %v, want %v", g.ParamSet, tc.TcID, got, tc.TestPassed)
			}
		}
	}
	if n != 45 {
		t.Fatalf("%d sigVer vectors", n)
	}
}

func TestMLDSASignVerify(t *testing.T) {
	for _, ps := range mldsaParamSets {
		t.Run(fmt.Sprint(ps), func(t *testing.T) {
			priv := mustGenerateMLDSA(t, ps)
			pub := priv.Public().(*MLDSAPublicKey)
			if pub.ParamSet() != ps || priv.ParamSet() != ps {
				t.Fatal("parameter set")
			}
			// The public key as a verifier outside this package gets it: parsed from the SPKI.
			spki, err := MarshalSPKI(pub)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := mldsax509.ParsePKIXPublicKey(spki)
			if err != nil {
				t.Fatal(err)
			}
			filippoPub := parsed.(*mldsa.PublicKey)
			circlPub, err := circlMLDSA(ps).UnmarshalBinaryPublicKey(filippoPub.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			othersVerify := func(message, sig []byte) bool {
				c := circlMLDSA(ps).Verify(circlPub, message, sig, nil)
				f := mldsa.Verify(filippoPub, message, sig, nil) == nil
				if c != f {
					t.Fatalf("circl says %v, filippo.io/mldsa %v", c, f)
				}
				return c
			}

			for _, size := range []int{0, 1, 64, 4096} {
				message := make([]byte, size)
				rand.Read(message)
				mu := testMu(pub.Bytes(), message)

				raw, err := signMLDSA(rand.Reader, priv, "RAW", message)
				if err != nil {
					t.Fatal(err)
				}
				if len(raw) != circlMLDSA(ps).SignatureSize() {
					t.Fatalf("signature of %d bytes", len(raw))
				}
				ext, err := signMLDSA(rand.Reader, priv, "EXTERNAL_MU", mu)
				if err != nil {
					t.Fatal(err)
				}
				for name, sig := range map[string][]byte{"RAW": raw, "EXTERNAL_MU": ext} {
					if !othersVerify(message, sig) {
						t.Errorf("%s signature of %d bytes does not verify with circl", name, size)
					}
					if !verifyMLDSA(pub, "RAW", message, sig) || !verifyMLDSA(pub, "EXTERNAL_MU", mu, sig) {
						t.Errorf("%s signature of %d bytes does not verify here", name, size)
					}
					other := append([]byte{1}, message...)
					if verifyMLDSA(pub, "RAW", other, sig) || othersVerify(other, sig) {
						t.Errorf("%s signature verifies for another message", name)
					}
					if verifyMLDSA(pub, "EXTERNAL_MU", testMu(pub.Bytes(), other), sig) {
						t.Errorf("%s signature verifies for another mu", name)
					}
				}
				// Hedged: a second signature of the same message differs.
				again, err := signMLDSA(rand.Reader, priv, "RAW", message)
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Equal(again, raw) {
					t.Error("two signatures of one message are equal: not hedged")
				}
			}
		})
	}
}

// TestMLDSASignDispatch: Sign and Verify (sign.go) take ML_DSA_SHAKE_256 with RAW and EXTERNAL_MU,
// a private key standing for its public half, and refuse other keys and message types.
func TestMLDSASignDispatch(t *testing.T) {
	priv := mustGenerateMLDSA(t, 87)
	pub := priv.Public()
	message := []byte("message")
	mu := testMu(priv.pub.Bytes(), message)
	raw, err := Sign(rand.Reader, priv, "ML_DSA_SHAKE_256", "RAW", message)
	if err != nil {
		t.Fatal(err)
	}
	ext, err := Sign(rand.Reader, priv, "ML_DSA_SHAKE_256", "EXTERNAL_MU", mu)
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range [][]byte{raw, ext} {
		for _, key := range []any{pub, priv} {
			if !Verify(key, "ML_DSA_SHAKE_256", "RAW", message, sig) ||
				!Verify(key, "ML_DSA_SHAKE_256", "EXTERNAL_MU", mu, sig) {
				t.Fatalf("does not verify with %T", key)
			}
		}
		if !circl87.Verify(mustCircl87(t, priv.pub.Bytes()), message, nil, sig) {
			t.Fatal("circl does not verify")
		}
		if Verify(pub, "ML_DSA_SHAKE_256", "DIGEST", message, sig) || Verify(pub, "ECDSA_SHA_256", "RAW", message, sig) {
			t.Fatal("verifies as another message type or algorithm")
		}
	}
	if _, err := Sign(rand.Reader, priv, "ML_DSA_SHAKE_256", "DIGEST", mu); err == nil {
		t.Error("signed a DIGEST")
	}
	if _, err := Sign(rand.Reader, priv, "ECDSA_SHA_256", "RAW", message); err == nil {
		t.Error("signed ECDSA_SHA_256 with an ML-DSA key")
	}
	other := mustGenerateMLKEM(t, 768)
	if _, err := Sign(rand.Reader, other, "ML_DSA_SHAKE_256", "RAW", message); err == nil {
		t.Error("signed with an ML-KEM key")
	}
	if Verify(other.Public(), "ML_DSA_SHAKE_256", "RAW", message, raw) || Verify(nil, "ML_DSA_SHAKE_256", "RAW", message, raw) {
		t.Error("verified with an ML-KEM key or nil")
	}
}

func mustCircl87(t *testing.T, pk []byte) *circl87.PublicKey {
	t.Helper()
	var k circl87.PublicKey
	if err := k.UnmarshalBinary(pk); err != nil {
		t.Fatal(err)
	}
	return &k
}

func TestMLDSARefusals(t *testing.T) {
	priv := mustGenerateMLDSA(t, 44)
	pub := priv.Public().(*MLDSAPublicKey)
	for _, mt := range []string{"DIGEST", "raw", ""} {
		if _, err := signMLDSA(rand.Reader, priv, mt, []byte("m")); err == nil {
			t.Errorf("signed message type %q", mt)
		}
	}
	for _, n := range []int{0, 32, 63, 65} {
		if _, err := signMLDSA(rand.Reader, priv, "EXTERNAL_MU", make([]byte, n)); err == nil {
			t.Errorf("signed a mu of %d bytes", n)
		}
	}
	sig, err := signMLDSA(rand.Reader, priv, "RAW", []byte("m"))
	if err != nil {
		t.Fatal(err)
	}
	mu := testMu(pub.Bytes(), []byte("m"))
	if !verifyMLDSA(pub, "RAW", []byte("m"), sig) {
		t.Fatal("does not verify")
	}
	for name, ok := range map[string]bool{
		"DIGEST":            verifyMLDSA(pub, "DIGEST", []byte("m"), sig),
		"mu of 63 bytes":    verifyMLDSA(pub, "EXTERNAL_MU", mu[:63], sig),
		"mu of 65 bytes":    verifyMLDSA(pub, "EXTERNAL_MU", append(mu, 0), sig),
		"short signature":   verifyMLDSA(pub, "RAW", []byte("m"), sig[:len(sig)-1]),
		"long signature":    verifyMLDSA(pub, "RAW", []byte("m"), append(sig, 0)),
		"empty signature":   verifyMLDSA(pub, "RAW", []byte("m"), nil),
		"nil key":           verifyMLDSA(nil, "RAW", []byte("m"), sig),
		"zero key":          verifyMLDSA(&MLDSAPublicKey{}, "RAW", []byte("m"), sig),
		"another key":       verifyMLDSA(mustGenerateMLDSA(t, 44).pub, "RAW", []byte("m"), sig),
		"another param set": verifyMLDSA(mustGenerateMLDSA(t, 65).pub, "RAW", []byte("m"), sig),
	} {
		if ok {
			t.Errorf("%s verifies", name)
		}
	}
	if _, err := signMLDSA(rand.Reader, nil, "RAW", nil); err == nil {
		t.Error("signed with a nil key")
	}
	if _, err := signMLDSA(rand.Reader, &MLDSAPrivateKey{}, "RAW", nil); err == nil {
		t.Error("signed with a zero key")
	}
	if _, ok := mldsaPublicKeyOf((*MLDSAPrivateKey)(nil)); ok {
		t.Error("a nil private key has a public key")
	}
	if k, ok := mldsaPublicKeyOf(priv); !ok || k != pub {
		t.Error("a private key does not stand for its public key")
	}
	for _, ps := range []int{0, 2, 45, 512} {
		if _, err := GenerateMLDSA(rand.Reader, ps); err == nil {
			t.Errorf("generated parameter set %d", ps)
		}
	}
	if _, err := GenerateMLDSA(bytes.NewReader(make([]byte, 31)), 44); err == nil {
		t.Error("generated from 31 bytes of randomness")
	}
}

// TestMLDSAVerifyMatchesLibraries: the verifier here answers as circl's and filippo.io/mldsa's do,
// for valid signatures (this package's and circl's, made with the same key) and for signatures
// with bytes changed in each part (c̃, z, the hints).
func TestMLDSAVerifyMatchesLibraries(t *testing.T) {
	rng := mathrand.New(mathrand.NewPCG(1, 2))
	rounds := 4
	if testing.Short() {
		rounds = 1
	}
	for _, ps := range mldsaParamSets {
		p := mldsaParamsFor(ps)
		seed := make([]byte, 32)
		rand.Read(seed)
		priv, err := GenerateMLDSA(bytes.NewReader(seed), ps)
		if err != nil {
			t.Fatal(err)
		}
		pub := priv.pub
		circlPub, circlPriv := circlMLDSA(ps).DeriveKey(seed)
		circlRaw, _ := circlPub.MarshalBinary()
		if !bytes.Equal(circlRaw, pub.Bytes()) {
			t.Fatalf("ML-DSA-%d: circl derives another public key from the seed", ps)
		}
		filippoPub, err := mldsa.NewPublicKey(p.filippo(), pub.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, message, sig []byte) {
			t.Helper()
			want := circlMLDSA(ps).Verify(circlPub, message, sig, nil)
			if f := mldsa.Verify(filippoPub, message, sig, nil) == nil; f != want {
				t.Fatalf("ML-DSA-%d %s: circl says %v, filippo.io/mldsa %v", ps, what, want, f)
			}
			if got := verifyMLDSA(pub, "RAW", message, sig); got != want {
				t.Fatalf("ML-DSA-%d %s: verified %v, circl says %v", ps, what, got, want)
			}
		}
		regions := []struct {
			name       string
			start, end int
		}{
			{"c̃", 0, p.cTildeSize},
			{"z", p.cTildeSize, p.signatureLen - p.omega - p.k},
			{"hint", p.signatureLen - p.omega - p.k, p.signatureLen},
		}
		for range rounds {
			message := make([]byte, rng.IntN(200))
			rand.Read(message)
			ours, err := signMLDSA(rand.Reader, priv, "RAW", message)
			if err != nil {
				t.Fatal(err)
			}
			theirs := circlMLDSA(ps).Sign(circlPriv, message, nil)
			check("own signature", message, ours)
			check("circl's signature", message, theirs)
			for _, sig := range [][]byte{ours, theirs} {
				for _, r := range regions {
					for range 4 {
						bad := bytes.Clone(sig)
						i := r.start + rng.IntN(r.end-r.start)
						if rng.IntN(2) == 0 {
							bad[i] ^= 1 << rng.IntN(8)
						} else {
							bad[i] = byte(rng.IntN(256))
						}
						check("signature with its "+r.name+" changed", message, bad)
					}
				}
				// Hints: each count and some positions, one more or one fewer.
				hints := sig[p.signatureLen-p.omega-p.k:]
				moved := []int{rng.IntN(p.omega), rng.IntN(p.omega), rng.IntN(p.omega)}
				for i := range p.k {
					moved = append(moved, p.omega+i)
				}
				for _, i := range moved {
					for _, d := range []int{-1, 1} {
						bad := bytes.Clone(sig)
						bad[p.signatureLen-p.omega-p.k+i] = byte(int(hints[i]) + d)
						check("signature with a hint byte moved", message, bad)
					}
				}
				// Every hint position repeated and swapped with the one before it.
				used := int(hints[p.omega+p.k-1])
				for j := 1; j < used; j++ {
					bad := bytes.Clone(sig)
					h := bad[p.signatureLen-p.omega-p.k:]
					h[j] = h[j-1]
					check("signature with a hint position repeated", message, bad)
					bad = bytes.Clone(sig)
					h = bad[p.signatureLen-p.omega-p.k:]
					h[j], h[j-1] = h[j-1], h[j]
					check("signature with two hint positions swapped", message, bad)
				}
				// The same hints encoded twice over (a position repeated, the counts from there on
				// one higher): a second encoding of one signature, which FIPS 204 refuses.
				if used < p.omega {
					for j := 0; j < used; j++ {
						bad := bytes.Clone(sig)
						h := bad[p.signatureLen-p.omega-p.k:]
						copy(h[j+1:used+1], sig[p.signatureLen-p.omega-p.k+j:][:used-j])
						for i := range p.k {
							if int(h[p.omega+i]) > j {
								h[p.omega+i]++
							}
						}
						check("signature with a hint position encoded twice", message, bad)
					}
				}
				// Counts beyond ω.
				for _, c := range []byte{byte(p.omega + 1), 255} {
					bad := bytes.Clone(sig)
					bad[p.signatureLen-1] = c
					check(fmt.Sprintf("signature with a hint count of %d", c), message, bad)
				}
				// z at and around its bound.
				for _, v := range []uint32{0, 1, uint32(p.beta), uint32(p.beta) + 1, 1<<(p.gamma1Bits+1) - 1} {
					bad := bytes.Clone(sig)
					setFirstZ(bad[p.cTildeSize:], p.gamma1Bits+1, v)
					check(fmt.Sprintf("signature with z[0][0] packed as %d", v), message, bad)
				}
			}
		}
	}
}

// setFirstZ overwrites the first packed coefficient of z (bits wide, little-endian).
func setFirstZ(b []byte, bits int, v uint32) {
	for i := range bits {
		bit := byte(v>>i) & 1
		b[i/8] = b[i/8]&^(1<<(i%8)) | bit<<(i%8)
	}
}

func TestMLDSAZetas(t *testing.T) {
	z := mldsaZetas()
	// FIPS 204 Appendix B begins 1, 4808194, 3765607, 3761513; the ACVP vectors need all the rest.
	if z[0] != 1 || z[1] != 4808194 || z[2] != 3765607 || z[3] != 3761513 {
		t.Fatalf("zetas %d %d %d %d", z[0], z[1], z[2], z[3])
	}
	// NTT then inverse NTT is the identity.
	var p mldsaPoly
	for i := range p {
		p[i] = uint32(i*7919) % mldsaQ
	}
	q := p
	q.ntt()
	q.inverseNTT()
	if q != p {
		t.Fatal("inverseNTT(ntt(p)) != p")
	}
}

// TestMLDSAUseHint compares mldsaUseHint, for every r and both γ₂, with the Dilithium reference
// implementation's decompose and use_hint (pq-crystals/dilithium, rounding.c), which compute the
// same with other arithmetic.
func TestMLDSAUseHint(t *testing.T) {
	decompose := func(a int32, gamma2 int32) (a1, a0 int32) {
		a1 = (a + 127) >> 7
		if gamma2 == (mldsaQ-1)/32 {
			a1 = (a1*1025 + (1 << 21)) >> 22
			a1 &= 15
		} else {
			a1 = (a1*11275 + (1 << 23)) >> 24
			a1 ^= ((43 - a1) >> 31) & a1
		}
		a0 = a - a1*2*gamma2
		a0 -= (((mldsaQ-1)/2 - a0) >> 31) & mldsaQ
		return a1, a0
	}
	useHint := func(a int32, hint bool, gamma2 int32) int32 {
		a1, a0 := decompose(a, gamma2)
		switch {
		case !hint:
			return a1
		case gamma2 == (mldsaQ-1)/32 && a0 > 0:
			return (a1 + 1) & 15
		case gamma2 == (mldsaQ-1)/32:
			return (a1 - 1) & 15
		case a0 > 0:
			if a1 == 43 {
				return 0
			}
			return a1 + 1
		case a1 == 0:
			return 43
		}
		return a1 - 1
	}
	step := 1
	if testing.Short() {
		step = 97
	}
	for _, gamma2 := range []int32{(mldsaQ - 1) / 88, (mldsaQ - 1) / 32} {
		for r := int32(0); r < mldsaQ; r += int32(step) {
			for _, hint := range []bool{false, true} {
				if got, want := mldsaUseHint(hint, uint32(r), gamma2), useHint(r, hint, gamma2); got != uint32(want) {
					t.Fatalf("γ₂ = %d, r = %d, hint %v: %d, want %d", gamma2, r, hint, got, want)
				}
			}
		}
	}
}

func TestMLDSAEncodings(t *testing.T) {
	wantPublic := map[int]int{44: 1312, 65: 1952, 87: 2592}
	for _, ps := range mldsaParamSets {
		t.Run(fmt.Sprint(ps), func(t *testing.T) {
			priv := mustGenerateMLDSA(t, ps)
			pub := priv.Public().(*MLDSAPublicKey)
			if len(pub.Bytes()) != wantPublic[ps] {
				t.Fatalf("public key of %d bytes, want %d", len(pub.Bytes()), wantPublic[ps])
			}

			// SPKI: the same from the private and the public key, byte for byte what
			// filippo.io/mldsa/x509 makes, and exactly SEQUENCE { SEQUENCE { OID }, BIT STRING }.
			spki, err := MarshalSPKI(pub)
			if err != nil {
				t.Fatal(err)
			}
			fromPriv, err := MarshalSPKI(priv)
			if err != nil || !bytes.Equal(fromPriv, spki) {
				t.Fatal("SPKI of the private key differs", err)
			}
			filippoPriv, err := mldsa.NewPrivateKey(mldsaParamsFor(ps).filippo(), priv.seed[:])
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := mldsax509.MarshalPKIXPublicKey(filippoPriv.PublicKey())
			if err != nil || !bytes.Equal(theirs, spki) {
				t.Fatalf("SPKI differs from filippo.io/mldsa/x509's (%v)", err)
			}
			oidLast := map[int]byte{44: 17, 65: 18, 87: 19}[ps]
			n := len(pub.Bytes()) + 1
			prefix := []byte{0x30, 0x82, byte((n + 17) >> 8), byte(n + 17),
				0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, oidLast,
				0x03, 0x82, byte(n >> 8), byte(n), 0x00}
			if !bytes.Equal(spki, append(prefix, pub.Bytes()...)) {
				t.Fatalf("SPKI %x...", spki[:32])
			}

			// PKCS#8: the seed form, as filippo.io/mldsa/x509 writes it, read back to an equal key.
			der, err := MarshalPKCS8(priv)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err = mldsax509.MarshalPKCS8PrivateKey(filippoPriv)
			if err != nil || !bytes.Equal(theirs, der) {
				t.Fatalf("PKCS#8 differs from filippo.io/mldsa/x509's (%v)", err)
			}
			want := append([]byte{0x30, 0x34, 0x02, 0x01, 0x00,
				0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, oidLast,
				0x04, 0x22, 0x80, 0x20}, priv.seed[:]...)
			if !bytes.Equal(der, want) {
				t.Fatalf("PKCS#8 %x", der)
			}
			parsed, err := ParsePKCS8(der)
			if err != nil {
				t.Fatal(err)
			}
			back, ok := parsed.(*MLDSAPrivateKey)
			if !ok || !back.Equal(priv) || !back.Public().(*MLDSAPublicKey).Equal(pub) {
				t.Fatalf("PKCS#8 reads back as %T, another key", parsed)
			}
			// What was read back signs for the same public key.
			sig, err := signMLDSA(rand.Reader, back, "RAW", []byte("m"))
			if err != nil || !verifyMLDSA(pub, "RAW", []byte("m"), sig) {
				t.Fatal("the key read back does not sign for the public key", err)
			}
			fromFilippo, err := mldsax509.ParsePKCS8PrivateKey(der)
			if err != nil || !bytes.Equal(fromFilippo.(*mldsa.PrivateKey).PublicKey().Bytes(), pub.Bytes()) {
				t.Fatal("filippo.io/mldsa/x509 reads another key", err)
			}
		})
	}
}

func TestMLDSAPKCS8Refusals(t *testing.T) {
	priv := mustGenerateMLDSA(t, 65)
	der, err := MarshalPKCS8(priv)
	if err != nil {
		t.Fatal(err)
	}
	oid := mldsa65.oid
	cases := map[string][]byte{
		// seed of 31 and 33 bytes
		"short seed": pkcs8Raw(t, oid, nil, append([]byte{0x80, 31}, priv.seed[:31]...)),
		"long seed":  pkcs8Raw(t, oid, nil, append(append([]byte{0x80, 33}, priv.seed[:]...), 0)),
		// expandedKey OCTET STRING and both SEQUENCE alternatives
		"expanded key": pkcs8Raw(t, oid, nil, append([]byte{0x04, 32}, priv.seed[:]...)),
		"both":         pkcs8Raw(t, oid, nil, append([]byte{0x30, 34, 0x04, 32}, priv.seed[:]...)),
		"trailing":     pkcs8Raw(t, oid, nil, append(append([]byte{0x80, 32}, priv.seed[:]...), 0x05, 0x00)),
		"parameters":   pkcs8Raw(t, oid, []byte{0x05, 0x00}, append([]byte{0x80, 32}, priv.seed[:]...)),
	}
	// The encoder of pkcs8Raw itself is right: without changes it makes MarshalPKCS8's bytes.
	if !bytes.Equal(pkcs8Raw(t, oid, nil, append([]byte{0x80, 32}, priv.seed[:]...)), der) {
		t.Fatal("pkcs8Raw")
	}
	for name, der := range cases {
		if k, err := ParsePKCS8(der); err == nil {
			t.Errorf("%s: read as %T", name, k)
		}
	}
}

// pkcs8Raw builds a PrivateKeyInfo with encoding/asn1, given the AlgorithmIdentifier's parameters
// (DER, or nil for none) and the privateKey OCTET STRING's contents.
func pkcs8Raw(t *testing.T, oid asn1.ObjectIdentifier, params, key []byte) []byte {
	t.Helper()
	type algorithm struct {
		OID    asn1.ObjectIdentifier
		Params asn1.RawValue `asn1:"optional"`
	}
	var a algorithm
	a.OID = oid
	if params != nil {
		a.Params = asn1.RawValue{FullBytes: params}
	}
	der, err := asn1.Marshal(struct {
		Version   int
		Algorithm algorithm
		Key       []byte
	}{0, a, key})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestMLDSAGenerateIsReproducible(t *testing.T) {
	seed := strings.Repeat("s", 32)
	a, err := GenerateMLDSA(strings.NewReader(seed), 87)
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateMLDSA(strings.NewReader(seed), 87)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) || !a.pub.Equal(b.pub) || a.Equal(mustGenerateMLDSA(t, 87)) {
		t.Fatal("keys from one seed differ, or a fresh key equals them")
	}
	if string(a.seed[:]) != seed {
		t.Fatal("the seed is not the 32 bytes read")
	}
}

func BenchmarkGenerateMLDSA(b *testing.B) {
	for _, ps := range mldsaParamSets {
		b.Run(fmt.Sprint(ps), func(b *testing.B) {
			for b.Loop() {
				if _, err := GenerateMLDSA(rand.Reader, ps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMLDSASign(b *testing.B) {
	message := make([]byte, 4096)
	for _, ps := range mldsaParamSets {
		priv := mustGenerateMLDSA(b, ps)
		b.Run(fmt.Sprint(ps), func(b *testing.B) {
			for b.Loop() {
				if _, err := signMLDSA(rand.Reader, priv, "RAW", message); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMLDSAVerify(b *testing.B) {
	message := make([]byte, 4096)
	for _, ps := range mldsaParamSets {
		priv := mustGenerateMLDSA(b, ps)
		sig, err := signMLDSA(rand.Reader, priv, "RAW", message)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(ps), func(b *testing.B) {
			for b.Loop() {
				if !verifyMLDSA(priv.pub, "RAW", message, sig) {
					b.Fatal("does not verify")
				}
			}
		})
	}
}
