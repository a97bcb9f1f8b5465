// Command wasmshrink rewrites the module `go build` made, in place, to the same module in fewer
// bytes: the Go runtime's findfunctab written by a loop instead of 75,000 data segments (shrink.go
// says why that table is so large on wasm), the function table's inlining metadata folded into the
// functions the calls were inlined into (pcln.go), and the loads and stores of frame slots written at
// an offset from SP instead of after 64-bit address arithmetic (code.go). ./build.sh build runs it on
// every build, so the committed module is still byte for byte what the sources build. The rewritten
// module is checked before it is written: its memory is the original's, but for the function table,
// which is read back and compared with the original, PC by PC.
//
//	go run ./internal/wasmshrink module.wasm
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: wasmshrink module.wasm")
		os.Exit(2)
	}
	path := os.Args[1]
	in, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	out, res, err := shrink(in)
	if err != nil {
		fail(err)
	}
	if res.buckets == 0 && res.fold == nil && res.addr.loads+res.addr.stores == 0 {
		fmt.Printf("wasmshrink: %s has neither a pclntab nor a findfunctab to rewrite; left as it is\n", path)
		return
	}
	tmp := path + ".shrink"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		fail(err)
	}
	fmt.Printf("wasmshrink: %s: %d -> %d bytes, %d data segments instead of %d\n", path, len(in), len(out), res.kept, res.segmentsBefore)
	if res.buckets > 0 {
		fmt.Printf("  findfunctab (%d buckets at %#x) by the start function\n", res.buckets, res.tableAt)
	}
	if a := res.addr; a.loads+a.stores > 0 {
		fmt.Printf("  code: %d loads and %d stores of frame slots at an offset from SP; %d -> %d bytes\n", a.loads, a.stores, a.before, a.after)
	}
	if f := res.fold; f != nil {
		fmt.Printf("  pclntab: inlined calls folded into %d functions: %d inline trees (%d bytes) dropped; pctab %d -> %d bytes (%d tables), funcnametab %d -> %d bytes, _funcs %d -> %d bytes\n",
			f.funcs, f.trees, f.treeBytes, f.pctabBefore, f.pctab, f.tables, f.namesBefore, f.names, f.funcsBefore, f.funcsAfter)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wasmshrink:", err)
	os.Exit(1)
}
