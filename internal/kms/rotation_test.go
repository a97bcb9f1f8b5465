package kms

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Automatic rotation happens when the clock passes NextRotationDate, once per period, and old blobs
// still decrypt; a disabled key waits until it is enabled again.
func TestAutomaticRotationFollowsTheClock(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := NewWorld(Options{Now: func() time.Time { return now }})
	md := newKey(t, w, Caller{}, map[string]any{})
	mustCall(t, w, Caller{}, "EnableKeyRotation", map[string]any{"KeyId": md["KeyId"], "RotationPeriodInDays": 90})
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("old")})["CiphertextBlob"]
	first := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})["KeyMetadata"].(map[string]any)["CurrentKeyMaterialId"]

	now = now.Add(89 * 24 * time.Hour)
	require.Empty(t, mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": md["KeyId"]})["Rotations"])

	now = now.Add(24*time.Hour + 200*24*time.Hour) // day 290: three rotations, at days 90, 180 and 270
	rotations := mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": md["KeyId"]})["Rotations"].([]any)
	require.Len(t, rotations, 3)
	day90 := float64(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).Unix())
	require.Equal(t, day90, rotations[0].(map[string]any)["RotationDate"])
	require.Equal(t, "AUTOMATIC", rotations[0].(map[string]any)["RotationType"])
	require.Equal(t, "NON_CURRENT", rotations[0].(map[string]any)["KeyMaterialState"])
	require.Equal(t, "CURRENT", rotations[2].(map[string]any)["KeyMaterialState"])
	status := mustCall(t, w, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, float64(time.Date(2026, 12, 27, 0, 0, 0, 0, time.UTC).Unix()), status["NextRotationDate"])
	current := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})["KeyMetadata"].(map[string]any)["CurrentKeyMaterialId"]
	require.NotEqual(t, first, current)
	require.Equal(t, current, rotations[2].(map[string]any)["KeyMaterialId"])
	out := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})
	require.Equal(t, "old", string(b64(t, out["Plaintext"])))

	all := mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": md["KeyId"], "IncludeKeyMaterial": "ALL_KEY_MATERIAL"})["Rotations"].([]any)
	require.Len(t, all, 4)
	require.Equal(t, first, all[0].(map[string]any)["KeyMaterialId"])
	require.NotContains(t, all[0], "RotationDate")

	// A disabled key waits, then catches up once enabled.
	mustCall(t, w, Caller{}, "DisableKey", map[string]any{"KeyId": md["KeyId"]})
	now = now.Add(100 * 24 * time.Hour)
	mustCall(t, w, Caller{}, "ListKeys", map[string]any{})
	require.Len(t, keyOf(w, Caller{}, md).materials, 4)
	mustCall(t, w, Caller{}, "EnableKey", map[string]any{"KeyId": md["KeyId"]})
	require.Len(t, mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": md["KeyId"]})["Rotations"], 4)
}

func TestRotationRefusals(t *testing.T) {
	w := NewWorld(Options{})
	sym := newKey(t, w, Caller{}, map[string]any{})
	for i := 0; i < maxOnDemandRotations; i++ {
		mustCall(t, w, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": sym["KeyId"]})
	}
	status, out := call(t, w, "RotateKeyOnDemand", map[string]any{"KeyId": sym["KeyId"]})
	requireError(t, status, out, "LimitExceededException", "The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: "+sym["Arn"].(string))
	require.Len(t, mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": sym["KeyId"], "Limit": 4})["Rotations"], 4)

	rsa := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	status, out = call(t, w, "RotateKeyOnDemand", map[string]any{"KeyId": rsa["KeyId"]})
	requireError(t, status, out, "UnsupportedOperationException", "")
	mustCall(t, w, Caller{}, "DisableKey", map[string]any{"KeyId": rsa["KeyId"]})
	status, out = call(t, w, "RotateKeyOnDemand", map[string]any{"KeyId": rsa["KeyId"]})
	requireError(t, status, out, "DisabledException", rsa["Arn"].(string)+" is disabled.")
	external := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	status, out = call(t, w, "EnableKeyRotation", map[string]any{"KeyId": external["KeyId"]})
	requireError(t, status, out, "KMSInvalidStateException", external["Arn"].(string)+" is pending import.")
}

func TestTagRules(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	tags := func(keys ...string) []map[string]string {
		var out []map[string]string
		for _, k := range keys {
			out = append(out, map[string]string{"TagKey": k, "TagValue": "v"})
		}
		return out
	}
	for _, tc := range []struct {
		name, op string
		req      map[string]any
		message  string
	}{
		{"aws: prefix", "TagResource", map[string]any{"KeyId": md["KeyId"], "Tags": tags("aws:owner")}, "Tags beginning with aws: are reserved"},
		{"AWS: prefix", "CreateKey", map[string]any{"Tags": tags("AWS:owner")}, "Tags beginning with aws: are reserved"},
		{"duplicate", "TagResource", map[string]any{"KeyId": md["KeyId"], "Tags": tags("a", "a")}, "Duplicate tag keys"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := call(t, w, tc.op, tc.req)
			requireError(t, status, out, "TagException", tc.message)
		})
	}
	var fifty []string
	for i := range 50 {
		fifty = append(fifty, fmt.Sprintf("k%d", i))
	}
	status, out := call(t, w, "CreateKey", map[string]any{"Tags": tags(append(fifty, "one more")...)})
	requireError(t, status, out, "TagException", "Too many tags")
	mustCall(t, w, Caller{}, "TagResource", map[string]any{"KeyId": md["KeyId"], "Tags": tags(fifty...)})
	// Replacing existing values is not more tags; a new key is.
	mustCall(t, w, Caller{}, "TagResource", map[string]any{"KeyId": md["KeyId"], "Tags": tags("k1", "k2")})
	status, out = call(t, w, "TagResource", map[string]any{"KeyId": md["KeyId"], "Tags": tags("k51")})
	requireError(t, status, out, "TagException", "Too many tags")
	require.Len(t, mustCall(t, w, Caller{}, "ListResourceTags", map[string]any{"KeyId": md["KeyId"]})["Tags"], 50)
}
