package testharness

import (
	"context"
	"testing"
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
