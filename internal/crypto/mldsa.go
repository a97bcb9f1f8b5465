package crypto

import (
	"crypto"
	"crypto/sha3"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"sync"

	"filippo.io/mldsa"
	"filippo.io/mldsa/mldsacrypto"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// ML-DSA (FIPS 204), KMS's ML_DSA_44/65/87 key specs with the signing algorithm ML_DSA_SHAKE_256.
//
// Key generation and signing are filippo.io/mldsa (the standalone form of Go's own
// crypto/internal/fips140/mldsa, which becomes crypto/mldsa in Go 1.27). It is used rather than
// circl's sign/mldsa because KMS's EXTERNAL_MU message type signs a caller-computed μ, and of the
// two only filippo.io/mldsa signs from an external μ (RFC 9881's "pre-hashed μ message
// representative"); circl v1.6.5 always computes μ itself and its hedged signing ignores any
// reader. Neither library verifies from an external μ, so verification is written here:
// mldsaVerifyInternal is FIPS 204's ML-DSA.Verify_internal (Algorithm 8) from μ on. It touches
// only public data (key, μ, signature), so it needs no constant-time care, and one implementation
// answers both RAW and EXTERNAL_MU. The tests hold it to the ACVP sigVer vectors and to both
// libraries' Verify.
//
// Randomness: key generation draws the 32-byte seed ξ from the caller's reader, so keys are
// reproducible from a seeded reader. Signing is hedged (FIPS 204's default): filippo.io/mldsa
// draws the 32 bytes rnd from crypto/rand itself and has no way to take them from a reader. Given
// a Deterministic reader, signing is FIPS 204's deterministic variant instead (rnd = 32 zero
// bytes, filippo.io/mldsa's SignDeterministic), so the signature depends on key and message only.

const (
	mldsaQ    = 8380417 // the modulus q = 2²³ − 2¹³ + 1
	mldsaN    = 256     // coefficients per polynomial
	mldsaD    = 13      // bits dropped from t
	mldsaSeed = 32      // the key generation seed ξ
	mldsaMu   = 64      // the message representative μ
)

// mldsaParams is one FIPS 204 parameter set (Table 1) and its names.
type mldsaParams struct {
	paramSet     int // 44, 65 or 87
	k, l         int // dimensions of A
	tau          int // nonzero coefficients of the challenge c
	cTildeSize   int // λ/4, the bytes of the commitment hash c̃
	gamma1Bits   int // log₂ γ₁
	gamma2       int32
	beta         int32 // τ·η
	omega        int   // maximum number of hints
	publicSize   int
	signatureLen int
	oid          asn1.ObjectIdentifier
	filippo      func() mldsa.Parameters
}

var (
	mldsa44 = &mldsaParams{paramSet: 44, k: 4, l: 4, tau: 39, cTildeSize: 32, gamma1Bits: 17,
		gamma2: (mldsaQ - 1) / 88, beta: 78, omega: 80, publicSize: 1312, signatureLen: 2420,
		oid: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 17}, filippo: mldsa.MLDSA44}
	mldsa65 = &mldsaParams{paramSet: 65, k: 6, l: 5, tau: 49, cTildeSize: 48, gamma1Bits: 19,
		gamma2: (mldsaQ - 1) / 32, beta: 196, omega: 55, publicSize: 1952, signatureLen: 3309,
		oid: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 18}, filippo: mldsa.MLDSA65}
	mldsa87 = &mldsaParams{paramSet: 87, k: 8, l: 7, tau: 60, cTildeSize: 64, gamma1Bits: 19,
		gamma2: (mldsaQ - 1) / 32, beta: 120, omega: 75, publicSize: 2592, signatureLen: 4627,
		oid: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 19}, filippo: mldsa.MLDSA87}
)

func mldsaParamsFor(paramSet int) *mldsaParams {
	switch paramSet {
	case 44:
		return mldsa44
	case 65:
		return mldsa65
	case 87:
		return mldsa87
	}
	return nil
}

// mldsaParamsForOID answers the parameter set RFC 9881 names id-ml-dsa-44/65/87
// (2.16.840.1.101.3.4.3.17/18/19), or nil.
func mldsaParamsForOID(oid asn1.ObjectIdentifier) *mldsaParams {
	for _, p := range []*mldsaParams{mldsa44, mldsa65, mldsa87} {
		if oid.Equal(p.oid) {
			return p
		}
	}
	return nil
}

// MLDSAPrivateKey is an ML-DSA (FIPS 204) key of one parameter set; it keeps its 32-byte seed (the
// state file stores the seed form).
//
// The expanded signing key (about 90 KB whatever the parameter set, most of it the matrix Â) is
// built when the key is made and kept: building it costs about as much as a signature.
type MLDSAPrivateKey struct {
	params *mldsaParams
	seed   [mldsaSeed]byte
	key    *mldsa.PrivateKey
	pub    *MLDSAPublicKey
}

// MLDSAPublicKey is an ML-DSA public key: FIPS 204's pkEncode(ρ, t₁) and its hash tr.
type MLDSAPublicKey struct {
	params *mldsaParams
	raw    []byte
	tr     [64]byte // SHAKE256(pk, 64)
}

// GenerateMLDSA makes an ML-DSA key of paramSet 44, 65 or 87 from 32 bytes of rand (FIPS 204's
// ML-DSA.KeyGen with ξ read from rand).
func GenerateMLDSA(rand io.Reader, paramSet int) (*MLDSAPrivateKey, error) {
	p := mldsaParamsFor(paramSet)
	if p == nil {
		return nil, fmt.Errorf("crypto: unknown ML-DSA parameter set %d", paramSet)
	}
	var seed [mldsaSeed]byte
	if _, err := io.ReadFull(rand, seed[:]); err != nil {
		return nil, err
	}
	return newMLDSAPrivateKey(p, seed[:])
}

// newMLDSAPrivateKey is ML-DSA.KeyGen_internal(ξ = seed).
func newMLDSAPrivateKey(p *mldsaParams, seed []byte) (*MLDSAPrivateKey, error) {
	key, err := mldsa.NewPrivateKey(p.filippo(), seed)
	if err != nil {
		return nil, err
	}
	pub, err := newMLDSAPublicKey(p, key.PublicKey().Bytes())
	if err != nil {
		return nil, err
	}
	priv := &MLDSAPrivateKey{params: p, key: key, pub: pub}
	copy(priv.seed[:], seed)
	return priv, nil
}

// newMLDSAPublicKey takes an encoded public key. Every encoding of the right length is a valid
// key (ρ is any 32 bytes, t₁ any 10-bit coefficients), so only the length is checked.
func newMLDSAPublicKey(p *mldsaParams, raw []byte) (*MLDSAPublicKey, error) {
	if len(raw) != p.publicSize {
		return nil, fmt.Errorf("crypto: ML-DSA-%d public key must be %d bytes", p.paramSet, p.publicSize)
	}
	pub := &MLDSAPublicKey{params: p, raw: append([]byte(nil), raw...)}
	h := sha3.NewSHAKE256()
	h.Write(pub.raw)
	h.Read(pub.tr[:])
	return pub, nil
}

// Public answers the *MLDSAPublicKey.
func (k *MLDSAPrivateKey) Public() crypto.PublicKey { return k.pub }

// ParamSet is 44, 65 or 87.
func (k *MLDSAPrivateKey) ParamSet() int { return k.params.paramSet }

// Equal reports whether x is an *MLDSAPrivateKey of the same parameter set and seed.
func (k *MLDSAPrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*MLDSAPrivateKey)
	return ok && o.params == k.params && subtle.ConstantTimeCompare(o.seed[:], k.seed[:]) == 1
}

// Bytes is the FIPS 204 encoding of the public key (1312, 1952 or 2592 bytes).
func (k *MLDSAPublicKey) Bytes() []byte { return append([]byte(nil), k.raw...) }

// ParamSet is 44, 65 or 87.
func (k *MLDSAPublicKey) ParamSet() int { return k.params.paramSet }

// Equal reports whether x is an *MLDSAPublicKey of the same parameter set and encoding.
func (k *MLDSAPublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*MLDSAPublicKey)
	return ok && o.params == k.params && string(o.raw) == string(k.raw)
}

// mldsaAlgorithm is KMS's ML-DSA signing algorithm. Sign and Verify (sign.go) hand it to
// signMLDSA and verifyMLDSA.
const mldsaAlgorithm = "ML_DSA_SHAKE_256"

// mldsaPublicKeyOf is the ML-DSA public key pub is or, for a private key, stands for.
func mldsaPublicKeyOf(pub crypto.PublicKey) (*MLDSAPublicKey, bool) {
	switch k := pub.(type) {
	case *MLDSAPublicKey:
		return k, k != nil && k.params != nil
	case *MLDSAPrivateKey:
		if k != nil && k.pub != nil {
			return k.pub, true
		}
	}
	return nil, false
}

// signMLDSA is ML_DSA_SHAKE_256: for messageType "RAW" the pure ML-DSA.Sign of message with an
// empty context string (FIPS 204 Algorithm 2), for "EXTERNAL_MU" Sign_internal from the caller's
// 64-byte μ = SHAKE256(tr ‖ 0x00 ‖ 0x00 ‖ M, 64), which gives the signature a RAW sign of M would
// (up to the hedging randomness). Hedged, or deterministic for a Deterministic rand; rand is not
// read (see the top of this file).
func signMLDSA(rand io.Reader, priv *MLDSAPrivateKey, messageType string, message []byte) ([]byte, error) {
	if priv == nil || priv.key == nil {
		return nil, errors.New("crypto: no ML-DSA private key")
	}
	sign := func(message []byte, opts crypto.SignerOpts) ([]byte, error) {
		if _, ok := deterministic(rand); ok {
			return priv.key.SignDeterministic(message, opts)
		}
		return priv.key.Sign(nil, message, opts)
	}
	switch messageType {
	case "RAW":
		return sign(message, nil)
	case "EXTERNAL_MU":
		if len(message) != mldsaMu {
			return nil, fmt.Errorf("crypto: an ML-DSA external mu must be %d bytes", mldsaMu)
		}
		return sign(message, mldsacrypto.MLDSAMu)
	}
	return nil, fmt.Errorf("crypto: ML-DSA cannot sign message type %q", messageType)
}

// verifyMLDSA checks an ML_DSA_SHAKE_256 signature over message ("RAW", empty context) or over a
// 64-byte μ ("EXTERNAL_MU"). Anything else, including a μ of another length, does not verify.
func verifyMLDSA(pub *MLDSAPublicKey, messageType string, message, signature []byte) bool {
	if pub == nil || pub.params == nil {
		return false
	}
	var mu [mldsaMu]byte
	switch messageType {
	case "RAW":
		mu = mldsaMessageRepresentative(pub, message)
	case "EXTERNAL_MU":
		if len(message) != mldsaMu {
			return false
		}
		copy(mu[:], message)
	default:
		return false
	}
	return mldsaVerifyInternal(pub, &mu, signature)
}

// mldsaMessageRepresentative is μ = SHAKE256(tr ‖ M′, 64) with M′ = 0x00 ‖ 0x00 ‖ M: pure ML-DSA,
// empty context (FIPS 204 Algorithm 3 line 5, Algorithm 8 line 7).
func mldsaMessageRepresentative(pub *MLDSAPublicKey, message []byte) (mu [mldsaMu]byte) {
	h := sha3.NewSHAKE256()
	h.Write(pub.tr[:])
	h.Write([]byte{0, 0})
	h.Write(message)
	h.Read(mu[:])
	return mu
}

// mldsaPoly is a polynomial of R_q, coefficients in [0, q), in either the normal or the NTT domain.
type mldsaPoly [mldsaN]uint32

func mldsaAdd(a, b uint32) uint32 {
	s := a + b
	if s >= mldsaQ {
		s -= mldsaQ
	}
	return s
}

func mldsaSub(a, b uint32) uint32 { return mldsaAdd(a, mldsaQ-b) }

func mldsaMul(a, b uint32) uint32 { return uint32(uint64(a) * uint64(b) % mldsaQ) }

// mldsaZetas are ζ^BitRev₈(k) mod q for ζ = 1753 (FIPS 204 Appendix B), computed on first use
// rather than at package start.
var mldsaZetas = sync.OnceValue(func() *[mldsaN]uint32 {
	var powers, zetas [mldsaN]uint32
	powers[0] = 1
	for i := 1; i < mldsaN; i++ {
		powers[i] = mldsaMul(powers[i-1], 1753)
	}
	for k := range zetas {
		rev := 0
		for b := range 8 {
			rev |= (k >> b & 1) << (7 - b)
		}
		zetas[k] = powers[rev]
	}
	return &zetas
})

// ntt is FIPS 204 Algorithm 41, in place.
func (w *mldsaPoly) ntt() {
	zetas := mldsaZetas()
	m := 0
	for length := 128; length >= 1; length /= 2 {
		for start := 0; start < mldsaN; start += 2 * length {
			m++
			z := zetas[m]
			for j := start; j < start+length; j++ {
				t := mldsaMul(z, w[j+length])
				w[j+length] = mldsaSub(w[j], t)
				w[j] = mldsaAdd(w[j], t)
			}
		}
	}
}

// inverseNTT is FIPS 204 Algorithm 42, in place.
func (w *mldsaPoly) inverseNTT() {
	zetas := mldsaZetas()
	m := mldsaN
	for length := 1; length < mldsaN; length *= 2 {
		for start := 0; start < mldsaN; start += 2 * length {
			m--
			z := mldsaQ - zetas[m] // −ζ^BitRev₈(m)
			for j := start; j < start+length; j++ {
				t := w[j]
				w[j] = mldsaAdd(t, w[j+length])
				w[j+length] = mldsaMul(z, mldsaSub(t, w[j+length]))
			}
		}
	}
	for j := range w {
		w[j] = mldsaMul(w[j], 8347681) // 256⁻¹ mod q
	}
}

// mldsaRejNTTPoly is FIPS 204 Algorithm 30 on ρ ‖ s ‖ r: the entry Â[r][s] of ExpandA (Algorithm 32).
func mldsaRejNTTPoly(rho []byte, s, r byte) *mldsaPoly {
	g := sha3.NewSHAKE128()
	g.Write(rho)
	g.Write([]byte{s, r})
	var a mldsaPoly
	var buf [168]byte // one SHAKE128 block: 56 candidates
	for j := 0; j < mldsaN; {
		g.Read(buf[:])
		for i := 0; i+3 <= len(buf) && j < mldsaN; i += 3 {
			// CoeffFromThreeBytes (Algorithm 14): 23 bits, little-endian, rejected if ≥ q.
			if c := uint32(buf[i]) | uint32(buf[i+1])<<8 | uint32(buf[i+2]&0x7f)<<16; c < mldsaQ {
				a[j] = c
				j++
			}
		}
	}
	return &a
}

// mldsaSampleInBall is FIPS 204 Algorithm 29: the challenge c with τ coefficients ±1, from c̃.
func mldsaSampleInBall(cTilde []byte, tau int) *mldsaPoly {
	h := sha3.NewSHAKE256()
	h.Write(cTilde)
	var buf [136]byte // one SHAKE256 block
	h.Read(buf[:])
	signs := uint64(0)
	for i := range 8 {
		signs |= uint64(buf[i]) << (8 * i)
	}
	pos := 8
	var c mldsaPoly
	for i := mldsaN - tau; i < mldsaN; i++ {
		var j int
		for {
			if pos == len(buf) {
				h.Read(buf[:])
				pos = 0
			}
			j = int(buf[pos])
			pos++
			if j <= i {
				break
			}
		}
		c[i] = c[j]
		if signs&1 == 1 {
			c[j] = mldsaQ - 1
		} else {
			c[j] = 1
		}
		signs >>= 1
	}
	return &c
}

// mldsaUnpack reads mldsaN coefficients of bits bits each, little-endian (FIPS 204's
// SimpleBitUnpack, Algorithm 18, before any offset). b holds exactly 32·bits bytes.
func mldsaUnpack(b []byte, bits int, out *[mldsaN]uint32) {
	var acc uint64
	var have int
	for i := range out {
		for have < bits {
			acc |= uint64(b[0]) << have
			b = b[1:]
			have += 8
		}
		out[i] = uint32(acc & (1<<bits - 1))
		acc >>= bits
		have -= bits
	}
}

// mldsaPack appends mldsaN coefficients of bits bits each, little-endian (SimpleBitPack,
// Algorithm 16).
func mldsaPack(dst []byte, bits int, in *[mldsaN]uint32) []byte {
	var acc uint64
	var have int
	for _, c := range in {
		acc |= uint64(c) << have
		for have += bits; have >= 8; have -= 8 {
			dst = append(dst, byte(acc))
			acc >>= 8
		}
	}
	return dst
}

// mldsaUseHint is FIPS 204 Algorithm 40 (with Decompose, Algorithm 36) for one coefficient r of
// [0, q).
func mldsaUseHint(hint bool, r uint32, gamma2 int32) uint32 {
	m := (mldsaQ - 1) / (2 * gamma2)
	// r₀ = r mod± 2γ₂, in (−γ₂, γ₂].
	r0 := int32(r) % (2 * gamma2)
	if r0 > gamma2 {
		r0 -= 2 * gamma2
	}
	var r1 int32
	if int32(r)-r0 == mldsaQ-1 {
		r1, r0 = 0, r0-1
	} else {
		r1 = (int32(r) - r0) / (2 * gamma2)
	}
	switch {
	case hint && r0 > 0:
		return uint32((r1 + 1) % m)
	case hint:
		return uint32((r1 - 1 + m) % m)
	}
	return uint32(r1)
}

// mldsaVerifyInternal is ML-DSA.Verify_internal (FIPS 204 Algorithm 8) given μ: lines 1 to 5
// and 7 to 13, μ standing in for line 6.
func mldsaVerifyInternal(pub *MLDSAPublicKey, mu *[mldsaMu]byte, sig []byte) bool {
	p := pub.params
	if len(sig) != p.signatureLen || len(pub.raw) != p.publicSize {
		return false
	}

	// sigDecode (Algorithm 27): c̃, then z as l polynomials of γ₁ − BitUnpack, then the hints.
	cTilde := sig[:p.cTildeSize]
	rest := sig[p.cTildeSize:]
	zBits := p.gamma1Bits + 1
	gamma1 := int32(1) << p.gamma1Bits
	z := make([]mldsaPoly, p.l)
	for i := range z {
		var raw [mldsaN]uint32
		mldsaUnpack(rest[:32*zBits], zBits, &raw)
		rest = rest[32*zBits:]
		for j, v := range raw {
			c := gamma1 - int32(v) // in (−γ₁, γ₁]
			// Line 13's ‖z‖∞ < γ₁ − β, checked here; the order of the checks does not matter.
			if c >= gamma1-p.beta || -c >= gamma1-p.beta {
				return false
			}
			if c < 0 {
				c += mldsaQ
			}
			z[i][j] = uint32(c)
		}
	}
	hints, ok := mldsaHintBitUnpack(rest, p.k, p.omega)
	if !ok {
		return false
	}

	// c = NTT(SampleInBall(c̃)), NTT(z), and w′ = NTT⁻¹(Â ∘ NTT(z) − NTT(c) ∘ NTT(t₁ · 2ᵈ)).
	c := mldsaSampleInBall(cTilde, p.tau)
	c.ntt()
	for i := range z {
		z[i].ntt()
	}
	rho, t1Bytes := pub.raw[:32], pub.raw[32:]
	w1 := make([]byte, 0, p.k*32*mldsaW1Bits(p))
	for r := range p.k {
		// t₁[r] · 2ᵈ (pkDecode, Algorithm 23: 10-bit coefficients), into the NTT domain.
		var t mldsaPoly
		mldsaUnpack(t1Bytes[r*320:(r+1)*320], 10, (*[mldsaN]uint32)(&t))
		for j := range t {
			t[j] <<= mldsaD // at most (2¹⁰ − 1)·2¹³ = q − 1
		}
		t.ntt()
		var w mldsaPoly
		for j := range w {
			w[j] = mldsaSub(0, mldsaMul(c[j], t[j]))
		}
		for s := range p.l {
			a := mldsaRejNTTPoly(rho, byte(s), byte(r))
			for j := range w {
				w[j] = mldsaAdd(w[j], mldsaMul(a[j], z[s][j]))
			}
		}
		w.inverseNTT()
		// w₁′ = UseHint(h, w′), packed as w1Encode (Algorithm 28) does.
		for j := range w {
			w[j] = mldsaUseHint(hints[r][j], w[j], p.gamma2)
		}
		w1 = mldsaPack(w1, mldsaW1Bits(p), (*[mldsaN]uint32)(&w))
	}

	// c̃′ = H(μ ‖ w1Encode(w₁′), λ/4), compared with c̃.
	h := sha3.NewSHAKE256()
	h.Write(mu[:])
	h.Write(w1)
	check := make([]byte, p.cTildeSize)
	h.Read(check)
	return subtle.ConstantTimeCompare(check, cTilde) == 1
}

// mldsaW1Bits is bitlen((q − 1)/(2γ₂) − 1): 6 for γ₂ = (q − 1)/88, 4 for (q − 1)/32.
func mldsaW1Bits(p *mldsaParams) int {
	if p.gamma2 == (mldsaQ-1)/88 {
		return 6
	}
	return 4
}

// mldsaHintBitUnpack is FIPS 204 Algorithm 21 on y (ω + k bytes): the hint positions of each of
// the k polynomials, strictly increasing, at most ω in all, and unused slots zero.
func mldsaHintBitUnpack(y []byte, k, omega int) ([][mldsaN]bool, bool) {
	if len(y) != omega+k {
		return nil, false
	}
	h := make([][mldsaN]bool, k)
	index := 0
	for i := range k {
		end := int(y[omega+i])
		if end < index || end > omega {
			return nil, false
		}
		first := index
		for ; index < end; index++ {
			if index > first && y[index-1] >= y[index] {
				return nil, false
			}
			h[i][y[index]] = true
		}
	}
	for ; index < omega; index++ {
		if y[index] != 0 {
			return nil, false
		}
	}
	return h, true
}

// PKCS#8 seed form, for ML-DSA (RFC 9881) and ML-KEM alike: the privateKey OCTET STRING holds
// the CHOICE alternative seed [0] IMPLICIT OCTET STRING, and the AlgorithmIdentifier has no
// parameters. The expandedKey and both alternatives are not read: a key here is its seed.

var tagSeed = cbasn1.Tag(0).ContextSpecific() // [0] IMPLICIT OCTET STRING, primitive

func marshalSeedPKCS8(oid asn1.ObjectIdentifier, seed []byte) ([]byte, error) {
	return buildPKCS8(func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
	}, func(b *cryptobyte.Builder) {
		b.AddASN1(tagSeed, func(b *cryptobyte.Builder) { b.AddBytes(seed) })
	})
}

// parseSeed reads the seed form of size bytes out of a PKCS#8 privateKey's contents.
func parseSeed(key []byte, size int) ([]byte, error) {
	input := cryptobyte.String(key)
	var seed []byte
	if !input.ReadASN1Bytes(&seed, tagSeed) || !input.Empty() {
		return nil, errors.New("crypto: only the seed form of a post-quantum private key is supported")
	}
	if len(seed) != size {
		return nil, fmt.Errorf("crypto: post-quantum private key seed must be %d bytes", size)
	}
	return seed, nil
}

// parseMLDSAPKCS8 rebuilds the key of parameter set p from a PKCS#8 privateKey's contents.
func parseMLDSAPKCS8(p *mldsaParams, key []byte) (*MLDSAPrivateKey, error) {
	seed, err := parseSeed(key, mldsaSeed)
	if err != nil {
		return nil, err
	}
	return newMLDSAPrivateKey(p, seed)
}

// The post-quantum cases of MarshalPKCS8, MarshalSPKI and ParsePKCS8 (encoding.go). ok reports
// whether the key or OID was one of ML-DSA or ML-KEM; err is then the answer's.

func marshalPostQuantumPKCS8(priv any) (der []byte, ok bool, err error) {
	switch k := priv.(type) {
	case *MLDSAPrivateKey:
		der, err = marshalSeedPKCS8(k.params.oid, k.seed[:])
	case *MLKEMPrivateKey:
		der, err = marshalSeedPKCS8(k.params.oid, k.seed[:])
	default:
		return nil, false, nil
	}
	return der, true, err
}

// marshalPostQuantumSPKI: AlgorithmIdentifier with the OID and no parameters, and the raw FIPS 203
// or 204 public key as the subjectPublicKey (RFC 9881 for ML-DSA, the LAMPS ML-KEM certificate profile,
// draft-ietf-lamps-kyber-certificates, for ML-KEM).
func marshalPostQuantumSPKI(pub any) (der []byte, ok bool, err error) {
	var oid asn1.ObjectIdentifier
	var raw []byte
	switch k := pub.(type) {
	case *MLDSAPrivateKey:
		oid, raw = k.params.oid, k.pub.raw
	case *MLDSAPublicKey:
		oid, raw = k.params.oid, k.raw
	case *MLKEMPrivateKey:
		oid, raw = k.params.oid, k.pub.raw
	case *MLKEMPublicKey:
		oid, raw = k.params.oid, k.raw
	default:
		return nil, false, nil
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oid) })
		b.AddASN1BitString(raw)
	})
	der, err = b.Bytes()
	return der, true, err
}

// parsePostQuantumPKCS8 reads the seed form for the ML-DSA and ML-KEM OIDs; their
// AlgorithmIdentifier must have no parameters.
func parsePostQuantumPKCS8(oid asn1.ObjectIdentifier, parameters cryptobyte.String, key []byte) (priv any, ok bool, err error) {
	dsa, kem := mldsaParamsForOID(oid), mlkemParamsForOID(oid)
	if dsa == nil && kem == nil {
		return nil, false, nil
	}
	if !parameters.Empty() {
		return nil, true, errors.New("crypto: post-quantum private key algorithm with parameters")
	}
	if dsa != nil {
		if priv, err = parseMLDSAPKCS8(dsa, key); err != nil {
			return nil, true, err
		}
		return priv, true, nil
	}
	if priv, err = parseMLKEMPKCS8(kem, key); err != nil {
		return nil, true, err
	}
	return priv, true, nil
}
