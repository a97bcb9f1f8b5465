// Command wasm is the wasmkms WebAssembly module: //go:wasmexport functions over internal/kms and
// nothing else. The ABI is documented in ABI.md, the one place that describes it; this package
// implements it.
package main

// abiVersion is the answer of wasmkms_abi_version. Hosts refuse a module whose version they do not
// know, so it changes whenever ABI.md changes incompatibly.
const abiVersion = 1

// Negative results of the exports, as ABI.md lists them.
const (
	errBadPointer   = -1 // a pointer/length that is not inside a live allocation
	errBadConfig    = -2 // a world config that is not valid JSON for kms.Options
	errUnknownWorld = -3 // a world handle that is not live
	errBadHeader    = -4 // a malformed wasmkms_call request header
)

// main is never called: a c-shared wasip1 module is a reactor, driven through its exports after
// _initialize.
func main() {}
