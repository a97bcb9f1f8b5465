package testharness

import (
	"bytes"
	"testing"
	"unsafe"
)

// On Linux the memory is a mapping that starts at a huge page's boundary, zero and writable, and reads
// as zeros once released.
func TestMappedMemoryIsAlignedAndReleased(t *testing.T) {
	const n = 3 << 20
	b, mapping := mapMemory(n)
	if mapping == nil {
		t.Skip("mmap refused: the memory is Go's")
	}
	if uintptr(unsafe.Pointer(unsafe.SliceData(b)))%hugePage != 0 || len(b) != n || cap(b) != n {
		t.Fatalf("%p, %d bytes, capacity %d: want a huge page's boundary and %d bytes", unsafe.SliceData(b), len(b), cap(b), n)
	}
	if !bytes.Equal(b, make([]byte, n)) {
		t.Fatal("fresh memory is not zero")
	}
	b[0], b[n-1] = 1, 2
	releaseMemory(mapping)
	if b[0] != 0 || b[n-1] != 0 {
		t.Fatal("released memory does not read as zeros")
	}
}
