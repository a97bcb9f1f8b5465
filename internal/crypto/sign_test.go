package crypto

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/require"
)

// Every signature is checked by an implementation other than the one that made it: crypto/rsa's
// verifiers with the explicit PSS salt length, crypto/ecdsa for the NIST curves, decred's ecdsa for
// secp256k1 (which parses the DER itself), crypto/ed25519 and gmsm's SM2 verifier over the raw
// message. The digests for MessageType DIGEST are computed here, not by sign.go.

// signingKeys is one key of every type KMS signs with.
type signingKeys struct {
	rsa                  *rsa.PrivateKey
	p256, p384, p521, k1 *ecdsa.PrivateKey
	ed                   ed25519.PrivateKey
	sm2                  *SM2PrivateKey
}

func newSigningKeys(t testing.TB) signingKeys {
	t.Helper()
	var keys signingKeys
	var err error
	keys.rsa, err = NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	for _, k := range []struct {
		dst   **ecdsa.PrivateKey
		curve elliptic.Curve
	}{{&keys.p256, elliptic.P256()}, {&keys.p384, elliptic.P384()}, {&keys.p521, elliptic.P521()}} {
		*k.dst, err = GenerateECDSA(rand.Reader, k.curve)
		require.NoError(t, err)
	}
	keys.k1, err = GenerateSecp256k1(rand.Reader)
	require.NoError(t, err)
	keys.ed, err = GenerateEd25519(rand.Reader)
	require.NoError(t, err)
	keys.sm2, err = GenerateSM2(rand.Reader)
	require.NoError(t, err)
	return keys
}

func sha(h crypto.Hash, message []byte) []byte {
	switch h {
	case crypto.SHA256:
		d := sha256.Sum256(message)
		return d[:]
	case crypto.SHA384:
		d := sha512.Sum384(message)
		return d[:]
	case crypto.SHA512:
		d := sha512.Sum512(message)
		return d[:]
	}
	panic("unexpected hash")
}

// signCase is one algorithm on one key: digest computes MessageType DIGEST's input from the message
// (nil: the algorithm takes RAW only), verify checks a signature of the message independently.
type signCase struct {
	algorithm string
	key       interface{ Public() crypto.PublicKey }
	digest    func(message []byte) []byte
	verify    func(message, signature []byte) bool
}

func signCases(t testing.TB, keys signingKeys) map[string]signCase {
	t.Helper()
	cases := map[string]signCase{}
	for _, h := range []struct {
		suffix string
		hash   crypto.Hash
	}{{"256", crypto.SHA256}, {"384", crypto.SHA384}, {"512", crypto.SHA512}} {
		digest := func(m []byte) []byte { return sha(h.hash, m) }
		cases["RSASSA_PSS_SHA_"+h.suffix] = signCase{"RSASSA_PSS_SHA_" + h.suffix, keys.rsa, digest,
			func(m, sig []byte) bool {
				// KMS's salt is as long as the digest; saying so explicitly makes any other length fail.
				opts := &rsa.PSSOptions{SaltLength: h.hash.Size(), Hash: h.hash}
				return rsa.VerifyPSS(&keys.rsa.PublicKey, h.hash, sha(h.hash, m), sig, opts) == nil
			}}
		cases["RSASSA_PKCS1_V1_5_SHA_"+h.suffix] = signCase{"RSASSA_PKCS1_V1_5_SHA_" + h.suffix, keys.rsa, digest,
			func(m, sig []byte) bool {
				return rsa.VerifyPKCS1v15(&keys.rsa.PublicKey, h.hash, sha(h.hash, m), sig) == nil
			}}
		for curve, k := range map[string]*ecdsa.PrivateKey{"P256": keys.p256, "P384": keys.p384, "P521": keys.p521} {
			cases["ECDSA_SHA_"+h.suffix+" "+curve] = signCase{"ECDSA_SHA_" + h.suffix, k, digest,
				func(m, sig []byte) bool { return ecdsa.VerifyASN1(&k.PublicKey, sha(h.hash, m), sig) }}
		}
		cases["ECDSA_SHA_"+h.suffix+" secp256k1"] = signCase{"ECDSA_SHA_" + h.suffix, keys.k1, digest,
			func(m, sig []byte) bool { return verifySecp256k1(t, keys.k1, sha(h.hash, m), sig) }}
	}
	cases["ED25519_SHA_512"] = signCase{"ED25519_SHA_512", keys.ed, nil, func(m, sig []byte) bool {
		return ed25519.VerifyWithOptions(keys.ed.Public().(ed25519.PublicKey), m, sig, &ed25519.Options{}) == nil
	}}
	cases["ED25519_PH_SHA_512"] = signCase{"ED25519_PH_SHA_512", keys.ed,
		func(m []byte) []byte { return sha(crypto.SHA512, m) },
		func(m, sig []byte) bool {
			opts := &ed25519.Options{Hash: crypto.SHA512}
			return ed25519.VerifyWithOptions(keys.ed.Public().(ed25519.PublicKey), sha(crypto.SHA512, m), sig, opts) == nil
		}}
	cases["SM2DSA"] = signCase{"SM2DSA", keys.sm2,
		func(m []byte) []byte {
			e, err := sm2.CalculateSM2Hash(gmsmPublic(&keys.sm2.PublicKey), m, []byte("1234567812345678"))
			require.NoError(t, err)
			return e
		},
		func(m, sig []byte) bool { return sm2.VerifyASN1WithSM2(gmsmPublic(&keys.sm2.PublicKey), nil, m, sig) }}
	return cases
}

// verifySecp256k1 verifies with decred's own ECDSA, which parses the DER signature strictly.
func verifySecp256k1(t testing.TB, k *ecdsa.PrivateKey, digest, sig []byte) bool {
	t.Helper()
	parsed, err := secpecdsa.ParseDERSignature(sig)
	if err != nil {
		return false
	}
	var x, y secp256k1.FieldVal
	require.False(t, x.SetByteSlice(k.X.Bytes()))
	require.False(t, y.SetByteSlice(k.Y.Bytes()))
	return parsed.Verify(digest, secp256k1.NewPublicKey(&x, &y))
}

func TestSignVerifiedIndependently(t *testing.T) {
	keys := newSigningKeys(t)
	message := []byte("message signed by wasmkms")
	for name, c := range signCases(t, keys) {
		t.Run(name, func(t *testing.T) {
			raw, err := Sign(rand.Reader, c.key, c.algorithm, "RAW", message)
			require.NoError(t, err)
			require.True(t, c.verify(message, raw), "RAW")
			require.True(t, Verify(c.key.Public(), c.algorithm, "RAW", message, raw))
			require.True(t, Verify(c.key, c.algorithm, "RAW", message, raw), "a private key stands for its public half")

			if c.digest == nil {
				_, err := Sign(rand.Reader, c.key, c.algorithm, "DIGEST", sha(crypto.SHA512, message))
				require.Error(t, err, "RAW only")
				require.False(t, Verify(c.key.Public(), c.algorithm, "DIGEST", message, raw))
				require.Zero(t, SignatureDigestSize(c.algorithm))
				return
			}
			digest := c.digest(message)
			require.Equal(t, len(digest), SignatureDigestSize(c.algorithm))
			sig, err := Sign(rand.Reader, c.key, c.algorithm, "DIGEST", digest)
			require.NoError(t, err)
			require.True(t, c.verify(message, sig), "DIGEST")
			require.True(t, Verify(c.key.Public(), c.algorithm, "DIGEST", digest, sig))
			require.True(t, Verify(c.key.Public(), c.algorithm, "DIGEST", digest, raw), "RAW signs the same digest")
			require.True(t, Verify(c.key.Public(), c.algorithm, "RAW", message, sig))

			for _, size := range []int{0, len(digest) - 1, len(digest) + 1} {
				_, err := Sign(rand.Reader, c.key, c.algorithm, "DIGEST", make([]byte, size))
				require.Error(t, err, "digest of %d bytes", size)
				require.False(t, Verify(c.key.Public(), c.algorithm, "DIGEST", make([]byte, size), sig))
			}
		})
	}
}

func TestVerifyRejectsTampering(t *testing.T) {
	keys := newSigningKeys(t)
	message := []byte("message signed by wasmkms")
	other := newSigningKeys(t)
	otherCases := signCases(t, other)
	for name, c := range signCases(t, keys) {
		t.Run(name, func(t *testing.T) {
			sig, err := Sign(rand.Reader, c.key, c.algorithm, "RAW", message)
			require.NoError(t, err)
			pub := c.key.Public()
			require.True(t, Verify(pub, c.algorithm, "RAW", message, sig))

			tamperedMessage := bytes.Clone(message)
			tamperedMessage[0] ^= 1
			require.False(t, Verify(pub, c.algorithm, "RAW", tamperedMessage, sig), "message")
			require.False(t, c.verify(tamperedMessage, sig))
			for _, i := range []int{0, len(sig) / 2, len(sig) - 1} {
				tampered := bytes.Clone(sig)
				tampered[i] ^= 0x40
				require.False(t, Verify(pub, c.algorithm, "RAW", message, tampered), "signature byte %d", i)
			}
			require.False(t, Verify(pub, c.algorithm, "RAW", message, sig[:len(sig)-1]), "truncated")
			require.False(t, Verify(pub, c.algorithm, "RAW", message, append(bytes.Clone(sig), 0)), "trailing byte")
			require.False(t, Verify(pub, c.algorithm, "RAW", message, nil), "empty")
			require.False(t, Verify(otherCases[name].key.Public(), c.algorithm, "RAW", message, sig), "another key")
			require.False(t, Verify(pub, c.algorithm, "EXTERNAL_MU", message, sig))
			require.False(t, Verify(pub, c.algorithm, "raw", message, sig))
		})
	}
}

func TestSignRefusesWrongKeyTypesAndMessageTypes(t *testing.T) {
	keys := newSigningKeys(t)
	message := []byte("m")
	// A key of every other type for each family.
	wrong := map[string][]crypto.PrivateKey{
		"RSASSA_PSS_SHA_256":        {keys.p256, keys.ed, keys.sm2},
		"RSASSA_PKCS1_V1_5_SHA_384": {keys.p384, keys.ed, keys.sm2},
		"ECDSA_SHA_256":             {keys.rsa, keys.ed, keys.sm2, keys.sm2.ecdsa()},
		"ED25519_SHA_512":           {keys.rsa, keys.p256, keys.sm2, ed25519.PrivateKey(keys.ed[:32])},
		"ED25519_PH_SHA_512":        {keys.rsa, keys.k1, keys.sm2},
		"SM2DSA":                    {keys.rsa, keys.p256, keys.k1, keys.ed},
	}
	right := signCases(t, keys)
	for algorithm, signers := range wrong {
		sig, err := Sign(rand.Reader, right[caseOf(algorithm)].key, algorithm, "RAW", message)
		require.NoError(t, err, algorithm)
		for _, k := range signers {
			_, err := Sign(rand.Reader, k, algorithm, "RAW", message)
			require.Error(t, err, "%s with %T", algorithm, k)
			require.False(t, Verify(k.(interface{ Public() crypto.PublicKey }).Public(), algorithm, "RAW", message, sig), "%s with %T", algorithm, k)
		}
		for _, mt := range []string{"EXTERNAL_MU", "", "raw"} {
			_, err := Sign(rand.Reader, right[caseOf(algorithm)].key, algorithm, mt, message)
			require.Error(t, err, "%s with MessageType %q", algorithm, mt)
		}
	}
	for _, algorithm := range []string{"", "ML_DSA_SHAKE_256", "ECDSA_SHA_224", "ecdsa_sha_256", "HMAC_SHA_256"} {
		_, err := Sign(rand.Reader, keys.p256, algorithm, "RAW", message)
		require.Error(t, err, algorithm)
		require.False(t, Verify(keys.p256.Public(), algorithm, "RAW", message, []byte{0x30, 0}))
	}
}

// caseOf names the signCases entry of an algorithm (ECDSA cases carry their curve).
func caseOf(algorithm string) string {
	if algorithm == "ECDSA_SHA_256" {
		return "ECDSA_SHA_256 P256"
	}
	return algorithm
}

func TestSignatureDigestSize(t *testing.T) {
	for algorithm, want := range map[string]int{
		"RSASSA_PSS_SHA_256": 32, "RSASSA_PSS_SHA_384": 48, "RSASSA_PSS_SHA_512": 64,
		"RSASSA_PKCS1_V1_5_SHA_256": 32, "RSASSA_PKCS1_V1_5_SHA_384": 48, "RSASSA_PKCS1_V1_5_SHA_512": 64,
		"ECDSA_SHA_256": 32, "ECDSA_SHA_384": 48, "ECDSA_SHA_512": 64,
		"ED25519_SHA_512": 0, "ED25519_PH_SHA_512": 64, "SM2DSA": 32,
		"ML_DSA_SHAKE_256": 0, "": 0, "RSAES_OAEP_SHA_256": 0, "HMAC_SHA_256": 0,
	} {
		require.Equal(t, want, SignatureDigestSize(algorithm), algorithm)
	}
}

// ECDSA and SM2 signatures are randomized (KMS's are: the same message signed twice differs);
// RSA PKCS#1 v1.5 and Ed25519 are deterministic by definition.
func TestSignaturesRandomizedWhereTheSchemeIs(t *testing.T) {
	keys := newSigningKeys(t)
	message := []byte("same message")
	for name, c := range signCases(t, keys) {
		a, err := Sign(rand.Reader, c.key, c.algorithm, "RAW", message)
		require.NoError(t, err)
		b, err := Sign(rand.Reader, c.key, c.algorithm, "RAW", message)
		require.NoError(t, err)
		deterministic := c.algorithm == "RSASSA_PKCS1_V1_5_SHA_256" || c.algorithm == "RSASSA_PKCS1_V1_5_SHA_384" ||
			c.algorithm == "RSASSA_PKCS1_V1_5_SHA_512" || c.algorithm == "ED25519_SHA_512" || c.algorithm == "ED25519_PH_SHA_512"
		require.Equal(t, deterministic, bytes.Equal(a, b), name)
	}
}

// ECDSA and SM2 signatures are DER SEQUENCE { r, s } with no trailing data, and PSS uses a salt
// exactly as long as the digest (a verifier told another length refuses the signature).
func TestSignatureForms(t *testing.T) {
	keys := newSigningKeys(t)
	message := []byte("form")
	for _, c := range []struct {
		algorithm string
		key       crypto.PrivateKey
	}{{"ECDSA_SHA_256", keys.p256}, {"ECDSA_SHA_512", keys.p521}, {"ECDSA_SHA_256", keys.k1}, {"SM2DSA", keys.sm2}} {
		sig, err := Sign(rand.Reader, c.key, c.algorithm, "RAW", message)
		require.NoError(t, err)
		var rs struct{ R, S *big.Int }
		rest, err := asn1.Unmarshal(sig, &rs)
		require.NoError(t, err)
		require.Empty(t, rest)
		again, err := asn1.Marshal(rs)
		require.NoError(t, err)
		require.Equal(t, sig, again, "DER")
	}
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		algorithm := map[crypto.Hash]string{crypto.SHA256: "RSASSA_PSS_SHA_256", crypto.SHA384: "RSASSA_PSS_SHA_384", crypto.SHA512: "RSASSA_PSS_SHA_512"}[h]
		sig, err := Sign(rand.Reader, keys.rsa, algorithm, "RAW", message)
		require.NoError(t, err)
		require.Len(t, sig, 256)
		digest := sha(h, message)
		require.NoError(t, rsa.VerifyPSS(&keys.rsa.PublicKey, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}))
		for _, salt := range []int{20, h.Size() - 1, h.Size() + 1} { // (0 would mean "any length")
			require.Error(t, rsa.VerifyPSS(&keys.rsa.PublicKey, h, digest, sig, &rsa.PSSOptions{SaltLength: salt}), "salt %d", salt)
		}
	}
}

// RFC 8032 section 7.3, the Ed25519ph test vector ("abc"): Ed25519 is deterministic, so RAW must give
// exactly its signature, and DIGEST with SHA-512("abc") the same.
func TestEd25519phRFC8032Vector(t *testing.T) {
	seed, _ := hex.DecodeString("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42")
	wantPub, _ := hex.DecodeString("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf")
	wantSig, _ := hex.DecodeString("98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41" +
		"31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406")
	priv := ed25519.NewKeyFromSeed(seed)
	require.Equal(t, wantPub, []byte(priv.Public().(ed25519.PublicKey)))
	sig, err := Sign(nil, priv, "ED25519_PH_SHA_512", "RAW", []byte("abc"))
	require.NoError(t, err)
	require.Equal(t, wantSig, sig)
	d := sha512.Sum512([]byte("abc"))
	sig, err = Sign(nil, priv, "ED25519_PH_SHA_512", "DIGEST", d[:])
	require.NoError(t, err)
	require.Equal(t, wantSig, sig)
	require.True(t, Verify(ed25519.PublicKey(wantPub), "ED25519_PH_SHA_512", "RAW", []byte("abc"), wantSig))
	require.False(t, Verify(ed25519.PublicKey(wantPub), "ED25519_SHA_512", "RAW", []byte("abc"), wantSig), "pure is another scheme")
}

func TestGenerateSecp256k1AndEd25519(t *testing.T) {
	k, err := GenerateSecp256k1(rand.Reader)
	require.NoError(t, err)
	require.True(t, k.Curve == Secp256k1())
	require.True(t, k.Curve.IsOnCurve(k.X, k.Y))
	x, y := k.Curve.ScalarBaseMult(k.D.Bytes())
	require.True(t, x.Cmp(k.X) == 0 && y.Cmp(k.Y) == 0)

	// Both honour rand (unlike crypto/ecdsa since Go 1.26): the same seed, the same key.
	seed := bytes.Repeat([]byte{7}, 64)
	a, err := GenerateSecp256k1(bytes.NewReader(seed))
	require.NoError(t, err)
	b, err := GenerateSecp256k1(bytes.NewReader(seed))
	require.NoError(t, err)
	require.True(t, a.Equal(b))
	ea, err := GenerateEd25519(bytes.NewReader(seed))
	require.NoError(t, err)
	require.Equal(t, seed[:32], ea.Seed())
	_, err = GenerateEd25519(bytes.NewReader(nil))
	require.Error(t, err)
}

// Ed25519 encodings: byte for byte what crypto/x509 writes (RFC 8410), and each parses with it.
func TestEd25519EncodingsMatchCryptoX509(t *testing.T) {
	priv, err := GenerateEd25519(rand.Reader)
	require.NoError(t, err)
	ours, err := MarshalPKCS8(priv)
	require.NoError(t, err)
	theirs, err := x509.MarshalPKCS8PrivateKey(priv)
	require.NoError(t, err)
	require.Equal(t, theirs, ours)
	back, err := ParsePKCS8(ours)
	require.NoError(t, err)
	require.IsType(t, ed25519.PrivateKey{}, back)
	require.True(t, priv.Equal(back))

	for _, pub := range []any{priv.Public(), priv} {
		spki, err := MarshalSPKI(pub)
		require.NoError(t, err)
		theirSPKI, err := x509.MarshalPKIXPublicKey(priv.Public())
		require.NoError(t, err)
		require.Equal(t, theirSPKI, spki)
		parsed, err := x509.ParsePKIXPublicKey(spki)
		require.NoError(t, err)
		require.Equal(t, priv.Public(), parsed)
	}

	_, err = MarshalSPKI(ed25519.PublicKey(make([]byte, 31)))
	require.Error(t, err)
	_, err = MarshalSPKI(ed25519.PrivateKey(make([]byte, 31)))
	require.Error(t, err)
	_, err = MarshalPKCS8(ed25519.PrivateKey(make([]byte, 32)))
	require.Error(t, err)
}

func TestParsePKCS8RejectsMalformedEd25519(t *testing.T) {
	priv, err := GenerateEd25519(rand.Reader)
	require.NoError(t, err)
	good, err := MarshalPKCS8(priv)
	require.NoError(t, err)
	pkcs8 := func(params, key []byte) []byte {
		algorithm, err := asn1.Marshal(oidEd25519)
		require.NoError(t, err)
		algorithm = append(algorithm, params...)
		der, err := asn1.Marshal(struct {
			Version   int
			Algorithm asn1.RawValue
			Key       []byte
		}{0, asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: algorithm}, key})
		require.NoError(t, err)
		return der
	}
	wrap := func(b []byte) []byte { der, _ := asn1.Marshal(b); return der }
	require.Equal(t, good, pkcs8(nil, wrap(priv.Seed())), "the helper builds the good form")
	for name, der := range map[string][]byte{
		"NULL parameters": pkcs8([]byte{5, 0}, wrap(priv.Seed())),
		"short seed":      pkcs8(nil, wrap(priv.Seed()[:31])),
		"whole key":       pkcs8(nil, wrap(priv)),
		"bare seed":       pkcs8(nil, priv.Seed()),
		"trailing data":   pkcs8(nil, append(wrap(priv.Seed()), 0)),
	} {
		_, err := ParsePKCS8(der)
		require.Error(t, err, name)
		if name != "trailing data" { // which crypto/x509 ignores, and ParsePKCS8 refuses everywhere
			_, xerr := x509.ParsePKCS8PrivateKey(der)
			require.Error(t, xerr, "crypto/x509 refuses %s too", name)
		}
	}
}

// secp256k1 keys: crypto/x509 does not know the curve, so the structure is checked instead: the
// same shape as the NIST keys' with the secp256k1 OID, and a round trip.
func TestSecp256k1Encodings(t *testing.T) {
	priv, err := GenerateSecp256k1(rand.Reader)
	require.NoError(t, err)
	der, err := MarshalPKCS8(priv)
	require.NoError(t, err)
	var info struct {
		Version   int
		Algorithm struct{ Algorithm, Curve asn1.ObjectIdentifier }
		Key       []byte
	}
	rest, err := asn1.Unmarshal(der, &info)
	require.NoError(t, err)
	require.Empty(t, rest)
	require.Equal(t, asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, info.Algorithm.Algorithm)
	require.Equal(t, asn1.ObjectIdentifier{1, 3, 132, 0, 10}, info.Algorithm.Curve)
	var ecKey struct {
		Version   int
		D         []byte
		PublicKey asn1.BitString `asn1:"explicit,tag:1"`
	}
	rest, err = asn1.Unmarshal(info.Key, &ecKey)
	require.NoError(t, err)
	require.Empty(t, rest)
	require.Equal(t, 1, ecKey.Version)
	require.Equal(t, priv.D.FillBytes(make([]byte, 32)), ecKey.D)
	point := append(append([]byte{4}, priv.X.FillBytes(make([]byte, 32))...), priv.Y.FillBytes(make([]byte, 32))...)
	require.Equal(t, point, ecKey.PublicKey.RightAlign())

	back, err := ParsePKCS8(der)
	require.NoError(t, err)
	require.IsType(t, &ecdsa.PrivateKey{}, back)
	require.True(t, priv.Equal(back))
	again, err := MarshalPKCS8(back)
	require.NoError(t, err)
	require.Equal(t, der, again)
	sig, err := Sign(rand.Reader, back, "ECDSA_SHA_256", "RAW", []byte("after the state file"))
	require.NoError(t, err)
	require.True(t, Verify(&priv.PublicKey, "ECDSA_SHA_256", "RAW", []byte("after the state file"), sig))

	for _, pub := range []any{&priv.PublicKey, priv} {
		spki, err := MarshalSPKI(pub)
		require.NoError(t, err)
		var parsed struct {
			Algorithm struct{ Algorithm, Curve asn1.ObjectIdentifier }
			PublicKey asn1.BitString
		}
		rest, err := asn1.Unmarshal(spki, &parsed)
		require.NoError(t, err)
		require.Empty(t, rest)
		require.Equal(t, info.Algorithm, parsed.Algorithm)
		require.Equal(t, point, parsed.PublicKey.RightAlign())
		// decred reads the point as the one of its own key.
		pk, err := secp256k1.ParsePubKey(parsed.PublicKey.RightAlign())
		require.NoError(t, err)
		require.True(t, pk.X().Cmp(priv.X) == 0 && pk.Y().Cmp(priv.Y) == 0)
	}

	// Scalars out of range are refused: 0 and N.
	for name, d := range map[string][]byte{"zero": make([]byte, 32), "N": secp256k1.S256().N.FillBytes(make([]byte, 32))} {
		bad := bytes.Replace(der, ecKey.D, d, 1)
		_, err := ParsePKCS8(bad)
		require.Error(t, err, name)
	}
}

// BenchmarkSign: KMS Sign's two commonest cases, against the bare primitive on the same digest
// (what Sign adds: the SHA-256 of a 32-byte message and the dispatch).
func BenchmarkSign(b *testing.B) {
	message := make([]byte, 32)
	digest := sha256.Sum256(message)
	b.Run("ECDSA_SHA_256-P256", func(b *testing.B) {
		key, err := GenerateECDSA(rand.Reader, elliptic.P256())
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := Sign(rand.Reader, key, "ECDSA_SHA_256", "RAW", message); err != nil {
				b.Fatal(err)
			}
		}
		reportRatio(b, "ecdsa-p256-sign", func() {
			if _, err := ecdsa.SignASN1(rand.Reader, key, digest[:]); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("RSASSA_PSS_SHA_256-2048", func(b *testing.B) {
		key, err := NewRSAPool(rand.Reader).Key(2048)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := Sign(rand.Reader, key, "RSASSA_PSS_SHA_256", "RAW", message); err != nil {
				b.Fatal(err)
			}
		}
		reportRatio(b, "rsa-2048-pss-sign", func() {
			opts := &rsa.PSSOptions{SaltLength: sha256.Size, Hash: crypto.SHA256}
			if _, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, digest[:], opts); err != nil {
				b.Fatal(err)
			}
		})
	})
}
