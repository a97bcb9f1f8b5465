package kms

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDecryptErrors(t *testing.T) {
	w := NewWorld(Options{})
	a := newKey(t, w, Caller{}, map[string]any{})
	b := newKey(t, w, Caller{}, map[string]any{})
	rsaKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": a["KeyId"], "Plaintext": []byte("secret")})["CiphertextBlob"]
	rsaBlob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": rsaKey["KeyId"], "Plaintext": []byte("secret"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"})["CiphertextBlob"]

	cases := []struct {
		name         string
		caller       Caller
		req          map[string]any
		errName, msg string
	}{
		{"wrong key id", Caller{}, map[string]any{"CiphertextBlob": blob, "KeyId": b["KeyId"]}, "IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation."},
		{"other region", Caller{Region: "eu-west-1"}, map[string]any{"CiphertextBlob": blob}, "AccessDeniedException", "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access."},
		{"garbage", Caller{}, map[string]any{"CiphertextBlob": []byte("not a blob at all")}, "InvalidCiphertextException", ""},
		{"asymmetric without key id", Caller{}, map[string]any{"CiphertextBlob": rsaBlob, "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"}, "ValidationException", "KeyId is required for asymmetric KMS keys."},
		{"asymmetric wrong hash", Caller{}, map[string]any{"CiphertextBlob": rsaBlob, "KeyId": rsaKey["KeyId"], "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}, "InvalidCiphertextException", ""},
		{"asymmetric default algorithm", Caller{}, map[string]any{"CiphertextBlob": rsaBlob, "KeyId": rsaKey["KeyId"]}, "InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."},
		{"symmetric blob, asymmetric key id", Caller{}, map[string]any{"CiphertextBlob": blob, "KeyId": rsaKey["KeyId"]}, "IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation."},
		{"missing blob", Caller{}, map[string]any{}, "ValidationException", "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := callAs(t, w, c.caller, "Decrypt", c.req)
			requireError(t, status, out, c.errName, c.msg)
		})
	}

	// Key states apply to Decrypt as to Encrypt; DryRun answers only once all else passed.
	keyOf(w, Caller{}, a).state = statePendingDeletion
	status, out := call(t, w, "Decrypt", map[string]any{"CiphertextBlob": blob})
	requireError(t, status, out, "KMSInvalidStateException", a["Arn"].(string)+" is pending deletion.")
	keyOf(w, Caller{}, a).state = stateEnabled
	status, out = call(t, w, "Decrypt", map[string]any{"CiphertextBlob": blob, "DryRun": true})
	requireError(t, status, out, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/a", "TargetKeyId": a["KeyId"]})
	dec := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob, "KeyId": "alias/a"})
	require.Equal(t, a["Arn"], dec["KeyId"])
}

func TestDecryptAnswersExactMembers(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	enc := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("p")})
	require.ElementsMatch(t, []string{"CiphertextBlob", "KeyId", "EncryptionAlgorithm"}, keys(enc))
	dec := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": enc["CiphertextBlob"], "KeyId": md["Arn"]})
	// KeyMaterialId names the material version that opened the blob, as LocalStack recorded from AWS.
	require.ElementsMatch(t, []string{"Plaintext", "KeyId", "EncryptionAlgorithm", "KeyMaterialId"}, keys(dec))
	require.Equal(t, md["CurrentKeyMaterialId"], dec["KeyMaterialId"])
	require.Equal(t, base64.StdEncoding.EncodeToString([]byte("p")), dec["Plaintext"])
	require.Equal(t, "SYMMETRIC_DEFAULT", dec["EncryptionAlgorithm"])
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
