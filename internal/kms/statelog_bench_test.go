package kms

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// stateLogOfSymmetricKeys is the state log of a world of n symmetric keys with the default policy in
// the default account and Region (made by WasmKMS.LoadFixtures, 5,000 a call), as a compaction
// writes it.
func stateLogOfSymmetricKeys(b *testing.B, n int) []byte {
	b.Helper()
	w := NewWorld(Options{})
	for made := 0; made < n; {
		batch := min(5000, n-made)
		body := `{"keys":[` + strings.Repeat(`{},`, batch-1) + `{}]}`
		if status, resp := w.Handle(Caller{}, "WasmKMS.LoadFixtures", []byte(body)); status != 200 {
			b.Fatalf("%s", resp)
		}
		made += batch
	}
	var log bytes.Buffer
	if err := w.WriteStateLog(&log); err != nil {
		b.Fatal(err)
	}
	return log.Bytes()
}

// BenchmarkStateLogLoad100k: a state log of 100,000 symmetric keys loaded into a world, fed in 1 MiB
// pieces as the endpoint feeds its state file (issue 14's target: a start at 100,000 keys within 1 s
// in the wasm module; BENCHMARKS.md, "The state file").
func BenchmarkStateLogLoad100k(b *testing.B) {
	log := stateLogOfSymmetricKeys(b, 100000)
	b.SetBytes(int64(len(log)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		// The worlds loaded before are garbage: collected first, as a process that loads once has none.
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		w := NewWorld(Options{})
		l := w.NewStateLogLoader()
		for rest := log; len(rest) > 0; {
			piece := rest[:min(len(rest), 1<<20)]
			rest = rest[len(piece):]
			if _, err := l.Write(piece); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := l.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
