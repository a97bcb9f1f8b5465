package testharness

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
)

// In a checkout of this repository, the embedded module must be what the sources build: a developer
// who edited internal/kms and ran the tests without ./build.sh build would otherwise test old code,
// and see it pass. The build records what it built from (embed.Sources, in sha256sum's format); this
// checks the checkout's files against it, by content, so that a fresh clone (whose files' times are
// the order git wrote them in) is fresh. CI checks the rest: that the committed module is byte for
// byte what the sources build. Outside a checkout (the module cache, a vendor directory) nothing can
// be edited, and nothing is checked.

// goModuleLine identifies this repository's go.mod.
const goModuleLine = "module github.com/wasmkms/wasmkms"

// embeddedPath is the module's path in the repository, as embed.Sources names it.
const embeddedPath = "embed/wasmkms.wasm"

// checkEmbeddedAgainstCheckout checks wasm, the embedded module, and sources, the list it was built
// from, against the checkout this package was built from, if it was built from one: in full, unless
// the checkout is as an earlier full check stamped it (checkout_stamp.go).
func checkEmbeddedAgainstCheckout(wasm []byte, sources string) error {
	root, ok := checkoutRoot()
	if !ok {
		return nil
	}
	stamp := checkoutStamp(root, sources)
	if stamp.fresh() {
		return nil
	}
	if stale := staleSource(root, wasm, sources); stale != "" {
		return fmt.Errorf("testharness: %s is stale in the checkout %s: %s since it was built; "+
			"run ./build.sh build (or set %s to a module built elsewhere)", embeddedPath, root, stale, modulePathEnv)
	}
	stamp.write()
	return nil
}

// staleSource says what differs between the checkout at root and the list the module was built
// from ("" when nothing does): a listed file changed or gone, or a new Go file beside the listed ones.
func staleSource(root string, wasm []byte, sources string) string {
	listed := map[string]bool{}
	dirs := map[string]bool{}
	for line := range strings.Lines(sources) {
		want, file, ok := strings.Cut(strings.TrimSpace(line), "  ")
		if !ok {
			continue
		}
		listed[file] = true
		if file == embeddedPath {
			if sha256Hex(wasm) != want {
				return "the embedded module is not the one embed/wasmkms.wasm.sources lists (a build was under way?)"
			}
			continue
		}
		if strings.HasSuffix(file, ".go") {
			dirs[path.Dir(file)] = true
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			return file + " is gone"
		}
		if sha256Hex(b) != want {
			return file + " changed"
		}
	}
	if !listed[embeddedPath] {
		return "embed/wasmkms.wasm.sources does not list the module"
	}
	for dir := range dirs {
		entries, _ := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
		for _, e := range entries {
			name := e.Name()
			if file := dir + "/" + name; strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !listed[file] {
				return file + " is new"
			}
		}
	}
	return ""
}

// checkoutRoot finds the checkout this package was built from: the directory above this source file
// when the build kept source paths, else (-trimpath) the main module of the working directory, when
// either is this repository's and is a git checkout.
func checkoutRoot() (string, bool) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		root := filepath.Dir(filepath.Dir(file))
		return root, isCheckout(root)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, isCheckout(dir) // the main module, whatever it is
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// isCheckout reports whether dir is the root of a git checkout of this repository.
func isCheckout(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		return false
	}
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if strings.TrimSpace(s.Text()) == goModuleLine {
			return true
		}
	}
	return false
}
