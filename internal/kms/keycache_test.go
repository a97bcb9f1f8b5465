package kms

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A snapshot restored in the same process takes its private keys from the cache (the very keys the
// exporting world holds, which no world changes), and they still work: the restored key signs, and
// the exporting world's key verifies the signature.
func TestRestoredPrivateKeysComeFromTheCache(t *testing.T) {
	source := NewWorld(Options{})
	md := newKey(t, source, Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	keyID := md["KeyId"].(string)
	status, state := source.Handle(Caller{}, "WasmKMS.ExportState", nil)
	require.Equal(t, 200, status)

	restored := NewWorld(Options{})
	status, resp := restored.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, "%s", resp)
	original := source.keyByIDInRegion(DefaultRegion, keyID)
	again := restored.keyByIDInRegion(DefaultRegion, keyID)
	require.NotSame(t, original, again)
	require.Same(t, original.private, again.private)

	signed := mustCall(t, restored, Caller{}, "Sign", map[string]any{"KeyId": keyID, "Message": []byte("m"),
		"SigningAlgorithm": "ECDSA_SHA_256"})
	verified := mustCall(t, source, Caller{}, "Verify", map[string]any{"KeyId": keyID, "Message": []byte("m"),
		"Signature": signed["Signature"], "SigningAlgorithm": "ECDSA_SHA_256"})
	require.Equal(t, true, verified["SignatureValid"])
}
