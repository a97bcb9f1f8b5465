package kms

import kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"

// crypto is the engine the world's cryptography runs on: the host's primitives (Options.Crypto, which
// the module sets from its host, wasm/ABI.md "Host primitives") unless Options.HostCrypto is false;
// nil is Go's own code. Either gives the same answers: the engine changes the speed, never a byte of
// what a seeded world answers (internal/crypto/host_test.go, and the conformance scenarios run both).
func (w *World) crypto() *kmscrypto.Engine {
	if w.opts.HostCrypto != nil && !*w.opts.HostCrypto {
		return nil
	}
	return w.opts.Crypto
}

// hostCryptoTarget answers WasmKMS.HostCrypto, for tests that must see which code ran: whether this
// world runs on the host's primitives, which ones the host supplies (internal/abi's Cap* bits, less
// any that failed) and how many the host has run for the instance's worlds.
func hostCryptoTarget(w *World, _ caller, _ []byte) (any, *apiError) {
	e := w.crypto()
	return map[string]any{"inUse": e != nil, "capabilities": e.Capabilities(), "primitivesRun": e.PrimitivesRun()}, nil
}
