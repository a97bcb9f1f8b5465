package testharness

import (
	"context"
	"testing"

	"github.com/wasmkms/wasmkms/internal/kms"
)

func TestCallReachesCore(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	w, err := h.NewWorld(ctx, kms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	status, resp, err := w.Call(ctx, kms.Caller{}, "TrentService.ListKeys", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d %s", status, resp)
}
