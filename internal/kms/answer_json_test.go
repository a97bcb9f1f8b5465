package kms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAnswerAppendJSONMatchesMarshal: the hand-written answers are exactly json.Marshal's.
func TestAnswerAppendJSONMatchesMarshal(t *testing.T) {
	blobs := [][]byte{nil, {}, {0}, []byte("hi"), bytes.Repeat([]byte{0xfb, 0xff}, 2049)}
	strs := []string{"", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"SYMMETRIC_DEFAULT", `quote" back\ <html> & amp`, "tab\there\x00", "caf\u00e9 \u2028 \xff", "~\x7f"}
	for _, blob := range blobs {
		for _, s := range strs {
			for _, answer := range []jsonAppender{
				encryptResponse{CiphertextBlob: blob, KeyId: s, EncryptionAlgorithm: s},
				decryptResponse{KeyId: s, Plaintext: blob, EncryptionAlgorithm: s},
			} {
				want, err := json.Marshal(answer)
				if err != nil {
					t.Fatal(err)
				}
				if got := answer.appendJSON(nil); !bytes.Equal(got, want) {
					t.Errorf("%T appendJSON:\n got %s\nwant %s", answer, got, want)
				}
			}
		}
	}
}

// TestListKeysAppendJSONMatchesMarshal: ListKeys' written answer is json.Marshal's of the page's map
// as pageAnswer made it, for every page of a region whose keys come and go (the page cache written
// once per key, extended, started again), and for IDs and prefixes that need escaping.
func TestListKeysAppendJSONMatchesMarshal(t *testing.T) {
	type entry struct {
		KeyId  string `json:"KeyId"`
		KeyArn string `json:"KeyArn"`
	}
	want := func(order []string, prefix string, start, end int, next string) []byte {
		entries := make([]entry, 0, end-start)
		for _, id := range order[start:end] {
			entries = append(entries, entry{id, prefix + id})
		}
		b, err := json.Marshal(pageAnswer("Keys", entries, next))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	check := func(r *region, prefix string) {
		t.Helper()
		n := len(r.keyOrder)
		for _, span := range [][2]int{{0, n}, {0, min(1, n)}, {n / 2, n}, {min(1, n), n}, {n, n}, {n / 3, 2 * n / 3}} {
			for _, next := range []string{"", "d2FzbWttcy1wYWdlOjEwMA"} {
				page := listKeysResponse{keys: r.keyListPage(prefix, span[0], span[1]), next: next,
					prefix: prefix, ids: r.keyOrder[span[0]:span[1]]}
				w := want(r.keyOrder, prefix, span[0], span[1], next)
				if got := page.appendJSON(nil); !bytes.Equal(got, w) {
					t.Fatalf("ListKeys page %v of %d:\n got %s\nwant %s", span, n, got, w)
				}
				// The typed path's members (the direct export's) written as the JSON: the same page.
				var typed [3]Value
				for i, m := range []Member{{"Keys", KindKeyList}, {"NextMarker", KindString}, {"Truncated", KindBoolean}} {
					var ok bool
					if typed[i], ok = page.typedMember(m); !ok {
						t.Fatalf("no typed member %v", m)
					}
				}
				entries := []entry{}
				for _, id := range typed[0].List {
					entries = append(entries, entry{id, typed[0].Text + id})
				}
				members := map[string]any{"Keys": entries, "Truncated": typed[2].Bool}
				if typed[1].Present {
					members["NextMarker"] = typed[1].Text
				}
				if b, _ := json.Marshal(members); !typed[0].Present || !typed[2].Present || !bytes.Equal(b, w) {
					t.Fatalf("ListKeys page %v of %d, typed:\n got %s\nwant %s", span, n, b, w)
				}
			}
		}
	}
	for _, prefix := range []string{"arn:aws:kms:us-east-1:111122223333:key/", "arn:aws-cn:kms:cn-north-1:1&2:key/", ""} {
		r := &region{}
		check(r, prefix)
		for _, id := range []string{"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab", "a<b", "caf\u00e9", "\"", "\xff"} {
			r.keyOrder = append(r.keyOrder, id)
			check(r, prefix)
		}
		for i := 0; i < 40; i++ { // appended within and beyond the array's capacity
			r.keyOrder = append(r.keyOrder, fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i))
			check(r, prefix)
		}
		r.keyOrder = append([]string{}, r.keyOrder[3:]...) // a key deleted: a new slice (expireDeletions)
		check(r, prefix)
		// Not done by the core, but caught: the last key taken back in place and another appended.
		r.keyOrder = append(r.keyOrder[:len(r.keyOrder)-1], "00000000-0000-4000-8000-ffffffffffff")
		check(r, prefix)
	}
}

// TestListKeysJournaledPageOutlivesDeletion: the journal keeps a ListKeys answer as it was given,
// after a key on its page is deleted (expireDeletions compacts the region's key order in place).
func TestListKeysJournaledPageOutlivesDeletion(t *testing.T) {
	w := NewWorld(Options{})
	var first string
	for i := 0; i < 3; i++ {
		id := newKey(t, w, Caller{}, map[string]any{})["KeyId"].(string)
		if i == 0 {
			first = id
		}
	}
	_, page := w.Handle(Caller{}, "TrentService.ListKeys", []byte(`{}`))
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": first, "PendingWindowInDays": 7})
	if status, resp := w.Handle(Caller{}, "WasmKMS.AdvanceClock", []byte(`{"ms": 691200000}`)); status != 200 {
		t.Fatalf("AdvanceClock: %s", resp)
	}
	after := mustCall(t, w, Caller{}, "ListKeys", map[string]any{})
	if keys := after["Keys"].([]any); len(keys) != 2 {
		t.Fatalf("after the deletion ListKeys answers %d keys, want 2", len(keys))
	}
	_, calls := w.Handle(Caller{}, "WasmKMS.Calls", []byte(`{"operation":"ListKeys"}`))
	var journal struct {
		Calls []struct{ Output json.RawMessage }
	}
	if err := json.Unmarshal(calls, &journal); err != nil || len(journal.Calls) == 0 {
		t.Fatalf("Calls: %s (%v)", calls, err)
	}
	if got := journal.Calls[0].Output; !bytes.Equal(got, page) {
		t.Errorf("the journaled page changed:\n got %s\nwant %s", got, page)
	}
}

// KeyMetadata written by hand is json.Marshal's, for the keys of a world of every kind (each key spec
// and usage, multi-Region primary and replica, imported material with an expiry, pending deletion and
// replica deletion, custom key stores) and for metadata with every member set and strings to escape.
func TestKeyMetadataAppendJSONMatchesMarshal(t *testing.T) {
	w := NewWorld(Options{Seed: "metadata", Clock: "2027-01-01T00:00:00.123Z"})
	for spec, s := range keySpecs {
		for usage := range s.algorithms {
			c := Caller{}
			if s.chinaOnly {
				c.Region = "cn-north-1"
			}
			newKey(t, w, c, map[string]any{"KeySpec": spec, "KeyUsage": usage, "Description": spec + " <&> \u2028"})
		}
	}
	mrk := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": mrk["KeyId"], "ReplicaRegion": "eu-west-1"})
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": mrk["KeyId"], "PendingWindowInDays": 7}) // PendingReplicaDeletion
	external := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	validTo := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	importFor(t, w, Caller{}, external["KeyId"].(string), importRandom(32),
		map[string]any{"ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": float64(validTo.Unix())})
	newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"}) // PendingImport
	doomed := newKey(t, w, Caller{}, map[string]any{})
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": doomed["KeyId"], "PendingWindowInDays": 7})
	hsm := newStore(t, w, Caller{}, cloudHSMStoreRequest("hsm", testClusterID))
	xks := newStore(t, w, Caller{}, xksStoreRequest("xks", "https://proxy.example.com"))
	for _, id := range []string{hsm, xks} {
		mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	}
	newKey(t, w, Caller{}, map[string]any{"Origin": "AWS_CLOUDHSM", "CustomKeyStoreId": hsm})
	newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": xks, "XksKeyId": "ext-key-1"})

	check := func(m keyMetadata) {
		t.Helper()
		want, err := json.Marshal(m)
		require.NoError(t, err)
		require.Equal(t, string(want), string(m.appendJSON(nil)))
		answer, err := json.Marshal(map[string]any{"KeyMetadata": m})
		require.NoError(t, err)
		require.Equal(t, string(answer), string(keyMetadataAnswer{&m}.appendJSON(nil)))
	}
	kinds := map[string]bool{}
	for _, r := range w.regions {
		for _, k := range r.keys {
			m := k.metadata()
			check(m)
			kinds[k.spec] = true
			kinds[k.state] = true
			kinds["multi-Region"] = kinds["multi-Region"] || m.MultiRegionConfiguration != nil
			kinds["ValidTo"] = kinds["ValidTo"] || m.ValidTo != nil
			kinds["DeletionDate"] = kinds["DeletionDate"] || m.DeletionDate != nil
			kinds["CloudHsmClusterId"] = kinds["CloudHsmClusterId"] || m.CloudHsmClusterId != ""
			kinds["XksKeyConfiguration"] = kinds["XksKeyConfiguration"] || m.XksKeyConfiguration != nil
		}
	}
	for _, kind := range []string{"multi-Region", "ValidTo", "DeletionDate", "CloudHsmClusterId", "XksKeyConfiguration",
		statePendingImport, statePendingDeletion, statePendingReplicaDeletion, "SYMMETRIC_DEFAULT", "SM2", "ML_KEM_768"} {
		require.True(t, kinds[kind], "no key of the world has %s", kind)
	}

	at := epochTime(time.Date(2027, 3, 4, 5, 6, 7, 890_000_000, time.UTC))
	for _, s := range []string{"", `quote" back\ <html> & amp`, "tab\there\x00", "caf\u00e9 \u2028 \xff", "~\x7f"} {
		check(keyMetadata{AWSAccountId: s, KeyId: s, Arn: s, CreationDate: at, Enabled: true, Description: s, KeyUsage: s,
			KeyState: s, DeletionDate: &at, Origin: s, KeyManager: s, CustomerMasterKeySpec: s, KeySpec: s,
			EncryptionAlgorithms: []string{s}, SigningAlgorithms: []string{s, s}, MacAlgorithms: []string{}, KeyAgreementAlgorithms: []string{s},
			EncapsulationAlgorithms: []string{s, "x"}, CurrentKeyMaterialId: s, MultiRegion: true, ExpirationModel: s, ValidTo: &at,
			MultiRegionConfiguration:    &multiRegionConfiguration{MultiRegionKeyType: s, PrimaryKey: multiRegionKey{Arn: s, Region: s}},
			PendingDeletionWindowInDays: -7, CustomKeyStoreId: s, CloudHsmClusterId: s, XksKeyConfiguration: &xksKeyConfiguration{Id: s}})
		check(keyMetadata{Description: s})
	}
}
