// Package embed holds the wasmkms WebAssembly module, built from ./wasm by ./build.sh build and
// committed, so that `go get` brings it: a Go user needs no checkout, no build step and no file at
// run time. testharness and kmstest load it; CI fails when the committed module is not byte for byte
// what the sources build.
package embed

import _ "embed"

// Binary is the module (wasmkms.wasm): the one every host loads, the JS package's js/wasmkms.wasm
// being a copy the build makes.
//
//go:embed wasmkms.wasm
var Binary []byte

// Sources says what Binary was built from, in sha256sum's format: the SHA-256 of the module, of
// go.mod, and of every Go and embedded file of the packages compiled into it (tests excepted), as
// they were when the build began. In a checkout, testharness refuses the module when a source no
// longer matches (or a new file appeared beside them): the tests would test old code.
//
//go:embed wasmkms.wasm.sources
var Sources string
