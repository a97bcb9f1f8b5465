package testharness

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The request ID (wasm/ABI.md, "The request ID"): a field after a request's last one carries the
// host's ID of the call into the journal, through wasmkms_call and the direct exports alike; a
// request without it (every host before the field) works as before, and bytes after the last field
// that are not one well-formed field are a malformed request.

// withRequestID appends the request ID field to a request.
func withRequestID(req []byte, id string) []byte {
	req = binary.LittleEndian.AppendUint32(append([]byte(nil), req...), uint32(len(id)))
	return append(req, id...)
}

// journalRequestIDs answers the requestId of every call in the world's journal, oldest first ("" for
// a call without one).
func journalRequestIDs(t *testing.T, w *World) []string {
	t.Helper()
	var journal struct {
		Calls []struct {
			Operation string `json:"operation"`
			RequestID string `json:"requestId"`
		} `json:"calls"`
	}
	if err := json.Unmarshal(mustCall(t, w, "WasmKMS.Calls", `{}`), &journal); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(journal.Calls))
	for i, c := range journal.Calls {
		ids[i] = c.Operation + " " + c.RequestID
	}
	return ids
}

func TestRequestIDReachesTheJournal(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, newHarness(t), kms.Options{})

	// wasmkms_call, through World.Call (encodeRequest writes Caller.RequestID).
	status, created, err := w.Call(ctx, kms.Caller{RequestID: "4a1f0c1e-0000-4000-8000-000000000001"}, "TrentService.CreateKey", []byte(`{}`))
	if err != nil || status != 200 {
		t.Fatalf("CreateKey: %d %s %v", status, created, err)
	}
	keyID := jsonString(created, "KeyMetadata", "KeyId")
	// Without the field, as hosts wrote every request before it existed.
	mustCall(t, w, "TrentService.DescribeKey", `{"KeyId":"`+keyID+`"}`)

	// The direct exports, with and without the field.
	encrypt := directRequest("wasmkms_encrypt", members{"KeyId": keyID, "Plaintext": []byte("hi")})
	if status, _, err := w.directCall(ctx, "wasmkms_encrypt", withRequestID(encrypt, "direct-1")); err != nil || status != 200 {
		t.Fatalf("direct Encrypt with a request ID: %d %v", status, err)
	}
	if status, _, err := w.directCall(ctx, "wasmkms_encrypt", encrypt); err != nil || status != 200 {
		t.Fatalf("direct Encrypt without one: %d %v", status, err)
	}
	// An error answer keeps its request ID too.
	missing := directRequest("wasmkms_decrypt", members{"CiphertextBlob": []byte("not a blob")})
	if status, _, err := w.directCall(ctx, "wasmkms_decrypt", withRequestID(missing, "direct-2")); err != nil || status != 400 {
		t.Fatalf("direct Decrypt of a bad blob: %d %v", status, err)
	}

	got := journalRequestIDs(t, w)
	want := []string{
		"CreateKey 4a1f0c1e-0000-4000-8000-000000000001",
		"DescribeKey ",
		"Encrypt direct-1",
		"Encrypt ",
		"Decrypt direct-2",
	}
	if len(got) != len(want) {
		t.Fatalf("journal %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("journal %q, want %q", got, want)
		}
	}
}

func TestMalformedRequestIDIsABadHeader(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	bystander, keyID, before := bystanderWithKey(t, h)
	w := newWorld(t, h, kms.Options{})
	call := encodeRequest(kms.Caller{}, "TrentService.ListKeys", []byte(`{}`))
	encrypt := directRequest("wasmkms_encrypt", members{"KeyId": "k", "Plaintext": []byte("x")})
	for name, tc := range map[string]struct {
		export string
		req    []byte
	}{
		"call: a request ID longer than what follows":    {exportCall, append(withRequestID(call, "abc"), 'x')[:len(call)+4+2]},
		"call: bytes after the request ID":               {exportCall, append(withRequestID(call, "abc"), 'x')},
		"call: two request IDs":                          {exportCall, withRequestID(withRequestID(call, "a"), "b")},
		"call: three bytes after the body":               {exportCall, append(append([]byte(nil), call...), 1, 0, 0)},
		"encrypt: a request ID longer than what follows": {"wasmkms_encrypt", append(withRequestID(encrypt, "abc"), 'x')[:len(encrypt)+4+2]},
		"encrypt: two request IDs":                       {"wasmkms_encrypt", withRequestID(withRequestID(encrypt, "a"), "b")},
	} {
		var err error
		if tc.export == exportCall {
			h.mu.Lock()
			var reqPtr uint32
			if reqPtr, err = h.requestArea(ctx, uint32(len(tc.req))); err == nil {
				if err = h.writeBytes(reqPtr, tc.req); err == nil {
					_, _, err = h.call(ctx, w.handle, reqPtr, uint32(len(tc.req)), h.outArea)
				}
			}
			h.mu.Unlock()
		} else {
			_, _, err = w.directCall(ctx, tc.export, tc.req)
		}
		abiErr, ok := err.(*ABIError)
		if !ok || abiErr.Code != abi.ErrBadHeader {
			t.Errorf("%s: %v, want ABI error -4", name, err)
		}
	}
	// An empty or absent request ID is no ID, and the call runs.
	absent := binary.LittleEndian.AppendUint32(append([]byte(nil), call...), abi.AbsentField)
	for name, req := range map[string][]byte{"empty": withRequestID(call, ""), "absent": absent} {
		h.mu.Lock()
		reqPtr, err := h.requestArea(ctx, uint32(len(req)))
		if err == nil {
			err = h.writeBytes(reqPtr, req)
		}
		var status int
		if err == nil {
			status, _, err = h.call(ctx, w.handle, reqPtr, uint32(len(req)), h.outArea)
		}
		h.mu.Unlock()
		if err != nil || status != 200 {
			t.Errorf("%s request ID: %d %v", name, status, err)
		}
	}
	if after := worldSnapshot(t, bystander, keyID); after != before {
		t.Fatalf("the malformed requests changed another world:\nbefore %s\nafter  %s", before, after)
	}
}
