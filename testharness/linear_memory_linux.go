package testharness

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on Linux's amd64 and arm64.
const hugePage = 2 << 20

// mapMemory answers n zero bytes of anonymous memory that the kernel may back with transparent huge
// pages (MADV_HUGEPAGE: the default setting, "madvise", gives them only to memory that asks), starting
// at a huge page's boundary so that the first bytes, the module's busiest, get one too; and the
// mapping they lie in (a huge page larger, for the alignment: address space, not memory). Go's heap,
// and no mapping, where mapping fails.
func mapMemory(n int) (b, mapping []byte) {
	mapping, err := syscall.Mmap(-1, 0, n+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n), nil
	}
	skip := int(-uintptr(unsafe.Pointer(unsafe.SliceData(mapping))) & (hugePage - 1))
	b = mapping[skip : skip+n : skip+n]
	syscall.Madvise(b, syscall.MADV_HUGEPAGE) // a hint: where huge pages are off, 4 KiB pages serve
	return b, mapping
}

// releaseMemory gives the pages of a mapping of mapMemory's back to the system (nil: nothing to do).
// The address range stays mapped, reading as zeros: a slice of the memory that outlived its instance
// (as one of Go's heap may) reads zeros rather than faulting. Address space is plentiful; the pages
// are what counts.
func releaseMemory(mapping []byte) {
	if mapping != nil {
		syscall.Madvise(mapping, syscall.MADV_DONTNEED)
	}
}
