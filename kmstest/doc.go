// Package kmstest gives a Go test a real aws-sdk-go-v2 KMS client of its own fresh wasmkms world, in
// one line:
//
//	client := kmstest.New(t)
//
// The client is a *kms.Client of github.com/aws/aws-sdk-go-v2/service/kms, bound to the world through
// an in-process HTTP client (no socket, no port), and the world is dropped when the test ends. Options
// choose the caller's account and region, make the world reproducible (WithSeed), start it on a manual
// clock (WithClock), load fixture keys (WithFixtures, WithFixturesFile), and hand the test the world's
// controls (WithWorld: its clock, faults, journal of calls and snapshots, see testharness.World).
// Server starts an HTTP endpoint on 127.0.0.1 for code that wants a URL.
//
// All tests of a process share one instance of the module, compiled once (and cached on disk, so
// that later processes load it in a fraction of a second); each test's world is isolated from the
// others', and tests may run in parallel. The module ships inside the Go module: `go get` is all
// it takes.
package kmstest
