package kms

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// call sends one request as the default caller and decodes the answer.
func call(t *testing.T, w *World, op string, req any) (int, map[string]any) {
	t.Helper()
	return callAs(t, w, Caller{}, op, req)
}

func callAs(t *testing.T, w *World, c Caller, op string, req any) (int, map[string]any) {
	t.Helper()
	body, err := json.Marshal(req)
	require.NoError(t, err)
	status, resp := w.Handle(c, "TrentService."+op, body)
	var out map[string]any
	require.NoError(t, json.Unmarshal(resp, &out), "answer is not a JSON object: %s", resp)
	return status, out
}

// mustCall sends a request that must succeed.
func mustCall(t *testing.T, w *World, c Caller, op string, req any) map[string]any {
	t.Helper()
	status, out := callAs(t, w, c, op, req)
	require.Equal(t, 200, status, "%s answered %v", op, out)
	return out
}

// newKey creates a key and answers its metadata.
func newKey(t *testing.T, w *World, c Caller, req map[string]any) map[string]any {
	t.Helper()
	return mustCall(t, w, c, "CreateKey", req)["KeyMetadata"].(map[string]any)
}

// requireError checks an error answer's name and exact message.
func requireError(t *testing.T, status int, out map[string]any, name, message string) {
	t.Helper()
	require.GreaterOrEqual(t, status, 400, "expected %s, got %v", name, out)
	require.Equal(t, name, out["__type"], "answer %v", out)
	if message == "" {
		_, has := out["message"]
		require.False(t, has, "message must be absent, got %v", out)
		return
	}
	require.Equal(t, message, out["message"])
}

// worldWithKey is a fresh world holding one symmetric key, made through Handle, and that key's ID.
func worldWithKey(t testing.TB) (*World, string) {
	t.Helper()
	w := NewWorld(Options{})
	_, created := w.Handle(Caller{}, "TrentService.CreateKey", []byte(`{}`))
	var md struct{ KeyMetadata struct{ KeyId string } }
	if err := json.Unmarshal(created, &md); err != nil {
		t.Fatal(err)
	}
	return w, md.KeyMetadata.KeyId
}
