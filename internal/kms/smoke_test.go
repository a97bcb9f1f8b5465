package kms

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSymmetricRoundTrip(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{"Description": "demo"})
	require.Equal(t, "SYMMETRIC_DEFAULT", md["KeySpec"])
	require.Equal(t, "Enabled", md["KeyState"])
	pt := []byte("hello, wasmkms")
	enc := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": pt, "EncryptionContext": map[string]string{"a": "b"}})
	require.Equal(t, md["Arn"], enc["KeyId"])
	blob, _ := base64.StdEncoding.DecodeString(enc["CiphertextBlob"].(string))
	require.Equal(t, len(pt)+152, len(blob))
	dec := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"a": "b"}})
	require.Equal(t, base64.StdEncoding.EncodeToString(pt), dec["Plaintext"])
	require.Equal(t, md["Arn"], dec["KeyId"])
	status, out := call(t, w, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"a": "c"}})
	requireError(t, status, out, "InvalidCiphertextException", "")
}
