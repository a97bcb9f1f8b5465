package kms

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	mrand "math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Keys loaded side by side share the arena's blocks: a key rotated after the load gets a material
// of its own, and neither its neighbours' materials nor their ciphertexts change.
func TestStateLogArenaKeysStayApart(t *testing.T) {
	w := NewWorld(Options{})
	var ids []string
	for range 4 {
		ids = append(ids, newKey(t, w, Caller{}, map[string]any{})["KeyId"].(string))
	}
	sealed := map[string]any{}
	for _, id := range ids {
		sealed[id] = mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte(id)})["CiphertextBlob"]
	}
	var log bytes.Buffer
	require.NoError(t, w.WriteStateLog(&log))
	loaded := NewWorld(Options{})
	_, err := loaded.ReadStateLog(&log)
	require.NoError(t, err)

	before := map[string]any{}
	for _, id := range ids {
		before[id] = mustCall(t, loaded, Caller{}, "DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)["CurrentKeyMaterialId"]
	}
	for range 3 {
		mustCall(t, loaded, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": ids[1]})
	}
	for _, id := range ids {
		meta := mustCall(t, loaded, Caller{}, "DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)
		if id == ids[1] {
			require.NotEqual(t, before[id], meta["CurrentKeyMaterialId"])
		} else {
			require.Equal(t, before[id], meta["CurrentKeyMaterialId"], "key %s", id)
		}
		out := mustCall(t, loaded, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": sealed[id]})
		require.Equal(t, base64.StdEncoding.EncodeToString([]byte(id)), out["Plaintext"])
		require.Equal(t, id, out["KeyId"].(string)[len(out["KeyId"].(string))-len(id):])
	}
}

// The loader reads a state's timestamps without strconv; what it reads is what UnmarshalJSON reads.
func TestEpochMillisIsUnmarshalJSON(t *testing.T) {
	numbers := []string{"0", "0.5", "0.05", "0.001", "1", "1.1", "1.12", "1.123", "1796196010.191", "1796196010.19",
		"1796196010", "999999999999.999", "999999999999", "4102444800.999", "1e3", "1.1234", "01", "-1", "1.", "1000000000000.5"}
	r := mrand.New(mrand.NewPCG(1, 2))
	for range 20000 {
		ms := r.Int64N(1_000_000_000_000_000)
		text := strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
		numbers = append(numbers, text, strconv.FormatInt(ms/1000, 10)+"."+strconv.FormatInt(ms%1000+1000, 10)[1:])
	}
	for _, text := range numbers {
		var want epochTime
		wantErr := want.UnmarshalJSON([]byte(text))
		d := stateDecoder{data: []byte(text)}
		var got epochTime
		ok := d.epoch(&got) && d.pos == len(text)
		if wantErr != nil || !json.Valid([]byte(text)) {
			continue // not a JSON number encoding/json reads: the decoder leaves it to encoding/json
		}
		require.True(t, ok, text)
		require.True(t, time.Time(want).Equal(time.Time(got)) && time.Time(got).Location() == time.UTC, "%s: %v, want %v", text, time.Time(got), time.Time(want))
	}
}
