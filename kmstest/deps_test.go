package kmstest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// A user's test binary links kmstest, testharness and what they import, and talks to the core through
// the wasm module: it must not compile the core (internal/kms, internal/crypto) and its cryptography
// natively as well. The hosts share what they need of the core's definitions through internal/kmsabi.
func TestUsersDoNotCompileTheCore(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "github.com/wasmkms/wasmkms/kmstest").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, core := range []string{"github.com/wasmkms/wasmkms/internal/kms", "github.com/wasmkms/wasmkms/internal/crypto",
			"github.com/emmansun/", "github.com/cloudflare/circl", "filippo.io/mldsa", "golang.org/x/crypto/"} {
			if pkg == core || strings.HasPrefix(pkg, core+"/") || (strings.HasSuffix(core, "/") && strings.HasPrefix(pkg, core)) {
				if pkg == "github.com/wasmkms/wasmkms/internal/crypto/nativehost" {
					continue // the harness's host primitives: native Go's crypto and internal/abi only
				}
				t.Errorf("kmstest depends on %s", pkg)
			}
		}
	}
}
