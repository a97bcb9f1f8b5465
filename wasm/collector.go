//go:build wasip1

package main

import "runtime"

// A wasip1 instance runs goroutines only while an export is running, and the garbage collector
// finishes a cycle in its own goroutines: an instance whose exports never yield starts cycles that
// never end, and its heap, so its linear memory, grows with every call until it traps (measured: +3.5
// KB per Encrypt of 32 bytes while the world held a few MB; 353 MB after 100,000 Encrypts, against
// 25.7 MB with a yield). testharness's memory test and test/node/regions-memory.test.mjs hold it.
//
// The yield is runtime.Gosched, which costs a trip through the scheduler (and, while a cycle runs,
// a switch to the collector's worker and back, with clock reads through the host): some 3-4% of a
// direct Encrypt when made after every call. So an export yields after every yieldEvery-th call, and
// at once after a call that moved yieldBytes or more across the boundary (its request and answer): a
// call that large allocates enough that its cycle should end before the next. Linear memory after
// 100,000 Encrypts was the same as with a yield after every call (BENCHMARKS.md, issue 15).
const (
	yieldEvery = 8
	yieldBytes = 64 << 10
)

var (
	callsSinceYield int // exports run one at a time, and the collector's goroutines never touch these
	bytesSinceYield int
)

// noteBoundaryBytes counts bytes a call moved across the boundary: its request, its answer.
func noteBoundaryBytes(n int) { bytesSinceYield += n }

// letTheCollectorRun is called by every export that runs the core, before it returns.
func letTheCollectorRun() {
	callsSinceYield++
	if callsSinceYield < yieldEvery && bytesSinceYield < yieldBytes {
		return
	}
	callsSinceYield, bytesSinceYield = 0, 0
	runtime.Gosched()
}
