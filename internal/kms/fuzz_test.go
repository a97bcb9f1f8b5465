package kms

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/wasmkms/wasmkms/internal/kmsabi"
)

// fuzzKeyPlaceholder in a fuzzed body is replaced by the ID of a key that exists, so that the
// seeds reach past key lookup.
const fuzzKeyPlaceholder = "$KEY"

// FuzzHandle: whatever the target and body, Handle answers a JSON object: a 200 output, or an error
// whose __type is a known name with its status. A 500 would be a recovered panic: a bug.
// The seeds are in testdata/fuzz/FuzzHandle (replayed by the wasm harness too).
func FuzzHandle(f *testing.F) {
	f.Add("TrentService.Encrypt", []byte(`{"KeyId":"$KEY","Plaintext":"aGk="}`))
	f.Fuzz(func(t *testing.T, target string, body []byte) {
		w, keyID := worldWithKey(t)
		body = bytes.ReplaceAll(body, []byte(fuzzKeyPlaceholder), []byte(keyID))
		status, resp := w.Handle(Caller{}, target, body)
		var out map[string]any
		if err := json.Unmarshal(resp, &out); err != nil {
			t.Fatalf("answer is not a JSON object: %q (%v)", resp, err)
		}
		if status == 200 {
			return
		}
		name, _ := out["__type"].(string)
		if want := kmsabi.ErrorStatus(name); want == 0 || want != status {
			t.Fatalf("status %d with unknown or mismatched error %q: %s", status, name, resp)
		}
		if status >= 500 {
			t.Fatalf("server fault for target %q body %q: %s", target, body, resp)
		}
	})
}

// tamperWorld is one key and one blob to flip bits in.
func tamperWorld(t testing.TB) (*World, []byte, map[string]string) {
	w, keyID := worldWithKey(t)
	ctx := map[string]string{"purpose": "tamper"}
	req, _ := json.Marshal(map[string]any{"KeyId": keyID, "Plaintext": []byte("32 bytes of data key, say......."), "EncryptionContext": ctx})
	status, resp := w.Handle(Caller{}, "TrentService.Encrypt", req)
	if status != 200 {
		t.Fatalf("Encrypt: %s", resp)
	}
	var enc struct{ CiphertextBlob []byte }
	if err := json.Unmarshal(resp, &enc); err != nil {
		t.Fatal(err)
	}
	return w, enc.CiphertextBlob, ctx
}

// checkTampered decrypts blob with one bit flipped: it must never decrypt.
func checkTampered(t *testing.T, w *World, blob []byte, ctx map[string]string, bit uint) {
	t.Helper()
	tampered := bytes.Clone(blob)
	i := int(bit/8) % len(tampered)
	tampered[i] ^= 1 << (bit % 8)
	req, _ := json.Marshal(map[string]any{"CiphertextBlob": tampered, "EncryptionContext": ctx})
	status, resp := w.Handle(Caller{}, "TrentService.Decrypt", req)
	var out map[string]any
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatalf("answer is not JSON: %q", resp)
	}
	switch out["__type"] {
	case "InvalidCiphertextException", "AccessDeniedException":
		if status != 400 {
			t.Fatalf("status %d", status)
		}
	default:
		t.Fatalf("bit %d of byte %d flipped: answered %d %s", bit%8, i, status, resp)
	}
}

// FuzzTamperedBlob: a flipped bit anywhere in an Encrypt blob never decrypts.
func FuzzTamperedBlob(f *testing.F) {
	f.Add(uint(0))
	w, blob, ctx := tamperWorld(f)
	f.Fuzz(func(t *testing.T, bit uint) { checkTampered(t, w, blob, ctx, bit) })
}

// TestEveryBitFlipFails flips each bit of a blob in turn (what the fuzz target samples).
func TestEveryBitFlipFails(t *testing.T) {
	w, blob, ctx := tamperWorld(t)
	for bit := uint(0); bit < uint(len(blob))*8; bit++ {
		checkTampered(t, w, blob, ctx, bit)
	}
}
