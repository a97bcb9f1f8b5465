package testharness

import (
	"encoding/json"
	"time"

	"github.com/wasmkms/wasmkms/internal/kmsabi"
)

// Caller is the core's caller (kmsabi.Caller, internal/kms's Caller) under a name that Go code
// outside this module can write: internal packages cannot be imported from another module, aliases
// of their types can.
type Caller = kmsabi.Caller

// WorldOptions configures a world (Harness.NewWorld). The zero value is an empty world on real time
// with fresh randomness, what most tests want.
type WorldOptions struct {
	// FreshRSAKeys generates RSA keys with crypto/rsa in the module (seconds for RSA_4096) instead of
	// taking them from the shipped pool of test primes.
	FreshRSAKeys bool
	// TestHooks enables the WasmKMS.Panic target, for tests that prove a panic is recovered.
	TestHooks bool
	// Seed makes the world reproducible: two worlds with the same seed that receive the same calls
	// give the same answers (key IDs, key material, ciphertexts, signatures).
	Seed string
	// Clock, when not zero, starts the world on a manual clock at that instant: it moves only when the
	// test says so (World.Clock().Set and Advance), and a latency fault advances it instead of sleeping.
	Clock time.Time
	// Fixtures are loaded into the world once it is made: the JSON body of WasmKMS.LoadFixtures,
	// {"keys": [...]}, e.g. from a file by LoadFixtures.
	Fixtures json.RawMessage
	// AllowAnyRegion accepts callers in a Region of any name (a host label), not only AWS's Regions:
	// by default a call from another Region is refused, as AWS refuses it (World.CheckCaller).
	AllowAnyRegion bool
	// NoJournal turns the call journal off: the world records no call, and Calls refuses. It saves
	// the journal's small cost per call, for a world whose calls no test asserts on.
	NoJournal bool
	// NoHostCrypto makes the module run its own Go cryptography (as in a browser) instead of asking
	// the harness for native Go's primitives (hostcrypto.go): the same answers, slower, for tests that
	// compare the two.
	NoHostCrypto bool
	// NoRecovery: the world keeps no copy of its state outside the instance (recovery.go). By default
	// it keeps one, taken after each call that changed it, and a trap of the instance does not lose it:
	// its next call rebuilds it on a fresh instance. Without one, a trap loses the world: every call
	// answers ErrDeadInstance.
	NoRecovery bool
}

// coreOptions is the world config that crosses into the module (wasm/ABI.md): kmsabi.Options' JSON
// (the core's kms.Options; no engine: the module sets its own).
func (o WorldOptions) coreOptions() kmsabi.Options[any] {
	opts := kmsabi.Options[any]{FreshRSAKeys: o.FreshRSAKeys, TestHooks: o.TestHooks, Seed: o.Seed, AllowAnyRegion: o.AllowAnyRegion}
	if !o.Clock.IsZero() {
		opts.Clock = o.Clock.UTC().Format(time.RFC3339Nano)
	}
	if o.NoJournal {
		journal := false
		opts.Journal = &journal
	}
	if o.NoHostCrypto {
		hostCrypto := false
		opts.HostCrypto = &hostCrypto
	}
	return opts
}
