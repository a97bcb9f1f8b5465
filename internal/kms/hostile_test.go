package kms

import (
	"encoding/json"
	"strings"
	"testing"
)

// The hostile request bodies of issue 14, natively (testharness's FuzzHostileRequest sends them
// through the module): each is refused as AWS refuses a body it cannot take, and the world is whole
// afterwards: its key still encrypts, and its journal still answers, with the refused body as its text.
func TestHostileBodiesLeaveTheWorldWhole(t *testing.T) {
	const serialization, validation, success = "SerializationException", "ValidationException", ""
	cases := []struct{ name, body, want string }{
		{"9,500 nested arrays", strings.Repeat("[", 9500) + strings.Repeat("]", 9500), serialization},
		{"nesting one past the limit", strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1), serialization},
		{"nesting past encoding/json's", `{"KeyId":"$KEY","X":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`, serialization},
		{"50,000 escaped strings", `{"KeyId":"$KEY","Plaintext":"aGk=","X":[` + strings.Repeat(`"\n",`, 50000) + `""]}`, success},
		{"a body that is not JSON", `{"KeyId":`, serialization},
		{"a plaintext past the model's", `{"KeyId":"$KEY","Plaintext":"` + strings.Repeat("A", 4*1366) + `"}`, validation},
		{"a plaintext of escaped slashes", `{"KeyId":"$KEY","Plaintext":"` + strings.Repeat(`\/`, 1<<16) + `"}`, validation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.body
			w, keyID := worldWithKey(t)
			status, resp := w.Handle(Caller{}, "TrentService.Encrypt", []byte(strings.ReplaceAll(body, "$KEY", keyID)))
			var answer struct {
				Type string `json:"__type"`
			}
			if err := json.Unmarshal(resp, &answer); err != nil || answer.Type != c.want {
				t.Fatalf("answered %d %.200s", status, resp)
			}
			if status, resp := w.Handle(Caller{}, "TrentService.Encrypt", []byte(`{"KeyId":"`+keyID+`","Plaintext":"aGk="}`)); status != 200 {
				t.Fatalf("the key no longer encrypts: %d %s", status, resp)
			}
			status, resp = w.Handle(Caller{}, "WasmKMS.Calls", nil)
			var journal struct {
				Calls []struct{ Input json.RawMessage }
			}
			if status != 200 || json.Unmarshal(resp, &journal) != nil || len(journal.Calls) != 3 {
				t.Fatalf("the journal answered %d %.300s", status, resp)
			}
			if recorded := journal.Calls[1].Input; !json.Valid([]byte(body)) {
				var text string
				if json.Unmarshal(recorded, &text) != nil || !strings.HasPrefix(text, body[:8]) {
					t.Fatalf("the refused body is journaled as %.100s", recorded)
				}
			}
		})
	}
}
