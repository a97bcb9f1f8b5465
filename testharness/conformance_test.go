package testharness

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/wasmkms/wasmkms/internal/conformance"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The shared scenarios, through the module: the same files the core's own tests run natively. Each
// scenario gets a fresh world in one instance, as a JS host would have.
func TestConformanceThroughModule(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	conformance.RunDir(t, "../testdata/conformance", func() conformance.CallFunc {
		w, err := h.NewWorld(ctx, kms.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return moduleCallFunc(w)
	})
}

// moduleCallFunc adapts a module world to the runner. A call the module could not answer (an ABI
// error, a dead instance) becomes an answer no scenario expects, naming the error.
func moduleCallFunc(w *World) conformance.CallFunc {
	return func(c kms.Caller, target string, body []byte) (int, []byte) {
		status, resp, err := w.Call(context.Background(), c, target, body)
		if err != nil {
			resp, _ = json.Marshal(map[string]string{"__type": "HarnessError", "message": err.Error()})
			return 0, resp
		}
		return status, resp
	}
}
