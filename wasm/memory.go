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
// frees nor reuses it) until wasmkms_free, keyed by its address in linear memory (the newest few are
// in recent instead). Go's collector
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
	keepLive(ptr, backing[:size])
	return ptr, backing[:size]
}

// recent holds the newest live allocations outside the map (ptr 0: an empty slot): the host's request
// and out areas are looked up on every call and an answer is made and freed on every call, each a map
// operation with wasm's fallback hash otherwise (some 3% of a direct Encrypt 32 B through wazero, the
// answer's delete alone 1.6%: BENCHMARKS.md, issue 15). An allocation made when every slot is taken
// sends the oldest-placed one to the map.
var (
	recent     [4]liveAllocation
	recentNext int // the slot the next eviction empties
)

type liveAllocation struct {
	ptr uint32
	buf []byte
}

// keepLive registers a new allocation.
func keepLive(ptr uint32, buf []byte) {
	for i := range recent {
		if recent[i].ptr == 0 {
			recent[i] = liveAllocation{ptr, buf}
			return
		}
	}
	old := &recent[recentNext]
	allocations[old.ptr] = old.buf
	*old = liveAllocation{ptr, buf}
	recentNext = (recentNext + 1) % len(recent)
}

// recentSlot is the slot of recent that holds the allocation at ptr, or -1 (ptr 0 is never one: it
// marks an empty slot).
func recentSlot(ptr uint32) int {
	if ptr != 0 {
		for i := range recent {
			if recent[i].ptr == ptr {
				return i
			}
		}
	}
	return -1
}

// live is the allocation at ptr, if ptr is the start of one.
func live(ptr uint32) ([]byte, bool) {
	if i := recentSlot(ptr); i >= 0 {
		return recent[i].buf, true
	}
	buf, ok := allocations[ptr]
	return buf, ok
}

// forget unregisters the allocation at ptr, if ptr is the start of one.
func forget(ptr uint32) ([]byte, bool) {
	if i := recentSlot(ptr); i >= 0 {
		buf := recent[i].buf
		recent[i] = liveAllocation{}
		return buf, true
	}
	buf, ok := allocations[ptr]
	if ok {
		delete(allocations, ptr)
	}
	return buf, ok
}

// release forgets a live allocation, keeping it as its class's spare when that has none; it reports
// false for an address that is not one.
func release(ptr uint32) bool {
	buf, ok := forget(ptr)
	if !ok {
		return false
	}
	if class := spareClass(cap(buf)); class >= 0 && cap(buf) == 1<<class && spares[class] == nil {
		spares[class] = buf[:cap(buf)]
	}
	return true
}

// span returns the bytes [ptr, ptr+length) if they lie wholly inside one live allocation. It never
// builds a slice from an unchecked pointer: the answer is always a subslice of a Go-owned buffer.
func span(ptr, length uint32) ([]byte, bool) {
	if buf, ok := live(ptr); ok { // the usual case: the host passes what it allocated
		if uint64(length) <= uint64(len(buf)) {
			return buf[:length], true
		}
		return nil, false
	}
	for i := range recent {
		if b, ok := within(recent[i].ptr, recent[i].buf, ptr, length); ok {
			return b, true
		}
	}
	for base, buf := range allocations {
		if b, ok := within(base, buf, ptr, length); ok {
			return b, true
		}
	}
	return nil, false
}

// within is [ptr, ptr+length) of the allocation buf at base, if it lies wholly inside it.
func within(base uint32, buf []byte, ptr, length uint32) ([]byte, bool) {
	if base == 0 || ptr < base {
		return nil, false
	}
	offset := uint64(ptr - base)
	if offset < uint64(len(buf)) && offset+uint64(length) <= uint64(len(buf)) {
		return buf[offset : offset+uint64(length)], true
	}
	return nil, false
}

func addressOf(b []byte) uint32 {
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}
