package testharness

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// ListKeys through its direct export (wasmkms_list_keys): the page, its markers, its refusals and the
// journal are wasmkms_call's, over an empty account, pages of every size, a deletion and the Region's
// keys made again; the Keys field (abi.KeyList: the ARN prefix and the IDs) read back as the JSON's
// entries.

// keyListAsJSON is a KeyList field written as wasmkms_call writes ListKeys' Keys.
func keyListAsJSON(t testing.TB, export string, field []byte) json.RawMessage {
	t.Helper()
	if len(field) < 8 {
		t.Fatalf("%s: a key list of %d bytes", export, len(field))
	}
	count := int(binary.LittleEndian.Uint32(field))
	if len(field) < 4+4*(count+1) {
		t.Fatalf("%s: a key list of %d keys in %d bytes", export, count, len(field))
	}
	lengths, text := field[4:4+4*(count+1)], field[4+4*(count+1):]
	piece := func(i int) string {
		n := int(binary.LittleEndian.Uint32(lengths[4*i:]))
		if n > len(text) {
			t.Fatalf("%s: piece %d of %d bytes is beyond the key list", export, i, n)
		}
		s := string(text[:n])
		text = text[n:]
		return s
	}
	type entry struct {
		KeyId  string `json:"KeyId"`
		KeyArn string `json:"KeyArn"`
	}
	prefix := piece(0)
	entries := make([]entry, count)
	for i := range entries {
		id := piece(i + 1)
		entries[i] = entry{id, prefix + id}
	}
	if len(text) != 0 {
		t.Fatalf("%s: %d bytes after the key list's IDs", export, len(text))
	}
	out, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDirectListKeysAnswersAsTheGenericCall(t *testing.T) {
	tw := newDirectTwins(t)
	// Every way a request can be refused, and pages from an empty account.
	refusals := func() {
		t.Helper()
		for _, m := range []members{
			{"Limit": int32(0)},
			{"Limit": int32(-1)},
			{"Limit": int32(1001)},
			{"Limit": int32(-2147483648)},
			{"Marker": ""},
			{"Marker": "nope"},
			{"Marker": "\xff"},
			{"Marker": strings.Repeat("a", 1025)},
			{"Marker": "d2FzbWttcy1wYWdlOi0x"}, // wasmkms-page:-1
			{"Limit": int32(0), "Marker": "nope"},
		} {
			if status, answer := tw.call(t, "ListKeys", m); status == 200 {
				t.Fatalf("ListKeys %v: 200 %s", m, answer)
			}
		}
	}
	// pages walks the account's keys Limit by Limit (none: the default), each page through both paths,
	// and answers how many keys it saw.
	pages := func(limit int32) int {
		t.Helper()
		m, seen := members{}, 0
		if limit != 0 {
			m["Limit"] = limit
		}
		for range 1000 {
			status, answer := tw.call(t, "ListKeys", m)
			if status != 200 {
				t.Fatalf("ListKeys %v: %d %s", m, status, answer)
			}
			var page struct {
				Keys       []json.RawMessage
				NextMarker string
				Truncated  bool
			}
			if err := json.Unmarshal(answer, &page); err != nil {
				t.Fatal(err)
			}
			seen += len(page.Keys)
			if !page.Truncated {
				return seen
			}
			m["Marker"] = page.NextMarker
		}
		t.Fatal("ListKeys never ended")
		return 0
	}
	refusals()
	for _, limit := range []int32{0, 1, 1000} {
		if n := pages(limit); n != 0 {
			t.Fatalf("an empty account lists %d keys", n)
		}
	}
	tw.call(t, "ListKeys", members{"Marker": "d2FzbWttcy1wYWdlOjU"}) // wasmkms-page:5, past the end

	var keys []string
	for i := range 23 {
		body := `{}`
		if i%5 == 2 {
			body = `{"MultiRegion":true}` // mrk- IDs
		}
		_, created := tw.both(t, "TrentService.CreateKey", body)
		keys = append(keys, keyIDOf(t, created))
	}
	check := func(want int) {
		t.Helper()
		for _, limit := range []int32{0, 1, 2, 7, 22, 23, 24, 100, 1000} {
			if n := pages(limit); n != want {
				t.Fatalf("Limit %d: %d keys listed, want %d", limit, n, want)
			}
		}
		tw.call(t, "ListKeys", members{"Marker": "d2FzbWttcy1wYWdlOjEwMDA"}) // wasmkms-page:1000
	}
	check(23)
	refusals()

	// A key deleted (keyOrder made again), then more keys appended.
	tw.both(t, "TrentService.ScheduleKeyDeletion", fmt.Sprintf(`{"KeyId":%q,"PendingWindowInDays":7}`, keys[4]))
	check(23) // still listed while pending deletion
	tw.both(t, "WasmKMS.AdvanceClock", fmt.Sprintf(`{"ms":%d}`, 8*24*3600*1000))
	check(22)
	for range 3 {
		tw.both(t, "TrentService.CreateKey", `{}`)
	}
	check(25)
	tw.sameJournals(t)
}

// BenchmarkDirectListKeys: the first page (100 keys) of an account holding 1,000, through the direct
// export, wasmkms_call and the native core (benchmarkDirect).
func BenchmarkDirectListKeys(b *testing.B) {
	benchmarkDirect(b, func(create func(string) string) (string, members) {
		for range 1000 {
			create(`{}`)
		}
		return "ListKeys", members{}
	})
}
