package kms_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// handle sends one request and requires it to succeed.
func handle(t *testing.T, w *kms.World, target, body string) map[string]any {
	t.Helper()
	status, resp := w.Handle(kms.Caller{}, target, []byte(body))
	require.Equal(t, 200, status, "%s: %s", target, resp)
	var out map[string]any
	require.NoError(t, json.Unmarshal(resp, &out))
	return out
}

func snapshotOf(t *testing.T, w *kms.World) string {
	t.Helper()
	status, resp := w.Handle(kms.Caller{}, "WasmKMS.ExportState", nil)
	require.Equal(t, 200, status)
	return string(resp)
}

// loaded loads log into a new world.
func loaded(t *testing.T, log []byte) (*kms.World, kms.StateLogLoad) {
	t.Helper()
	w := kms.NewWorld(kms.Options{})
	load, err := w.ReadStateLog(bytes.NewReader(log))
	require.NoError(t, err)
	return w, load
}

// A change's record holds what it changed, in proportion to it: a key created in a world of many
// keys is one key's record, not the world.
func TestStateLogRecordIsTheChange(t *testing.T) {
	w := kms.NewWorld(kms.Options{})
	for range 200 {
		handle(t, w, "TrentService.CreateKey", `{}`)
	}
	var log bytes.Buffer
	require.NoError(t, w.WriteStateLog(&log))
	whole := log.Len()

	keyID := handle(t, w, "TrentService.CreateKey", `{"Description":"one more"}`)["KeyMetadata"].(map[string]any)["KeyId"].(string)
	taken := w.TakeChanges(false)
	require.True(t, taken.Sync)
	require.Less(t, len(taken.Record), 1000, "a CreateKey writes one key: %s", taken.Record)
	require.Less(t, len(taken.Record)*100, whole)
	require.Contains(t, string(taken.Record), keyID)
	log.Write(taken.Record)

	// An Encrypt changes only the key's last use: nothing to write at once, written with the next change.
	handle(t, w, "TrentService.Encrypt", fmt.Sprintf(`{"KeyId":%q,"Plaintext":"aGk="}`, keyID))
	taken = w.TakeChanges(false)
	require.Nil(t, taken.Record)
	require.True(t, taken.Waiting)
	// Reads write nothing at all.
	handle(t, w, "TrentService.DescribeKey", fmt.Sprintf(`{"KeyId":%q}`, keyID))
	handle(t, w, "TrentService.ListKeys", `{}`)
	taken = w.TakeChanges(true)
	require.False(t, taken.Sync)
	require.Contains(t, string(taken.Record), `"lastUses"`)
	log.Write(taken.Record)
	require.Nil(t, w.TakeChanges(true).Record)

	replayed, load := loaded(t, log.Bytes())
	require.Equal(t, snapshotOf(t, w), snapshotOf(t, replayed))
	require.Equal(t, int64(log.Len()), load.Bytes)
	require.Zero(t, load.TornBytes)
}

// A grant is its own entry: a key with many grants is not written again with each new one.
func TestStateLogGrantsApart(t *testing.T) {
	w := kms.NewWorld(kms.Options{})
	keyID := handle(t, w, "TrentService.CreateKey", `{}`)["KeyMetadata"].(map[string]any)["KeyId"].(string)
	var log bytes.Buffer
	require.NoError(t, w.WriteStateLog(&log))
	var grantIDs []string
	for i := range 300 {
		out := handle(t, w, "TrentService.CreateGrant", fmt.Sprintf(
			`{"KeyId":%q,"GranteePrincipal":"arn:aws:iam::111122223333:role/r%d","Operations":["Decrypt"]}`, keyID, i))
		grantIDs = append(grantIDs, out["GrantId"].(string))
		taken := w.TakeChanges(false)
		require.Less(t, len(taken.Record), 2000, "grant %d: %s", i, taken.Record)
		log.Write(taken.Record)
	}
	handle(t, w, "TrentService.RevokeGrant", fmt.Sprintf(`{"KeyId":%q,"GrantId":%q}`, keyID, grantIDs[7]))
	taken := w.TakeChanges(false)
	require.Contains(t, string(taken.Record), `"removedGrants":["`+grantIDs[7]+`"]`)
	log.Write(taken.Record)
	replayed, _ := loaded(t, log.Bytes())
	require.Equal(t, snapshotOf(t, w), snapshotOf(t, replayed))
}

// A whole world written as a log comes back whole, however the file is cut as it is read (here byte
// by byte), and however small the pieces of the export.
func TestStateLogWholeWorldRoundTrip(t *testing.T) {
	w := kms.NewWorld(kms.Options{Seed: "round trip"})
	for i := range 600 {
		out := handle(t, w, "TrentService.CreateKey", `{"Tags":[{"TagKey":"t","TagValue":"v"}]}`)
		if i%3 == 0 {
			handle(t, w, "TrentService.CreateAlias", fmt.Sprintf(`{"AliasName":"alias/k%d","TargetKeyId":%q}`, i,
				out["KeyMetadata"].(map[string]any)["KeyId"]))
		}
	}
	handle(t, w, "TrentService.CreateKey", `{"KeySpec":"RSA_2048","KeyUsage":"SIGN_VERIFY"}`)
	handle(t, w, "TrentService.CreateKey", `{"MultiRegion":true}`)
	handle(t, w, "TrentService.GenerateDataKeyPair", fmt.Sprintf(`{"KeyId":%q,"KeyPairSpec":"RSA_2048"}`,
		handle(t, w, "TrentService.CreateKey", `{}`)["KeyMetadata"].(map[string]any)["KeyId"]))

	var log bytes.Buffer
	first := true
	for {
		piece, done, err := w.ExportStateLog(first, 1)
		require.NoError(t, err)
		log.Write(piece)
		first = false
		if done {
			break
		}
	}
	replayed := kms.NewWorld(kms.Options{Seed: "round trip"})
	loader := replayed.NewStateLogLoader()
	for _, b := range log.Bytes() {
		_, err := loader.Write([]byte{b})
		require.NoError(t, err)
	}
	load, err := loader.Close()
	require.NoError(t, err)
	require.Greater(t, load.Records, 600/256+1)
	require.Equal(t, snapshotOf(t, w), snapshotOf(t, replayed))
	require.Contains(t, snapshotOf(t, w), `"rsaPoolUsedPairs"`)
	require.Contains(t, snapshotOf(t, w), `"seededDraws"`)
}

// A log whose last record a kill cut short (or left with a bad checksum) loads without it, and says
// how much it dropped and from where; damage with whole records after it is corruption, refused.
func TestStateLogTornTail(t *testing.T) {
	w := kms.NewWorld(kms.Options{})
	var log bytes.Buffer
	require.NoError(t, w.WriteStateLog(&log))
	handle(t, w, "TrentService.CreateKey", `{"Description":"kept"}`)
	log.Write(w.TakeChanges(false).Record)
	want := snapshotOf(t, w)
	good := log.Len()
	handle(t, w, "TrentService.CreateKey", `{"Description":"torn"}`)
	last := w.TakeChanges(false).Record

	for name, tail := range map[string][]byte{
		"cut short":   last[:len(last)/2],
		"no new line": last[:len(last)-1],
		"bad sum":     append(append([]byte{}, last[:20]...), append([]byte("X"), last[21:]...)...),
		"zeros":       make([]byte, 4096),
	} {
		t.Run(name, func(t *testing.T) {
			file := append(append([]byte{}, log.Bytes()...), tail...)
			replayed, load := loaded(t, file)
			require.Equal(t, want, snapshotOf(t, replayed))
			require.Equal(t, int64(good), load.Bytes)
			require.Equal(t, int64(len(tail)), load.TornBytes)
			require.NotEmpty(t, load.TornReason)
		})
	}

	t.Run("damage before a whole record", func(t *testing.T) {
		damaged := append([]byte{}, log.Bytes()...)
		at := bytes.LastIndex(damaged[:len(damaged)-1], []byte("\n")) + 30
		damaged[at] ^= 1
		damaged = append(damaged, last...)
		_, err := kms.NewWorld(kms.Options{}).ReadStateLog(bytes.NewReader(damaged))
		require.ErrorContains(t, err, "is damaged")
	})
}

// The endpoint's state files before the log were snapshot documents: they load as they always did.
func TestStateLogReadsSnapshotDocuments(t *testing.T) {
	w := kms.NewWorld(kms.Options{})
	handle(t, w, "TrentService.CreateKey", `{"Description":"from a snapshot"}`)
	doc := snapshotOf(t, w)
	replayed, load := loaded(t, []byte(doc+"\n"))
	require.True(t, load.Snapshot)
	require.Equal(t, doc, snapshotOf(t, replayed))
	// A version-1 document, without "format", as the first state files were.
	_, err := kms.NewWorld(kms.Options{}).ReadStateLog(strings.NewReader(`{"version":1,"regions":[]}`))
	require.NoError(t, err)
}

// Bad logs are refused with what is wrong, and leave the world as it was.
func TestStateLogRefusals(t *testing.T) {
	w := kms.NewWorld(kms.Options{})
	var header bytes.Buffer
	require.NoError(t, w.WriteStateLog(&header))
	handle(t, w, "TrentService.CreateKey", `{}`)
	record := w.TakeChanges(false).Record
	for name, c := range map[string]struct {
		file string
		want string
	}{
		"empty":          {"", "it is empty"},
		"not a log":      {"hello\nworld\n", "neither a state log nor a snapshot document"},
		"no header":      {string(record), "not a state log's header"},
		"newer version":  {lineOf(`{"format":"wasmkms-state-log","version":2}`), "state log version 2 is not 1"},
		"unknown member": {header.String() + lineOf(`{"regions":[],"future":1}`), "not a state record"},
		"bad key": {header.String() + lineOf(`{"regions":[{"account":"111122223333","region":"us-east-1",`+
			`"keys":[{"keyId":"x","keySpec":"SYMMETRIC_DEFAULT"}]}]}`), "key x: not a key ID"},
		"alias without key": {header.String() + lineOf(`{"regions":[{"account":"111122223333","region":"us-east-1",`+
			`"aliases":[{"aliasName":"alias/a","targetKeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","creationDate":1,"lastUpdatedDate":1}]}]}`),
			"targets a key that is not in its region"},
	} {
		t.Run(name, func(t *testing.T) {
			target := kms.NewWorld(kms.Options{})
			handle(t, target, "TrentService.CreateKey", `{"Description":"still here"}`)
			before := snapshotOf(t, target)
			_, err := target.ReadStateLog(strings.NewReader(c.file))
			require.ErrorContains(t, err, c.want)
			require.Equal(t, before, snapshotOf(t, target))
		})
	}
}

// lineOf frames one record's JSON as a log line, as SNAPSHOT.md says: the CRC-32C of the JSON in
// eight hex digits, a space, the JSON, a line feed.
func lineOf(jsonText string) string {
	return fmt.Sprintf("%08x %s\n", crc32.Checksum([]byte(jsonText), crc32.MakeTable(crc32.Castagnoli)), jsonText)
}

// ImportState replaces the world as a whole: a take says so, and a whole export begins the log again.
func TestStateLogAfterImportState(t *testing.T) {
	w := kms.NewWorld(kms.Options{})
	other := kms.NewWorld(kms.Options{})
	handle(t, other, "TrentService.CreateKey", `{}`)
	var log bytes.Buffer
	require.NoError(t, w.WriteStateLog(&log))
	status, resp := w.Handle(kms.Caller{}, "WasmKMS.ImportState", []byte(snapshotOf(t, other)))
	require.Equal(t, 200, status, "%s", resp)
	require.True(t, w.TakeChanges(false).Replaced)
	log.Reset()
	require.NoError(t, w.WriteStateLog(&log))
	require.False(t, w.TakeChanges(false).Replaced)
	replayed, _ := loaded(t, log.Bytes())
	require.Equal(t, snapshotOf(t, other), snapshotOf(t, replayed))
}
