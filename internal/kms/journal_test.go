package kms

import (
	"encoding/base64"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// A world made with Journal false records no call, by either path or through a fault, and Calls
// refuses instead of answering an empty list (which a test would read as "nothing was called").
func TestJournalOff(t *testing.T) {
	off := false
	w := NewWorld(Options{Journal: &off})
	md := newKey(t, w, Caller{}, map[string]any{})
	keyID := md["KeyId"].(string)
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("json")})
	_, status, _ := w.Encrypt(Caller{}, EncryptInput{KeyID: &keyID, Plaintext: []byte("direct")})
	require.Equal(t, 200, status)
	admin(t, w, "AddFault", map[string]any{"operation": "Encrypt", "error": "ThrottlingException", "times": 1})
	status, _ = call(t, w, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("faulted")})
	require.Equal(t, 400, status, "faults still answer")
	require.Zero(t, w.journal.n)

	status, refusal := admin(t, w, "Calls", nil)
	require.Equal(t, 400, status)
	require.Equal(t, "ValidationException", refusal["__type"])
	require.Contains(t, refusal["message"], "keeps no journal")
	status, _ = admin(t, w, "ClearCalls", nil)
	require.Equal(t, 200, status)

	on := true
	w = NewWorld(Options{Journal: &on})
	newKey(t, w, Caller{}, map[string]any{})
	_, all := admin(t, w, "Calls", nil)
	require.Len(t, all["calls"], 1, "journal true is the default: on")
}

// The journal's ring keeps the newest calls in order through its growth and once it wraps around.
func TestJournalRingKeepsOrder(t *testing.T) {
	w, keyID := worldWithKey(t)
	for i := range 6000 {
		mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte(strconv.Itoa(i))})
		if i == 100 {
			_, all := admin(t, w, "Calls", nil)
			require.Len(t, all["calls"], 102, "CreateKey and 101 Encrypts, before the ring is full")
		}
	}
	require.Less(t, w.journal.n, 6001, "the bytes bound dropped the oldest")
	_, all := admin(t, w, "Calls", nil)
	calls := all["calls"].([]any)
	require.Len(t, calls, w.journal.n)
	for i, c := range calls {
		require.Equal(t, float64(w.journal.seq-int64(len(calls)-1-i)), c.(map[string]any)["seq"])
	}
	last := calls[len(calls)-1].(map[string]any)["input"].(map[string]any)
	require.Equal(t, base64.StdEncoding.EncodeToString([]byte("5999")), last["Plaintext"])
}
