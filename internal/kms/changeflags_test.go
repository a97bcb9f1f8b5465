package kms_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// flagsAfter runs one request that must succeed, then answers the world's StateFlags and the answer.
func flagsAfter(t *testing.T, w *kms.World, target, body string) (uint32, map[string]any) {
	t.Helper()
	status, resp := w.Handle(kms.Caller{}, target, []byte(body))
	require.Equal(t, 200, status, "%s: %s", target, resp)
	var out map[string]any
	if len(resp) > 0 && resp[0] == '{' {
		require.NoError(t, json.Unmarshal(resp, &out))
	}
	return w.StateFlags(), out
}

// StateFlags says after each call what a take would find: a change to take at once, last uses to take
// lazily, or nothing; and nothing at all while the world keeps no log.
func TestStateFlagsSayWhatATakeFinds(t *testing.T) {
	w := kms.NewWorld(kms.Options{Seed: "flags"})
	flags, created := flagsAfter(t, w, "TrentService.CreateKey", `{}`)
	require.Zero(t, flags, "no log yet: nothing is noted")
	keyID := created["KeyMetadata"].(map[string]any)["KeyId"].(string)

	require.Nil(t, w.TakeChanges(false).Record, "the first take begins the log")
	require.Zero(t, w.StateFlags())

	flags, _ = flagsAfter(t, w, "TrentService.Encrypt", fmt.Sprintf(`{"KeyId":%q,"Plaintext":"aGk="}`, keyID))
	require.Equal(t, kms.StateUsageWaiting, flags, "an Encrypt leaves a last use (and seeded draws) to take lazily")
	require.Nil(t, w.TakeChanges(false).Record)
	require.Equal(t, kms.StateUsageWaiting, w.StateFlags(), "a take without usage leaves them waiting")
	require.NotNil(t, w.TakeChanges(true).Record)
	require.Zero(t, w.StateFlags())

	flags, _ = flagsAfter(t, w, "TrentService.DescribeKey", fmt.Sprintf(`{"KeyId":%q}`, keyID))
	require.Zero(t, flags, "a read changes nothing")

	for _, change := range []struct{ target, body string }{
		{"TrentService.CreateAlias", fmt.Sprintf(`{"AliasName":"alias/flags","TargetKeyId":%q}`, keyID)},
		{"TrentService.CreateGrant", fmt.Sprintf(`{"KeyId":%q,"GranteePrincipal":"arn:aws:iam::111122223333:role/r","Operations":["Decrypt"]}`, keyID)},
		{"TrentService.DisableKey", fmt.Sprintf(`{"KeyId":%q}`, keyID)},
		{"TrentService.GenerateDataKeyPair", fmt.Sprintf(`{"KeyId":%q,"KeyPairSpec":"RSA_2048"}`, keyID)},
	} {
		if change.target == "TrentService.GenerateDataKeyPair" {
			flagsAfter(t, w, "TrentService.EnableKey", fmt.Sprintf(`{"KeyId":%q}`, keyID))
			w.TakeChanges(true)
		}
		flags, _ = flagsAfter(t, w, change.target, change.body)
		require.NotZero(t, flags&kms.StateChanged, change.target)
		taken := w.TakeChanges(false)
		require.True(t, taken.Sync, change.target)
		require.Zero(t, w.StateFlags()&kms.StateChanged, "taken: %s", change.target)
	}

	_, snapshot := flagsAfter(t, w, "WasmKMS.ExportState", "")
	document, err := json.Marshal(snapshot)
	require.NoError(t, err)
	flags, _ = flagsAfter(t, w, "WasmKMS.ImportState", string(document))
	require.NotZero(t, flags&kms.StateChanged, "a world replaced whole")
	require.True(t, w.TakeChanges(false).Replaced)
}

// A host that takes each change at the end of its call gets, from AfterCall, the very record a take of
// its own would have answered, and the notes are then forgotten: nothing is written twice. Last uses
// stay for a take with usage; a world replaced whole is left to the host's take; a log begun again
// (an export) takes by the host's takes until it asks again.
func TestAfterCallTakesEachChangeAsATakeWould(t *testing.T) {
	each := kms.NewWorld(kms.Options{Seed: "each call"})
	takes := kms.NewWorld(kms.Options{Seed: "each call"})
	for _, w := range []*kms.World{each, takes} {
		flagsAfter(t, w, "WasmKMS.SetClock", `{"time":"2026-12-31T00:00:00Z"}`) // the same instants in both
		require.Nil(t, w.TakeChanges(false).Record)
	}
	status, answer := each.Handle(kms.Caller{}, "WasmKMS.StateLogTake", []byte(`{"eachCall": true}`))
	require.Equal(t, 200, status, "%s", answer)

	calls := []struct{ target, body string }{
		{"TrentService.CreateKey", `{}`},
		{"TrentService.CreateKey", `{"Description":"second"}`},
		{"TrentService.CreateKey", `{"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC"}`},
		{"TrentService.CreateKey", `{"MultiRegion":true}`},
		{"TrentService.UpdateKeyDescription", `{"KeyId":"%s","Description":"changed"}`},
		{"TrentService.CreateAlias", `{"AliasName":"alias/each","TargetKeyId":"%s"}`},
		{"TrentService.Encrypt", `{"KeyId":"%s","Plaintext":"aGk="}`},
		{"TrentService.ScheduleKeyDeletion", `{"KeyId":"%s","PendingWindowInDays":7}`},
	}
	var keyID string
	for _, call := range calls {
		body := call.body
		if strings.Contains(body, "%s") {
			body = fmt.Sprintf(body, keyID)
		}
		_, before := each.AfterCall(nil) // nothing happened since the last call's end
		require.Empty(t, before)
		status, resp := each.Handle(kms.Caller{}, call.target, []byte(body))
		require.Equal(t, 200, status, "%s: %s", call.target, resp)
		status, resp2 := takes.Handle(kms.Caller{}, call.target, []byte(body))
		require.Equal(t, 200, status, "%s: %s", call.target, resp2)
		require.Equal(t, string(resp), string(resp2), "seeded worlds answer alike")
		if keyID == "" {
			var created map[string]map[string]any
			require.NoError(t, json.Unmarshal(resp, &created))
			keyID = created["KeyMetadata"]["KeyId"].(string)
		}
		flags, record := each.AfterCall([]byte("kept "))
		taken := takes.TakeChanges(false)
		if taken.Record == nil {
			require.Zero(t, flags&(kms.StateRecordTaken|kms.StateChanged), call.target)
			require.Equal(t, "kept ", string(record), "%s: dst as it was", call.target)
			continue
		}
		require.Equal(t, kms.StateRecordTaken, flags, "%s: taken, nothing left", call.target)
		require.Equal(t, "kept "+string(taken.Record), string(record), call.target)
		require.Nil(t, each.TakeChanges(false).Record, "%s: not written twice", call.target)
	}
	require.Equal(t, string(takes.TakeChanges(true).Record), string(each.TakeChanges(true).Record), "last uses wait for a take with usage")

	_, snapshot := flagsAfter(t, each, "WasmKMS.ExportState", "")
	document, err := json.Marshal(snapshot)
	require.NoError(t, err)
	flagsAfter(t, each, "WasmKMS.ImportState", string(document))
	flags, record := each.AfterCall(nil)
	require.Equal(t, kms.StateChanged, flags, "replaced whole: the host's take says so")
	require.Empty(t, record)

	status, answer = each.Handle(kms.Caller{}, "WasmKMS.StateLogExport", []byte(`{"first": true, "budget": 1048576}`))
	require.Equal(t, 200, status, "%s", answer)
	flagsAfter(t, each, "TrentService.CreateKey", `{}`)
	flags, record = each.AfterCall(nil)
	require.Equal(t, kms.StateChanged, flags&^kms.StateUsageWaiting, "a log begun again is taken by the host's takes")
	require.Empty(t, record)
	require.NotNil(t, each.TakeChanges(false).Record)
}

// A log is outgrown (StateLogOutgrown) once its records replaced or removed more entries than three
// times what the world holds, and at least 2,048: never by keys made one after the other (a world
// that only grows), soon enough by a key changed over and over, or keys made and deleted over and over;
// a writing whole begins it again.
func TestStateLogOutgrown(t *testing.T) {
	w := kms.NewWorld(kms.Options{})
	require.Nil(t, w.TakeChanges(false).Record)
	for range 10000 {
		flagsAfter(t, w, "TrentService.CreateKey", `{}`)
		require.NotNil(t, w.TakeChanges(false).Record)
		require.Zero(t, w.StateFlags()&kms.StateLogOutgrown, "a log of new keys never outgrows the world")
	}

	// 10,000 keys: the log is outgrown after 30,000 changes of one key, not before.
	_, created := flagsAfter(t, w, "TrentService.CreateKey", `{}`)
	keyID := created["KeyMetadata"].(map[string]any)["KeyId"].(string)
	w.TakeChanges(false)
	for i := 1; i <= 30002; i++ {
		target := "TrentService.DisableKey"
		if i%2 == 0 {
			target = "TrentService.EnableKey"
		}
		flagsAfter(t, w, target, fmt.Sprintf(`{"KeyId":%q}`, keyID))
		w.TakeChanges(false)
		require.Equal(t, i > 3*10001, w.StateFlags()&kms.StateLogOutgrown != 0, "after %d changes", i)
	}
	_, _, err := w.ExportStateLog(true, 1<<30)
	require.NoError(t, err)
	require.Zero(t, w.StateFlags(), "a writing whole begins the log again")

	// Keys made (and scheduled for deletion, in the same take) and removed over and over in a small
	// world: outgrown after 2,048 removals.
	small := kms.NewWorld(kms.Options{})
	small.TakeChanges(false)
	for i := 0; small.StateFlags()&kms.StateLogOutgrown == 0; i++ {
		require.LessOrEqual(t, i, 2048, "outgrown later than its 2,049th removal")
		_, made := flagsAfter(t, small, "TrentService.CreateKey", `{}`)
		id := made["KeyMetadata"].(map[string]any)["KeyId"].(string)
		flagsAfter(t, small, "TrentService.ScheduleKeyDeletion", fmt.Sprintf(`{"KeyId":%q,"PendingWindowInDays":7}`, id))
		small.TakeChanges(false)
		flagsAfter(t, small, "WasmKMS.AdvanceClock", `{"ms":691200000}`)
		flagsAfter(t, small, "TrentService.ListKeys", `{}`) // the deletion is due
		small.TakeChanges(false)
	}
}
