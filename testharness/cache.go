package testharness

import (
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/tetratelabs/wazero"
)

// The compiled-code cache: wazero's compilation cache on disk, one directory per module under
// os.UserCacheDir()/wasmkms, named by the module's SHA-256 (and in it one per wazero), so that only the first process on a machine
// compiles a module (seconds) and every later one loads the compiled code (BENCHMARKS.md). wazero
// writes each entry to a temporary file and renames it into place, so any number of processes share a
// directory safely; a process that finds an entry damaged removes it and compiles for itself
// (module.go), and the next process writes it anew.
//
// A module's directory holds some 40 MB and a developer rebuilds often, so each process also removes
// the directories of other modules unless they are among the cacheKeep most recently used or were used
// within cacheInUse (a process touches its directory before it compiles, which takes seconds).
const (
	cacheKeep  = 3
	cacheInUse = 10 * time.Minute
)

// cacheRoot is where the module directories live: the user's cache directory, or the temporary
// directory where there is none (no $HOME).
func cacheRoot() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "wasmkms")
}

// cachedConfig is a runtime config with the compilation cache of the module whose SHA-256 is sum (hex),
// and the cache's directory; without a cache (dir "") when the directory cannot be made (a read-only
// home): compiling once per process still holds then.
func cachedConfig(sum string) (config wazero.RuntimeConfig, dir string) {
	config = wazero.NewRuntimeConfig()
	compiler := wazeroIdentity()
	if compiler == "" {
		return config, ""
	}
	root := cacheRoot()
	moduleDir := filepath.Join(root, sum)
	dir = filepath.Join(moduleDir, compiler)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return config, ""
	}
	now := time.Now()
	os.Chtimes(moduleDir, now, now) // in use: first in line for keeping
	pruneCache(root, moduleDir, now)
	cache, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		return config, ""
	}
	return config.WithCompilationCache(cache), dir
}

// pruneCache removes the directories of other modules than keep's that the rules above let go.
// Failures are ignored: another process may be removing the same directory.
func pruneCache(root, keep string, now time.Time) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	type used struct {
		path string
		at   time.Time
	}
	var others []used
	for _, e := range entries {
		path := filepath.Join(root, e.Name())
		if info, err := e.Info(); err == nil && e.IsDir() && path != keep {
			others = append(others, used{path, info.ModTime()})
		}
	}
	slices.SortFunc(others, func(a, b used) int { return b.at.Compare(a.at) }) // most recent first
	for i, o := range others {
		if i >= cacheKeep && now.Sub(o.at) > cacheInUse {
			os.RemoveAll(o.path)
		}
	}
}
