package testharness

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	wasmkms "github.com/wasmkms/wasmkms/embed"
)

// modulePathEnv overrides the module the harness loads by default (for a module built elsewhere).
const modulePathEnv = "WASMKMS_WASM"

// embeddedName names the module of package embed in errors and as its key among compiled modules.
const embeddedName = "the embedded module (github.com/wasmkms/wasmkms/embed)"

// source is a module to compile: its bytes, their SHA-256 (which names its compiled-code cache) and
// what to call it in errors.
type source struct {
	name string
	wasm []byte
	sum  string
}

// compiledModule is a module compiled once per process, in a runtime shared by every Harness of the
// process, with WASI instantiated in it. Compiling takes seconds; loading the compiled code from the
// cache (cache.go), a fraction of one; instantiating, milliseconds.
type compiledModule struct {
	runtime  wazero.Runtime
	compiled wazero.CompiledModule
}

var (
	compiledMu sync.Mutex
	compiledBy = map[string]*compiledModule{} // by source name: the embedded module, or a file's path
)

// defaultSource is the module New loads without Options.ModulePath, chosen (and checked) once per
// process: the file $WASMKMS_WASM names, else the embedded module, which in a checkout of this
// repository must match the sources (checkout.go).
var defaultSource = sync.OnceValues(func() (source, error) {
	if p := os.Getenv(modulePathEnv); p != "" {
		return readSource(p, "$"+modulePathEnv)
	}
	if err := checkEmbeddedAgainstCheckout(wasmkms.Binary, wasmkms.Sources); err != nil {
		return source{}, err
	}
	return source{name: embeddedName, wasm: wasmkms.Binary, sum: embeddedSum()}, nil
})

// embeddedSum is the embedded module's SHA-256 as the build recorded it in embed.Sources, so that a
// process does not hash 8 MB to find its cache; hashed when the record is missing. A wrong record
// would only misplace the cache: wazero keys each entry by its own hash of the module.
func embeddedSum() string {
	for line := range strings.Lines(wasmkms.Sources) {
		if sum, file, ok := strings.Cut(strings.TrimSpace(line), "  "); ok && file == embeddedPath {
			return sum
		}
	}
	return sha256Hex(wasmkms.Binary)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// moduleSource is the module New loads for opts.
func moduleSource(opts Options) (source, error) {
	if opts.ModulePath != "" {
		return readSource(opts.ModulePath, "Options.ModulePath")
	}
	return defaultSource()
}

// readSource reads the module file that an override (named by from) names.
func readSource(path, from string) (source, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return source{}, err
	}
	wasm, err := os.ReadFile(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return source{}, fmt.Errorf("testharness: no module at %s (%s)", abs, from)
		}
		return source{}, fmt.Errorf("testharness: reading the module (%s): %w", from, err)
	}
	return source{name: abs, wasm: wasm, sum: sha256Hex(wasm)}, nil
}

// compile returns the process-wide compilation of src, through the compilation cache on disk
// (cache.go) when one can be had.
func compile(ctx context.Context, src source) (*compiledModule, error) {
	compiledMu.Lock()
	defer compiledMu.Unlock()
	if m, ok := compiledBy[src.name]; ok {
		return m, nil
	}
	// Detached from the caller's context: the runtime outlives the Harness that first needed it.
	rctx := context.WithoutCancel(ctx)
	config, cacheDir := cachedConfig(src.sum)
	m, err := compileIn(rctx, src, config)
	if err != nil && cacheDir != "" {
		// A cache that fails (a damaged entry, a full disk) must not fail the tests: its entries go, and
		// the process compiles without it. A module that does not compile fails again: that is the error.
		os.RemoveAll(cacheDir)
		m, err = compileIn(rctx, src, wazero.NewRuntimeConfig())
	}
	if err != nil {
		return nil, err
	}
	compiledBy[src.name] = m
	return m, nil
}

func compileIn(ctx context.Context, src source, config wazero.RuntimeConfig) (*compiledModule, error) {
	r := wazero.NewRuntimeWithConfig(ctx, config)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, r); err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("testharness: instantiating WASI: %w", err)
	}
	if err := instantiateHostCrypto(ctx, r); err != nil { // the host's primitives (hostcrypto.go)
		r.Close(ctx)
		return nil, err
	}
	// The module's functions compiled on every core (wazero's default is one): a machine's first
	// process compiles, and it is the one a user waits for longest.
	compiled, err := r.CompileModule(experimental.WithCompilationWorkers(ctx, runtime.GOMAXPROCS(0)), src.wasm)
	if err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("testharness: compiling %s: %w", src.name, err)
	}
	return &compiledModule{runtime: r, compiled: compiled}, nil
}
