package testharness

import "github.com/tetratelabs/wazero/experimental"

// linearMemoryReserve is the capacity a module's linear memory starts with. The Go runtime in the
// module grows its memory many times while it starts (to some 6 MiB), and wazero's own memory copies
// the whole of it at each grow: a tenth of a second of every process's start went there. Within the
// reserve a grow copies nothing; the reserve is address space until the module touches it.
const linearMemoryReserve = 16 << 20

// linearMemory is a module's memory as one slice with room to grow in place: past its capacity it
// doubles (up to the module's maximum), so that a growing world costs few copies too. The slice is
// mapped memory where the platform backs it with huge pages (linear_memory_linux.go): the module's
// code reaches all over its memory, and with 4 KiB pages a direct Encrypt took a third longer
// (BENCHMARKS.md).
type linearMemory struct {
	buf     []byte
	mapping []byte // the mapping buf lies in, for releaseMemory; nil when buf is Go's
	max     uint64
}

// memoryAllocator makes each instance's linearMemory (experimental.WithMemoryAllocator).
var memoryAllocator = experimental.MemoryAllocatorFunc(func(capacity, maximum uint64) experimental.LinearMemory {
	buf, mapping := mapMemory(int(min(maximum, max(capacity, linearMemoryReserve))))
	return &linearMemory{buf: buf[:0], mapping: mapping, max: maximum}
})

// Reallocate answers the memory at size bytes, the new bytes zero, or nil past the maximum (a failed
// memory.grow, which the module handles).
func (m *linearMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		return nil
	}
	if size > uint64(cap(m.buf)) {
		grown, mapping := mapMemory(int(min(m.max, max(size, 2*uint64(cap(m.buf))))))
		copy(grown, m.buf)
		releaseMemory(m.mapping)
		m.buf, m.mapping = grown[:len(m.buf)], mapping
	}
	m.buf = m.buf[:size] // within the capacity, bytes never used before are still zero
	return m.buf
}

// Free lets the memory go.
func (m *linearMemory) Free() {
	releaseMemory(m.mapping)
	m.buf, m.mapping = nil, nil
}
