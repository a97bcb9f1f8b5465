//go:build wasip1

package main

import (
	"encoding/binary"
	"sync"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// mu guards allocations and worlds. A wasip1 instance runs one export at a time, but goroutines the
// core starts run while an export is running and must never see the maps half-updated.
var mu sync.Mutex

// Every export recovers: a Go panic that escaped an export would take the whole instance down with
// every world in it. The exports that write an answer (wasmkms_call and the direct ones) answer 500
// KMSInternalException (answerPanic; recover.go says which layer recovers what); the others answer
// their own failure value.

//go:wasmexport wasmkms_abi_version
func exportABIVersion() int32 { return abi.Version }

//go:wasmexport wasmkms_alloc
func exportAlloc(size int32) (ptr uint32) {
	defer func() {
		if recover() != nil {
			ptr = 0
		}
	}()
	if size < 0 || size > maxAllocation {
		return 0
	}
	mu.Lock()
	defer mu.Unlock()
	ptr, _ = allocate(int(size))
	return ptr
}

//go:wasmexport wasmkms_free
func exportFree(ptr uint32) (result int32) {
	defer func() {
		if recover() != nil {
			result = abi.ErrBadPointer
		}
	}()
	mu.Lock()
	defer mu.Unlock()
	if !release(ptr) {
		return abi.ErrBadPointer
	}
	return 0
}

//go:wasmexport wasmkms_world_new
func exportWorldNew(cfgPtr, cfgLen uint32) (handle int32) {
	defer func() {
		if recover() != nil {
			handle = abi.ErrBadConfig
		}
	}()
	mu.Lock()
	defer mu.Unlock()
	var raw []byte
	if cfgLen > 0 { // an empty config needs no buffer at all
		var ok bool
		if raw, ok = span(cfgPtr, cfgLen); !ok {
			return abi.ErrBadPointer
		}
	}
	opts, err := parseWorldConfig(raw)
	if err != nil {
		return abi.ErrBadConfig
	}
	opts.Crypto = hostEngine() // the host's primitives (hostcrypto.go); the config's hostCrypto may refuse them
	return addWorld(kms.NewWorld(opts))
}

//go:wasmexport wasmkms_world_drop
func exportWorldDrop(handle int32) (result int32) {
	defer func() {
		if recover() != nil {
			result = abi.ErrUnknownWorld
		}
	}()
	mu.Lock()
	defer mu.Unlock()
	if _, ok := worlds[handle]; !ok {
		return abi.ErrUnknownWorld
	}
	delete(worlds, handle)
	return 0
}

//go:wasmexport wasmkms_call
func exportCall(handle int32, reqPtr, reqLen, outPtr uint32) (result int32) {
	// A panic in the core is answered by the core (kms.World.Handle recovers); this one catches the
	// module's own (recover.go).
	defer answerPanic("wasmkms_call", outPtr, &result)
	world, req, code := lookupCall(handle, reqPtr, reqLen, outPtr)
	if code != 0 {
		return code
	}
	// The world runs without the lock: the core is safe for concurrent use, and goroutines it starts
	// must not block on the module's maps.
	status, body := world.HandleAppend(takeAnswerScratch(), req.caller, req.target, req.body)
	noteStateFlags(world)
	letTheCollectorRun()
	result = writeAnswer(outPtr, status, body)
	keepAnswerScratch(body)
	return result
}

// answerPanic, deferred by an export that writes an answer, turns a panic in the module's own code
// into the 500 KMSInternalException answer that ABI.md promises, so that the instance keeps serving
// (an unrecovered panic would exit the instance with every world in it). It must be the deferred
// function itself for recover to see the panic.
func answerPanic(export string, outPtr uint32, result *int32) {
	if v := recover(); v != nil {
		status, body := panicAnswer(export, v)
		*result = writeAnswer(outPtr, status, body)
	}
}

// lookupArguments checks an export's world handle and pointers before anything runs, answers the ABI
// error code of the first bad one (0 if all are good), and the request bytes. They stay valid while
// the export runs (only the host frees, and it is waiting); the parsers copy every field out of them.
func lookupArguments(handle int32, reqPtr, reqLen, outPtr uint32) (world *kms.World, buf []byte, code int32) {
	mu.Lock()
	defer mu.Unlock()
	w, ok := worlds[handle]
	if !ok {
		return nil, nil, abi.ErrUnknownWorld
	}
	reqBuf, reqOK := span(reqPtr, reqLen)
	if _, outOK := span(outPtr, 8); !reqOK || !outOK {
		return nil, nil, abi.ErrBadPointer
	}
	noteBoundaryBytes(len(reqBuf))
	beginStateCall()
	return w, reqBuf, 0
}

// lookupCall checks every argument of wasmkms_call, the request header too.
func lookupCall(handle int32, reqPtr, reqLen, outPtr uint32) (*kms.World, request, int32) {
	world, buf, code := lookupArguments(handle, reqPtr, reqLen, outPtr)
	if code != 0 {
		return nil, request{}, code
	}
	req, ok := parseRequest(buf)
	if !ok {
		return nil, request{}, abi.ErrBadHeader
	}
	return world, req, 0
}

// writeAnswer copies an answer into a fresh allocation, writes its pointer and length to the out
// area, and answers the status. The out area is checked again: it was valid before the call, but
// the lock was released meanwhile.
func writeAnswer(outPtr uint32, status int, body []byte) int32 {
	mu.Lock()
	defer mu.Unlock()
	out, ok := span(outPtr, 8)
	if !ok {
		return abi.ErrBadPointer
	}
	answerPtr, answer := allocate(len(body))
	copy(answer, body)
	binary.LittleEndian.PutUint32(out[0:], answerPtr)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(answer)))
	return int32(status)
}
