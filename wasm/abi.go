// Command wasm is the wasmkms WebAssembly module: //go:wasmexport functions over internal/kms and
// nothing else. The ABI is documented in ABI.md, the one place that describes it; this package
// implements it. Its numbers (the version, the negative result codes, the absent field length) are
// internal/abi's, which the wazero host uses too.
package main

// main is never called: a c-shared wasip1 module is a reactor, driven through its exports after
// _initialize.
func main() {}
