package testharness

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// SupportedABIVersion is the version of wasm/ABI.md this host implements; New refuses any other module.
const SupportedABIVersion = abi.Version

// The module's exports (wasm/ABI.md).
const (
	exportABIVersion = "wasmkms_abi_version"
	exportAlloc      = "wasmkms_alloc"
	exportFree       = "wasmkms_free"
	exportWorldNew   = "wasmkms_world_new"
	exportWorldDrop  = "wasmkms_world_drop"
	exportCall       = "wasmkms_call"
	exportStateFlags = "wasmkms_state_flags"
)

// ErrDeadInstance is returned, wrapped with the original trap, by every call on an instance that
// trapped or exited: its state can no longer be trusted, so the harness never reuses it. A world that
// keeps a copy of its state (the default: WorldOptions.NoRecovery) is rebuilt on a fresh instance at
// its next call instead (recovery.go); the call that trapped still answers ErrDeadInstance.
var ErrDeadInstance = errors.New("testharness: the wasm instance is dead and cannot be reused")

// ABIError is a negative result of an export: the module refused the arguments (wasm/ABI.md).
type ABIError struct {
	Export string
	Code   int32
}

func (e *ABIError) Error() string {
	return fmt.Sprintf("testharness: %s answered %d (%s)", e.Export, e.Code, abi.Meaning(e.Code))
}

// Options configures a Harness; the zero value is what tests normally want.
type Options struct {
	// ModulePath is a module file to load instead of the embedded one (package embed); empty means
	// the file $WASMKMS_WASM names, else the embedded module.
	ModulePath string
	// Stderr receives what the module writes to stderr (the stacks of recovered panics); default os.Stderr.
	Stderr io.Writer
}

// Harness is one instance of the module at a time. Its calls are serialized (a wasm instance runs one
// call at a time); worlds inside it are isolated from each other. When the instance traps, the next
// world that keeps a copy of its state (or NewWorld) replaces it with a fresh one (revive).
type Harness struct {
	mu     sync.Mutex
	cm     *compiledModule
	config wazero.ModuleConfig
	src    string // the module's name, for errors
	module api.Module
	memory api.Memory
	fns    struct{ alloc, free, worldNew, worldDrop, call api.Function }
	stack  []uint64 // reused argument/result stack, guarded by mu

	outArea  uint32 // the 8 bytes wasmkms_call writes the answer's pointer and length into
	reqArea  uint32 // a reusable request buffer of reqCap bytes (0 before the first call)
	reqCap   uint32
	deadWith error // the trap that killed the instance, nil while alive
	// flagsAt is where the module keeps its state flags (ABI.md, "State flags"); 0: it has none, and
	// its worlds keep no copy of their state.
	flagsAt uint32
	// generation counts the instances the harness has had; a world made on an earlier one is rebuilt
	// (or, keeping no copy, lost). lostWith is why the last one died.
	generation uint64
	lostWith   error
	closed     bool // Close was called: nothing revives it
}

// New instantiates the module (compiled once per process, or loaded from the compiled-code cache)
// with the host's real random source and clocks, runs _initialize and checks the ABI version.
func New(ctx context.Context, opts Options) (*Harness, error) {
	src, err := moduleSource(opts)
	if err != nil {
		return nil, err
	}
	cm, err := compile(ctx, src)
	if err != nil {
		return nil, err
	}
	stderr := opts.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	// wazero's defaults are a deterministic random source and fake clocks: every blob would carry the
	// same nonce and every key the same creation date. The module gets the real ones.
	config := wazero.NewModuleConfig().
		WithName(""). // anonymous: many instances of the module may live in the shared runtime
		WithStartFunctions("_initialize").
		WithRandSource(rand.Reader).
		WithSysWalltime().
		WithSysNanotime().
		WithSysNanosleep().
		WithStderr(stderr).
		WithStdout(stderr)
	h := &Harness{cm: cm, config: config, src: src.name, stack: make([]uint64, 4)}
	if err := h.instantiate(ctx); err != nil {
		return nil, err
	}
	return h, nil
}

// instantiate makes the harness's instance: a fresh one of its module, bound. Callers hold h.mu, or
// own h alone (New).
func (h *Harness) instantiate(ctx context.Context) error {
	mod, err := h.cm.runtime.InstantiateModule(experimental.WithMemoryAllocator(ctx, memoryAllocator), h.cm.compiled, h.config)
	if err != nil {
		return fmt.Errorf("testharness: instantiating %s: %w", h.src, err)
	}
	h.module, h.memory, h.deadWith = mod, mod.Memory(), nil
	h.outArea, h.reqArea, h.reqCap, h.flagsAt = 0, 0, 0, 0
	if err := h.bind(ctx); err != nil {
		mod.Close(ctx)
		h.deadWith = err
		return fmt.Errorf("testharness: %s: %w", h.src, err)
	}
	return nil
}

// revive replaces a dead instance with a fresh one; the worlds of the dead one are rebuilt (recovery.go)
// or lost. Callers hold h.mu.
func (h *Harness) revive(ctx context.Context) error {
	if h.deadWith == nil {
		return nil
	}
	if h.closed {
		return fmt.Errorf("%w: %w", ErrDeadInstance, h.deadWith)
	}
	lost := h.deadWith
	if err := h.instantiate(ctx); err != nil {
		h.deadWith = lost
		return err
	}
	h.generation++
	h.lostWith = lost
	return nil
}

// bind checks the ABI version first (a module of another version may export anything), then finds
// the exports and allocates the out area of wasmkms_call.
func (h *Harness) bind(ctx context.Context) error {
	versionFn := h.module.ExportedFunction(exportABIVersion)
	if versionFn == nil {
		return fmt.Errorf("not a wasmkms module: no %s export", exportABIVersion)
	}
	res, err := versionFn.Call(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", exportABIVersion, err)
	}
	if v := api.DecodeI32(res[0]); v != SupportedABIVersion {
		return fmt.Errorf("the module speaks ABI version %d, this host only %d", v, SupportedABIVersion)
	}
	if h.memory == nil {
		return errors.New("the module exports no memory")
	}
	for name, fn := range map[string]*api.Function{
		exportAlloc: &h.fns.alloc, exportFree: &h.fns.free, exportWorldNew: &h.fns.worldNew,
		exportWorldDrop: &h.fns.worldDrop, exportCall: &h.fns.call,
	} {
		if *fn = h.module.ExportedFunction(name); *fn == nil {
			return fmt.Errorf("the module does not export %s", name)
		}
	}
	if h.outArea, err = h.alloc(ctx, 8); err != nil {
		return err
	}
	if fn := h.module.ExportedFunction(exportStateFlags); fn != nil {
		at, err := h.invoke(ctx, exportStateFlags, fn)
		if err != nil {
			return err
		}
		h.flagsAt = uint32(at)
	}
	return nil
}

// Close ends the instance and every world in it.
func (h *Harness) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.deadWith == nil {
		h.deadWith = errors.New("testharness: the harness was closed")
	}
	h.closed = true
	return h.module.Close(context.Background())
}

// MemorySize is the size of the module's linear memory in bytes.
func (h *Harness) MemorySize() uint32 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.memory.Size()
}

// invoke calls an export with i32 arguments and returns its i32 result. Any error from wazero is a
// trap or an exit: the instance is marked dead and closed, and every later call says so. Callers
// hold h.mu.
func (h *Harness) invoke(ctx context.Context, name string, fn api.Function, args ...uint32) (int32, error) {
	if h.deadWith != nil {
		return 0, fmt.Errorf("%w: %w", ErrDeadInstance, h.deadWith)
	}
	h.stack = h.stack[:max(len(args), 1)]
	for i, a := range args {
		h.stack[i] = api.EncodeU32(a)
	}
	if err := fn.CallWithStack(ctx, h.stack); err != nil {
		h.deadWith = fmt.Errorf("%s trapped or exited: %w", name, err)
		h.module.Close(context.WithoutCancel(ctx))
		return 0, fmt.Errorf("%w: %w", ErrDeadInstance, h.deadWith)
	}
	return api.DecodeI32(h.stack[0]), nil
}

func (h *Harness) alloc(ctx context.Context, size uint32) (uint32, error) {
	ptr, err := h.invoke(ctx, exportAlloc, h.fns.alloc, size)
	if err != nil {
		return 0, err
	}
	if ptr == 0 {
		return 0, fmt.Errorf("testharness: %s(%d) refused", exportAlloc, size)
	}
	return uint32(ptr), nil
}

func (h *Harness) free(ctx context.Context, ptr uint32) error {
	res, err := h.invoke(ctx, exportFree, h.fns.free, ptr)
	if err != nil {
		return err
	}
	if res != 0 {
		return &ABIError{Export: exportFree, Code: res}
	}
	return nil
}

// writeBytes copies b into linear memory at ptr (inside a buffer the module allocated).
func (h *Harness) writeBytes(ptr uint32, b []byte) error {
	if !h.memory.Write(ptr, b) {
		return fmt.Errorf("testharness: writing %d bytes at %#x: outside memory", len(b), ptr)
	}
	return nil
}

// readBytes copies length bytes out of linear memory at once: the view would be invalidated when the
// memory grows on the next call.
func (h *Harness) readBytes(ptr, length uint32) ([]byte, error) {
	view, ok := h.memory.Read(ptr, length)
	if !ok {
		return nil, fmt.Errorf("testharness: reading %d bytes at %#x: outside memory", length, ptr)
	}
	return append([]byte(nil), view...), nil
}
