package crypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Signatures as KMS makes them (Sign, Verify). Which algorithm a key spec allows, message size
// limits and error texts are the kms package's; here any algorithm of a family works with any key of
// that family's type.
//
//	RSASSA_PSS_SHA_*        RSASSA-PSS, MGF1 with the same hash, salt as long as the digest
//	RSASSA_PKCS1_V1_5_SHA_* RSASSA-PKCS1-v1_5
//	ECDSA_SHA_*             ECDSA on P-256, P-384, P-521 or secp256k1; DER SEQUENCE { r, s }, randomized
//	ED25519_SHA_512         pure Ed25519 (RFC 8032) of the message itself; RAW only
//	ED25519_PH_SHA_512      Ed25519ph (RFC 8032): RAW is hashed with SHA-512 first, DIGEST is that hash
//	SM2DSA                  SM2 (GB/T 32918.2); RAW is SM3(Z || M) with the default ID 1234567812345678
//	                        (GM/T 0009), DIGEST is that e; DER SEQUENCE { r, s }
//	ML_DSA_SHAKE_256        ML-DSA (FIPS 204), pure, empty context, hedged; RAW is the message,
//	                        EXTERNAL_MU its 64-byte μ; Sign and Verify hand it to mldsa.go
//
// ECDSA on secp256k1 goes through crypto/ecdsa's path for custom elliptic.Curve implementations
// (Secp256k1, secp256k1.go), which Go 1.26 still has: randomized (hedged with the system's secure
// source), variable time. The signatures are plain DER with whatever s comes out (no low-s
// normalization), as KMS's are.
//
// With a Deterministic reader every scheme that has a deterministic variant uses it: RFC 6979 for
// ECDSA on every curve (signRFC6979), and deterministic.go says what the others do.

// KMS's MessageType values.
const (
	messageRaw        = "RAW"
	messageDigest     = "DIGEST"
	messageExternalMu = "EXTERNAL_MU"
)

type signFamily uint8

const (
	familyRSAPSS signFamily = iota + 1
	familyRSAPKCS1
	familyECDSA
	familyEd25519   // pure
	familyEd25519ph // prehashed with SHA-512
	familySM2DSA
)

// signScheme is what a KMS signing algorithm name stands for.
type signScheme struct {
	family signFamily
	hash   crypto.Hash // hashes RAW messages; 0 for pure Ed25519 and SM2DSA (SM3 over Z || M)
}

func signatureScheme(algorithm string) (signScheme, bool) {
	switch algorithm {
	case "RSASSA_PSS_SHA_256":
		return signScheme{familyRSAPSS, crypto.SHA256}, true
	case "RSASSA_PSS_SHA_384":
		return signScheme{familyRSAPSS, crypto.SHA384}, true
	case "RSASSA_PSS_SHA_512":
		return signScheme{familyRSAPSS, crypto.SHA512}, true
	case "RSASSA_PKCS1_V1_5_SHA_256":
		return signScheme{familyRSAPKCS1, crypto.SHA256}, true
	case "RSASSA_PKCS1_V1_5_SHA_384":
		return signScheme{familyRSAPKCS1, crypto.SHA384}, true
	case "RSASSA_PKCS1_V1_5_SHA_512":
		return signScheme{familyRSAPKCS1, crypto.SHA512}, true
	case "ECDSA_SHA_256":
		return signScheme{familyECDSA, crypto.SHA256}, true
	case "ECDSA_SHA_384":
		return signScheme{familyECDSA, crypto.SHA384}, true
	case "ECDSA_SHA_512":
		return signScheme{familyECDSA, crypto.SHA512}, true
	case "ED25519_SHA_512":
		return signScheme{familyEd25519, 0}, true
	case "ED25519_PH_SHA_512":
		return signScheme{familyEd25519ph, crypto.SHA512}, true
	case "SM2DSA":
		return signScheme{familySM2DSA, 0}, true
	}
	return signScheme{}, false
}

// digestSize is the length of a DIGEST message; 0 where the algorithm takes none.
func (s signScheme) digestSize() int {
	switch s.family {
	case familyEd25519:
		return 0
	case familySM2DSA:
		return 32 // SM3
	}
	return s.hash.Size()
}

// SignatureDigestSize answers the length in bytes of the digest that a KMS signing algorithm's
// MessageType DIGEST takes: 32 for *_SHA_256 and SM2DSA, 48 for *_SHA_384, 64 for *_SHA_512 and
// ED25519_PH_SHA_512; 0 for algorithms that take no digest (ED25519_SHA_512, ML_DSA_SHAKE_256) and
// for unknown names.
func SignatureDigestSize(algorithm string) int {
	s, ok := signatureScheme(algorithm)
	if !ok {
		return 0
	}
	return s.digestSize()
}

// schemeFor looks the algorithm up and checks that it takes the message type.
func schemeFor(algorithm, messageType string) (signScheme, error) {
	s, ok := signatureScheme(algorithm)
	if !ok {
		return s, fmt.Errorf("crypto: unknown signing algorithm %q", algorithm)
	}
	switch messageType {
	case messageRaw:
	case messageDigest:
		if s.family == familyEd25519 {
			return s, fmt.Errorf("crypto: %s signs RAW messages only", algorithm)
		}
	case messageExternalMu:
		return s, fmt.Errorf("crypto: %s does not take MessageType %s", algorithm, messageType)
	default:
		return s, fmt.Errorf("crypto: unknown message type %q", messageType)
	}
	return s, nil
}

// input is what the signature is computed over: the message hashed (RAW; pure Ed25519 takes the
// message itself) or the digest as given (DIGEST, checked for length). SM2 RAW needs the signer's
// public key, which Z covers.
// RAW messages are hashed by e (the host's hash for a large one; nil: Go's).
func (s signScheme) input(e *Engine, messageType string, message []byte, sm2Pub *ecdsa.PublicKey) ([]byte, error) {
	if messageType == messageDigest {
		if len(message) != s.digestSize() {
			return nil, fmt.Errorf("crypto: the digest must be %d bytes, not %d", s.digestSize(), len(message))
		}
		return message, nil
	}
	switch s.family {
	case familyEd25519:
		return message, nil
	case familySM2DSA:
		return sm2Hash(sm2Pub, message)
	}
	return e.digest(s.hash, message), nil
}

func hashMessage(h crypto.Hash, message []byte) []byte {
	switch h {
	case crypto.SHA256:
		d := sha256.Sum256(message)
		return d[:]
	case crypto.SHA384:
		d := sha512.Sum384(message)
		return d[:]
	default: // crypto.SHA512, the only other hash of the table
		d := sha512.Sum512(message)
		return d[:]
	}
}

// isECDSACurve: the curves of KMS's ECDSA key specs (SM2 keys sign with SM2DSA only).
func isECDSACurve(c elliptic.Curve) bool {
	switch c {
	case elliptic.P256(), elliptic.P384(), elliptic.P521(), Secp256k1():
		return true
	}
	return false
}

func wrongKeyType(algorithm string, key any) error {
	return fmt.Errorf("crypto: %s cannot use a key of type %T", algorithm, key)
}

// Sign signs with a KMS signing algorithm. messageType is KMS's "RAW" or "DIGEST" ("EXTERNAL_MU",
// only ML-DSA's, is an error for the others). RAW hashes the message with the algorithm's hash
// first (except pure ED25519_SHA_512, which signs the message itself); DIGEST signs the given digest
// as is, and a digest of the wrong length is an error. A key of the wrong type for the algorithm is
// an error. rand is a Deterministic for deterministic signatures (deterministic.go); any other
// reader gives randomized ones (crypto/ecdsa ignores it since Go 1.26, see the package doc).
func Sign(rand io.Reader, priv crypto.PrivateKey, algorithm, messageType string, message []byte) ([]byte, error) {
	return (*Engine)(nil).Sign(rand, priv, algorithm, messageType, message)
}

// Sign is the package's Sign with the host's primitives where it has them: the RSA private-key
// operation under Go's paddings, the base-point multiplication of ECDSA (the nonce and the arithmetic
// mod n stay here, so a Deterministic reader still gives RFC 6979's signature), pure Ed25519, and
// the hash of a large RAW message. The same reader gives the same signature either way.
func (e *Engine) Sign(rand io.Reader, priv crypto.PrivateKey, algorithm, messageType string, message []byte) ([]byte, error) {
	if algorithm == mldsaAlgorithm { // ML-DSA, RAW or EXTERNAL_MU: mldsa.go
		if k, ok := priv.(*MLDSAPrivateKey); ok {
			return signMLDSA(rand, k, messageType, message)
		}
		return nil, wrongKeyType(algorithm, priv)
	}
	s, err := schemeFor(algorithm, messageType)
	if err != nil {
		return nil, err
	}
	switch s.family {
	case familyRSAPSS, familyRSAPKCS1:
		k, ok := priv.(*rsa.PrivateKey)
		if !ok || k == nil {
			return nil, wrongKeyType(algorithm, priv)
		}
		digest, err := s.input(e, messageType, message, nil)
		if err != nil {
			return nil, err
		}
		if s.family == familyRSAPSS {
			rand, _ = deterministic(rand) // the salt is read from it either way
			if sig, ok, err := e.rsaSignPSS(rand, k, s.hash, digest); ok {
				return sig, err
			}
			return rsa.SignPSS(rand, k, s.hash, digest, &rsa.PSSOptions{SaltLength: s.hash.Size(), Hash: s.hash})
		}
		if sig, ok, err := e.rsaSignPKCS1v15(k, s.hash, digest); ok {
			return sig, err
		}
		return rsa.SignPKCS1v15(rand, k, s.hash, digest)
	case familyECDSA:
		k, ok := priv.(*ecdsa.PrivateKey)
		if !ok || k == nil || !isECDSACurve(k.Curve) {
			return nil, wrongKeyType(algorithm, priv)
		}
		digest, err := s.input(e, messageType, message, nil)
		if err != nil {
			return nil, err
		}
		reader, det := deterministic(rand)
		if baseX := e.baseMultX(k.Curve); baseX != nil {
			return signECDSAWith(k, s.hash, digest, det, reader, baseX)
		}
		if det {
			return signRFC6979(k, s.hash, digest)
		}
		return ecdsa.SignASN1(rand, k, digest)
	case familyEd25519, familyEd25519ph:
		k, ok := priv.(ed25519.PrivateKey)
		if !ok || len(k) != ed25519.PrivateKeySize {
			return nil, wrongKeyType(algorithm, priv)
		}
		in, err := s.input(e, messageType, message, nil)
		if err != nil {
			return nil, err
		}
		if s.family == familyEd25519 {
			if sig, ok := e.signEd25519(k, in); ok {
				return sig, nil
			}
		}
		return k.Sign(nil, in, &ed25519.Options{Hash: s.hash}) // Hash 0: pure, SHA512: Ed25519ph
	case familySM2DSA:
		k, ok := priv.(*SM2PrivateKey)
		if !ok || k == nil {
			return nil, wrongKeyType(algorithm, priv)
		}
		z, err := s.input(nil, messageType, message, &k.PublicKey) // SM3: Go's
		if err != nil {
			return nil, err
		}
		reader, det := deterministic(rand)
		return sm2Sign(reader, det, k, z)
	}
	return nil, fmt.Errorf("crypto: unknown signing algorithm %q", algorithm)
}

// Verify reports whether signature is a valid signature of message under the algorithm, with
// messageType as for Sign. pub is the public key (a private key stands for its public half). A
// malformed signature, a key of the wrong type and a digest of the wrong length are all simply false.
func Verify(pub crypto.PublicKey, algorithm, messageType string, message, signature []byte) bool {
	if algorithm == mldsaAlgorithm { // ML-DSA, RAW or EXTERNAL_MU: mldsa.go
		k, ok := mldsaPublicKeyOf(pub)
		return ok && verifyMLDSA(k, messageType, message, signature)
	}
	s, err := schemeFor(algorithm, messageType)
	if err != nil {
		return false
	}
	if k, ok := pub.(interface{ Public() crypto.PublicKey }); ok {
		if k, ok := pub.(ed25519.PrivateKey); ok && len(k) != ed25519.PrivateKeySize {
			return false // its Public would panic
		}
		pub = k.Public()
	}
	switch s.family {
	case familyRSAPSS, familyRSAPKCS1:
		k, ok := pub.(*rsa.PublicKey)
		if !ok || k == nil || k.N == nil {
			return false
		}
		digest, err := s.input(nil, messageType, message, nil)
		if err != nil {
			return false
		}
		if s.family == familyRSAPSS {
			return rsa.VerifyPSS(k, s.hash, digest, signature, &rsa.PSSOptions{SaltLength: s.hash.Size(), Hash: s.hash}) == nil
		}
		return rsa.VerifyPKCS1v15(k, s.hash, digest, signature) == nil
	case familyECDSA:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || k == nil || !isECDSACurve(k.Curve) || !validPoint(k) {
			return false
		}
		digest, err := s.input(nil, messageType, message, nil)
		if err != nil {
			return false
		}
		return ecdsa.VerifyASN1(k, digest, signature)
	case familyEd25519, familyEd25519ph:
		k, ok := pub.(ed25519.PublicKey)
		if !ok || len(k) != ed25519.PublicKeySize {
			return false
		}
		in, err := s.input(nil, messageType, message, nil)
		if err != nil {
			return false
		}
		return ed25519.VerifyWithOptions(k, in, signature, &ed25519.Options{Hash: s.hash}) == nil
	case familySM2DSA:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || k == nil || k.Curve != SM2P256() || !validPoint(k) {
			return false
		}
		e, err := s.input(nil, messageType, message, k)
		if err != nil {
			return false
		}
		return sm2Verify(k, e, signature)
	}
	return false
}

// validPoint: the math/big paths (secp256k1, SM2's Z) take the coordinates on trust.
func validPoint(k *ecdsa.PublicKey) bool {
	return k.X != nil && k.Y != nil && k.Curve.IsOnCurve(k.X, k.Y)
}

// Key encodings of the signing-only key types, for encoding.go's MarshalSPKI, MarshalPKCS8 and
// ParsePKCS8.
var (
	oidEd25519   = asn1.ObjectIdentifier{1, 3, 101, 112}   // RFC 8410 id-Ed25519
	oidSecp256k1 = asn1.ObjectIdentifier{1, 3, 132, 0, 10} // SEC 2 secp256k1 (KMS's ECC_SECG_P256K1)
)

// ed25519Public is the public half of k, nil if k is malformed (ed25519's Public would panic).
func ed25519Public(k ed25519.PrivateKey) ed25519.PublicKey {
	if len(k) != ed25519.PrivateKeySize {
		return nil
	}
	return k.Public().(ed25519.PublicKey)
}

// marshalEd25519PKCS8 writes RFC 8410's form: no algorithm parameters, and a privateKey OCTET STRING
// that wraps CurvePrivateKey, an OCTET STRING of the 32-byte seed.
func marshalEd25519PKCS8(k ed25519.PrivateKey) ([]byte, error) {
	if len(k) != ed25519.PrivateKeySize {
		return nil, errors.New("crypto: invalid Ed25519 private key length")
	}
	return buildPKCS8(func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oidEd25519)
	}, func(b *cryptobyte.Builder) { b.AddASN1OctetString(k.Seed()) })
}

// parseEd25519PKCS8 reads the privateKey of an id-Ed25519 PKCS#8; parameters is what follows the
// algorithm OID, which RFC 8410 says must be absent.
func parseEd25519PKCS8(parameters cryptobyte.String, key []byte) (ed25519.PrivateKey, error) {
	if !parameters.Empty() {
		return nil, errors.New("crypto: invalid Ed25519 private key parameters")
	}
	input := cryptobyte.String(key)
	var seed []byte
	if !input.ReadASN1Bytes(&seed, cbasn1.OCTET_STRING) || !input.Empty() || len(seed) != ed25519.SeedSize {
		return nil, errors.New("crypto: malformed Ed25519 private key")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// newSecp256k1PrivateKey makes the ecdsa key of a 32-byte secp256k1 scalar, which must be in
// [1, N-1]. (ecdsa.ParseRawPrivateKey knows the NIST curves only.)
func newSecp256k1PrivateKey(raw []byte) (*ecdsa.PrivateKey, error) {
	curve := Secp256k1()
	d := new(big.Int).SetBytes(raw)
	if len(raw) != 32 || d.Sign() == 0 || d.Cmp(curve.Params().N) >= 0 {
		return nil, errors.New("crypto: invalid secp256k1 private key")
	}
	x, y := curve.ScalarBaseMult(raw)
	return &ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: curve, X: x, Y: y}, D: d}, nil
}
