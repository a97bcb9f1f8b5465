package kms

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGenerateDataKey(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	ctx := map[string]string{"aws-crypto-public-key": "abc"}
	for _, c := range []struct {
		req  map[string]any
		size int
	}{
		{map[string]any{"KeySpec": "AES_256"}, 32},
		{map[string]any{"KeySpec": "AES_128"}, 16},
		{map[string]any{"NumberOfBytes": 1}, 1},
		{map[string]any{"NumberOfBytes": 1024}, 1024},
	} {
		c.req["KeyId"] = md["KeyId"]
		c.req["EncryptionContext"] = ctx
		out := mustCall(t, w, Caller{}, "GenerateDataKey", c.req)
		require.Equal(t, md["Arn"], out["KeyId"])
		pt := b64(t, out["Plaintext"])
		require.Len(t, pt, c.size)
		blob := b64(t, out["CiphertextBlob"])
		if c.size == 32 {
			require.Len(t, blob, 184, "a real AES_256 data key blob is 184 bytes")
		}
		dec := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx})
		require.Equal(t, pt, b64(t, dec["Plaintext"]))

		without := mustCall(t, w, Caller{}, "GenerateDataKeyWithoutPlaintext", c.req)
		require.NotContains(t, without, "Plaintext")
		dec = mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": without["CiphertextBlob"], "EncryptionContext": ctx})
		require.Len(t, b64(t, dec["Plaintext"]), c.size)
	}

	rsaKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	signing := newKey(t, w, Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	errs := []struct {
		req          map[string]any
		errName, msg string
	}{
		{map[string]any{"KeyId": md["KeyId"]}, "ValidationException", "Please specify either number of bytes or key spec."},
		{map[string]any{"KeyId": md["KeyId"], "KeySpec": "AES_256", "NumberOfBytes": 32}, "ValidationException", "Please specify either number of bytes or key spec."},
		{map[string]any{"KeyId": md["KeyId"], "NumberOfBytes": 1025}, "ValidationException", "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"},
		{map[string]any{"KeyId": md["KeyId"], "NumberOfBytes": 0}, "ValidationException", "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{map[string]any{"KeyId": md["KeyId"], "KeySpec": "AES_512"}, "ValidationException", "1 validation error detected: Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"},
		{map[string]any{"KeyId": rsaKey["KeyId"], "KeySpec": "AES_256"}, "InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."},
		{map[string]any{"KeyId": signing["KeyId"], "KeySpec": "AES_256"}, "InvalidKeyUsageException", signing["Arn"].(string) + " key usage is SIGN_VERIFY which is not valid for GenerateDataKey."},
		{map[string]any{"KeyId": md["KeyId"], "KeySpec": "AES_256", "DryRun": true}, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
	}
	for _, c := range errs {
		status, out := call(t, w, "GenerateDataKey", c.req)
		requireError(t, status, out, c.errName, c.msg)
	}
}
