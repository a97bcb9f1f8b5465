package kms

import (
	"crypto/rsa"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGrantsLetAnotherAccountUseAKey(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	other := Caller{Account: "444455556666"}
	md := newKey(t, w, Caller{}, map[string]any{})
	arn := md["Arn"].(string)
	plain := map[string]any{"KeyId": arn, "Plaintext": []byte("x")}
	status, out := callAs(t, w, other, "Encrypt", plain)
	require.Equal(t, "AccessDeniedException", out["__type"], status)

	created := mustCall(t, w, Caller{}, "CreateGrant", map[string]any{
		"KeyId": md["KeyId"], "GranteePrincipal": "arn:aws:iam::444455556666:root", "Operations": []string{"Encrypt", "Decrypt"}, "Name": "app",
	})
	token, id := created["GrantToken"].(string), created["GrantId"].(string)
	require.Regexp(t, `^[0-9a-f]{64}$`, id)

	// The token is accepted wherever grant tokens are, and the grant itself authorizes.
	enc := mustCall(t, w, other, "Encrypt", map[string]any{"KeyId": arn, "Plaintext": []byte("x"), "GrantTokens": []string{token}})
	mustCall(t, w, other, "Decrypt", map[string]any{"CiphertextBlob": enc["CiphertextBlob"]})
	status, out = callAs(t, w, other, "GenerateDataKey", map[string]any{"KeyId": arn, "KeySpec": "AES_256"})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:GenerateDataKey on resource: "+arn+" because no resource-based policy allows the kms:GenerateDataKey action")

	list := mustCall(t, w, Caller{}, "ListGrants", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, []any{map[string]any{
		"KeyId": arn, "GrantId": id, "Name": "app", "CreationDate": epochOf(fixedNow), "GranteePrincipal": "arn:aws:iam::444455556666:root",
		"IssuingAccount": "arn:aws:iam::111122223333:root", "Operations": []any{"Encrypt", "Decrypt"},
	}}, list["Grants"])

	// The grant survives an export and import.
	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", exportWorld(t, w))
	require.Equal(t, 200, status, string(body))
	mustCall(t, restored, other, "Encrypt", map[string]any{"KeyId": arn, "Plaintext": []byte("x"), "GrantTokens": []string{token}})

	mustCall(t, w, Caller{}, "RevokeGrant", map[string]any{"KeyId": md["KeyId"], "GrantId": id})
	status, out = callAs(t, w, other, "Encrypt", map[string]any{"KeyId": arn, "Plaintext": []byte("x"), "GrantTokens": []string{token}})
	requireError(t, status, out, "InvalidGrantTokenException", "Grant token is invalid.")
	status, out = callAs(t, w, other, "Encrypt", plain)
	require.Equal(t, "AccessDeniedException", out["__type"], status)
	status, out = call(t, w, "RevokeGrant", map[string]any{"KeyId": md["KeyId"], "GrantId": id})
	requireError(t, status, out, "NotFoundException", "Grant ID "+id+" not found")

	status, out = call(t, w, "CreateGrant", map[string]any{"KeyId": md["KeyId"], "GranteePrincipal": "p", "Operations": []string{"Encrypt", "Fly"}})
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value 'Fly' at 'operations.2.member' failed to satisfy constraint: Member must satisfy enum value set: [Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, Sign, Verify, GetPublicKey, CreateGrant, RetireGrant, DescribeKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateMac, VerifyMac, DeriveSharedSecret]")
}

func TestReEncrypt(t *testing.T) {
	w := NewWorld(Options{})
	src := newKey(t, w, Caller{}, map[string]any{})
	dst := newKey(t, w, Caller{}, map[string]any{})
	rsaKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": src["KeyId"], "Plaintext": []byte("move me"), "EncryptionContext": map[string]string{"from": "src"}})["CiphertextBlob"]

	out := mustCall(t, w, Caller{}, "ReEncrypt", map[string]any{"CiphertextBlob": blob, "SourceEncryptionContext": map[string]string{"from": "src"},
		"DestinationKeyId": dst["KeyId"], "DestinationEncryptionContext": map[string]string{"to": "dst"}})
	require.Equal(t, src["Arn"], out["SourceKeyId"])
	require.Equal(t, dst["Arn"], out["KeyId"])
	require.Equal(t, "SYMMETRIC_DEFAULT", out["SourceEncryptionAlgorithm"])
	require.Equal(t, "SYMMETRIC_DEFAULT", out["DestinationEncryptionAlgorithm"])
	dec := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": out["CiphertextBlob"], "EncryptionContext": map[string]string{"to": "dst"}})
	require.Equal(t, "move me", string(b64(t, dec["Plaintext"])))

	// To an RSA key, then back from it.
	toRSA := mustCall(t, w, Caller{}, "ReEncrypt", map[string]any{"CiphertextBlob": blob, "SourceEncryptionContext": map[string]string{"from": "src"},
		"DestinationKeyId": rsaKey["Arn"], "DestinationEncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	back := mustCall(t, w, Caller{}, "ReEncrypt", map[string]any{"CiphertextBlob": toRSA["CiphertextBlob"], "SourceKeyId": rsaKey["KeyId"],
		"SourceEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "DestinationKeyId": src["KeyId"]})
	dec = mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": back["CiphertextBlob"]})
	require.Equal(t, "move me", string(b64(t, dec["Plaintext"])))

	errs := []struct {
		req          map[string]any
		errName, msg string
	}{
		{map[string]any{"CiphertextBlob": blob}, "ValidationException", "1 validation error detected: Value null at 'destinationKeyId' failed to satisfy constraint: Member must not be null"},
		{map[string]any{"CiphertextBlob": blob, "DestinationKeyId": dst["KeyId"]}, "InvalidCiphertextException", ""},
		{map[string]any{"CiphertextBlob": blob, "SourceEncryptionContext": map[string]string{"from": "src"}, "DestinationKeyId": rsaKey["KeyId"], "DestinationEncryptionAlgorithm": "RSAES_OAEP_SHA_1", "DestinationEncryptionContext": map[string]string{"a": "b"}}, "ValidationException", "EncryptionContext is not supported with asymmetric KMS keys (key spec RSA_2048)."},
		{map[string]any{"CiphertextBlob": blob, "SourceEncryptionContext": map[string]string{"from": "src"}, "DestinationKeyId": dst["KeyId"], "DryRun": true}, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
	}
	for _, c := range errs {
		status, out := call(t, w, "ReEncrypt", c.req)
		requireError(t, status, out, c.errName, c.msg)
	}
}

func TestFreshRSAKeysOption(t *testing.T) {
	w := NewWorld(Options{FreshRSAKeys: true})
	md := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	require.Nil(t, w.rsaPool, "fresh keys do not touch the pool")
	require.Equal(t, 2048, keyOf(w, Caller{}, md).private.(*rsa.PrivateKey).N.BitLen())
}
