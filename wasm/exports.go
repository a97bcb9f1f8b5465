//go:build wasip1

package main

import (
	"encoding/binary"
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
func exportCall(handle int32, reqPtr, reqLen, outPtr uint32) int32 {
	mu.Lock()
	world, ok := worlds[handle]
	reqBuf, reqOK := span(reqPtr, reqLen)
	out, outOK := span(outPtr, 8)
	var req request
	headerOK := false
	if reqOK {
		req, headerOK = parseRequest(reqBuf)
	}
	mu.Unlock()
	switch {
	case !ok:
		return errUnknownWorld
	case !reqOK || !outOK:
		return errBadPointer
	case !headerOK:
		return errBadHeader
	}

	// The world runs without the lock: the core is safe for concurrent use and may start goroutines
	// that allocate through the host-facing maps only via the exports.
	status, body := handleRecovering(world.Handle, req)

	mu.Lock()
	defer mu.Unlock()
	// The out area was checked before the call; if the host freed it meanwhile (only possible from a
	// goroutine, which a host does not have), check again rather than write into a dead buffer.
	if out, outOK = span(outPtr, 8); !outOK {
		return errBadPointer
	}
	answerPtr, answer := allocate(len(body))
	copy(answer, body)
	binary.LittleEndian.PutUint32(out[0:], answerPtr)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(answer)))
	return int32(status)
}
