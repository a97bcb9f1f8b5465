//go:build unix

package testharness

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and system), for benchmarks that compare two
// ways of doing one thing on a loaded machine: unlike the wall clock, it leaves out the time the
// process waited for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
