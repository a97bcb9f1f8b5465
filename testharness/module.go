package testharness

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// modulePathFromRoot is where ./build.sh build writes the module, relative to the repository root.
const modulePathFromRoot = "js/wasmkms.wasm"

// modulePathEnv overrides the module's location (for a module built elsewhere).
const modulePathEnv = "WASMKMS_WASM"

// goModulePath identifies the repository's go.mod when the root is searched from the working directory.
const goModulePath = "module github.com/wasmkms/wasmkms"

// compiledModule is a module compiled once per process, in a runtime shared by every Harness of the
// process, with WASI instantiated in it. Compiling takes one to two seconds; instantiating, milliseconds.
type compiledModule struct {
	runtime  wazero.Runtime
	compiled wazero.CompiledModule
}

var (
	compiledMu sync.Mutex
	compiledBy = map[string]*compiledModule{} // by absolute module path
)

// moduleSources are the files the module is built from, relative to the repository root: a module
// older than any of them is stale, and testing it would prove nothing about the sources.
var moduleSources = []string{"go.mod", "go.sum", "wasm", "internal"}

// checkFresh fails if a Go source of the module (tests excepted) is newer than the module at path.
func checkFresh(root, path string) error {
	built, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("testharness: no module at %s: run ./build.sh build first", path)
		}
		return err
	}
	var newer string
	for _, source := range moduleSources {
		filepath.WalkDir(filepath.Join(root, source), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || newer != "" {
				return nil
			}
			if name := d.Name(); name != "go.mod" && name != "go.sum" && (!strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go")) {
				return nil
			}
			if info, err := d.Info(); err == nil && info.ModTime().After(built.ModTime()) {
				newer = p
			}
			return nil
		})
	}
	if newer != "" {
		return fmt.Errorf("testharness: %s is older than %s: run ./build.sh build first", path, newer)
	}
	return nil
}

// The compilation cache on disk: one directory per module build under compilationCacheRoot, since
// each build's compiled code is some 20 MB and a developer rebuilds often. Directories of other
// builds unused for compilationCacheTTL are removed (a compile writes its directory within seconds).
const compilationCacheTTL = 10 * time.Minute

var compilationCacheRoot = filepath.Join(os.TempDir(), "wasmkms-wazero-cache")

func cacheDirFor(wasm []byte) string {
	sum := sha256.Sum256(wasm)
	dir := filepath.Join(compilationCacheRoot, hex.EncodeToString(sum[:8]))
	entries, _ := os.ReadDir(compilationCacheRoot)
	for _, e := range entries {
		p := filepath.Join(compilationCacheRoot, e.Name())
		if info, err := e.Info(); err == nil && p != dir && time.Since(info.ModTime()) > compilationCacheTTL {
			os.RemoveAll(p)
		}
	}
	os.Chtimes(dir, time.Now(), time.Now()) // in use: keep it from other processes' pruning
	return dir
}

// compile returns the process-wide compilation of the module at path. The runtime uses a compilation
// cache on disk under os.TempDir, so separate test binaries do not recompile an unchanged module.
func compile(ctx context.Context, path string) (*compiledModule, error) {
	compiledMu.Lock()
	defer compiledMu.Unlock()
	if m, ok := compiledBy[path]; ok {
		return m, nil
	}
	wasm, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("testharness: no module at %s: run ./build.sh build first", path)
		}
		return nil, fmt.Errorf("testharness: reading the module: %w", err)
	}
	config := wazero.NewRuntimeConfig()
	if cache, err := wazero.NewCompilationCacheWithDir(cacheDirFor(wasm)); err == nil {
		config = config.WithCompilationCache(cache)
	} // else: no disk cache (read-only temp dir); compiling once per process still holds.
	// Detached from the caller's context: the runtime outlives the Harness that first needed it.
	rctx := context.WithoutCancel(ctx)
	r := wazero.NewRuntimeWithConfig(rctx, config)
	if _, err := wasi_snapshot_preview1.Instantiate(rctx, r); err != nil {
		r.Close(rctx)
		return nil, fmt.Errorf("testharness: instantiating WASI: %w", err)
	}
	compiled, err := r.CompileModule(rctx, wasm)
	if err != nil {
		r.Close(rctx)
		return nil, fmt.Errorf("testharness: compiling %s: %w", path, err)
	}
	m := &compiledModule{runtime: r, compiled: compiled}
	compiledBy[path] = m
	return m, nil
}

// defaultModule is locateModule's answer, found (and checked for freshness) once per process.
var defaultModule = sync.OnceValues(locateModule)

// locateModule finds the module: $WASMKMS_WASM as given, else js/wasmkms.wasm under the repository
// root, which must be newer than the module's sources. The root is found from this source file's
// location or, in a build without source paths, by walking up from the working directory to the
// project's go.mod.
func locateModule() (string, error) {
	if p := os.Getenv(modulePathEnv); p != "" {
		return filepath.Abs(p)
	}
	root, err := projectRoot()
	if err != nil {
		return "", err
	}
	path := filepath.Join(root, modulePathFromRoot)
	return path, checkFresh(root, path)
}

func projectRoot() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if root := filepath.Dir(filepath.Dir(file)); isProjectRoot(root) {
			return root, nil
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if isProjectRoot(dir) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testharness: cannot find the wasmkms repository root (go.mod); set " + modulePathEnv)
		}
		dir = parent
	}
}

func isProjectRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if strings.TrimSpace(s.Text()) == goModulePath {
			return true
		}
	}
	return false
}
