package kms

import (
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/mlkem"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/json"
	"hash"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestGenerateVerifyMac(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	message := []byte("webhook body")
	out := mustCall(t, w, Caller{}, "GenerateMac", map[string]any{"KeyId": md["KeyId"], "Message": message, "MacAlgorithm": "HMAC_SHA_256"})
	require.Equal(t, md["Arn"], out["KeyId"])
	mac := b64(t, out["Mac"])
	// Deterministic, and HMAC-SHA-256 of the key's material.
	again := mustCall(t, w, Caller{}, "GenerateMac", map[string]any{"KeyId": md["KeyId"], "Message": message, "MacAlgorithm": "HMAC_SHA_256"})
	require.Equal(t, mac, b64(t, again["Mac"]))
	h := hmac.New(sha256.New, keyOf(w, Caller{}, md).hmacKey)
	h.Write(message)
	require.Equal(t, h.Sum(nil), mac)

	ok := mustCall(t, w, Caller{}, "VerifyMac", map[string]any{"KeyId": md["KeyId"], "Message": message, "Mac": mac, "MacAlgorithm": "HMAC_SHA_256"})
	require.Equal(t, map[string]any{"KeyId": md["Arn"], "MacValid": true, "MacAlgorithm": "HMAC_SHA_256"}, ok)
	// The refusals LocalStack recorded from AWS (test_invalid_verify_mac, test_invalid_generate_mac).
	status, bad := call(t, w, "VerifyMac", map[string]any{"KeyId": md["KeyId"], "Message": []byte("some different important message"), "Mac": mac, "MacAlgorithm": "HMAC_SHA_256"})
	requireError(t, status, bad, "KMSInvalidMacException", "")
	status, bad = call(t, w, "VerifyMac", map[string]any{"KeyId": md["KeyId"], "Message": message, "Mac": mac, "MacAlgorithm": "HMAC_SHA_512"})
	requireError(t, status, bad, "InvalidKeyUsageException", "Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.")
	status, bad = call(t, w, "GenerateMac", map[string]any{"KeyId": md["KeyId"], "Message": message, "MacAlgorithm": "INVALID"})
	requireError(t, status, bad, "ValidationException", "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]")
	enc := newKey(t, w, Caller{}, map[string]any{})
	status, bad = call(t, w, "GenerateMac", map[string]any{"KeyId": enc["KeyId"], "Message": message, "MacAlgorithm": "HMAC_SHA_256"})
	requireError(t, status, bad, "InvalidKeyUsageException", enc["Arn"].(string)+" key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.")
}

// The answers' JSON is byte for byte what json.Marshal wrote for them when they were maps (members in
// sorted order), for any key spec and algorithm, the material made ready once and used again.
func TestMacAnswersAreTheMapsJSON(t *testing.T) {
	w := NewWorld(Options{})
	for _, spec := range []struct{ keySpec, algorithm string }{
		{"HMAC_224", "HMAC_SHA_224"}, {"HMAC_256", "HMAC_SHA_256"}, {"HMAC_384", "HMAC_SHA_384"}, {"HMAC_512", "HMAC_SHA_512"},
	} {
		md := newKey(t, w, Caller{}, map[string]any{"KeySpec": spec.keySpec, "KeyUsage": "GENERATE_VERIFY_MAC"})
		for _, message := range [][]byte{[]byte("m"), make([]byte, 4096), []byte("m")} {
			request, _ := json.Marshal(map[string]any{"KeyId": md["KeyId"], "Message": message, "MacAlgorithm": spec.algorithm})
			status, body := w.Handle(Caller{}, "TrentService.GenerateMac", request)
			require.Equal(t, 200, status, string(body))
			h := hmac.New(map[string]func() hash.Hash{"HMAC_224": sha256.New224, "HMAC_256": sha256.New,
				"HMAC_384": sha512.New384, "HMAC_512": sha512.New}[spec.keySpec], keyOf(w, Caller{}, md).hmacKey)
			h.Write(message)
			mac := h.Sum(nil)
			want, _ := json.Marshal(map[string]any{"Mac": mac, "MacAlgorithm": spec.algorithm, "KeyId": md["Arn"]})
			require.Equal(t, string(want), string(body))

			request, _ = json.Marshal(map[string]any{"KeyId": md["KeyId"], "Message": message, "Mac": mac, "MacAlgorithm": spec.algorithm})
			status, body = w.Handle(Caller{}, "TrentService.VerifyMac", request)
			require.Equal(t, 200, status, string(body))
			want, _ = json.Marshal(map[string]any{"KeyId": md["Arn"], "MacValid": true, "MacAlgorithm": spec.algorithm})
			require.Equal(t, string(want), string(body))
		}
	}
}

func TestDeriveSharedSecretMatchesCryptoECDH(t *testing.T) {
	w := NewWorld(Options{})
	for _, tc := range []struct {
		spec  string
		curve ecdh.Curve
	}{{"ECC_NIST_P256", ecdh.P256()}, {"ECC_NIST_P384", ecdh.P384()}, {"ECC_NIST_P521", ecdh.P521()}} {
		t.Run(tc.spec, func(t *testing.T) {
			md := newKey(t, w, Caller{}, map[string]any{"KeySpec": tc.spec, "KeyUsage": "KEY_AGREEMENT"})
			mine, err := tc.curve.GenerateKey(rand.Reader)
			require.NoError(t, err)
			mySPKI, err := x509.MarshalPKIXPublicKey(mine.PublicKey())
			require.NoError(t, err)
			out := mustCall(t, w, Caller{}, "DeriveSharedSecret", map[string]any{"KeyId": md["KeyId"], "KeyAgreementAlgorithm": "ECDH", "PublicKey": mySPKI})
			require.Equal(t, "AWS_KMS", out["KeyOrigin"])
			theirSPKI := b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": md["KeyId"]})["PublicKey"])
			theirs, err := x509.ParsePKIXPublicKey(theirSPKI)
			require.NoError(t, err)
			theirECDH, err := theirs.(interface {
				ECDH() (*ecdh.PublicKey, error)
			}).ECDH()
			require.NoError(t, err)
			secret, err := mine.ECDH(theirECDH)
			require.NoError(t, err)
			require.Equal(t, secret, b64(t, out["SharedSecret"]))
		})
	}
	p256 := newKey(t, w, Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"})
	other, _ := ecdh.P384().GenerateKey(rand.Reader)
	wrongCurve, _ := x509.MarshalPKIXPublicKey(other.PublicKey())
	for _, peer := range [][]byte{wrongCurve, []byte("not a key")} {
		status, bad := call(t, w, "DeriveSharedSecret", map[string]any{"KeyId": p256["KeyId"], "KeyAgreementAlgorithm": "ECDH", "PublicKey": peer})
		requireError(t, status, bad, "ValidationException", "")
	}
	signing := newKey(t, w, Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	status, bad := call(t, w, "DeriveSharedSecret", map[string]any{"KeyId": signing["KeyId"], "KeyAgreementAlgorithm": "ECDH", "PublicKey": wrongCurve})
	requireError(t, status, bad, "InvalidKeyUsageException", signing["Arn"].(string)+" key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.")
	status, bad = call(t, w, "DeriveSharedSecret", map[string]any{"KeyId": signing["KeyId"], "KeyAgreementAlgorithm": "INVALID", "PublicKey": wrongCurve})
	requireError(t, status, bad, "ValidationException", "1 validation error detected: Value 'INVALID' at 'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ECDH]")
}

// Encapsulate and Decapsulate agree with each other and with Go's crypto/mlkem, an implementation
// that is not kmscrypto's.
func TestEncapsulateDecapsulate(t *testing.T) {
	w := NewWorld(Options{})
	for _, spec := range []string{"ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"} {
		t.Run(spec, func(t *testing.T) {
			md := newKey(t, w, Caller{}, map[string]any{"KeySpec": spec, "KeyUsage": "ENCAPSULATE_DECAPSULATE"})
			enc := mustCall(t, w, Caller{}, "Encapsulate", map[string]any{"KeyId": md["KeyId"], "EncapsulationAlgorithm": "ML_KEM"})
			dec := mustCall(t, w, Caller{}, "Decapsulate", map[string]any{"KeyId": md["KeyId"], "EncapsulationAlgorithm": "ML_KEM", "SharedSecretCiphertextBlob": enc["SharedSecretCiphertextBlob"]})
			require.Equal(t, enc["SharedSecret"], dec["SharedSecret"])
			require.Len(t, b64(t, dec["SharedSecret"]), 32)
			spki := b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": md["KeyId"]})["PublicKey"])
			var secret, ciphertext []byte
			switch spec {
			case "ML_KEM_768":
				pub, err := mlkem.NewEncapsulationKey768(spki[len(spki)-mlkem.EncapsulationKeySize768:])
				require.NoError(t, err)
				secret, ciphertext = pub.Encapsulate()
			case "ML_KEM_1024":
				pub, err := mlkem.NewEncapsulationKey1024(spki[len(spki)-mlkem.EncapsulationKeySize1024:])
				require.NoError(t, err)
				secret, ciphertext = pub.Encapsulate()
			default:
				return // crypto/mlkem has no ML-KEM-512; kmscrypto's tests hold it to other vectors
			}
			theirs := mustCall(t, w, Caller{}, "Decapsulate", map[string]any{"KeyId": md["KeyId"], "EncapsulationAlgorithm": "ML_KEM", "SharedSecretCiphertextBlob": ciphertext})
			require.Equal(t, secret, b64(t, theirs["SharedSecret"]))
			status, bad := call(t, w, "Decapsulate", map[string]any{"KeyId": md["KeyId"], "EncapsulationAlgorithm": "ML_KEM", "SharedSecretCiphertextBlob": ciphertext[1:]})
			requireError(t, status, bad, "InvalidCiphertextException", "")
		})
	}
	enc := newKey(t, w, Caller{}, map[string]any{})
	status, bad := call(t, w, "Encapsulate", map[string]any{"KeyId": enc["KeyId"], "EncapsulationAlgorithm": "ML_KEM"})
	requireError(t, status, bad, "InvalidKeyUsageException", enc["Arn"].(string)+" key usage is ENCRYPT_DECRYPT which is not valid for Encapsulate.")
}

func TestGetKeyLastUsage(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	w := NewWorld(Options{Now: func() time.Time { return now }})
	md := newKey(t, w, Caller{}, map[string]any{})
	out := mustCall(t, w, Caller{}, "GetKeyLastUsage", map[string]any{"KeyId": md["KeyId"]})
	created := float64(now.Unix())
	require.Equal(t, map[string]any{"KeyId": md["Arn"], "KeyLastUsage": map[string]any{}, "TrackingStartDate": created, "KeyCreationDate": created}, out)

	now = now.Add(time.Hour)
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})
	// A failed call and a management call are not uses.
	call(t, w, "Decrypt", map[string]any{"CiphertextBlob": []byte("garbage")})
	mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})
	usage := mustCall(t, w, Caller{}, "GetKeyLastUsage", map[string]any{"KeyId": md["KeyId"]})["KeyLastUsage"].(map[string]any)
	require.Equal(t, "Encrypt", usage["Operation"])
	require.Equal(t, float64(now.Unix()), usage["Timestamp"])
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, usage["CloudTrailEventId"])
	// The same use answers the same event ID.
	again := mustCall(t, w, Caller{}, "GetKeyLastUsage", map[string]any{"KeyId": md["KeyId"]})["KeyLastUsage"].(map[string]any)
	require.Equal(t, usage, again)
	require.True(t, strings.HasPrefix(md["Arn"].(string), "arn:aws:kms:"))
}
