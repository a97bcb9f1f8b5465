package testharness

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A stamped checkout is fresh until a listed file, or a directory of its Go files, changes; a checkout
// with files modified within stampSettle is not stamped.
func TestCheckoutStamp(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	files := map[string]string{"go.mod": "module m\n", "internal/a/a.go": "package a\n", "internal/a/data.bin": "\x01"}
	sources := sha256Hex([]byte("\x00asm")) + "  " + embeddedPath + "\n"
	for _, name := range []string{"go.mod", "internal/a/a.go", "internal/a/data.bin"} {
		sources += sha256Hex([]byte(files[name])) + "  " + name + "\n"
	}
	// age makes paths of root modified a minute ago, as a checkout's are between edits.
	age := func(t *testing.T, root string, paths ...string) {
		t.Helper()
		past := time.Now().Add(-time.Minute)
		for _, p := range paths {
			if err := os.Chtimes(filepath.Join(root, p), past, past); err != nil {
				t.Fatal(err)
			}
		}
	}
	// stamped is a checkout of files, stamped.
	stamped := func(t *testing.T) string {
		t.Helper()
		root := t.TempDir()
		for name, content := range files {
			writeFile(t, filepath.Join(root, name), content)
		}
		s := checkoutStamp(root, sources)
		s.write() // just written: not stamped
		if s.fresh() {
			t.Fatal("files modified within stampSettle were stamped")
		}
		age(t, root, "go.mod", "internal/a/a.go", "internal/a/data.bin", "internal/a")
		s.write()
		if !checkoutStamp(root, sources).fresh() {
			t.Fatal("the stamped checkout is not fresh")
		}
		return root
	}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, root string)
	}{
		{"a source edited", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "internal/a/a.go"), "package a // edited\n")
			age(t, root, "internal/a/a.go")
		}},
		{"a Go file added", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "internal/a/new.go"), "package a\n")
		}},
		{"a file removed", func(t *testing.T, root string) { os.Remove(filepath.Join(root, "internal/a/data.bin")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := stamped(t)
			tc.change(t, root)
			if checkoutStamp(root, sources).fresh() {
				t.Fatal("still fresh")
			}
		})
	}
	if (stamp{root: t.TempDir()}).fresh() {
		t.Fatal("a list without the module has no stamp, and is never fresh")
	}
}
