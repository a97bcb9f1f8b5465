package testharness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A checkout whose sources differ from what the embedded module was built from is named for what
// differs; one that matches, with tests edited or added, is fresh.
func TestStaleSourcesAreNamed(t *testing.T) {
	wasm := []byte("\x00asm the module")
	files := map[string]string{
		"go.mod":                 "module github.com/wasmkms/wasmkms\n",
		"internal/a/a.go":        "package a\n",
		"internal/a/primes.bin":  "\x01\x02",
		"internal/a/a_test.go":   "package a\n",
		"internal/b/b_wasip1.go": "package b\n",
	}
	listed := []string{"go.mod", "internal/a/a.go", "internal/a/primes.bin", "internal/b/b_wasip1.go"}
	sources := sha256Hex(wasm) + "  embed/wasmkms.wasm\n"
	for _, f := range listed {
		sources += sha256Hex([]byte(files[f])) + "  " + f + "\n"
	}
	checkout := func(t *testing.T, change func(root string)) string {
		root := t.TempDir()
		for name, content := range files {
			writeFile(t, filepath.Join(root, name), content)
		}
		change(root)
		return root
	}
	for _, tc := range []struct {
		name   string
		change func(root string)
		wasm   []byte
		want   string
	}{
		{"as built", func(string) {}, wasm, ""},
		{"a test edited, a test added", func(root string) {
			writeFile(t, filepath.Join(root, "internal/a/a_test.go"), "package a // edited\n")
			writeFile(t, filepath.Join(root, "internal/b/b_test.go"), "package b\n")
		}, wasm, ""},
		{"a source edited", func(root string) {
			writeFile(t, filepath.Join(root, "internal/a/a.go"), "package a // edited\n")
		}, wasm, "internal/a/a.go changed"},
		{"an embedded file edited", func(root string) {
			writeFile(t, filepath.Join(root, "internal/a/primes.bin"), "\x03")
		}, wasm, "internal/a/primes.bin changed"},
		{"go.mod edited", func(root string) {
			writeFile(t, filepath.Join(root, "go.mod"), files["go.mod"]+"require example.com/x v1.0.0\n")
		}, wasm, "go.mod changed"},
		{"a source removed", func(root string) {
			os.Remove(filepath.Join(root, "internal/b/b_wasip1.go"))
		}, wasm, "internal/b/b_wasip1.go is gone"},
		{"a source added", func(root string) {
			writeFile(t, filepath.Join(root, "internal/a/new.go"), "package a\n")
		}, wasm, "internal/a/new.go is new"},
		{"another module embedded", func(string) {}, []byte("\x00asm another"), "the embedded module is not the one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := staleSource(checkout(t, tc.change), tc.wasm, sources)
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Fatalf("staleSource answered %q, want %q", got, tc.want)
			}
		})
	}
	if got := staleSource(t.TempDir(), wasm, "# nothing listed\n"); !strings.Contains(got, "does not list the module") {
		t.Fatalf("a list without the module: %q", got)
	}
}

// In this repository's checkout the check is on: the tests here test the sources beside them. (A
// copy of the repository without .git is not a checkout, and nothing is checked there.)
func TestThisCheckoutIsChecked(t *testing.T) {
	want, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(want, ".git")); err != nil {
		t.Skip("not a git checkout: nothing to check")
	}
	root, ok := checkoutRoot()
	if !ok || root != want {
		t.Fatalf("checkoutRoot() = %q, %v; want %q, true", root, ok, want)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
