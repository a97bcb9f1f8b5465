package kms

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDescriptionAndTags(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{"Tags": []map[string]string{{"TagKey": "a", "TagValue": "1"}}})
	mustCall(t, w, Caller{}, "UpdateKeyDescription", map[string]any{"KeyId": md["KeyId"], "Description": "new"})
	desc := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})["KeyMetadata"].(map[string]any)
	require.Equal(t, "new", desc["Description"])

	mustCall(t, w, Caller{}, "TagResource", map[string]any{"KeyId": md["Arn"], "Tags": []map[string]string{{"TagKey": "b", "TagValue": "2"}, {"TagKey": "a", "TagValue": "3"}}})
	tags := mustCall(t, w, Caller{}, "ListResourceTags", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, []any{map[string]any{"TagKey": "a", "TagValue": "3"}, map[string]any{"TagKey": "b", "TagValue": "2"}}, tags["Tags"])
	require.Equal(t, false, tags["Truncated"])
	mustCall(t, w, Caller{}, "UntagResource", map[string]any{"KeyId": md["KeyId"], "TagKeys": []string{"a"}})
	tags = mustCall(t, w, Caller{}, "ListResourceTags", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, []any{map[string]any{"TagKey": "b", "TagValue": "2"}}, tags["Tags"])

	status, out := call(t, w, "TagResource", map[string]any{"KeyId": md["KeyId"], "Tags": []map[string]string{{"TagKey": ""}}})
	requireError(t, status, out, "ValidationException", "2 validation errors detected: Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1; Value null at 'tags.1.member.tagValue' failed to satisfy constraint: Member must not be null")
	policies := mustCall(t, w, Caller{}, "ListKeyPolicies", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, map[string]any{"PolicyNames": []any{"default"}, "Truncated": false}, policies)
}

func TestRotation(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	md := newKey(t, w, Caller{}, map[string]any{})
	status := mustCall(t, w, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, map[string]any{"KeyId": md["Arn"], "KeyRotationEnabled": false}, status)
	mustCall(t, w, Caller{}, "EnableKeyRotation", map[string]any{"KeyId": md["KeyId"], "RotationPeriodInDays": 90})
	status = mustCall(t, w, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, map[string]any{"KeyId": md["Arn"], "KeyRotationEnabled": true, "RotationPeriodInDays": 90.0, "NextRotationDate": epochOf(fixedNow.Add(90 * 24 * time.Hour))}, status)

	old := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("v1")})["CiphertextBlob"]
	mustCall(t, w, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": md["KeyId"]})
	fresh := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("v2")})["CiphertextBlob"]
	require.Len(t, keyOf(w, Caller{}, md).materials, 2)
	require.Equal(t, "v1", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": old})["Plaintext"])))
	require.Equal(t, "v2", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": fresh})["Plaintext"])))

	restored := NewWorld(Options{})
	code, body := restored.Handle(Caller{}, "WasmKMS.ImportState", exportWorld(t, w))
	require.Equal(t, 200, code, string(body))
	require.Equal(t, "v1", string(b64(t, mustCall(t, restored, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": old})["Plaintext"])))
	require.Equal(t, true, mustCall(t, restored, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": md["KeyId"]})["KeyRotationEnabled"])

	mustCall(t, w, Caller{}, "DisableKeyRotation", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, false, mustCall(t, w, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": md["KeyId"]})["KeyRotationEnabled"])

	rsaKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	code2, out := call(t, w, "EnableKeyRotation", map[string]any{"KeyId": rsaKey["KeyId"]})
	requireError(t, code2, out, "UnsupportedOperationException", "")
	code2, out = call(t, w, "EnableKeyRotation", map[string]any{"KeyId": md["KeyId"], "RotationPeriodInDays": 89})
	requireError(t, code2, out, "ValidationException", "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90")
}

func TestGenerateRandomAndUnimplemented(t *testing.T) {
	w := NewWorld(Options{})
	out := mustCall(t, w, Caller{}, "GenerateRandom", map[string]any{"NumberOfBytes": 64})
	require.Len(t, b64(t, out["Plaintext"]), 64)
	status, errOut := call(t, w, "GenerateRandom", map[string]any{"NumberOfBytes": 1025})
	requireError(t, status, errOut, "ValidationException", "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
	// Every operation of the model is known: it answers, or says that it is not implemented yet.
	for _, name := range modelOperations {
		status, errOut = call(t, w, name, map[string]any{})
		require.NotEqual(t, "UnknownOperationException", errOut["__type"], name)
		if msg, _ := errOut["message"].(string); strings.HasPrefix(msg, "wasmkms does not implement") {
			requireError(t, status, errOut, "UnsupportedOperationException", "wasmkms does not implement "+name+" yet.")
		}
	}
}
