package kms

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Two worlds with the same seed and clock answer the same calls byte for byte: key IDs, material,
// blobs, data keys, signatures, grant tokens. Another seed gives other answers.
func TestSeededWorldsAreReproducible(t *testing.T) {
	run := func(seed string) []string {
		w := NewWorld(Options{Seed: seed, Clock: "2027-01-01T00:00:00Z"})
		var answers []string
		do := func(op string, body string) map[string]any {
			status, resp := w.Handle(Caller{}, "TrentService."+op, []byte(body))
			require.Equal(t, 200, status, "%s: %s", op, resp)
			answers = append(answers, string(resp))
			var out map[string]any
			require.NoError(t, json.Unmarshal(resp, &out))
			return out
		}
		sym := do("CreateKey", `{}`)["KeyMetadata"].(map[string]any)["KeyId"].(string)
		do("Encrypt", `{"KeyId":"`+sym+`","Plaintext":"aGVsbG8="}`)
		do("GenerateDataKey", `{"KeyId":"`+sym+`","KeySpec":"AES_256"}`)
		do("CreateGrant", `{"KeyId":"`+sym+`","GranteePrincipal":"arn:aws:iam::111122223333:role/r","Operations":["Decrypt"]}`)
		for _, spec := range []string{"RSA_2048", "RSA_4096"} {
			k := do("CreateKey", `{"KeySpec":"`+spec+`","KeyUsage":"SIGN_VERIFY"}`)["KeyMetadata"].(map[string]any)
			do("GetPublicKey", `{"KeyId":"`+k["KeyId"].(string)+`"}`)
			alg := k["SigningAlgorithms"].([]any)[0].(string)
			do("Sign", `{"KeyId":"`+k["KeyId"].(string)+`","Message":"bQ==","SigningAlgorithm":"`+alg+`"}`)
		}
		do("GenerateRandom", `{"NumberOfBytes":16}`)
		return answers
	}
	a, b := run("snapshot-test"), run("snapshot-test")
	require.Equal(t, a, b)
	require.NotEqual(t, a[0], run("another seed")[0])
}

func TestManualClock(t *testing.T) {
	w := NewWorld(Options{Clock: "2027-01-01T00:00:00Z"})
	status, resp := w.Handle(Caller{}, "WasmKMS.GetClock", nil)
	require.Equal(t, 200, status)
	require.JSONEq(t, `{"now":"2027-01-01T00:00:00Z","manual":true}`, string(resp))
	md := newKey(t, w, Caller{}, map[string]any{})
	require.Equal(t, float64(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Unix()), md["CreationDate"])
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": md["KeyId"], "PendingWindowInDays": 7})

	status, resp = w.Handle(Caller{}, "WasmKMS.AdvanceClock", []byte(`{"ms": 604800000}`))
	require.Equal(t, 200, status, string(resp))
	require.JSONEq(t, `{"now":"2027-01-08T00:00:00Z","manual":true}`, string(resp))
	status, out := call(t, w, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})
	requireError(t, status, out, "NotFoundException", "Key '"+md["Arn"].(string)+"' does not exist")

	status, resp = w.Handle(Caller{}, "WasmKMS.SetClock", []byte(`{"time":"2026-12-31T00:00:00Z"}`))
	require.Equal(t, 400, status)
	require.Contains(t, string(resp), "the clock only moves forwards")
	status, _ = w.Handle(Caller{}, "WasmKMS.SetClock", []byte(`{"time":"2027-06-01T12:00:00.5Z"}`))
	require.Equal(t, 200, status)
	require.Equal(t, time.Date(2027, 6, 1, 12, 0, 0, 5e8, time.UTC), w.now())

	// A real clock stops where it is when a host sets or advances it.
	real := NewWorld(Options{})
	status, resp = real.Handle(Caller{}, "WasmKMS.AdvanceClock", []byte(`{"ms": 1000}`))
	require.Equal(t, 200, status, string(resp))
	require.Contains(t, string(resp), `"manual":true`)
	require.Error(t, CheckOptions(Options{Clock: "tomorrow"}))
}
