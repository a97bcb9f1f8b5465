package kms

import (
	"testing"
)

// worldOfSymmetricKeys is a world holding n symmetric keys in the default account and Region, made
// through Handle.
func worldOfSymmetricKeys(b *testing.B, n int) *World {
	b.Helper()
	w := NewWorld(Options{})
	for i := 0; i < n; i++ {
		if status, resp := w.Handle(Caller{}, "TrentService.CreateKey", []byte(`{}`)); status != 200 {
			b.Fatalf("%s", resp)
		}
	}
	return w
}

// BenchmarkExportState10kSymmetric and BenchmarkImportState10kSymmetric: WasmKMS.ExportState and
// WasmKMS.ImportState of a world of 10,000 symmetric keys, through Handle (JSON included). The
// target is at most 200 ms each in the wasm module.
func BenchmarkExportState10kSymmetric(b *testing.B) {
	w := worldOfSymmetricKeys(b, 10000)
	b.ResetTimer()
	var size int
	for i := 0; i < b.N; i++ {
		status, resp := w.Handle(Caller{}, "WasmKMS.ExportState", nil)
		if status != 200 {
			b.Fatalf("%s", resp)
		}
		size = len(resp)
	}
	b.ReportMetric(float64(size), "state-bytes")
}

func BenchmarkImportState10kSymmetric(b *testing.B) {
	_, state := worldOfSymmetricKeys(b, 10000).Handle(Caller{}, "WasmKMS.ExportState", nil)
	w := NewWorld(Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if status, resp := w.Handle(Caller{}, "WasmKMS.ImportState", state); status != 200 {
			b.Fatalf("%s", resp)
		}
	}
}
