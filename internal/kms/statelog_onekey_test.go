package kms

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// recordOneKey is a shortcut of recordNoted for one key and nothing else: for each such change (a key
// made, updated, removed, made and removed between two takes) both write the same record, byte for
// byte; notes of more than that (a multi-Region key's set, a grant with its key) are not its.
func TestRecordOneKeyIsRecordNoted(t *testing.T) {
	w := NewWorld(Options{Seed: "one key"})
	call := func(target, body string) map[string]any {
		t.Helper()
		out := handleOK(t, w, target, body)
		return out
	}
	call("WasmKMS.SetClock", `{"time":"2026-12-31T00:00:00Z"}`)
	w.TakeChanges(false)
	compare := func(what string, wantOneKey bool) {
		t.Helper()
		w.mu.Lock()
		defer w.mu.Unlock()
		var fast, slow stateRecord
		require.Equal(t, wantOneKey, w.recordOneKey(&fast), what)
		w.recordNoted(&slow)
		if wantOneKey {
			require.Equal(t, string(appendStateJSON(nil, &slow)), string(appendStateJSON(nil, &fast)), what)
		}
		w.forgetChanges()
	}
	created := call("TrentService.CreateKey", `{"Description":"one"}`)
	keyID := created["KeyMetadata"].(map[string]any)["KeyId"].(string)
	compare("a key made", true)
	call("TrentService.DisableKey", fmt.Sprintf(`{"KeyId":%q}`, keyID))
	compare("a key updated", true)
	call("TrentService.ScheduleKeyDeletion", fmt.Sprintf(`{"KeyId":%q,"PendingWindowInDays":7}`, keyID))
	compare("a key scheduled for deletion", true)

	call("WasmKMS.AdvanceClock", `{"ms": 691200000}`) // 8 days: the deletion is due
	call("TrentService.ListKeys", `{}`)
	compare("a key removed", true)
	made := call("TrentService.CreateKey", `{"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC"}`)
	madeID := made["KeyMetadata"].(map[string]any)["KeyId"].(string)
	call("TrentService.ScheduleKeyDeletion", fmt.Sprintf(`{"KeyId":%q,"PendingWindowInDays":7}`, madeID))
	call("WasmKMS.AdvanceClock", `{"ms": 691200000}`)
	call("TrentService.ListKeys", `{}`)
	compare("a key made and removed between two takes", true)

	mrk := call("TrentService.CreateKey", `{"MultiRegion":true}`)
	mrkID := mrk["KeyMetadata"].(map[string]any)["KeyId"].(string)
	compare("a multi-Region key made", false)
	call("TrentService.ReplicateKey", fmt.Sprintf(`{"KeyId":%q,"ReplicaRegion":"eu-west-1"}`, mrkID))
	compare("a multi-Region key replicated", false)
	call("TrentService.CreateGrant", fmt.Sprintf(`{"KeyId":%q,"GranteePrincipal":"arn:aws:iam::111122223333:role/r","Operations":["Decrypt"]}`, mrkID))
	compare("a grant", false)
}

func handleOK(t *testing.T, w *World, target, body string) map[string]any {
	t.Helper()
	status, resp := w.Handle(Caller{}, target, []byte(body))
	require.Equal(t, 200, status, "%s: %s", target, resp)
	var out map[string]any
	require.NoError(t, json.Unmarshal(resp, &out))
	return out
}
