package kmsabi

import (
	"io"
	"time"
)

// Options configures a world. The zero value is what every host uses by default. The JSON members
// are the world config a host hands the module (wasm/ABI.md); the others are the core's own and never
// cross. Engine is the type of the core's host-primitives engine (internal/kms: Options is
// Options[*kmscrypto.Engine]), a type parameter so that this package need not import the core's
// cryptography; a host that only encodes the config can use Options[any].
type Options[Engine any] struct {
	// FreshRSAKeys generates RSA keys with crypto/rsa (seconds in wasm) instead of the shipped prime pool.
	FreshRSAKeys bool `json:"freshRSAKeys"`
	// TestHooks enables the WasmKMS.Panic target, for tests that prove a panic is recovered.
	TestHooks bool `json:"testHooks"`
	// Seed, when set, makes the world's randomness reproducible (internal/kms/seed.go).
	Seed string `json:"seed,omitempty"`
	// Clock, when set (RFC 3339), starts a manual clock at that instant (internal/kms/clock.go).
	Clock string `json:"clock,omitempty"`
	// AllowAnyRegion accepts callers in a Region of any name (a host label), not only AWS's Regions
	// (internal/kms/callers.go).
	AllowAnyRegion bool `json:"allowAnyRegion,omitempty"`
	// Journal false turns the call journal off (internal/kms/journal.go): no call is recorded, and
	// WasmKMS.Calls refuses rather than answer an empty list that a test would read as "no calls".
	// Absent: on.
	Journal *bool `json:"journal,omitempty"`
	// HostCrypto false makes the world run Go's own cryptography even where the host supplies faster
	// primitives (Crypto): the same answers, for tests that compare the two. Absent: on.
	HostCrypto *bool `json:"hostCrypto,omitempty"`
	// Crypto is the host's primitives (internal/kms/hostcrypto.go); the zero value (a nil engine):
	// Go's own code. The module sets it.
	Crypto Engine `json:"-"`
	// Now and Rand default to time.Now and crypto/rand.Reader.
	Now  func() time.Time `json:"-"`
	Rand io.Reader        `json:"-"`
}
