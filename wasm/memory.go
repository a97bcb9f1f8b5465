//go:build wasip1

package main

import (
	"math/bits"
	"unsafe"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// maxAllocation bounds one wasmkms_alloc (abi.MaxAllocation says why).
const maxAllocation = abi.MaxAllocation

// allocations keeps every buffer handed to the host reachable (so the garbage collector neither
// frees nor reuses it) until wasmkms_free, keyed by its address in linear memory. Go's collector
// does not move objects, so the address stays valid.
var allocations = map[uint32][]byte{}

// A buffer of up to 1<<maxSpareClass bytes is made with a power-of-two capacity, and one that is freed
// is kept as the spare of its class for the next allocation of that class: the host frees every
// answer before its next call, so each call's answer takes the last one's buffer instead of new
// memory (the answer's make was the largest allocation of the module's own code on a direct Encrypt;
// BENCHMARKS.md, issue 15). At most one spare per class: 128 KiB at most, kept reachable.
const (
	minSpareClass = 6  // 64 bytes
	maxSpareClass = 16 // 64 KiB
)

var spares [maxSpareClass + 1][]byte

// spareClass is the class of a buffer of size bytes (its capacity is 1<<class), or -1 for one too
// large to keep.
func spareClass(size int) int {
	if size > 1<<maxSpareClass {
		return -1
	}
	return max(bits.Len(uint(size-1)), minSpareClass)
}

// answerScratch is where wasmkms_call has the core write the answers it writes itself
// (kms.World.HandleAppend), before writeAnswer copies one into the host's allocation: kept from call to
// call up to 64 KiB, so that a large answer (a ListKeys page) needs no fresh buffer each time. Taken
// while a call uses it, so that a call that began meanwhile gets a buffer of its own.
var answerScratch []byte

func takeAnswerScratch() []byte {
	b := answerScratch
	answerScratch = nil
	return b[:0]
}

// keepAnswerScratch keeps an answer's buffer, once copied out, for the next call's answer.
func keepAnswerScratch(b []byte) {
	if cap(b) <= 1<<maxSpareClass {
		answerScratch = b[:0]
	}
}

// allocate returns a buffer of size bytes, registered as live, and its address. It is zeroed, as a
// fresh make is, only when it is new: each caller writes all of it (an answer) or leaves it to the
// host (wasmkms_alloc), and linear memory holds nothing the host cannot read anyway.
func allocate(size int) (uint32, []byte) {
	noteBoundaryBytes(size)
	// A zero-size request still gets a distinct address, so that it can be freed like any other.
	var backing []byte
	if class := spareClass(max(size, 1)); class < 0 {
		backing = make([]byte, size)
	} else if backing = spares[class]; backing != nil {
		spares[class] = nil
	} else {
		backing = make([]byte, 1<<class)
	}
	ptr := addressOf(backing)
	allocations[ptr] = backing[:size]
	return ptr, backing[:size]
}

// release forgets a live allocation, keeping it as its class's spare when that has none; it reports
// false for an address that is not one.
func release(ptr uint32) bool {
	buf, ok := allocations[ptr]
	if !ok {
		return false
	}
	delete(allocations, ptr)
	if class := spareClass(cap(buf)); class >= 0 && cap(buf) == 1<<class && spares[class] == nil {
		spares[class] = buf[:cap(buf)]
	}
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
