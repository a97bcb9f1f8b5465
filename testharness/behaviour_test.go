package testharness

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wasmkms/wasmkms/internal/kms"
)

func TestPanicIsAnsweredAndTheInstanceKeepsServing(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	other := newWorld(t, h, kms.Options{})
	w := newWorld(t, h, kms.Options{TestHooks: true})
	status, resp, err := w.Call(ctx, kms.Caller{}, "WasmKMS.Panic", []byte(`{}`))
	if err != nil {
		t.Fatalf("a panic killed the instance: %v", err)
	}
	if status != 500 || jsonString(resp, "__type") != "KMSInternalException" || !strings.Contains(strings.ToLower(jsonString(resp, "message")), "panic") {
		t.Fatalf("WasmKMS.Panic answered %d %s, want 500 KMSInternalException saying it panicked", status, resp)
	}
	t.Logf("answer: %s", resp)
	for _, world := range []*World{w, other} {
		status, resp, err := world.Call(ctx, kms.Caller{}, "TrentService.CreateKey", []byte(`{}`))
		if err != nil || status != 200 {
			t.Fatalf("after the panic CreateKey answered %d %s %v", status, resp, err)
		}
	}
	// Without testHooks the hook does not exist.
	status, resp, err = other.Call(ctx, kms.Caller{}, "WasmKMS.Panic", []byte(`{}`))
	if err != nil || status == 500 {
		t.Fatalf("WasmKMS.Panic without testHooks answered %d %s %v", status, resp, err)
	}
}

// The module must get the host's random source and clock: wazero's defaults are a fixed seed and a
// fake clock, which would make every blob of the same plaintext identical.
func TestModuleUsesRealRandomnessAndClock(t *testing.T) {
	ctx := context.Background()
	before := time.Now()
	var keyIDs, blobs []string
	for range 2 {
		// Two instances: a fixed random source would repeat itself across instances too.
		w := newWorld(t, newHarness(t), kms.Options{})
		status, created, err := w.Call(ctx, kms.Caller{}, "TrentService.CreateKey", []byte(`{}`))
		if err != nil || status != 200 {
			t.Fatalf("CreateKey: %d %s %v", status, created, err)
		}
		var meta struct {
			KeyMetadata struct{ CreationDate float64 }
		}
		json.Unmarshal(created, &meta)
		if created := meta.KeyMetadata.CreationDate; math.Abs(created-float64(before.Unix())) > 60 {
			t.Errorf("CreationDate %v is not the host's clock (%d)", created, before.Unix())
		}
		keyID := jsonString(created, "KeyMetadata", "KeyId")
		keyIDs = append(keyIDs, keyID)
		for range 2 {
			status, encrypted, err := w.Call(ctx, kms.Caller{}, "TrentService.Encrypt",
				[]byte(`{"KeyId":"`+keyID+`","Plaintext":"c2FtZSBwbGFpbnRleHQ="}`))
			if err != nil || status != 200 {
				t.Fatalf("Encrypt: %d %s %v", status, encrypted, err)
			}
			blobs = append(blobs, jsonString(encrypted, "CiphertextBlob"))
		}
	}
	if keyIDs[0] == keyIDs[1] {
		t.Errorf("two instances created the same key ID %s", keyIDs[0])
	}
	for i := range blobs {
		for j := range i {
			if blobs[i] == blobs[j] {
				t.Errorf("Encrypt %d and %d of the same plaintext gave the same blob", j, i)
			}
		}
	}
}

// Any bytes in the caller, target or body give the answer the core gives natively: an error answer,
// never a wrong one, and never an ABI error or a trap.
func TestArbitraryBytesAnswerAsTheNativeCore(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	invalidUTF8 := "\xff\xfe\xc3\x28"
	for _, tc := range []struct {
		name   string
		caller kms.Caller
		target string
		body   string
	}{
		{"invalid UTF-8 target", kms.Caller{}, "TrentService." + invalidUTF8, `{}`},
		{"invalid UTF-8 in a body string", kms.Caller{}, "TrentService.CreateKey", `{"Description":"` + invalidUTF8 + `"}`},
		{"invalid UTF-8 body", kms.Caller{}, "TrentService.ListKeys", invalidUTF8},
		{"invalid UTF-8 account", kms.Caller{Account: invalidUTF8}, "TrentService.ListKeys", `{}`},
		{"invalid UTF-8 region", kms.Caller{Region: invalidUTF8}, "TrentService.CreateKey", `{}`},
		{"invalid UTF-8 principal", kms.Caller{Principal: invalidUTF8}, "TrentService.ListKeys", `{}`},
		{"NUL bytes", kms.Caller{}, "TrentService.Encrypt\x00", "{\"KeyId\":\"\x00\"}"},
		{"empty body", kms.Caller{}, "TrentService.ListKeys", ``},
		{"empty target", kms.Caller{}, "", `{}`},
		{"body that is an array", kms.Caller{}, "TrentService.CreateKey", `[]`},
		{"deeply nested body", kms.Caller{}, "TrentService.CreateKey", strings.Repeat("[", 100000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, h, kms.Options{})
			defer w.Close()
			status, resp, err := w.Call(ctx, tc.caller, tc.target, []byte(tc.body))
			if err != nil {
				t.Fatalf("the module could not answer: %v", err)
			}
			nativeStatus, nativeResp := kms.NewWorld(kms.Options{}).Handle(tc.caller, tc.target, []byte(tc.body))
			if status != nativeStatus || answerType(resp) != answerType(nativeResp) {
				t.Fatalf("module answered %d %s, the native core %d %s", status, resp, nativeStatus, nativeResp)
			}
			if !json.Valid(resp) {
				t.Fatalf("answer is not JSON: %q", resp)
			}
		})
	}
}

// answerType is an answer's __type, or "success" for an answer without one.
func answerType(resp []byte) string {
	if t := jsonString(resp, "__type"); t != "" {
		return t
	}
	return "success"
}
