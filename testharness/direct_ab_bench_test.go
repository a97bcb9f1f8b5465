package testharness

import (
	"context"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// BenchmarkDirectEncrypt32BModules compares two builds of the module on a direct Encrypt 32 B: the
// files $WASMKMS_AB_A and $WASMKMS_AB_B, each in a harness and a world of its own, their batches
// alternating in one process and timed in its CPU time as benchmarkDirect's are (a collection and an
// untimed call before each batch); medians of the batches' time per call, and B's over A's. A change
// to the module measured so leaves out the machine's drift and the native core (which the same change
// may speed up too, moving x-native's denominator):
//
//	WASMKMS_AB_A=before.wasm WASMKMS_AB_B=after.wasm go test ./testharness -run '^$' -bench DirectEncrypt32BModules -benchtime 300x
func BenchmarkDirectEncrypt32BModules(b *testing.B) {
	paths := [2]string{os.Getenv("WASMKMS_AB_A"), os.Getenv("WASMKMS_AB_B")}
	if paths[0] == "" || paths[1] == "" {
		b.Skip("set WASMKMS_AB_A and WASMKMS_AB_B to the two module files to compare")
	}
	ctx := context.Background()
	var worlds [2]*World
	var reqs [2][]byte
	for i, path := range paths {
		h, err := New(ctx, Options{ModulePath: path})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { h.Close() })
		worlds[i] = newWorld(b, h, kms.Options{})
		reqs[i] = directRequest("wasmkms_encrypt", members{"KeyId": createdKey(b, worlds[i], `{}`), "Plaintext": make([]byte, 32)})
	}
	const batch = 50
	var times [2][]time.Duration
	call := func(i int) {
		if status, resp, err := worlds[i].directCall(ctx, "wasmkms_encrypt", reqs[i]); err != nil || status != 200 {
			b.Fatalf("%s: %d %s %v", paths[i], status, resp, err)
		}
	}
	for b.Loop() {
		for i := range worlds {
			runtime.GC()
			call(i)
			t0 := cpuTime()
			for range batch {
				call(i)
			}
			times[i] = append(times[i], cpuTime()-t0)
		}
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Nanoseconds()) / batch
	}
	a, after := median(times[0]), median(times[1])
	b.ReportMetric(a, "A-cpu-ns/call")
	b.ReportMetric(after, "B-cpu-ns/call")
	b.ReportMetric(after/a, "B/A")
}
