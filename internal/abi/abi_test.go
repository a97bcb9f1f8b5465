package abi

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
)

// vectorsFile is the ABI's numbers as data, for the hosts that cannot import this package (the JS
// host: test/node/abi-vectors.test.mjs). `go test ./internal/abi -update` rewrites it.
const vectorsFile = "testdata/abi-vectors.json"

var update = flag.Bool("update", false, "rewrite "+vectorsFile+" from this package")

type vectors struct {
	Comment     string         `json:"comment"`
	ABIVersion  int            `json:"abiVersion"`
	AbsentField uint32         `json:"absentField"`
	MaxAlloc    int            `json:"maxAllocation"`
	StateFlags  map[string]int `json:"stateFlags"`
	StateArea   map[string]int `json:"stateArea"`
	Errors      []vectorError  `json:"errors"`
	Direct      []DirectExport `json:"direct"`
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
		StateFlags:  map[string]int{"changed": StateChanged, "usageWaiting": StateUsageWaiting, "recordTaken": StateRecordTaken, "logOutgrown": StateLogOutgrown},
		StateArea:   map[string]int{"recordAt": StateRecordAt, "recordLength": StateRecordLength},
		Direct:      DirectExports,
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

// abiDoc is the ABI's document, whose table of direct exports is written from DirectExports.
const abiDoc = "../../wasm/ABI.md"

const (
	tableStart = "<!-- direct exports: written by go test ./internal/abi -update -->\n"
	tableEnd   = "<!-- end of direct exports -->\n"
)

// directTable is ABI.md's table of the direct exports, as DirectExports says.
func directTable() string {
	fields := func(members []Member) string {
		var parts []string
		for _, m := range members {
			parts = append(parts, m.Name+" `"+string(m.Kind)+"`")
		}
		return strings.Join(parts, ", ")
	}
	var t strings.Builder
	t.WriteString("| export | operation | request fields after the caller | answer fields (status 200) |\n| --- | --- | --- | --- |\n")
	for _, d := range DirectExports {
		t.WriteString("| `" + d.Export + "` | " + d.Operation + " | " + fields(d.Input) + " | " + fields(d.Output) + " |\n")
	}
	return t.String()
}

func TestABIDocumentListsTheDirectExports(t *testing.T) {
	doc, err := os.ReadFile(abiDoc)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok := strings.Cut(string(doc), tableStart)
	table, after, ok2 := strings.Cut(rest, tableEnd)
	if !ok || !ok2 {
		t.Fatalf("%s has no %q ... %q markers", abiDoc, tableStart, tableEnd)
	}
	want := directTable()
	if *update && table != want {
		if err := os.WriteFile(abiDoc, []byte(before+tableStart+want+tableEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
		table = want
	}
	if table != want {
		t.Fatalf("%s's table of direct exports differs from DirectExports; run go test ./internal/abi -update\ngot:\n%s\nwant:\n%s", abiDoc, table, want)
	}
}

// TestDirectExports: each export and operation once; members named once per side, of a kind the side
// may carry (integer only in requests, json and keylist only in answers).
func TestDirectExports(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range DirectExports {
		if seen[d.Export] || seen[d.Operation] || !strings.HasPrefix(d.Export, "wasmkms_") || Direct(d.Operation) == nil || Direct(d.Operation).Export != d.Export {
			t.Errorf("%+v: an export and an operation appear once each", d)
		}
		seen[d.Export], seen[d.Operation] = true, true
		check := func(side string, members []Member, allowed ...Kind) {
			names := map[string]bool{}
			for _, m := range members {
				if names[m.Name] || m.Name == "" {
					t.Errorf("%s %s: %q twice or empty", d.Export, side, m.Name)
				}
				names[m.Name] = true
				ok := false
				for _, k := range allowed {
					ok = ok || m.Kind == k
				}
				if !ok {
					t.Errorf("%s %s: %s has kind %q, not one of %v", d.Export, side, m.Name, m.Kind, allowed)
				}
			}
		}
		check("request", d.Input, String, Blob, Context, Integer, Boolean)
		check("answer", d.Output, String, Blob, Boolean, JSON, KeyList)
	}
	if Direct("DescribeKey") != nil {
		t.Error("Direct of an operation without an export is not nil")
	}
}
