package kms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
)

// independentVerify checks a KMS signature with an implementation that is not kmscrypto's, from
// the GetPublicKey SubjectPublicKeyInfo: crypto/rsa, crypto/ecdsa, crypto/ed25519, decred's
// secp256k1, gmsm's sm2. digest is the hash KMS signed (nil for pure Ed25519 and SM2 RAW).
func independentVerify(t *testing.T, spki []byte, spec, alg string, message, signature []byte) bool {
	t.Helper()
	if spec == "ECC_SECG_P256K1" {
		// x509 does not know the curve: the point is the SPKI's last 65 bytes.
		pub, err := secp256k1.ParsePubKey(spki[len(spki)-65:])
		require.NoError(t, err)
		sig, err := secpecdsa.ParseDERSignature(signature)
		require.NoError(t, err)
		digest := sha256.Sum256(message)
		return sig.Verify(digest[:], pub)
	}
	if spec == "SM2" {
		pub, err := smx509.ParsePKIXPublicKey(spki)
		require.NoError(t, err)
		return sm2.VerifyASN1WithSM2(pub.(*ecdsa.PublicKey), nil, message, signature)
	}
	pub, err := x509.ParsePKIXPublicKey(spki)
	require.NoError(t, err)
	hashOf := map[string]crypto.Hash{"256": crypto.SHA256, "384": crypto.SHA384, "512": crypto.SHA512}[alg[len(alg)-3:]]
	var digest []byte
	if hashOf != 0 {
		h := hashOf.New()
		h.Write(message)
		digest = h.Sum(nil)
	}
	switch {
	case strings.HasPrefix(alg, "RSASSA_PSS"):
		return rsa.VerifyPSS(pub.(*rsa.PublicKey), hashOf, digest, signature, &rsa.PSSOptions{SaltLength: hashOf.Size()}) == nil
	case strings.HasPrefix(alg, "RSASSA_PKCS1"):
		return rsa.VerifyPKCS1v15(pub.(*rsa.PublicKey), hashOf, digest, signature) == nil
	case strings.HasPrefix(alg, "ECDSA"):
		return ecdsa.VerifyASN1(pub.(*ecdsa.PublicKey), digest, signature)
	case alg == "ED25519_SHA_512":
		return ed25519.Verify(pub.(ed25519.PublicKey), message, signature)
	}
	t.Fatalf("no independent verifier for %s", alg)
	return false
}

func TestSignVerifyEveryClassicalAlgorithm(t *testing.T) {
	w := NewWorld(Options{})
	china := Caller{Region: "cn-north-1"}
	rsaAlgs := []string{"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"}
	for _, tc := range []struct {
		caller Caller
		spec   string
		algs   []string
	}{
		{Caller{}, "RSA_2048", rsaAlgs},
		{Caller{}, "RSA_3072", rsaAlgs[:1]},
		{Caller{}, "RSA_4096", rsaAlgs[3:4]},
		{Caller{}, "ECC_NIST_P256", []string{"ECDSA_SHA_256"}},
		{Caller{}, "ECC_NIST_P384", []string{"ECDSA_SHA_384"}},
		{Caller{}, "ECC_NIST_P521", []string{"ECDSA_SHA_512"}},
		{Caller{}, "ECC_SECG_P256K1", []string{"ECDSA_SHA_256"}},
		{Caller{}, "ECC_NIST_EDWARDS25519", []string{"ED25519_SHA_512"}},
		{china, "SM2", []string{"SM2DSA"}},
	} {
		md := newKey(t, w, tc.caller, map[string]any{"KeySpec": tc.spec, "KeyUsage": "SIGN_VERIFY"})
		spki := b64(t, mustCall(t, w, tc.caller, "GetPublicKey", map[string]any{"KeyId": md["KeyId"]})["PublicKey"])
		for _, alg := range tc.algs {
			t.Run(tc.spec+"/"+alg, func(t *testing.T) {
				message := []byte("a release artefact of " + alg)
				out := mustCall(t, w, tc.caller, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": message, "SigningAlgorithm": alg})
				require.Equal(t, md["Arn"], out["KeyId"])
				require.Equal(t, alg, out["SigningAlgorithm"])
				signature := b64(t, out["Signature"])
				require.True(t, independentVerify(t, spki, tc.spec, alg, message, signature))

				ok := mustCall(t, w, tc.caller, "Verify", map[string]any{"KeyId": md["KeyId"], "Message": message, "Signature": signature, "SigningAlgorithm": alg})
				require.Equal(t, true, ok["SignatureValid"])
				signature[len(signature)/2] ^= 1
				status, bad := callAs(t, w, tc.caller, "Verify", map[string]any{"KeyId": md["KeyId"], "Message": message, "Signature": signature, "SigningAlgorithm": alg})
				requireError(t, status, bad, "KMSInvalidSignatureException", "")

				if size := digestSizeOf(alg); size > 0 {
					// DIGEST: the caller hashes; the signature is the same kind of signature.
					digest := digestOf(alg, message)
					out := mustCall(t, w, tc.caller, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": digest, "MessageType": "DIGEST", "SigningAlgorithm": alg})
					require.True(t, independentVerify(t, spki, tc.spec, alg, message, b64(t, out["Signature"])))
					status, short := callAs(t, w, tc.caller, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": digest[1:], "MessageType": "DIGEST", "SigningAlgorithm": alg})
					requireError(t, status, short, "ValidationException", "Digest is invalid length for algorithm "+alg+".")
				}
			})
		}
	}
}

func digestSizeOf(alg string) int {
	switch {
	case alg == "ED25519_SHA_512" || alg == "SM2DSA":
		return 0 // pure Ed25519 takes no digest; an SM2 digest includes Z (tested in kmscrypto)
	case strings.HasSuffix(alg, "256"):
		return 32
	case strings.HasSuffix(alg, "384"):
		return 48
	}
	return 64
}

func digestOf(alg string, message []byte) []byte {
	h := map[int]crypto.Hash{32: crypto.SHA256, 48: crypto.SHA384, 64: crypto.SHA512}[digestSizeOf(alg)].New()
	h.Write(message)
	return h.Sum(nil)
}

// ED25519_PH_SHA_512 takes a DIGEST only, and KMS applies Ed25519ph's SHA-512 prehash to it: the
// signature is Ed25519ph over the 64 bytes given (the model's MessageType documentation).
func TestSignEd25519ph(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{"KeySpec": "ECC_NIST_EDWARDS25519", "KeyUsage": "SIGN_VERIFY"})
	spki := b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": md["KeyId"]})["PublicKey"])
	pub, err := x509.ParsePKIXPublicKey(spki)
	require.NoError(t, err)
	digest := sha512.Sum512([]byte("data"))
	out := mustCall(t, w, Caller{}, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": digest[:], "MessageType": "DIGEST", "SigningAlgorithm": "ED25519_PH_SHA_512"})
	prehash := sha512.Sum512(digest[:])
	require.NoError(t, ed25519.VerifyWithOptions(pub.(ed25519.PublicKey), prehash[:], b64(t, out["Signature"]), &ed25519.Options{Hash: crypto.SHA512}))

	for _, tc := range []struct{ alg, messageType string }{{"ED25519_PH_SHA_512", "RAW"}, {"ED25519_SHA_512", "DIGEST"}, {"ED25519_SHA_512", "EXTERNAL_MU"}} {
		status, bad := call(t, w, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": digest[:], "MessageType": tc.messageType, "SigningAlgorithm": tc.alg})
		requireError(t, status, bad, "ValidationException", "MessageType "+tc.messageType+" is not supported with signing algorithm "+tc.alg+".")
	}
}

func TestSignRefusals(t *testing.T) {
	w := NewWorld(Options{})
	ec := newKey(t, w, Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	enc := newKey(t, w, Caller{}, map[string]any{})
	msg := []byte("m")
	for _, tc := range []struct {
		name, op string
		req      map[string]any
		errName  string
		message  string
	}{
		{"missing members", "Sign", map[string]any{}, "ValidationException", "3 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; Value null at 'message' failed to satisfy constraint: Member must not be null; Value null at 'signingAlgorithm' failed to satisfy constraint: Member must not be null"},
		{"message too long", "Sign", map[string]any{"KeyId": ec["KeyId"], "Message": make([]byte, 4097), "SigningAlgorithm": "ECDSA_SHA_256"}, "ValidationException", "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096"},
		{"unknown algorithm", "Sign", map[string]any{"KeyId": ec["KeyId"], "Message": msg, "SigningAlgorithm": "ECDSA"}, "ValidationException", "1 validation error detected: Value 'ECDSA' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [" + strings.Join(enumSigningAlgorithmSpec, ", ") + "]"},
		{"algorithm of another spec", "Sign", map[string]any{"KeyId": ec["KeyId"], "Message": msg, "SigningAlgorithm": "ECDSA_SHA_384"}, "InvalidKeyUsageException", "Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256."},
		{"encryption key", "Sign", map[string]any{"KeyId": enc["KeyId"], "Message": msg, "SigningAlgorithm": "ECDSA_SHA_256"}, "InvalidKeyUsageException", enc["Arn"].(string) + " key usage is ENCRYPT_DECRYPT which is not valid for Sign."},
		{"encryption key verify", "Verify", map[string]any{"KeyId": enc["KeyId"], "Message": msg, "Signature": msg, "SigningAlgorithm": "ECDSA_SHA_256"}, "InvalidKeyUsageException", enc["Arn"].(string) + " key usage is ENCRYPT_DECRYPT which is not valid for Verify."},
		{"external mu", "Sign", map[string]any{"KeyId": ec["KeyId"], "Message": make([]byte, 64), "MessageType": "EXTERNAL_MU", "SigningAlgorithm": "ECDSA_SHA_256"}, "ValidationException", "MessageType EXTERNAL_MU is not supported with signing algorithm ECDSA_SHA_256."},
		{"dry run", "Sign", map[string]any{"KeyId": ec["KeyId"], "Message": msg, "SigningAlgorithm": "ECDSA_SHA_256", "DryRun": true}, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := call(t, w, tc.op, tc.req)
			requireError(t, status, out, tc.errName, tc.message)
		})
	}
	mustCall(t, w, Caller{}, "DisableKey", map[string]any{"KeyId": ec["KeyId"]})
	status, out := call(t, w, "Sign", map[string]any{"KeyId": ec["KeyId"], "Message": msg, "SigningAlgorithm": "ECDSA_SHA_256"})
	requireError(t, status, out, "DisabledException", ec["Arn"].(string)+" is disabled.")
}

func TestSignVerifyMLDSA(t *testing.T) {
	w := NewWorld(Options{})
	for _, spec := range []string{"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"} {
		t.Run(spec, func(t *testing.T) {
			md := newKey(t, w, Caller{}, map[string]any{"KeySpec": spec, "KeyUsage": "SIGN_VERIFY"})
			message := []byte("post-quantum")
			out := mustCall(t, w, Caller{}, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": message, "SigningAlgorithm": "ML_DSA_SHAKE_256"})
			signature := b64(t, out["Signature"])
			ok := mustCall(t, w, Caller{}, "Verify", map[string]any{"KeyId": md["KeyId"], "Message": message, "Signature": signature, "SigningAlgorithm": "ML_DSA_SHAKE_256"})
			require.Equal(t, true, ok["SignatureValid"])
			status, bad := call(t, w, "Verify", map[string]any{"KeyId": md["KeyId"], "Message": []byte("other"), "Signature": signature, "SigningAlgorithm": "ML_DSA_SHAKE_256"})
			requireError(t, status, bad, "KMSInvalidSignatureException", "")
			status, bad = call(t, w, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": make([]byte, 32), "MessageType": "EXTERNAL_MU", "SigningAlgorithm": "ML_DSA_SHAKE_256"})
			requireError(t, status, bad, "ValidationException", "External mu is invalid length for algorithm ML_DSA_SHAKE_256: it must be 64 bytes.")
			status, bad = call(t, w, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": make([]byte, 32), "MessageType": "DIGEST", "SigningAlgorithm": "ML_DSA_SHAKE_256"})
			requireError(t, status, bad, "ValidationException", "MessageType DIGEST is not supported with signing algorithm ML_DSA_SHAKE_256.")
		})
	}
}
