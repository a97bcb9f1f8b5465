package testharness

import (
	"context"
	"testing"
	"time"

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

// newWorld makes a world in h for one test, failing the test if the module cannot. It takes the
// core's options, as the tests that compare the module with the native core have them.
func newWorld(t testing.TB, h *Harness, opts kms.Options) *World {
	t.Helper()
	w, err := h.NewWorld(context.Background(), worldOptions(t, opts))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// worldOptions is the WorldOptions of the core's options.
func worldOptions(t testing.TB, opts kms.Options) WorldOptions {
	t.Helper()
	if opts.Now != nil || opts.Rand != nil || opts.Crypto != nil {
		t.Fatal("kms.Options.Now, Rand and Crypto cannot be passed into the module")
	}
	wo := WorldOptions{FreshRSAKeys: opts.FreshRSAKeys, TestHooks: opts.TestHooks, Seed: opts.Seed, AllowAnyRegion: opts.AllowAnyRegion,
		NoHostCrypto: opts.HostCrypto != nil && !*opts.HostCrypto}
	if opts.Clock != "" {
		start, err := time.Parse(time.RFC3339Nano, opts.Clock)
		if err != nil {
			t.Fatal(err)
		}
		wo.Clock = start
	}
	return wo
}
