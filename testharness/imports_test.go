package testharness

import (
	"context"
	"slices"
	"testing"
)

// wasiImportsImplementedByJSShim is every import the module may have: the WASI preview 1 functions that
// the JS WASI shim (js/core/) implements. A new import (from a new dependency or Go release) fails
// this test until the shim implements it too and the name is added here.
var wasiImportsImplementedByJSShim = []string{
	"wasi_snapshot_preview1.args_get",
	"wasi_snapshot_preview1.args_sizes_get",
	"wasi_snapshot_preview1.clock_time_get",
	"wasi_snapshot_preview1.environ_get",
	"wasi_snapshot_preview1.environ_sizes_get",
	"wasi_snapshot_preview1.fd_close",
	"wasi_snapshot_preview1.fd_fdstat_get",
	"wasi_snapshot_preview1.fd_fdstat_set_flags",
	"wasi_snapshot_preview1.fd_prestat_dir_name",
	"wasi_snapshot_preview1.fd_prestat_get",
	"wasi_snapshot_preview1.fd_read",
	"wasi_snapshot_preview1.fd_write",
	"wasi_snapshot_preview1.poll_oneoff",
	"wasi_snapshot_preview1.proc_exit",
	"wasi_snapshot_preview1.random_get",
	"wasi_snapshot_preview1.sched_yield",
}

func TestModuleImportsOnlyWhatTheJSShimImplements(t *testing.T) {
	path, err := locateModule()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := compile(context.Background(), path)
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
		if !slices.Contains(wasiImportsImplementedByJSShim, name) {
			t.Errorf("the module imports %s, which the JS WASI shim does not implement", name)
		}
	}
}
