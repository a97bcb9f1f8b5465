package kms

import (
	"encoding/json"
	"math"
	mrand "math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestStateRecordWriterIsMarshal: a record's own writer (state_json_write.go) writes json.Marshal's
// bytes for records with every member, each key of a world with a bit of everything as a new key and
// as an update, and the members a record of that world's keys never has set.
func TestStateRecordWriterIsMarshal(t *testing.T) {
	w := richWorld(t)
	out, apiErr := exportState(w, caller{}, nil)
	require.Nil(t, apiErr)
	st := out.(worldState)
	var keys []keyState
	for _, r := range st.Regions {
		keys = append(keys, r.Keys...)
	}
	require.NotEmpty(t, keys)
	// Members no key of the world has set, and members left empty rather than absent.
	odd := keys[0]
	odd.PendingWindow, odd.RotationDays, odd.KeyManager = 7, 365, "AWS"
	odd.Symmetric = []symmetricPart{{BackingID: nil, Material: nil}, {BackingID: []byte{1}, Material: []byte{}, RotationType: "ON_DEMAND"}}
	odd.Grants, odd.Tags = []grantState{}, []tag{}
	keys = append(keys, odd, keyState{})

	var records []stateRecord
	for _, ks := range keys {
		records = append(records,
			stateRecord{Regions: []regionRecord{{Account: "111122223333", Region: "us-east-1", Keys: []keyState{ks}}}},
			stateRecord{Regions: []regionRecord{{Account: "111122223333", Region: "us-east-1", KeyUpdates: []keyState{ks}}}})
	}
	r := st.Regions[0]
	supplied := map[string][][]byte{"2048": {{1, 2, 3}}}
	none := map[string][][]byte{}
	records = append(records,
		stateRecord{},
		stateRecord{Regions: []regionRecord{}},
		stateRecord{SeededDraws: 12345},
		stateRecord{SuppliedRSA: &none},
		stateRecord{RSAPoolUsed: map[string][][2]int{"2048": {{1, 2}}, "4096": {{3, 4}}}, SeededDraws: 1},
		stateRecord{
			Regions: []regionRecord{
				{Account: r.Account, Region: r.Region, KeyCount: len(r.Keys), RemovedKeys: []string{"a", "b\"<"},
					Keys: keys[:3], KeyUpdates: keys[3:5], GrantChanges: []grantChange{{KeyID: "k", Removed: []string{"g"}}},
					RemovedAliases: []string{"alias/x"}, Aliases: r.Aliases, RemovedCustomKeyStores: []string{"cks-1"},
					CustomKeyStores: r.CustomKeyStores, LastUses: []keyLastUse{{KeyID: "k", LastUse: lastUseState{Operation: "Encrypt"}}}},
				{Account: "444455556666", Region: "eu-west-1", KeyCount: 0, RemovedKeys: []string{}, Keys: []keyState{}},
			},
			RSAPoolUsed: map[string][][2]int{"3072": {{5, 6}}},
			SuppliedRSA: &supplied,
			SeededDraws: math.MaxUint64,
		})
	for i := range records {
		want, err := json.Marshal(&records[i])
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendStateRecordJSON(nil, &records[i])), "record %d", i)
		require.Equal(t, string(want), string(appendStateJSON([]byte{}, &records[i])), "record %d", i)
	}
}

// keyStateMembers, regionRecordMembers, stateRecordMembers and symmetricPartMembers: each struct's
// JSON members in its order, as its writer (state_json_write.go) writes them.
var (
	keyStateMembers = []string{"keyId", "keySpec", "keyUsage", "description", "origin", "keyState",
		"creationDate", "deletionDate,omitempty", "policy,omitempty", "tags,omitempty",
		"symmetricMaterial,omitempty", "privateKey,omitempty", "hmacKey,omitempty", "grants,omitempty",
		"rotationPeriodInDays,omitempty", "nextRotationDate,omitempty", "lastUse,omitempty",
		"imports,omitempty", "multiRegion,omitempty", "pendingWindowInDays,omitempty",
		"keyManager,omitempty", "customKeyStore,omitempty"}
	regionRecordMembers = []string{"account", "region", "keyCount,omitempty", "removedKeys,omitempty",
		"keys,omitempty", "keyUpdates,omitempty", "grantChanges,omitempty", "removedAliases,omitempty",
		"aliases,omitempty", "removedCustomKeyStores,omitempty", "customKeyStores,omitempty",
		"lastUses,omitempty"}
	stateRecordMembers = []string{"regions,omitempty", "rsaPoolUsedPairs,omitempty",
		"suppliedRSAKeys,omitempty", "seededDraws,omitempty"}
	symmetricPartMembers = []string{"backingId", "material", "rotationDate,omitempty", "rotationType,omitempty"}
)

// TestWrittenMembers: the writers write each struct's members, in its order, as its tags say.
func TestWrittenMembers(t *testing.T) {
	for _, c := range []struct {
		t       *stateType
		members []string
	}{
		{keyStateType, keyStateMembers},
		{regionRecordType, regionRecordMembers},
		{stateRecordType, stateRecordMembers},
		{symmetricPartType, symmetricPartMembers},
	} {
		var have []string
		for _, f := range c.t.fields {
			m := f.name
			if f.omitEmpty {
				m += ",omitempty"
			}
			have = append(have, m)
		}
		require.True(t, c.t.walk)
		require.Equal(t, c.members, have)
	}
}

// TestAppendEpoch: a timestamp written without strconv's float formatting is what MarshalJSON writes.
func TestAppendEpoch(t *testing.T) {
	ms := []int64{0, 1, 9, 10, 100, 999, 1000, 1001, 1010, 1100, 1714560000123, 1714560000120, 1714560000100,
		1714560000000, 1e15 - 1, 1e15, 1e15 + 1, -1, -1000, -1714560000123, math.MaxInt64 / 1000000}
	r := mrand.New(mrand.NewPCG(1, 2))
	for range 200000 {
		ms = append(ms, r.Int64N(1e15), r.Int64N(4e12), 1e12+r.Int64N(1e12))
	}
	for _, m := range ms {
		at := epochTime(time.UnixMilli(m))
		want, err := at.MarshalJSON()
		require.NoError(t, err)
		if got := appendEpoch(nil, at); string(got) != string(want) {
			t.Fatalf("%d ms: %s, MarshalJSON %s", m, got, want)
		}
	}
	require.Equal(t, "1714560000.12", string(appendEpoch([]byte{}, epochTime(time.UnixMilli(1714560000120)))))
	require.Equal(t, strconv.Itoa(1714560000), string(appendEpoch(nil, epochTime(time.UnixMilli(1714560000000)))))
}

// TestPlainJSONWords: plainJSON's test of eight bytes at once says what a test of each byte says, for
// every byte value at every position of strings of 1 to 24 bytes, and for random strings.
func TestPlainJSONWords(t *testing.T) {
	byByte := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
		}
		return true
	}
	for n := 1; n <= 24; n++ {
		for at := 0; at < n; at++ {
			for c := 0; c < 256; c++ {
				b := []byte("abcdefghijklmnopqrstuvwxyz"[:n])
				b[at] = byte(c)
				if got, want := plainJSON(string(b)), byByte(string(b)); got != want {
					t.Fatalf("%q: %v, a test of each byte %v", b, got, want)
				}
			}
		}
	}
	r := mrand.New(mrand.NewPCG(3, 4))
	for range 100000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(0x1c + r.IntN(0x66)) // around the printable range, either side
			if r.IntN(50) == 0 {
				b[i] = byte(r.IntN(256))
			}
		}
		if got, want := plainJSON(string(b)), byByte(string(b)); got != want {
			t.Fatalf("%q: %v, a test of each byte %v", b, got, want)
		}
		for i := range b { // and only plain bytes
			for b[i] = byte(0x20 + r.IntN(0x5f)); !byByte(string(b[i : i+1])); b[i] = byte(0x20 + r.IntN(0x5f)) {
			}
		}
		require.True(t, plainJSON(string(b)), "%q", b)
	}
}
