package testharness

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// FuzzCallABI: any request bytes, placed anywhere relative to a live allocation and passed with any
// length, give an ABI error code or a well-formed answer; never a trap, and never a change to another
// world.
func FuzzCallABI(f *testing.F) {
	f.Add(encodeRequest(kms.Caller{}, "TrentService.ListKeys", []byte(`{}`)), int32(0), int32(0))
	f.Add(encodeRequest(kms.Caller{Account: "444455556666"}, "TrentService.CreateKey", []byte(`{"KeySpec":"RSA_2048"}`)), int32(0), int32(0))
	f.Add(encodeRequest(kms.Caller{}, "TrentService.Encrypt", []byte(`{"KeyId":"alias/x","Plaintext":"aGk="}`)), int32(3), int32(-3))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, int32(0), int32(0))
	f.Add([]byte("short"), int32(-64), int32(100))

	ctx := context.Background()
	h := newHarness(f)
	bystander, keyID, before := bystanderWithKey(f, h)
	target := newWorld(f, h, kms.Options{})

	f.Fuzz(func(t *testing.T, req []byte, ptrShift, lenShift int32) {
		ptr := allocWrite(t, h, req)
		defer func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.free(ctx, ptr)
		}()
		status := rawCall(t, h, target.handle, ptr+uint32(ptrShift), uint32(len(req))+uint32(lenShift), h.outArea)
		switch {
		case status == -1 || status == -3 || status == -4:
			if ptrShift == 0 && lenShift == 0 && status != -4 {
				t.Fatalf("a request inside its own allocation answered %d", status)
			}
		case status >= 200:
			h.mu.Lock()
			_, resp, err := h.collectAnswer(ctx, int(status), h.outArea)
			h.mu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			var answer map[string]any
			if err := json.Unmarshal(resp, &answer); err != nil {
				t.Fatalf("status %d with an answer that is not a JSON object: %q", status, resp)
			}
		default:
			t.Fatalf("wasmkms_call answered %d", status)
		}
		if after := worldSnapshot(t, bystander, keyID); after != before {
			t.Fatalf("a call to another world changed this one:\nbefore %s\nafter  %s", before, after)
		}
	})
}
