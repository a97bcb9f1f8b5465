package testharness

import (
	"context"
	"os"
	"regexp"
	"slices"
	"testing"
)

// jsShimFile declares wasiImportNames, the WASI preview 1 functions the JS WASI shim implements: the
// one list of them, which this test reads rather than repeats.
const jsShimFile = "../js/core/wasi.mjs"

var (
	jsShimNamesList = regexp.MustCompile(`(?s)export const wasiImportNames = Object\.freeze\(\[(.*?)\]\)`)
	jsString        = regexp.MustCompile(`"([a-z_0-9]+)"`)
)

func jsShimImports(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile(jsShimFile)
	if err != nil {
		t.Fatal(err)
	}
	list := jsShimNamesList.FindSubmatch(src)
	if list == nil {
		t.Fatalf("%s no longer declares `export const wasiImportNames = Object.freeze([...])`", jsShimFile)
	}
	var names []string
	for _, m := range jsString.FindAllSubmatch(list[1], -1) {
		names = append(names, "wasi_snapshot_preview1."+string(m[1]))
	}
	return names
}

// A new import (from a new dependency or Go release) fails this test until the JS shim implements it:
// a browser or workerd cannot instantiate a module whose imports are not all provided.
func TestModuleImportsOnlyWhatTheJSShimImplements(t *testing.T) {
	implemented := jsShimImports(t)
	src, err := defaultSource()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := compile(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	var imported []string
	for _, fn := range cm.compiled.ImportedFunctions() {
		module, name, _ := fn.Import()
		imported = append(imported, module+"."+name)
	}
	slices.Sort(imported)
	imported = slices.Compact(imported) // the Go runtime and package syscall both import fd_write
	t.Logf("the module imports %d functions: %v", len(imported), imported)
	for _, name := range imported {
		if !slices.Contains(implemented, name) {
			t.Errorf("the module imports %s, which the JS WASI shim (%s) does not implement", name, jsShimFile)
		}
	}
}
