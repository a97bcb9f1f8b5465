package testharness

import (
	"context"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/wasmkms/wasmkms/internal/abi"
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
	// The host's primitives are internal/abi's list (js/core/host-crypto.mjs is held to it by
	// test/node/host-crypto-abi.test.mjs), with its parameter counts.
	hostParams := map[string]int{}
	for _, imp := range abi.HostImports {
		implemented = append(implemented, abi.HostModule+"."+imp.Name)
		hostParams[imp.Name] = imp.Params
	}
	var imported []string
	for _, fn := range cm.compiled.ImportedFunctions() {
		module, name, _ := fn.Import()
		imported = append(imported, module+"."+name)
		if n, ok := hostParams[name]; module == abi.HostModule && ok && (len(fn.ParamTypes()) != n || len(fn.ResultTypes()) != 1) {
			t.Errorf("the module imports %s.%s with %d parameters and %d results; internal/abi says %d and 1",
				module, name, len(fn.ParamTypes()), len(fn.ResultTypes()), n)
		}
	}
	slices.Sort(imported)
	imported = slices.Compact(imported) // the Go runtime and package syscall both import fd_write
	t.Logf("the module imports %d functions: %v", len(imported), imported)
	for _, name := range imported {
		if !slices.Contains(implemented, name) {
			t.Errorf("the module imports %s, which neither the JS WASI shim (%s) nor internal/abi's HostImports has", name, jsShimFile)
		}
	}
}
