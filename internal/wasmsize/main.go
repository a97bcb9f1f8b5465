// Command wasmsize tells where the bytes of a Go wasm module go: each section's size, and the code
// (the code section's function bodies) by Go package and by Go module, read from the module's name
// section, whose function names carry their package path. The module must be built without -s (which
// drops the name section): build one with build.sh's build_wasm command, its -ldflags without -s and
// without the wasmshrink step, e.g. `GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath
// -ldflags="-w -buildid=" -o /tmp/named.wasm ./wasm` (plus build.sh's WASM_NOINLINE -gcflags).
//
//	go run ./internal/wasmsize [-top N] [-pkg ./wasm] module.wasm
//	go run ./internal/wasmsize -funcs encoding/json module.wasm   # the largest functions of one package
//
// Packages are mapped to their modules with `go list -deps` of -pkg for GOOS=wasip1 GOARCH=wasm (the
// standard library's packages have no module and are listed as "std"). Data (the data section) cannot be
// split by package: it is mostly Go's function and type tables, which grow with the code.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"unicode"
)

func main() {
	top := flag.Int("top", 40, "how many packages to list")
	pkg := flag.String("pkg", "./wasm", "the Go package the module was built from (to map packages to modules)")
	funcs := flag.String("funcs", "", `list the largest -top functions of this package (an import path; "all": of the module) instead`)
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-top N] [-pkg ./wasm] module.wasm")
		os.Exit(2)
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	m, err := parse(data)
	if err != nil {
		fail(err)
	}
	if len(m.names) == 0 {
		fail(fmt.Errorf("%s has no function names: build it without -s", flag.Arg(0)))
	}
	d, err := listDeps(*pkg)
	if err != nil {
		fail(err)
	}
	if *funcs != "" {
		reportFuncs(os.Stdout, m, d, *funcs, *top)
		return
	}
	report(os.Stdout, data, m, d, *top)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wasmsize:", err)
	os.Exit(1)
}

// deps is what go list tells of the packages linked into the module: each one's path by its name-section
// form (the main package's symbols are named "main.*"), and each one's module.
type deps struct {
	packages map[string]string // sanitized path (or "main") → path
	modules  map[string]string // path → module path, "std" for the standard library
}

func listDeps(pkg string) (*deps, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Name}} {{with .Module}}{{.Path}}{{end}}", pkg)
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps %s: %v", pkg, err)
	}
	d := &deps{packages: map[string]string{}, modules: map[string]string{}}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		path, module := fields[0], "std"
		if len(fields) == 3 {
			module = fields[2]
		}
		d.packages[sanitize(path)] = path
		if fields[1] == "main" {
			d.packages["main"] = path
		}
		d.modules[path] = module
	}
	return d, nil
}

// report prints the sizes: the whole file, raw and gzip -9, with and without the name section (the
// build's -s drops it), each section, then the code by module and by package.
func report(w io.Writer, data []byte, m *module, d *deps, top int) {
	stripped := len(data) - m.nameSection
	fmt.Fprintf(w, "file %d B (gzip -9 %d B); without the name section (as -s builds it) about %d B\n\n",
		len(data), gzipSize(data), stripped)
	fmt.Fprintln(w, "section\tbytes")
	for _, s := range m.sections {
		fmt.Fprintf(w, "%s\t%d\n", s.name, s.size)
	}

	byPkg := map[string]int{}
	byModule := map[string]int{}
	total := 0
	for i, size := range m.bodies {
		name := m.names[uint32(m.imported+i)]
		p := packageOf(name, d.packages)
		mod := d.modules[p]
		if p == "" {
			p, mod = "(no package)", "(no package)"
		}
		byPkg[p] += size
		byModule[mod] += size
		total += size
	}
	fmt.Fprintf(w, "\ncode by module (%d B in %d functions)\nbytes\tshare\tmodule\n", total, len(m.bodies))
	for _, e := range sorted(byModule) {
		fmt.Fprintf(w, "%d\t%.1f%%\t%s\n", e.size, 100*float64(e.size)/float64(total), e.key)
	}
	fmt.Fprintf(w, "\ncode by package (the %d largest of %d)\nbytes\tshare\tpackage\n", min(top, len(byPkg)), len(byPkg))
	for i, e := range sorted(byPkg) {
		if i == top {
			break
		}
		fmt.Fprintf(w, "%d\t%.1f%%\t%s\n", e.size, 100*float64(e.size)/float64(total), e.key)
	}
}

// reportFuncs lists the largest functions of one package, by their name-section names.
func reportFuncs(w io.Writer, m *module, d *deps, pkg string, top int) {
	sizes := map[string]int{}
	total := 0
	for i, size := range m.bodies {
		name := m.names[uint32(m.imported+i)]
		if pkg == "all" || packageOf(name, d.packages) == pkg {
			sizes[name] += size
			total += size
		}
	}
	fmt.Fprintf(w, "%s: %d B of code in %d functions\nbytes\tfunction\n", pkg, total, len(sizes))
	for i, e := range sorted(sizes) {
		if i == top {
			break
		}
		fmt.Fprintf(w, "%d\t%s\n", e.size, e.key)
	}
}

type entry struct {
	key  string
	size int
}

func sorted(m map[string]int) []entry {
	var es []entry
	for k, v := range m {
		es = append(es, entry{k, v})
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].size != es[j].size {
			return es[i].size > es[j].size
		}
		return es[i].key < es[j].key
	})
	return es
}

func gzipSize(data []byte) int {
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	z.Write(data)
	z.Close()
	return b.Len()
}

// sanitize is what Go's wasm linker does to a symbol name for the name section: every character but
// letters, digits, '_' and '.' becomes '_' (so "crypto/internal/fips140/nistec.(*P256Point).Add" is
// "crypto_internal_fips140_nistec.__P256Point_.Add").
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, s)
}

// packageOf answers the package path of a function's name-section name, given the packages by their
// sanitized paths: the longest of them that the name starts with, followed by a dot. The compiler's
// equality functions (type:.eq.T) count for T's package. Names of no package (the wasm entry points,
// runtime helpers written in assembly, equality functions of unnamed types) answer "".
func packageOf(name string, packages map[string]string) string {
	name = strings.TrimPrefix(name, "type_.eq.")
	best := ""
	for i := range len(name) {
		if name[i] == '.' {
			if p, ok := packages[name[:i]]; ok {
				best = p
			}
		}
	}
	return best
}
