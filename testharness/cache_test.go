package testharness

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Other modules' directories go unless they are among the cacheKeep most recently used or in use;
// the process's own always stays.
func TestPruneCacheKeepsTheRecentAndTheInUse(t *testing.T) {
	root := t.TempDir()
	now := time.Now()
	ages := map[string]time.Duration{
		"own": 48 * time.Hour,                                    // the process's module: kept whatever its age
		"a":   time.Hour, "b": 2 * time.Hour, "c": 3 * time.Hour, // the 3 most recent others
		"d": 4 * time.Hour, "e": 5 * time.Hour, // older: removed
		"f": time.Minute, // in use by another process: kept, and counts among the recent
	}
	for name, age := range ages {
		dir := filepath.Join(root, name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(dir, now.Add(-age), now.Add(-age))
	}
	pruneCache(root, filepath.Join(root, "own"), now)
	var left []string
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{"a", "b", "f", "own"}; !slices.Equal(left, want) {
		t.Fatalf("left %v, want %v", left, want)
	}
}

// A damaged entry in the compiled-code cache costs a compile, never a failure: it is removed, the
// process compiles for itself, and the next one writes the entry anew.
func TestDamagedCacheEntryIsCompiledAgain(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	wasm := tinyModule(1) // compiles; New then refuses it for its missing exports
	compiles := func(t *testing.T) {
		t.Helper()
		// A path of its own each time: the process compiles each module path once.
		_, err := New(context.Background(), Options{ModulePath: writeModule(t, wasm)})
		if err == nil || !strings.Contains(err.Error(), "does not export") {
			t.Fatalf("New: %v; want the module compiled, then refused for its exports", err)
		}
	}
	entries := func() []string {
		found, _ := filepath.Glob(filepath.Join(cacheRoot(), sha256Hex(wasm), "*", "*", "*"))
		return found
	}

	compiles(t)
	written := entries()
	if len(written) != 1 {
		t.Fatalf("the first compile wrote %v, want one entry", written)
	}
	// Cut short (a damaged disk, a half-done copy of the cache): wazero refuses to load it.
	if info, err := os.Stat(written[0]); err != nil || os.Truncate(written[0], info.Size()/2) != nil {
		t.Fatal("cannot damage the entry", err)
	}
	compiles(t)
	if left := entries(); len(left) != 0 {
		t.Fatalf("the damaged entry is still there: %v", left)
	}
	compiles(t)
	if again := entries(); len(again) != 1 {
		t.Fatalf("the next compile wrote %v, want the entry anew", again)
	}
}

// The compiled code of one wazero is never loaded by another: the cache directory names the wazero,
// which in a test binary (no dependency versions in its build information) comes from the path of
// its sources, or from vendor/modules.txt when it is vendored.
func TestWazeroIdentityIsItsVersion(t *testing.T) {
	if id := wazeroIdentity(); !strings.HasPrefix(id, "v1.") {
		t.Fatalf("wazeroIdentity() = %q, want wazero's version", id)
	}
	root := t.TempDir()
	source := filepath.Join(root, "vendor", "github.com", "tetratelabs", "wazero", "config.go")
	for modules, want := range map[string]string{
		"# github.com/tetratelabs/wazero v1.9.0\n## explicit; go 1.23\ngithub.com/tetratelabs/wazero\n": "v1.9.0",
		"# github.com/tetratelabs/wazero v1.9.0 => ../wazero\n":                                         "",
		"# github.com/other/module v1.0.0\n":                                                            "",
	} {
		writeFile(t, filepath.Join(root, "vendor", "modules.txt"), modules)
		if got := vendoredVersion(source); got != want {
			t.Errorf("vendoredVersion with modules.txt %q = %q, want %q", modules, got, want)
		}
	}
}
