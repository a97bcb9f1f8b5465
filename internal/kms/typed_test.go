package kms

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// The typed calls (typed.go) beside Handle; testharness/direct_test.go holds the module's direct
// exports, which run on them, to wasmkms_call over every operation.

func TestNewTypedOperationRefusesWhatItCannotFill(t *testing.T) {
	str := func(name string) Member { return Member{name, KindString} }
	for name, tc := range map[string]struct {
		operation     string
		input, output []Member
	}{
		"an operation without a typed form": {"DescribeKey", nil, nil},
		"an unknown operation":              {"Nope", nil, nil},
		"a member the request lacks":        {"Encrypt", []Member{str("Nope")}, nil},
		"a blob given as a string":          {"Encrypt", []Member{str("Plaintext")}, nil},
		"an integer given as a string":      {"GenerateDataKey", []Member{str("NumberOfBytes")}, nil},
		"a boolean given as a blob":         {"CreateKey", []Member{{"MultiRegion", KindBlob}}, nil},
		"a JSON member in a request":        {"CreateKey", []Member{{"Tags", KindJSON}}, nil},
		"a context in an answer":            {"Encrypt", nil, []Member{{"KeyId", KindContext}}},
		"a kind that does not exist":        {"Encrypt", nil, []Member{{"KeyId", Kind(99)}}},
	} {
		if _, err := NewTypedOperation(tc.operation, tc.input, tc.output); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for name := range typedOperations {
		require.True(t, implemented[name], "%s has a typed form but Handle does not implement it", name)
	}
}

// Twin worlds, one called through Handle and one through CallTyped, answer the same and keep the same
// journal: an empty context or blob is recorded as given (not dropped as omitempty would drop it).
func TestTypedCallsAnswerAndJournalAsHandle(t *testing.T) {
	opts := Options{Seed: "typed", Clock: "2027-01-01T00:00:00Z"}
	viaJSON, viaTyped := NewWorld(opts), NewWorld(opts)
	createKey, err := NewTypedOperation("CreateKey",
		[]Member{{"Description", KindString}, {"MultiRegion", KindBoolean}}, []Member{{"KeyMetadata", KindJSON}})
	require.NoError(t, err)
	status, created := viaJSON.Handle(Caller{}, "TrentService.CreateKey", []byte(`{"Description":"","MultiRegion":false}`))
	require.Equal(t, 200, status, string(created))
	out := make([]Value, 1)
	status, errBody := viaTyped.CallTyped(createKey, Caller{}, []Value{{Present: true}, {Present: true}}, out)
	require.Equal(t, 200, status, string(errBody))
	require.JSONEq(t, string(created), `{"KeyMetadata":`+string(out[0].JSON)+`}`)
	var md struct{ KeyMetadata struct{ KeyId string } }
	require.NoError(t, json.Unmarshal(created, &md))
	keyID := md.KeyMetadata.KeyId

	dataKey, err := NewTypedOperation("GenerateDataKey",
		[]Member{{"KeyId", KindString}, {"EncryptionContext", KindContext}, {"NumberOfBytes", KindInteger}, {"KeySpec", KindString}},
		[]Member{{"CiphertextBlob", KindBlob}, {"Plaintext", KindBlob}, {"KeyId", KindString}, {"KeyMaterialId", KindString}, {"Nope", KindString}})
	require.NoError(t, err)
	status, generated := viaJSON.Handle(Caller{RequestID: "r1"}, "TrentService.GenerateDataKey",
		[]byte(`{"KeyId":"`+keyID+`","EncryptionContext":{},"NumberOfBytes":16}`))
	require.Equal(t, 200, status, string(generated))
	out = make([]Value, 5)
	status, errBody = viaTyped.CallTyped(dataKey, Caller{RequestID: "r1"},
		[]Value{{Present: true, Text: keyID}, {Present: true}, {Present: true, Int: 16}, {}}, out)
	require.Equal(t, 200, status, string(errBody))
	var want dataKeyResponse
	require.NoError(t, json.Unmarshal(generated, &want))
	require.Equal(t, want.CiphertextBlob, out[0].Bytes)
	require.Equal(t, want.Plaintext, out[1].Bytes)
	require.Equal(t, want.KeyId, out[2].Text)
	require.Equal(t, want.KeyMaterialId, out[3].Text)
	require.False(t, out[4].Present, "a member the answer does not have is absent")

	// An error: the same body, byte for byte.
	status, refused := viaJSON.Handle(Caller{}, "TrentService.GenerateDataKey", []byte(`{"KeyId":"`+keyID+`","NumberOfBytes":0,"KeySpec":""}`))
	status2, errBody := viaTyped.CallTyped(dataKey, Caller{},
		[]Value{{Present: true, Text: keyID}, {}, {Present: true}, {Present: true}}, make([]Value, 5))
	require.Equal(t, status, status2)
	require.Equal(t, string(refused), string(errBody))

	journal := func(w *World) []any {
		_, calls := admin(t, w, "Calls", nil)
		return calls["calls"].([]any)
	}
	require.Equal(t, journal(viaJSON), journal(viaTyped))
	input := journal(viaTyped)[1].(map[string]any)["input"].(map[string]any)
	require.Equal(t, map[string]any{}, input["EncryptionContext"], "an empty context is recorded")
}

// A typed request's journal size is its JSON body's, near enough for the journal's bound.
func TestTypedRequestJournalSize(t *testing.T) {
	keyID, alg := "alias/some-key", "SYMMETRIC_DEFAULT"
	context := map[string]string{"purpose": "size"}
	req := &encryptRequest{KeyId: &keyID, Plaintext: make([]byte, 4096), EncryptionContext: context, EncryptionAlgorithm: &alg}
	values := []Value{{Present: true, Text: keyID}, {Present: true, Bytes: req.Plaintext}, {Present: true, Context: context},
		{Present: true, Text: alg}}
	body := typedRequest{req: req}.appendJSON(nil)
	require.True(t, json.Valid(body), string(body))
	require.InDelta(t, len(body), typedEncrypt.journalSize(values), 16)
}
