package testharness

import (
	"context"
	"testing"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// newHarness instantiates the module for one test (instantiating takes milliseconds; compiling
// happens once per process) and closes it when the test ends.
func newHarness(t testing.TB) *Harness {
	t.Helper()
	h, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// newWorld makes a world in h for one test, failing the test if the module cannot.
func newWorld(t testing.TB, h *Harness, opts kms.Options) *World {
	t.Helper()
	w, err := h.NewWorld(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return w
}
