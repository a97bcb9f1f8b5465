package testharness

import (
	"context"
	"encoding/base64"
	"slices"
	"testing"
	"time"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// caller is the default caller; every benchmark uses it.
var caller = kms.Caller{}

// callFunc is one way of answering a request: natively or through the module.
type callFunc func(target string, body []byte) (int, []byte)

func nativeCall(w *kms.World) callFunc {
	return func(target string, body []byte) (int, []byte) { return w.Handle(caller, target, body) }
}

func moduleCall(tb testing.TB, w *World) callFunc {
	return func(target string, body []byte) (int, []byte) {
		status, resp, err := w.Call(context.Background(), caller, target, body)
		if err != nil {
			tb.Fatal(err)
		}
		return status, resp
	}
}

// encryptRequest creates a symmetric key and returns an Encrypt request for plaintextSize bytes under it.
func encryptRequest(tb testing.TB, call callFunc, plaintextSize int) []byte {
	tb.Helper()
	status, created := call("TrentService.CreateKey", []byte(`{}`))
	if status != 200 {
		tb.Fatalf("CreateKey: %d %s", status, created)
	}
	plaintext := base64.StdEncoding.EncodeToString(make([]byte, plaintextSize))
	return []byte(`{"KeyId":"` + jsonString(created, "KeyMetadata", "KeyId") + `","Plaintext":"` + plaintext + `"}`)
}

func runEncrypts(b *testing.B, call callFunc, req []byte) {
	for b.Loop() {
		if status, resp := call("TrentService.Encrypt", req); status != 200 {
			b.Fatalf("Encrypt: %d %s", status, resp)
		}
	}
}

// nativeBaselineCalls is how many native calls measure the baseline of BenchmarkEncrypt32B (a nested
// testing.Benchmark would deadlock on the testing package's benchmark lock).
const nativeBaselineCalls = 20_000

// nativeNsPerCall times nativeBaselineCalls calls of req against a fresh native world.
func nativeNsPerCall(b *testing.B, target string, plaintextSize int) float64 {
	call := nativeCall(kms.NewWorld(kms.Options{}))
	req := encryptRequest(b, call, plaintextSize)
	start := time.Now()
	for range nativeBaselineCalls {
		if status, resp := call(target, req); status != 200 {
			b.Fatalf("%s: %d %s", target, status, resp)
		}
	}
	return float64(time.Since(start).Nanoseconds()) / nativeBaselineCalls
}

// BenchmarkEncrypt32B is a 32-byte Encrypt through the module, with the same call against the native
// core as the baseline measured in the same process: x-native is the module's cost as a multiple.
func BenchmarkEncrypt32B(b *testing.B) {
	native := nativeNsPerCall(b, "TrentService.Encrypt", 32) // before b.Loop, which starts the timer
	w := newWorld(b, newHarness(b), kms.Options{})
	call := moduleCall(b, w)
	req := encryptRequest(b, call, 32)
	runEncrypts(b, call, req)
	moduleNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(native, "native-ns/op")
	b.ReportMetric(moduleNs/native, "x-native")
}

// BenchmarkEncrypt32BNative is the baseline alone, for comparison with the core's own benchmarks.
func BenchmarkEncrypt32BNative(b *testing.B) {
	call := nativeCall(kms.NewWorld(kms.Options{}))
	runEncrypts(b, call, encryptRequest(b, call, 32))
}

// keysPerWorld bounds the RSA keys one world is asked for, so that the benchmark measures CreateKey
// with a full prime pool, not a world that has drawn every pair.
const keysPerWorld = 50

// BenchmarkCreateKeyRSA4096 is CreateKey RSA_4096 through the module, with the default (prime pool)
// key generation; the target is a median of at most 5 ms.
func BenchmarkCreateKeyRSA4096(b *testing.B) {
	ctx := context.Background()
	h := newHarness(b)
	req := []byte(`{"KeySpec":"RSA_4096","KeyUsage":"ENCRYPT_DECRYPT"}`)
	var durations []time.Duration
	var w *World
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%keysPerWorld == 0 {
			b.StopTimer()
			if w != nil {
				w.Close()
			}
			var err error
			if w, err = h.NewWorld(ctx, WorldOptions{}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		start := time.Now()
		status, resp, err := w.Call(ctx, caller, "TrentService.CreateKey", req)
		durations = append(durations, time.Since(start))
		if err != nil || status != 200 {
			b.Fatalf("CreateKey RSA_4096: %d %s %v", status, resp, err)
		}
	}
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "median-ms")
}

// BenchmarkInstantiate is New (instantiate the process's compiled module and run _initialize, the
// core's package initialization included) and Close: the start-up cost of a fresh instance.
func BenchmarkInstantiate(b *testing.B) {
	ctx := context.Background()
	newHarness(b) // compiles once, outside the measurement
	for b.Loop() {
		h, err := New(ctx, Options{})
		if err != nil {
			b.Fatal(err)
		}
		h.Close()
	}
}
