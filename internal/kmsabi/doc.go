// Package kmsabi is what the Go hosts share with the core about a world and its answers, without
// the core itself: who calls (Caller and the defaults), how a world is configured (Options, whose JSON
// crosses into the module: wasm/ABI.md), and the error answer (every exception name the service
// answers with its HTTP status, and the one encoder of an error body). internal/kms uses these very
// definitions (its Caller and Options are aliases of these), so each fact is written once; the hosts
// (testharness, kmstest) import this package and not internal/kms, so that a user's test binary, which
// talks to the core through the wasm module, does not compile the core and its cryptography (circl,
// filippo.io/mldsa, x/crypto and the rest) natively as well.
package kmsabi
