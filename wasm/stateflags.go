//go:build wasip1

package main

import (
	"unsafe"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// stateArea is what the host reads after a call, in place (ABI.md, "State flags"): the kms.StateFlags
// of the world the last call ran on, rewritten at the end of every wasmkms_call and direct export,
// then the address and length of the record of that call's changes when the world's host takes each
// change at the end of its call (kms.World.AfterCall; abi.StateRecordTaken among the flags). A call of
// the host's own to ask, or to take, would cost as much as the Encrypt it follows.
var stateArea [3]uint32

// stateRecord holds the last record taken, for the host to copy before its next call; its memory is
// used again for the next one.
var stateRecord []byte

// keptRecordCapacity: a larger record's memory (a change of many keys) is not kept for the next.
const keptRecordCapacity = 64 << 10

//go:wasmexport wasmkms_state_flags
func exportStateFlags() uint32 {
	return uint32(uintptr(unsafe.Pointer(&stateArea[0])))
}

// beginStateCall, as a call begins: no record is offered until this call's end writes one, so that a
// call that fails before its end (a panic in the module's own code) cannot offer the last call's
// record again.
func beginStateCall() {
	stateArea[0] &^= abi.StateRecordTaken
	stateArea[1], stateArea[2] = 0, 0
}

// noteStateFlags keeps the world's flags after a call, and the record of its changes if the world's
// host takes each one then.
func noteStateFlags(w *kms.World) {
	buf := stateRecord[:0]
	if cap(buf) > keptRecordCapacity {
		buf = nil
	}
	flags, record := w.AfterCall(buf)
	stateRecord = record
	if flags&kms.StateRecordTaken != 0 && len(record) > 0 {
		stateArea[1] = uint32(uintptr(unsafe.Pointer(&record[0])))
		stateArea[2] = uint32(len(record))
	}
	stateArea[0] = flags
}
