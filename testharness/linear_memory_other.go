//go:build !linux

package testharness

// mapMemory answers n zero bytes of Go's heap, and no mapping: huge pages are asked for on Linux only
// (linear_memory_linux.go).
func mapMemory(n int) (b, mapping []byte) { return make([]byte, n), nil }

// releaseMemory has nothing to do: the memory is the collector's.
func releaseMemory([]byte) {}
