package abi

import (
	"encoding/json"
	"flag"
	"os"
	"testing"
)

// vectorsFile is the ABI's numbers as data, for the hosts that cannot import this package (the JS
// host: test/node/abi-vectors.test.mjs). `go test ./internal/abi -update` rewrites it.
const vectorsFile = "testdata/abi-vectors.json"

var update = flag.Bool("update", false, "rewrite "+vectorsFile+" from this package")

type vectors struct {
	Comment     string        `json:"comment"`
	ABIVersion  int           `json:"abiVersion"`
	AbsentField uint32        `json:"absentField"`
	MaxAlloc    int           `json:"maxAllocation"`
	Errors      []vectorError `json:"errors"`
}

type vectorError struct {
	Name    string `json:"name"`
	Value   int32  `json:"value"`
	Meaning string `json:"meaning"`
}

func currentVectors() vectors {
	v := vectors{
		Comment:     "Written by `go test ./internal/abi -update` from internal/abi (wasm/ABI.md); do not edit by hand.",
		ABIVersion:  Version,
		AbsentField: AbsentField,
		MaxAlloc:    MaxAllocation,
	}
	for _, c := range Codes {
		v.Errors = append(v.Errors, vectorError(c))
	}
	return v
}

func TestVectorsFileIsThePackage(t *testing.T) {
	want, err := json.MarshalIndent(currentVectors(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile(vectorsFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/abi -update)", err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s differs from internal/abi; run go test ./internal/abi -update\ngot:\n%s\nwant:\n%s", vectorsFile, got, want)
	}
}

func TestCodes(t *testing.T) {
	seen := map[int32]bool{}
	for i, c := range Codes {
		if c.Value != int32(-1-i) || seen[c.Value] || c.Name == "" || Meaning(c.Value) != c.Meaning {
			t.Errorf("code %d: %+v (the codes are -1, -2, ... in order, each once, named and explained)", i, c)
		}
		seen[c.Value] = true
	}
	if Meaning(0) != "" || Meaning(-100) != "" {
		t.Error("Meaning of a value that is no code is not empty")
	}
}
