package testharness

import (
	"context"
	"errors"
	"testing"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The module keeps a freed buffer for the next allocation of its size class (wasm/memory.go), so
// that a call's answer takes the last answer's memory. What a host may rely on does not change: a
// freed pointer is refused until it is handed out again, a buffer handed out again is whole and
// live, and memory stays flat however the sizes vary.
func TestFreedBuffersAreRefusedThenReusedWhole(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.mu.Lock()
	defer h.mu.Unlock()

	first, err := h.alloc(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.free(ctx, first); err != nil {
		t.Fatal(err)
	}
	var abiErr *ABIError
	if err := h.free(ctx, first); !errors.As(err, &abiErr) || abiErr.Code != abi.ErrBadPointer {
		t.Fatalf("a second free of %d: %v, want %d", first, err, abi.ErrBadPointer)
	}
	// The next allocation of the class takes it, all of its size writable and readable.
	again, err := h.alloc(ctx, 120)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Logf("the freed buffer was not reused (%d, then %d)", first, again)
	}
	pattern := make([]byte, 120)
	for i := range pattern {
		pattern[i] = byte(i)
	}
	if err := h.writeBytes(again, pattern); err != nil {
		t.Fatal(err)
	}
	if got, err := h.readBytes(again, 120); err != nil || string(got) != string(pattern) {
		t.Fatalf("read back %v, %v", got, err)
	}
	if err := h.free(ctx, again); err != nil {
		t.Fatal(err)
	}
}

func TestMemoryFlatUnderAllocationsOfEverySize(t *testing.T) {
	h := newHarness(t)
	w := newWorld(t, h, kms.Options{})
	call := moduleCall(t, w)
	req := encryptRequest(t, call, 32)
	ctx := context.Background()
	cycle := func(round int) {
		h.mu.Lock()
		defer h.mu.Unlock()
		var live []uint32
		for size := uint32(0); size <= 1<<17; size = size*3 + uint32(round%7) + 1 {
			ptr, err := h.alloc(ctx, size)
			if err != nil {
				t.Fatal(err)
			}
			live = append(live, ptr)
		}
		for _, ptr := range live {
			if err := h.free(ctx, ptr); err != nil {
				t.Fatal(err)
			}
		}
	}
	var afterWarmup uint32
	for round := 1; round <= 2000; round++ {
		cycle(round)
		if status, resp := call("TrentService.Encrypt", req); status != 200 {
			t.Fatalf("Encrypt %d: %d %s", round, status, resp)
		}
		if round == 200 {
			afterWarmup = h.MemorySize()
		}
	}
	if final := h.MemorySize(); final > afterWarmup+4<<20 {
		t.Fatalf("linear memory grew from %d to %d bytes", afterWarmup, final)
	}
}
