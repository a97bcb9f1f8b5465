//go:build !unix

package testharness

import "time"

var start = time.Now()

// cpuTime is the wall clock where getrusage is not available.
func cpuTime() time.Duration { return time.Since(start) }
