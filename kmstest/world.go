package kmstest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/wasmkms/wasmkms/testharness"
)

// shared is the process's one instance of the module, made by the first test that needs a world.
// Calls into an instance run one at a time, and a call takes microseconds, so parallel tests share it
// well; each test's world is its own.
var shared struct {
	mu sync.Mutex
	h  *testharness.Harness
}

// newWorld makes a world in the shared instance. An instance that has died (a trap; it never happens
// in normal use) is replaced, so that the tests after the one that saw it get a live one.
func newWorld(ctx context.Context, opts testharness.WorldOptions) (*testharness.World, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	for replaced := false; ; replaced = true {
		if shared.h == nil {
			h, err := testharness.New(ctx, testharness.Options{})
			if err != nil {
				return nil, err
			}
			shared.h = h
		}
		w, err := shared.h.NewWorld(ctx, opts)
		if errors.Is(err, testharness.ErrDeadInstance) && !replaced {
			shared.h = nil
			continue
		}
		return w, err
	}
}

// world makes the test's world from the options, fails the test if it cannot, and drops the world
// when the test ends.
func world(t testing.TB, c *config) *testharness.World {
	t.Helper()
	if c.fixturesFile != "" {
		fixtures, err := testharness.LoadFixtures(c.fixturesFile)
		if err != nil {
			t.Fatalf("kmstest: %v", err)
		}
		c.world.Fixtures = fixtures
	}
	w, err := newWorld(context.Background(), c.world)
	if err != nil {
		t.Fatalf("kmstest: a world: %v", err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil && !errors.Is(err, testharness.ErrDeadInstance) {
			t.Errorf("kmstest: dropping the world: %v", err)
		}
	})
	if c.worldOut != nil {
		*c.worldOut = w
	}
	return w
}
