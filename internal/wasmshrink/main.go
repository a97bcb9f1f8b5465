// Command wasmshrink rewrites the module `go build` made, in place, to the same module in fewer
// bytes: today, the Go runtime's findfunctab written by a loop instead of 75,000 data segments
// (shrink.go says why that table is so large on wasm). ./build.sh build runs it on every build, so
// the committed module is still byte for byte what the sources build. The rewritten module is checked
// to initialize the same memory before it is written.
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
	if res.buckets == 0 {
		fmt.Printf("wasmshrink: %s has no findfunctab to write with a loop; left as it is\n", path)
		return
	}
	tmp := path + ".shrink"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		fail(err)
	}
	fmt.Printf("wasmshrink: %s: findfunctab (%d buckets at %#x) by the start function; %d data segments instead of %d; %d -> %d bytes\n",
		path, res.buckets, res.tableAt, res.kept, res.segmentsBefore, len(in), len(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wasmshrink:", err)
	os.Exit(1)
}
