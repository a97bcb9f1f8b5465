package testharness

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// World is one isolated KMS world inside a Harness's instance.
type World struct {
	h      *Harness
	handle int32
	// For recovery after a trap (recovery.go): the world's config, the instance generation it lives
	// on, and its copy of its state (nil: it keeps none).
	config     []byte
	generation uint64
	recovery   *recovery
}

// NewWorld creates a world in the instance, and loads opts.Fixtures into it when they are set (a
// refusal of the fixtures drops the world and is the error).
func (h *Harness) NewWorld(ctx context.Context, opts WorldOptions) (*World, error) {
	config, err := json.Marshal(opts.coreOptions())
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.revive(ctx); err != nil { // a new world has nothing to lose: a dead instance is replaced
		return nil, err
	}
	handle, err := h.newWorld(ctx, config)
	if err != nil {
		return nil, err
	}
	w := &World{h: h, handle: handle, config: config, generation: h.generation}
	if len(opts.Fixtures) > 0 {
		status, resp, err := w.rawCall(ctx, Caller{}, "WasmKMS.LoadFixtures", opts.Fixtures)
		if err == nil {
			err = decodeAdmin("LoadFixtures", status, resp, nil)
		}
		if err != nil {
			w.dropLocked(ctx)
			return nil, err
		}
	}
	if !opts.NoRecovery && h.flagsAt != 0 {
		if w.recovery, err = newRecovery(ctx, w); err != nil {
			w.dropLocked(ctx)
			return nil, err
		}
	}
	return w, nil
}

// newWorld passes a raw config to wasmkms_world_new. Callers hold h.mu.
func (h *Harness) newWorld(ctx context.Context, config []byte) (int32, error) {
	ptr, err := h.alloc(ctx, uint32(len(config)))
	if err != nil {
		return 0, err
	}
	defer h.free(ctx, ptr)
	if err := h.writeBytes(ptr, config); err != nil {
		return 0, err
	}
	handle, err := h.invoke(ctx, exportWorldNew, h.fns.worldNew, ptr, uint32(len(config)))
	if err != nil {
		return 0, err
	}
	if handle < 1 {
		return 0, &ABIError{Export: exportWorldNew, Code: handle}
	}
	return handle, nil
}

// Close drops the world; its keys are gone. Closing twice is an error from the module (unknown world).
func (w *World) Close() error {
	w.h.mu.Lock()
	defer w.h.mu.Unlock()
	w.recovery = nil
	if w.generation != w.h.generation {
		return nil // its instance is gone, and the world with it
	}
	return w.dropLocked(context.Background())
}

// dropLocked drops the world from its instance. Callers hold w.h.mu.
func (w *World) dropLocked(ctx context.Context) error {
	res, err := w.h.invoke(ctx, exportWorldDrop, w.h.fns.worldDrop, uint32(w.handle))
	if err != nil {
		return err
	}
	if res != 0 {
		return &ABIError{Export: exportWorldDrop, Code: res}
	}
	return nil
}

// Call sends one request to the world: target "TrentService.<Operation>" (or a "WasmKMS.*" admin
// target) and a JSON body. It answers the HTTP status and the JSON answer as the core gives them; err
// is set only when the module could not answer (an ABI error or a dead instance).
func (w *World) Call(ctx context.Context, c Caller, target string, body []byte) (status int, resp []byte, err error) {
	w.h.mu.Lock()
	defer w.h.mu.Unlock()
	return w.callLocked(ctx, c, target, body)
}

// callLocked is Call for a caller that holds w.h.mu: on a world that keeps a copy of its state, the
// world rebuilt first if its instance died, and its changes taken after the call (recovery.go).
func (w *World) callLocked(ctx context.Context, c Caller, target string, body []byte) (status int, resp []byte, err error) {
	if err := w.ready(ctx); err != nil {
		return 0, nil, err
	}
	if strings.HasPrefix(target, stateLogTargets) {
		w.recovery = nil // another host takes the world's state log: each change is taken once
	}
	status, resp, err = w.rawCall(ctx, c, target, body)
	if err != nil {
		return 0, nil, w.failure(err)
	}
	if w.recovery != nil {
		if err := w.recovery.afterCall(ctx, w, target, status, resp); err != nil {
			return 0, nil, w.failure(err)
		}
	}
	return status, resp, nil
}

// rawCall runs one request on the world's instance as it is. Callers hold w.h.mu.
func (w *World) rawCall(ctx context.Context, c Caller, target string, body []byte) (status int, resp []byte, err error) {
	req := encodeRequest(c, target, body)
	if len(req) > abi.MaxAllocation {
		return 0, nil, fmt.Errorf("testharness: a request of %d bytes is more than the module takes (%d bytes); it was not sent", len(req), abi.MaxAllocation)
	}
	reqPtr, err := w.h.requestArea(ctx, uint32(len(req)))
	if err != nil {
		return 0, nil, err
	}
	if err := w.h.writeBytes(reqPtr, req); err != nil {
		return 0, nil, err
	}
	return w.h.call(ctx, w.handle, reqPtr, uint32(len(req)), w.h.outArea)
}

// call runs wasmkms_call with raw arguments and collects the answer. Callers hold h.mu.
func (h *Harness) call(ctx context.Context, handle int32, reqPtr, reqLen, outPtr uint32) (int, []byte, error) {
	status, err := h.invoke(ctx, exportCall, h.fns.call, uint32(handle), reqPtr, reqLen, outPtr)
	if err != nil {
		return 0, nil, err
	}
	if status < 0 {
		return 0, nil, &ABIError{Export: exportCall, Code: status}
	}
	return h.collectAnswer(ctx, int(status), outPtr)
}

// collectAnswer copies out the answer whose pointer and length wasmkms_call wrote at outPtr, and
// frees it in the module. Callers hold h.mu.
func (h *Harness) collectAnswer(ctx context.Context, status int, outPtr uint32) (int, []byte, error) {
	answerPtr, ok1 := h.memory.ReadUint32Le(outPtr)
	answerLen, ok2 := h.memory.ReadUint32Le(outPtr + 4)
	if !ok1 || !ok2 {
		return 0, nil, fmt.Errorf("testharness: the out area %#x is outside memory", outPtr)
	}
	answer, err := h.readBytes(answerPtr, answerLen)
	if err != nil {
		return 0, nil, err
	}
	if err := h.free(ctx, answerPtr); err != nil {
		return 0, nil, err
	}
	return status, answer, nil
}

// requestArea returns a module buffer of at least n bytes for a request, reused across calls so that
// a call costs one export plus the answer's free. Callers hold h.mu.
func (h *Harness) requestArea(ctx context.Context, n uint32) (uint32, error) {
	if n <= h.reqCap {
		return h.reqArea, nil
	}
	if h.reqArea != 0 {
		if err := h.free(ctx, h.reqArea); err != nil {
			return 0, err
		}
		h.reqArea, h.reqCap = 0, 0
	}
	size := max(n, 4096)
	ptr, err := h.alloc(ctx, size)
	if err != nil {
		return 0, err
	}
	h.reqArea, h.reqCap = ptr, size
	return ptr, nil
}

// encodeRequest lays out a wasmkms_call request (wasm/ABI.md): five little-endian u32 lengths, then
// account, region, principal, target and body back to back, then c.RequestID (a u32 length and its
// bytes) when it is set.
func encodeRequest(c Caller, target string, body []byte) []byte {
	fields := [...][]byte{[]byte(c.Account), []byte(c.Region), []byte(c.Principal), []byte(target), body}
	size := 4 * len(fields)
	for _, f := range fields {
		size += len(f)
	}
	if c.RequestID != "" {
		size += 4 + len(c.RequestID)
	}
	buf := make([]byte, 4*len(fields), size)
	for i, f := range fields {
		binary.LittleEndian.PutUint32(buf[4*i:], uint32(len(f)))
	}
	for _, f := range fields {
		buf = append(buf, f...)
	}
	if c.RequestID != "" {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(c.RequestID)))
		buf = append(buf, c.RequestID...)
	}
	return buf
}
