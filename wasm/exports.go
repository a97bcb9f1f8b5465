//go:build wasip1

package main

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// mu guards allocations and worlds. A wasip1 instance runs one export at a time, but goroutines the
// core starts run while an export is running and must never see the maps half-updated.
var mu sync.Mutex

// Every export recovers: a Go panic that escaped an export would take the whole instance down with
// every world in it. Exports other than wasmkms_call answer their own failure value.

//go:wasmexport wasmkms_abi_version
func exportABIVersion() int32 { return abiVersion }

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
			result = errBadPointer
		}
	}()
	mu.Lock()
	defer mu.Unlock()
	if !release(ptr) {
		return errBadPointer
	}
	return 0
}

//go:wasmexport wasmkms_world_new
func exportWorldNew(cfgPtr, cfgLen uint32) (handle int32) {
	defer func() {
		if recover() != nil {
			handle = errBadConfig
		}
	}()
	mu.Lock()
	defer mu.Unlock()
	var raw []byte
	if cfgLen > 0 { // an empty config needs no buffer at all
		var ok bool
		if raw, ok = span(cfgPtr, cfgLen); !ok {
			return errBadPointer
		}
	}
	opts, err := parseWorldConfig(raw)
	if err != nil {
		return errBadConfig
	}
	return addWorld(kms.NewWorld(opts))
}

//go:wasmexport wasmkms_world_drop
func exportWorldDrop(handle int32) (result int32) {
	defer func() {
		if recover() != nil {
			result = errUnknownWorld
		}
	}()
	mu.Lock()
	defer mu.Unlock()
	if _, ok := worlds[handle]; !ok {
		return errUnknownWorld
	}
	delete(worlds, handle)
	return 0
}

//go:wasmexport wasmkms_call
func exportCall(handle int32, reqPtr, reqLen, outPtr uint32) (result int32) {
	// The core recovers its own panics (handleRecovering below too); this one catches the module's.
	defer answerPanic("wasmkms_call", outPtr, &result)
	world, req, code := lookupCall(handle, reqPtr, reqLen, outPtr)
	if code != 0 {
		return code
	}
	// The world runs without the lock: the core is safe for concurrent use, and goroutines it starts
	// must not block on the module's maps.
	status, body := handleRecovering(world.Handle, req)
	return writeAnswer(outPtr, status, body)
}

// answerPanic, deferred by an export that writes an answer, turns a panic in the module into the
// 500 KMSInternalException answer that ABI.md promises, so that the instance keeps serving. It must
// be the deferred function itself for recover to see the panic.
func answerPanic(export string, outPtr uint32, result *int32) {
	if v := recover(); v != nil {
		status, body := internalError(fmt.Sprintf("wasmkms module: recovered panic in %s: %v", export, v))
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
		return nil, nil, errUnknownWorld
	}
	reqBuf, reqOK := span(reqPtr, reqLen)
	if _, outOK := span(outPtr, 8); !reqOK || !outOK {
		return nil, nil, errBadPointer
	}
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
		return nil, request{}, errBadHeader
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
		return errBadPointer
	}
	answerPtr, answer := allocate(len(body))
	copy(answer, body)
	binary.LittleEndian.PutUint32(out[0:], answerPtr)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(answer)))
	return int32(status)
}
