package kms_test

import (
	"encoding/json"
	"fmt"
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
