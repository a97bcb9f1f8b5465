package testharness

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
)

// wazeroModule is the module path of wazero.
const wazeroModule = "github.com/tetratelabs/wazero"

// wazeroIdentity names the wazero of this process, for the cache directory of what it compiles (cache.go).
// wazero keys its entries by its version, which it finds in the build information, which a test binary
// does not carry (wazero calls itself "dev" there): code that one wazero compiled would be loaded by
// another after an upgrade. So the version comes from the build information, else from the path of
// wazero's sources (".../github.com/tetratelabs/wazero@v1.12.0/...", with or without -trimpath), else
// from vendor/modules.txt for a vendored wazero; else (a replaced wazero) the executable's SHA-256
// stands for it; "" (no disk cache) when even that fails.
var wazeroIdentity = sync.OnceValue(func() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == wazeroModule && d.Replace == nil && d.Version != "" {
				return d.Version
			}
		}
	}
	var file string
	if fn := runtime.FuncForPC(reflect.ValueOf(wazero.NewRuntimeConfig).Pointer()); fn != nil {
		file, _ = fn.FileLine(fn.Entry())
	}
	if _, rest, ok := strings.Cut(file, wazeroModule+"@"); ok {
		if version, _, ok := strings.Cut(rest, "/"); ok {
			return version
		}
	}
	if version := vendoredVersion(file); version != "" {
		return version
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		return ""
	}
	return "executable-" + sha256Hex(b)[:16]
})

// vendoredVersion is wazero's version in the vendor/modules.txt of a vendored build, where file is the
// path of one of wazero's sources: ".../vendor/github.com/tetratelabs/wazero/..." (the vendor directory
// beside it), or, under -trimpath, "github.com/tetratelabs/wazero/..." (the vendor directory of the
// main module of the working directory, where go test runs). "" if the file says no version, or names a
// replacement.
func vendoredVersion(file string) string {
	var vendorDir string
	if before, _, ok := strings.Cut(filepath.ToSlash(file), "/vendor/"+wazeroModule+"/"); ok {
		vendorDir = filepath.Join(filepath.FromSlash(before), "vendor")
	} else if strings.HasPrefix(file, wazeroModule+"/") {
		dir, err := os.Getwd()
		for err == nil {
			if _, statErr := os.Stat(filepath.Join(dir, "go.mod")); statErr == nil {
				vendorDir = filepath.Join(dir, "vendor")
				break
			}
			if parent := filepath.Dir(dir); parent != dir {
				dir = parent
			} else {
				break
			}
		}
	}
	if vendorDir == "" {
		return ""
	}
	f, err := os.Open(filepath.Join(vendorDir, "modules.txt"))
	if err != nil {
		return ""
	}
	defer f.Close()
	for s := bufio.NewScanner(f); s.Scan(); {
		// "# github.com/tetratelabs/wazero v1.12.0", or "... v1.12.0 => ../wazero" when replaced.
		fields := strings.Fields(s.Text())
		if len(fields) == 3 && fields[0] == "#" && fields[1] == wazeroModule {
			return fields[2]
		}
	}
	return ""
}
