package testharness

import (
	"bytes"
	"testing"
	"unsafe"
)

// Within the reserve a grow moves nothing; past it the memory doubles, keeps its bytes and gives zero
// bytes after them; past the module's maximum it refuses.
func TestLinearMemoryGrowsInPlaceThenDoubles(t *testing.T) {
	const page = 64 << 10
	m := memoryAllocator.Allocate(page, 1<<30).(*linearMemory)
	buf := m.Reallocate(page)
	base := unsafe.SliceData(buf)
	buf[0], buf[page-1] = 1, 2
	for size := uint64(2 * page); size <= linearMemoryReserve; size += 3 * page {
		if buf = m.Reallocate(size); unsafe.SliceData(buf) != base || uint64(len(buf)) != size {
			t.Fatalf("a grow to %d bytes within the reserve moved the memory or gave %d bytes", size, len(buf))
		}
	}
	buf = m.Reallocate(linearMemoryReserve + page)
	if cap(buf) != 2*linearMemoryReserve || buf[0] != 1 || buf[page-1] != 2 ||
		!bytes.Equal(buf[page:], make([]byte, len(buf)-page)) {
		t.Fatalf("past the reserve: capacity %d (want %d), or the bytes were not kept and zeroed", cap(buf), 2*linearMemoryReserve)
	}
	if m.Reallocate(1<<30+page) != nil {
		t.Fatal("a grow past the maximum was not refused")
	}
	m.Free()
	small := memoryAllocator.Allocate(0, 4*page).(*linearMemory)
	if got := cap(small.Reallocate(page)); got != 4*page {
		t.Fatalf("a module whose maximum is under the reserve got a capacity of %d, want its maximum", got)
	}
	small.Free()
}
