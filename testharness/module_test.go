package testharness

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyModule is a hand-assembled WebAssembly module with a memory, an empty _initialize and a
// wasmkms_abi_version that answers version: enough for New to reach its version check.
func tinyModule(version byte) []byte {
	section := func(id byte, content ...byte) []byte { return append([]byte{id, byte(len(content))}, content...) }
	name := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	var exports []byte
	exports = append(exports, 3)
	exports = append(append(exports, name("memory")...), 0x02, 0)
	exports = append(append(exports, name("_initialize")...), 0x00, 0)
	exports = append(append(exports, name("wasmkms_abi_version")...), 0x00, 1)
	var m []byte
	m = append(m, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)
	m = append(m, section(1, 2, 0x60, 0, 0, 0x60, 0, 1, 0x7f)...)           // types: ()->(), ()->i32
	m = append(m, section(3, 2, 0, 1)...)                                   // functions
	m = append(m, section(5, 1, 0, 1)...)                                   // one page of memory
	m = append(m, section(7, exports...)...)                                // exports
	m = append(m, section(10, 2, 2, 0, 0x0b, 4, 0, 0x41, version, 0x0b)...) // bodies: nop; i32.const version
	return m
}

func writeModule(t *testing.T, wasm []byte) string {
	path := filepath.Join(t.TempDir(), "module.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNewRefusesWhatIsNotThisABI(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing module", filepath.Join(t.TempDir(), "absent.wasm"), "absent.wasm (Options.ModulePath)"},
		{"another ABI version", writeModule(t, tinyModule(2)), "the module speaks ABI version 2, this host only 1"},
		{"the right version but no exports", writeModule(t, tinyModule(1)), "does not export"},
		{"not wasm", writeModule(t, []byte("not a module")), "compiling"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := New(ctx, Options{ModulePath: tc.path})
			if err == nil {
				h.Close()
				t.Fatal("New accepted it")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
}
