package testharness

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// rawCall runs wasmkms_call with arguments as given and returns the export's raw result.
func rawCall(t testing.TB, h *Harness, world int32, reqPtr, reqLen, outPtr uint32) int32 {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	res, err := h.invoke(context.Background(), exportCall, h.fns.call, uint32(world), reqPtr, reqLen, outPtr)
	if err != nil {
		t.Fatalf("wasmkms_call trapped on bad input: %v", err)
	}
	return res
}

// rawExport runs any export with raw arguments.
func rawExport(t testing.TB, h *Harness, name string, args ...uint32) int32 {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	res, err := h.invoke(context.Background(), name, h.module.ExportedFunction(name), args...)
	if err != nil {
		t.Fatalf("%s trapped on bad input: %v", name, err)
	}
	return res
}

// allocWrite places b in a fresh module allocation.
func allocWrite(t testing.TB, h *Harness, b []byte) uint32 {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	ptr, err := h.alloc(context.Background(), uint32(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.writeBytes(ptr, b); err != nil {
		t.Fatal(err)
	}
	return ptr
}

// worldSnapshot is what another world's bad input must never change: its keys and their metadata.
func worldSnapshot(t testing.TB, w *World, keyID string) string {
	t.Helper()
	ctx := context.Background()
	_, keys, err := w.Call(ctx, kms.Caller{}, "TrentService.ListKeys", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	_, described, err := w.Call(ctx, kms.Caller{}, "TrentService.DescribeKey", []byte(`{"KeyId":"`+keyID+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	_, state, err := w.Call(ctx, kms.Caller{}, "WasmKMS.ExportState", nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(keys) + "\n" + string(described) + "\n" + string(state)
}

// bystanderWithKey makes a world in h holding one key, for tests that check that calls to another
// world leave it unchanged: it answers the world, the key's ID and the world's snapshot.
func bystanderWithKey(t testing.TB, h *Harness) (bystander *World, keyID, before string) {
	t.Helper()
	bystander = newWorld(t, h, kms.Options{})
	_, created, err := bystander.Call(context.Background(), kms.Caller{}, "TrentService.CreateKey", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	keyID = jsonString(created, "KeyMetadata", "KeyId")
	return bystander, keyID, worldSnapshot(t, bystander, keyID)
}

func TestBadABIInputGivesErrorCodesAndChangesNoOtherWorld(t *testing.T) {
	h := newHarness(t)
	bystander, keyID, before := bystanderWithKey(t, h)
	target := newWorld(t, h, kms.Options{})
	dropped := newWorld(t, h, kms.Options{})
	if err := dropped.Close(); err != nil {
		t.Fatal(err)
	}

	good := encodeRequest(kms.Caller{}, "TrentService.CreateKey", []byte(`{}`))
	reqPtr := allocWrite(t, h, good)
	reqLen := uint32(len(good))
	outPtr := allocWrite(t, h, make([]byte, 8))
	memSize := h.MemorySize()

	headerPlus := func(lengths [5]uint32, rest []byte) []byte {
		b := make([]byte, 20, 20+len(rest))
		for i, n := range lengths {
			binary.LittleEndian.PutUint32(b[4*i:], n)
		}
		return append(b, rest...)
	}
	shortBody := allocWrite(t, h, headerPlus([5]uint32{0, 0, 0, 22, 10}, []byte("TrentService.CreateKey{}")))
	extraBytes := allocWrite(t, h, headerPlus([5]uint32{0, 0, 0, 22, 2}, []byte("TrentService.CreateKey{}junk")))
	hugeLength := allocWrite(t, h, headerPlus([5]uint32{0xffffffff, 0, 0, 22, 2}, []byte("TrentService.CreateKey{}")))
	overflowSum := allocWrite(t, h, headerPlus([5]uint32{0x80000000, 0x80000000, 0, 22, 2}, []byte("TrentService.CreateKey{}")))
	tooShort := allocWrite(t, h, make([]byte, 19))

	for _, tc := range []struct {
		name                   string
		world                  int32
		reqPtr, reqLen, outPtr uint32
		want                   int32
	}{
		{"request pointer 0", target.handle, 0, reqLen, outPtr, abi.ErrBadPointer},
		{"request pointer past memory", target.handle, memSize + 64, reqLen, outPtr, abi.ErrBadPointer},
		{"request pointer at the last byte of memory", target.handle, memSize - 1, reqLen, outPtr, abi.ErrBadPointer},
		{"request pointer not allocated", target.handle, 8, reqLen, outPtr, abi.ErrBadPointer},
		{"request length past its allocation", target.handle, reqPtr, reqLen + 4096, outPtr, abi.ErrBadPointer},
		{"request length past memory", target.handle, reqPtr, 0xffffffff, outPtr, abi.ErrBadPointer},
		{"request inside the out area", target.handle, outPtr, reqLen, outPtr, abi.ErrBadPointer},
		{"out pointer 0", target.handle, reqPtr, reqLen, 0, abi.ErrBadPointer},
		{"out pointer past memory", target.handle, reqPtr, reqLen, memSize + 8, abi.ErrBadPointer},
		{"out area not 8 bytes inside an allocation", target.handle, reqPtr, reqLen, outPtr + 4, abi.ErrBadPointer},
		{"world 0", 0, reqPtr, reqLen, outPtr, abi.ErrUnknownWorld},
		{"negative world", -7, reqPtr, reqLen, outPtr, abi.ErrUnknownWorld},
		{"dropped world", dropped.handle, reqPtr, reqLen, outPtr, abi.ErrUnknownWorld},
		{"never created world", 1 << 30, reqPtr, reqLen, outPtr, abi.ErrUnknownWorld},
		{"header shorter than 20 bytes", target.handle, tooShort, 19, outPtr, abi.ErrBadHeader},
		{"request length below the header", target.handle, reqPtr, 12, outPtr, abi.ErrBadHeader},
		{"lengths past the buffer", target.handle, shortBody, 20 + 24, outPtr, abi.ErrBadHeader},
		{"bytes after the last field", target.handle, extraBytes, 20 + 28, outPtr, abi.ErrBadHeader},
		{"a length of 2^32-1", target.handle, hugeLength, 20 + 24, outPtr, abi.ErrBadHeader},
		{"lengths whose sum overflows 32 bits", target.handle, overflowSum, 20 + 24, outPtr, abi.ErrBadHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rawCall(t, h, tc.world, tc.reqPtr, tc.reqLen, tc.outPtr); got != tc.want {
				t.Fatalf("wasmkms_call answered %d, want %d", got, tc.want)
			}
		})
	}

	t.Run("dropping a world twice", func(t *testing.T) {
		if got := rawExport(t, h, exportWorldDrop, uint32(dropped.handle)); got != abi.ErrUnknownWorld {
			t.Fatalf("got %d, want -3", got)
		}
	})
	t.Run("freeing what is not an allocation", func(t *testing.T) {
		for _, ptr := range []uint32{0, 8, reqPtr + 1, memSize + 16, 0xffffffff} {
			if got := rawExport(t, h, exportFree, ptr); got != abi.ErrBadPointer {
				t.Fatalf("free(%#x) = %d, want -1", ptr, got)
			}
		}
		p := allocWrite(t, h, []byte("x"))
		if got := rawExport(t, h, exportFree, p); got != 0 {
			t.Fatalf("first free = %d", got)
		}
		if got := rawExport(t, h, exportFree, p); got != abi.ErrBadPointer {
			t.Fatalf("second free of the same pointer = %d, want -1", got)
		}
	})
	t.Run("allocations the module refuses", func(t *testing.T) {
		for _, size := range []uint32{0xffffffff /* -1 */, 0x80000000, 0x7fffffff} {
			if got := rawExport(t, h, exportAlloc, size); got != 0 {
				t.Fatalf("alloc(%#x) = %#x, want 0", size, got)
			}
		}
	})
	t.Run("world configs", func(t *testing.T) {
		for _, cfg := range []string{`not json`, `[]`, `null`, `7`, `{"testHooks": "yes"}`, `{"freshRSAKeyz": true}`, `{} {}`, `{`} {
			ptr := allocWrite(t, h, []byte(cfg))
			if got := rawExport(t, h, exportWorldNew, ptr, uint32(len(cfg))); got != abi.ErrBadConfig {
				t.Errorf("config %s: got %d, want -2", cfg, got)
			}
		}
		if got := rawExport(t, h, exportWorldNew, 8, 16); got != abi.ErrBadPointer {
			t.Errorf("config at an unallocated pointer: got %d, want -1", got)
		}
		for _, cfg := range []string{``, `{}`, ` {"freshRSAKeys": false, "testHooks": true} `} {
			ptr := allocWrite(t, h, []byte(cfg))
			if got := rawExport(t, h, exportWorldNew, ptr, uint32(len(cfg))); got < 1 {
				t.Errorf("config %q: got %d, want a world handle", cfg, got)
			}
		}
		if got := rawExport(t, h, exportWorldNew, 0, 0); got < 1 {
			t.Errorf("empty config without a buffer: got %d, want a world handle", got)
		}
	})

	if after := worldSnapshot(t, bystander, keyID); after != before {
		t.Fatalf("bad input to other worlds changed this one:\nbefore %s\nafter  %s", before, after)
	}
	// The good request still works after all that.
	if got := rawCall(t, h, target.handle, reqPtr, reqLen, outPtr); got != 200 {
		t.Fatalf("a good CreateKey after the bad input answered %d", got)
	}
}

func TestWorldsAreIsolated(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	a, _ := h.NewWorld(ctx, WorldOptions{})
	b, _ := h.NewWorld(ctx, WorldOptions{})
	status, created, err := a.Call(ctx, kms.Caller{}, "TrentService.CreateKey", []byte(`{}`))
	if err != nil || status != 200 {
		t.Fatalf("CreateKey: %d %s %v", status, created, err)
	}
	keyID := jsonString(created, "KeyMetadata", "KeyId")
	status, resp, err := b.Call(ctx, kms.Caller{}, "TrentService.DescribeKey", []byte(`{"KeyId":"`+keyID+`"}`))
	if err != nil || status != 400 || jsonString(resp, "__type") != "NotFoundException" {
		t.Fatalf("world b sees world a's key: %d %s %v", status, resp, err)
	}
}

func TestTrapMarksTheInstanceDead(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	// A world that keeps no copy of its state: a trap loses it (recovery_test.go: one that keeps one).
	w, err := h.NewWorld(ctx, WorldOptions{NoRecovery: true})
	if err != nil {
		t.Fatal(err)
	}
	// Wreck the Go runtime's memory: the next call cannot but trap or exit. With 0xff, not zeros: a
	// zeroed map is an empty one, and a call that meets only those can answer (an unknown world).
	h.mu.Lock()
	h.memory.Write(0, bytes.Repeat([]byte{0xff}, int(h.memory.Size())))
	h.mu.Unlock()
	_, _, err = w.Call(ctx, kms.Caller{}, "TrentService.ListKeys", []byte(`{}`))
	if !errors.Is(err, ErrDeadInstance) {
		t.Fatalf("call on a wrecked instance: %v, want ErrDeadInstance", err)
	}
	t.Logf("reported as: %v", err)
	_, _, err = w.Call(ctx, kms.Caller{}, "TrentService.ListKeys", []byte(`{}`))
	if !errors.Is(err, ErrDeadInstance) {
		t.Fatalf("second call on the dead instance: %v, want ErrDeadInstance", err)
	}
	// A new world has nothing to lose: it gets a fresh instance, and the lost world stays lost.
	if _, err := h.NewWorld(ctx, WorldOptions{}); err != nil {
		t.Fatalf("NewWorld after the trap: %v", err)
	}
	_, _, err = w.Call(ctx, kms.Caller{}, "TrentService.ListKeys", []byte(`{}`))
	if !errors.Is(err, ErrDeadInstance) || !strings.Contains(err.Error(), "this world was lost") {
		t.Fatalf("the lost world on the fresh instance: %v, want ErrDeadInstance", err)
	}
}
