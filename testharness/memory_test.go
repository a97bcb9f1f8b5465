package testharness

import (
	"testing"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// Memory budget of the module under a long run of Encrypts: linear memory never shrinks, so growth
// past the warm-up is a leak (an answer buffer never freed, a world that keeps every request...).
const (
	memoryWarmupCalls = 1_000
	memoryTotalCalls  = 100_000
	memoryGrowthLimit = 16 << 20
)

func TestMemoryAfter100kEncrypts(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 calls through the module; run without -short")
	}
	w := newWorld(t, newHarness(t), kms.Options{})
	call := moduleCall(t, w)
	req := encryptRequest(t, call, 32)
	var afterWarmup uint32
	for i := 1; i <= memoryTotalCalls; i++ {
		if status, resp := call("TrentService.Encrypt", req); status != 200 {
			t.Fatalf("Encrypt %d: %d %s", i, status, resp)
		}
		if i == memoryWarmupCalls {
			afterWarmup = w.h.MemorySize()
		}
	}
	final := w.h.MemorySize()
	t.Logf("linear memory: %d bytes after %d Encrypts, %d after %d", afterWarmup, memoryWarmupCalls, final, memoryTotalCalls)
	if final > afterWarmup+memoryGrowthLimit {
		t.Fatalf("linear memory grew from %d to %d bytes (limit: +%d)", afterWarmup, final, memoryGrowthLimit)
	}
}
