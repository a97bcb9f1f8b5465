//go:build wasip1

package main

import (
	"unsafe"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// maxAllocation bounds one wasmkms_alloc (abi.MaxAllocation says why).
const maxAllocation = abi.MaxAllocation

// allocations keeps every buffer handed to the host reachable (so the garbage collector neither
// frees nor reuses it) until wasmkms_free, keyed by its address in linear memory. Go's collector
// does not move objects, so the address stays valid.
var allocations = map[uint32][]byte{}

// allocate returns a fresh buffer of size bytes, registered as live, and its address.
func allocate(size int) (uint32, []byte) {
	// A zero-size request still gets a distinct address, so that it can be freed like any other.
	backing := make([]byte, max(size, 1))
	ptr := addressOf(backing)
	allocations[ptr] = backing[:size]
	return ptr, backing[:size]
}

// release forgets a live allocation; it reports false for an address that is not one.
func release(ptr uint32) bool {
	if _, ok := allocations[ptr]; !ok {
		return false
	}
	delete(allocations, ptr)
	return true
}

// span returns the bytes [ptr, ptr+length) if they lie wholly inside one live allocation. It never
// builds a slice from an unchecked pointer: the answer is always a subslice of a Go-owned buffer.
func span(ptr, length uint32) ([]byte, bool) {
	if buf, ok := allocations[ptr]; ok { // the usual case: the host passes what it allocated
		if uint64(length) <= uint64(len(buf)) {
			return buf[:length], true
		}
		return nil, false
	}
	for base, buf := range allocations {
		if ptr < base {
			continue
		}
		offset := uint64(ptr - base)
		if offset < uint64(len(buf)) && offset+uint64(length) <= uint64(len(buf)) {
			return buf[offset : offset+uint64(length)], true
		}
	}
	return nil, false
}

func addressOf(b []byte) uint32 {
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}
