package kms

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/kmsabi"
)

func TestHandleTargets(t *testing.T) {
	w := NewWorld(Options{})
	cases := []struct {
		target  string
		status  int
		errName string
	}{
		{"TrentService.ListKeys", 200, ""},
		{"TrentService.NoSuchOperation", 400, "UnknownOperationException"},
		{"ListKeys", 400, "UnknownOperationException"},
		{"", 400, "UnknownOperationException"},
		{"WasmKMS.Panic", 400, "UnknownOperationException"}, // only with TestHooks
		{"WasmKMS.Nope", 400, "UnknownOperationException"},
		{"WasmKMS.ExportState", 200, ""},
	}
	for _, c := range cases {
		status, body := w.Handle(Caller{}, c.target, []byte(`{}`))
		require.Equal(t, c.status, status, c.target)
		var out map[string]any
		require.NoError(t, json.Unmarshal(body, &out))
		if c.errName != "" {
			require.Equal(t, c.errName, out["__type"], c.target)
		}
	}
}

func TestHandleRecoversPanics(t *testing.T) {
	w := NewWorld(Options{TestHooks: true})
	status, body := w.Handle(Caller{}, "WasmKMS.Panic", nil)
	require.Equal(t, 500, status)
	var out map[string]string
	require.NoError(t, json.Unmarshal(body, &out))
	require.Equal(t, "KMSInternalException", out["__type"])
	require.Contains(t, out["message"], "a panic on purpose")
	// The world keeps serving, and its lock was released.
	status, _ = w.Handle(Caller{}, "TrentService.CreateKey", []byte(`{}`))
	require.Equal(t, 200, status)
}

func TestSerializationErrors(t *testing.T) {
	w := NewWorld(Options{})
	cases := []struct{ body, msg string }{
		{`not json`, ""},
		{`{"KeyId": "a"} trailing`, ""},
		{`[]`, "Start of list found where not expected"},
		{`"text"`, "Expected null"},
		{`{"KeyId": 5, "Plaintext": "AA=="}`, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"},
		{`{"KeyId": true, "Plaintext": "AA=="}`, "class java.lang.Boolean can not be converted to an String"},
		{`{"KeyId": {}, "Plaintext": "AA=="}`, "Start of structure or map found where not expected."},
		{`{"KeyId": [], "Plaintext": "AA=="}`, "Start of list found where not expected"},
		{`{"KeyId": "k", "Plaintext": 12}`, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob"},
		{`{"KeyId": "k", "Plaintext": "abc"}`, "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
		{`{"KeyId": "k", "Plaintext": "ab*d"}`, "'ab*d' can not be converted to a Blob: Invalid Base64 character: '*'"},
		{`{"KeyId": "k", "Plaintext": "AA==", "EncryptionContext": []}`, "Start of list found where not expected"},
		{`{"KeyId": "k", "Plaintext": "AA==", "EncryptionContext": "x"}`, "Expected map or null"},
		{`{"KeyId": "k", "Plaintext": "AA==", "EncryptionContext": {"a": 1}}`, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"},
		{`{"KeyId": "k", "Plaintext": "AA==", "GrantTokens": "x"}`, "Expected list or null"},
		{`{"KeyId": "k", "Plaintext": "AA==", "GrantTokens": {}}`, "Start of structure or map found where not expected."},
		{`{"KeyId": "k", "Plaintext": "AA==", "DryRun": 1}`, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean"},
		{`{"KeyId": "k", "Plaintext": "AA==", "DryRun": "true"}`, "'TRUE' can not be converted to an Boolean"},
	}
	for _, c := range cases {
		status, body := w.Handle(Caller{}, "TrentService.Encrypt", []byte(c.body))
		require.Equal(t, 400, status, c.body)
		var out map[string]string
		require.NoError(t, json.Unmarshal(body, &out))
		require.Equal(t, "SerializationException", out["__type"], c.body)
		require.Equal(t, c.msg, out["message"], c.body)
	}
	intCases := []struct{ body, msg string }{
		{`{"Limit": "5"}`, "class java.lang.String can not be converted to an Integer"},
		{`{"Limit": true}`, "class java.lang.Boolean can not be converted to an Integer"},
		{`{"Limit": 1e20}`, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Integer"},
	}
	for _, c := range intCases {
		status, body := w.Handle(Caller{}, "TrentService.ListKeys", []byte(c.body))
		require.Equal(t, 400, status)
		require.JSONEq(t, `{"__type":"SerializationException","message":`+string(mustMarshal(c.msg))+`}`, string(body))
	}
}

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestNullsUnknownMembersAndLenientTypes(t *testing.T) {
	w := NewWorld(Options{})
	// A null member is absent, an unknown member is ignored, a fractional integer is floored, and
	// the strings true/false are booleans.
	status, body := w.Handle(Caller{}, "TrentService.ListKeys", []byte(`{"Limit": 2.7, "Marker": null, "Surprise": [1]}`))
	require.Equal(t, 200, status, string(body))
	status, body = w.Handle(Caller{}, "TrentService.CreateKey", []byte(`{"MultiRegion": false, "Description": null}`))
	require.Equal(t, 200, status, string(body))
	status, body = w.Handle(Caller{}, "TrentService.ListKeys", []byte(`null`))
	require.Equal(t, 200, status, string(body))
	status, body = w.Handle(Caller{}, "TrentService.Encrypt", []byte(`{"KeyId": null, "Plaintext": null}`))
	require.Equal(t, 400, status)
	require.Contains(t, string(body), "2 validation errors detected")
}

func TestHandleIsSafeForConcurrentUse(t *testing.T) {
	w := NewWorld(Options{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				status, body := w.Handle(Caller{}, "TrentService.CreateKey", []byte(`{}`))
				if status != 200 {
					t.Errorf("CreateKey: %d %s", status, body)
					return
				}
				var out struct{ KeyMetadata struct{ KeyId string } }
				_ = json.Unmarshal(body, &out)
				req, _ := json.Marshal(map[string]any{"KeyId": out.KeyMetadata.KeyId, "Plaintext": []byte("x")})
				if status, body := w.Handle(Caller{}, "TrentService.Encrypt", req); status != 200 {
					t.Errorf("Encrypt: %d %s", status, body)
				}
			}
		}()
	}
	wg.Wait()
	_, body := w.Handle(Caller{}, "TrentService.ListKeys", []byte(`{"Limit": 1000}`))
	var list struct{ Keys []any }
	require.NoError(t, json.Unmarshal(body, &list))
	require.Len(t, list.Keys, 160)
}

// A host's error answer (kmsabi.ErrorAnswer, internal/kmsabi's tests) is the core's, byte for byte.
func TestErrorAnswerIsTheCores(t *testing.T) {
	status, body := kmsabi.ErrorAnswer("UnknownOperationException", "")
	coreStatus, coreBody := NewWorld(Options{}).Handle(Caller{}, "TrentService.NoSuchOperation", []byte(`{}`))
	require.Equal(t, coreStatus, status)
	require.Equal(t, string(coreBody), string(body))
}
