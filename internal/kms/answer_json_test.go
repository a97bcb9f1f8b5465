package kms

import (
	"bytes"
	"encoding/json"
	"testing"
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
// as pageAnswer made it, for empty, short and last pages, and for IDs and prefixes that need escaping.
func TestListKeysAppendJSONMatchesMarshal(t *testing.T) {
	type entry struct {
		KeyId  string `json:"KeyId"`
		KeyArn string `json:"KeyArn"`
	}
	idSets := [][]string{nil, {}, {"1234abcd-12ab-34cd-56ef-1234567890ab"},
		{"mrk-1234abcd12ab34cd56ef1234567890ab", "a<b", "caf\u00e9", "\"", "\xff"}}
	for _, ids := range idSets {
		for _, prefix := range []string{"arn:aws:kms:us-east-1:111122223333:key/", "arn:aws-cn:kms:cn-north-1:1&2:key/", ""} {
			for _, next := range []string{"", "d2FzbWttcy1wYWdlOjEwMA"} {
				entries := make([]entry, 0, len(ids))
				for _, id := range ids {
					entries = append(entries, entry{id, prefix + id})
				}
				want, err := json.Marshal(pageAnswer("Keys", entries, next))
				if err != nil {
					t.Fatal(err)
				}
				if got := (listKeysResponse{ids, prefix, next}).appendJSON(nil); !bytes.Equal(got, want) {
					t.Errorf("ListKeys appendJSON:\n got %s\nwant %s", got, want)
				}
			}
		}
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
