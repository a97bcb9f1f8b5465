// Package testharness runs the wasmkms WebAssembly module (embedded in the Go module by package embed)
// from Go with wazero, and serves it over HTTP as AWS JSON 1.1, so that Go tests and programs that use
// aws-sdk-go-v2/service/kms can run against the same module every JS host loads. Package kmstest is
// the one-line way to get an SDK client of a fresh world; this package is what it is built on.
//
// The module is compiled once per process, and the compiled code is cached in the user's cache
// directory (os.UserCacheDir()/wasmkms), so that only a machine's first process compiles it.
//
//	h, err := testharness.New(ctx, testharness.Options{})
//	w, err := h.NewWorld(ctx, testharness.WorldOptions{})
//	status, resp, err := w.Call(ctx, testharness.Caller{}, "TrentService.CreateKey", []byte(`{}`))
//
//	srv, err := testharness.NewServer(w) // then BaseEndpoint: aws.String(srv.URL) in the KMS client
//	defer srv.Close()
//
// A world has controls for tests (controls.go), none of them reachable from the KMS wire:
// WorldOptions.Seed (the same answers on every run), WorldOptions.Clock (a manual clock) and
// WorldOptions.Fixtures (keys to start with, e.g. from LoadFixtures(path)); World.Clock() (Now, Set,
// Advance), World.Faults() (Add a Fault: an error, a latency, or both, for matching calls; Remove,
// Clear, List), World.Calls(ctx, CallFilter) (the calls the world answered, with their input and
// output), World.Snapshot and World.Restore. NewServer honours latency faults: it waits before
// answering, or advances a manual clock instead.
//
// The module's ABI is wasm/ABI.md; this package is one host of it, js/core/ is the other.
package testharness
