package kmstest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goSection is the README's section whose Go code blocks are held to compiling and passing.
const goSection = "## Go"

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// The README's Go section shows a user's test file in its code blocks (the first has the package
// clause and the imports, the others more test functions). Here they are put together in a module
// outside the repository that requires this one (a replace directive pointing at the checkout, the
// repository's go.sum, no network), and run with go test: once as they are, and once vendored and
// built with -trimpath, where a module found by a path in the repository would be missing.
func TestREADMEGoSectionCompilesAndPasses(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n"+goSection+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", goSection)
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var blocks []string
	for _, m := range goBlock.FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	if len(blocks) == 0 || !strings.HasPrefix(blocks[0], "package ") {
		t.Fatalf("the %s section's first Go block must start a test file (package clause, imports); blocks: %q", goSection, blocks)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/readme\n\ngo 1.26\n\nrequire github.com/wasmkms/wasmkms v0.0.0\n\n"+
		"replace github.com/wasmkms/wasmkms => "+root+"\n")
	write("go.sum", string(sum))
	write("readme_test.go", strings.Join(blocks, "\n"))

	goCmd := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		// Offline: the dependencies are the repository's, in the module cache since its own tests
		// were built; -mod=mod lets go add them to the new go.mod. The embedded module, not a file.
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local", "WASMKMS_WASM=",
			"GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s\nthe test file:\n%s", strings.Join(args, " "), err, out, strings.Join(blocks, "\n"))
		}
	}
	goCmd("test", "-count=1", ".")
	goCmd("mod", "vendor")
	goCmd("test", "-count=1", "-mod=vendor", "-trimpath", ".")
}
