package kmsabi

import (
	"encoding/json"
	"testing"
)

func TestErrorAnswer(t *testing.T) {
	status, body := ErrorAnswer("KMSInternalException", `a <panic> & "quotes"`)
	if status != 500 || string(body) != `{"__type":"KMSInternalException","message":"a \u003cpanic\u003e \u0026 \"quotes\""}` {
		t.Fatalf("got %d %s", status, body)
	}
	// An empty message is absent, as real KMS sends InvalidCiphertextException.
	status, body = ErrorAnswer("InvalidCiphertextException", "")
	if status != 400 || string(body) != `{"__type":"InvalidCiphertextException"}` {
		t.Fatalf("got %d %s", status, body)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("an unknown name did not panic")
		}
	}()
	ErrorAnswer("NoSuchNameException", "")
}

// Every name of the table answers with its own name, and a status real KMS uses on the wire.
func TestErrorTable(t *testing.T) {
	if len(errorStatus) < 30 {
		t.Fatalf("only %d names", len(errorStatus))
	}
	for name, want := range errorStatus {
		if want != 400 && want != 500 && want != 503 {
			t.Errorf("%s: status %d", name, want)
		}
		status, body := ErrorAnswer(name, "m")
		var raw map[string]string
		if err := json.Unmarshal(body, &raw); err != nil || raw["__type"] != name || raw["message"] != "m" || status != want || ErrorStatus(name) != want {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	if ErrorStatus("NoSuchNameException") != 0 {
		t.Error("an unknown name has a status")
	}
}
