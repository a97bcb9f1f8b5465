// Package kms is the service core of wasmkms: a world of AWS accounts and regions holding KMS keys
// and aliases, answering the KMS API at the AWS JSON 1.1 level. Every host (wasm module, HTTP endpoint,
// JS client) goes through World.Handle, so every host behaves the same.
//
// SKELETON: the contract only; the issue-2 work replaces the body.
package kms

import (
	"io"
	"time"
)

// Default caller, as the issue and the SDK examples use.
const (
	DefaultAccount = "111122223333"
	DefaultRegion  = "us-east-1"
)

// Caller is who sends a request. Empty members take the defaults: DefaultAccount, DefaultRegion and
// the principal arn:<partition>:iam::<account>:root.
type Caller struct {
	Account   string
	Region    string
	Principal string
}

// Options configures a world. The zero value is what every host uses by default.
type Options struct {
	// FreshRSAKeys generates RSA keys with crypto/rsa (seconds in wasm) instead of the shipped prime pool.
	FreshRSAKeys bool `json:"freshRSAKeys"`
	// TestHooks enables the WasmKMS.Panic target, for tests that prove a panic is recovered.
	TestHooks bool `json:"testHooks"`
	// Now and Rand default to time.Now and crypto/rand.Reader.
	Now  func() time.Time `json:"-"`
	Rand io.Reader        `json:"-"`
}

// World holds every account and region's keys and aliases. It is safe for concurrent use.
type World struct {
	opts Options
}

// NewWorld returns an empty world.
func NewWorld(opts Options) *World { return &World{opts: opts} }

// Handle answers one request: target is "TrentService.<Operation>" (or a "WasmKMS.*" admin target),
// body the JSON request. It returns the HTTP status and the JSON answer: the output, or
// {"__type": "...", "message": "..."}. It never panics.
func (w *World) Handle(c Caller, target string, body []byte) (status int, resp []byte) {
	return 400, []byte(`{"__type":"UnknownOperationException"}`)
}
