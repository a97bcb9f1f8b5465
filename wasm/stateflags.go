//go:build wasip1

package main

import (
	"unsafe"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// stateFlags is the kms.StateFlags of the world the last call ran on, rewritten at the end of every
// wasmkms_call and direct export (ABI.md, "State flags"). The host reads it in place, one load after
// a call, to know whether the world has changes to take: a call of its own to ask would cost as much
// as the Encrypt it follows.
var stateFlags uint32

//go:wasmexport wasmkms_state_flags
func exportStateFlags() uint32 {
	return uint32(uintptr(unsafe.Pointer(&stateFlags)))
}

// noteStateFlags keeps the world's flags after a call.
func noteStateFlags(w *kms.World) {
	stateFlags = w.StateFlags()
}
