package kms

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func admin(t *testing.T, w *World, target string, body any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	status, resp := w.Handle(Caller{}, "WasmKMS."+target, b)
	var out map[string]any
	require.NoError(t, json.Unmarshal(resp, &out), string(resp))
	return status, out
}

// A fault answers its error for the calls it matches, as many times as asked, never changes the
// world, and is journaled like any answer.
func TestFaults(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	other := newKey(t, w, Caller{}, map[string]any{})
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": md["KeyId"]})

	status, added := admin(t, w, "AddFault", map[string]any{"operation": "Encrypt", "keyId": "alias/app", "error": "ThrottlingException", "times": 2})
	require.Equal(t, 200, status, added)
	for range 2 {
		status, out := call(t, w, "Encrypt", map[string]any{"KeyId": md["Arn"], "Plaintext": []byte("x")})
		requireError(t, status, out, "ThrottlingException", "Rate exceeded")
	}
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")}) // used up
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": other["KeyId"], "Plaintext": []byte("x")})

	// A server fault with its own message, on Decrypt of blobs of one key (the blob names it).
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})["CiphertextBlob"]
	admin(t, w, "AddFault", map[string]any{"keyId": md["KeyId"], "error": "KMSInternalException", "message": "boom"})
	status, out := call(t, w, "Decrypt", map[string]any{"CiphertextBlob": blob})
	require.Equal(t, 500, status)
	requireError(t, status, out, "KMSInternalException", "boom")
	// A fault never changes state: CreateKey refused by a fault creates nothing.
	_, all := admin(t, w, "AddFault", map[string]any{"operation": "CreateKey", "error": "DependencyTimeoutException"})
	status, out = call(t, w, "CreateKey", map[string]any{})
	require.Equal(t, 503, status)
	requireError(t, status, out, "DependencyTimeoutException", "")
	require.Len(t, mustCall(t, w, Caller{}, "ListKeys", map[string]any{})["Keys"], 2)
	status, _ = admin(t, w, "RemoveFault", map[string]any{"id": all["id"]})
	require.Equal(t, 200, status)
	mustCall(t, w, Caller{}, "CreateKey", map[string]any{})

	// Latency alone: the call succeeds and the host is told to wait.
	admin(t, w, "ClearFaults", map[string]any{})
	admin(t, w, "AddFault", map[string]any{"operation": "DescribeKey", "latencyMs": 250})
	mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})
	_, latency := admin(t, w, "TakeLatency", nil)
	require.Equal(t, float64(250), latency["ms"])
	_, latency = admin(t, w, "TakeLatency", nil)
	require.Equal(t, float64(0), latency["ms"])

	for _, bad := range []map[string]any{{}, {"error": "NoSuchException"}, {"error": "KMSInternalException", "probability": 0}, {"operation": "Fly", "latencyMs": 1}} {
		status, _ := admin(t, w, "AddFault", bad)
		require.Equal(t, 400, status, bad)
	}
}

// With a seed, which calls a probability fault hits repeats from run to run.
func TestFaultProbabilityIsSeeded(t *testing.T) {
	run := func() []int {
		w := NewWorld(Options{Seed: "faults"})
		admin(t, w, "AddFault", map[string]any{"operation": "GenerateRandom", "error": "ThrottlingException", "probability": 0.5})
		var statuses []int
		for range 20 {
			status, _ := call(t, w, "GenerateRandom", map[string]any{"NumberOfBytes": 1})
			statuses = append(statuses, status)
		}
		return statuses
	}
	first := run()
	require.Equal(t, first, run())
	require.Contains(t, first, 200)
	require.Contains(t, first, 400)
}

// The journal records every KMS call, direct or JSON, with its request, answer or error; filters by
// operation and by key in any of its forms.
func TestJournal(t *testing.T) {
	w := NewWorld(Options{Clock: "2027-01-01T00:00:00Z"})
	md := newKey(t, w, Caller{}, map[string]any{})
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": md["KeyId"]})
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": "alias/app", "Plaintext": []byte("hi"), "EncryptionContext": map[string]string{"app": "demo"}})
	keyID := md["KeyId"].(string)
	out, status, _ := w.Encrypt(Caller{RequestID: "req-direct"}, EncryptInput{KeyID: &keyID, Plaintext: []byte("direct")})
	require.Equal(t, 200, status)
	call(t, w, "Decrypt", map[string]any{"CiphertextBlob": []byte("not a blob")})
	w.Handle(Caller{}, "WasmKMS.ExportState", nil) // admin calls are not journaled

	_, all := admin(t, w, "Calls", nil)
	calls := all["calls"].([]any)
	require.Len(t, calls, 5)
	enc := calls[2].(map[string]any)
	require.Equal(t, "Encrypt", enc["operation"])
	require.Equal(t, "2027-01-01T00:00:00Z", enc["time"])
	require.Equal(t, "111122223333", enc["account"])
	require.Equal(t, map[string]any{"app": "demo"}, enc["input"].(map[string]any)["EncryptionContext"])
	require.Equal(t, md["Arn"], enc["output"].(map[string]any)["KeyId"])
	direct := calls[3].(map[string]any)
	require.Equal(t, "req-direct", direct["requestId"])
	require.Equal(t, "ZGlyZWN0", direct["input"].(map[string]any)["Plaintext"])
	require.Equal(t, base64.StdEncoding.EncodeToString(out.CiphertextBlob), direct["output"].(map[string]any)["CiphertextBlob"])
	require.Equal(t, map[string]any{"name": "InvalidCiphertextException", "message": ""}, calls[4].(map[string]any)["error"])

	_, filtered := admin(t, w, "Calls", map[string]any{"keyId": md["Arn"], "operation": "Encrypt"})
	require.Len(t, filtered["calls"], 2)
	admin(t, w, "ClearCalls", nil)
	_, all = admin(t, w, "Calls", nil)
	require.Empty(t, all["calls"])
}

// The journal keeps at most maxJournal calls and about maxJournalBytes of them, oldest dropped first.
func TestJournalIsBounded(t *testing.T) {
	w, keyID := worldWithKey(t)
	big := make([]byte, 4096)
	for range 2000 {
		if status, resp := w.Handle(Caller{}, "TrentService.Encrypt", []byte(`{"KeyId":"`+keyID+`","Plaintext":"`+base64.StdEncoding.EncodeToString(big)+`"}`)); status != 200 {
			t.Fatalf("%d %s", status, resp)
		}
	}
	n := w.journal.n
	require.Less(t, n, 2000)
	require.LessOrEqual(t, w.journal.bytes, maxJournalBytes)
	_, all := admin(t, w, "Calls", nil)
	calls := all["calls"].([]any)
	require.Len(t, calls, n)
	require.Equal(t, float64(w.journal.seq), calls[len(calls)-1].(map[string]any)["seq"]) // the newest kept
}
