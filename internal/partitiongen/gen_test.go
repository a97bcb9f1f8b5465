package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The committed partitions_gen.go is what the table gives: regenerate after changing it
// (go generate ./internal/kms).
func TestGeneratedFileIsFresh(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("sdk", "partitions.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(raw)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", outputFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go generate ./internal/kms", outputFile)
	}
}

// The table beside the generator is the one of the aws-sdk-go-v2 that go.mod names, where the module
// cache holds it (it does wherever the harness's tests have run).
func TestTableIsTheSDKs(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skip("aws-sdk-go-v2 is not in the module cache")
	}
	sdk, err := os.ReadFile(filepath.Join(dir, "internal", "endpoints", "awsrulesfn", "partitions.json"))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(filepath.Join("sdk", "partitions.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sdk, ours) {
		t.Fatalf("sdk/partitions.json differs from %s's: copy it and run go generate ./internal/kms", dir)
	}
}

func TestRegexPrefixes(t *testing.T) {
	for _, tc := range []struct {
		re   string
		want string // the prefixes joined by spaces; "" for a regex refused
	}{
		{`^(us|eu|ap)\-\w+\-\d+$`, "us eu ap"},
		{`^cn\-\w+\-\d+$`, "cn"},
		{`^eusc\-(de)\-\w+\-\d+$`, "eusc-de"},
		{`^us\-(iso|isob)\-\w+\-\d+$`, "us-iso us-isob"},
		{`^(a|b)(c|d)\-\w+\-\d+$`, "ac ad bc bd"},
		{`^us\-\w+\-\d+`, ""},       // not anchored at the end
		{`us\-\w+\-\d+$`, ""},       // nor at the start
		{`^us.\-\w+\-\d+$`, ""},     // a wildcard
		{`^(us|)\-\w+\-\d+$`, ""},   // an empty alternative
		{`^(us\-\w+\-\d+$`, ""},     // an unclosed group
		{`^[a-z]+\-\w+\-\d+$`, ""},  // a class
		{`^\-\w+\-\d+$`, ""},        // no prefix
		{`^us\-\w+\-\d+\-\d+$`, ""}, // another suffix
		{`^\w+\-\w+\-\d+$`, ""},     // \w in the prefix
		{`^us\-gov\-\w+\-\d+$`, "us-gov"},
	} {
		prefixes, err := regexPrefixes(tc.re)
		got := strings.Join(prefixes, " ")
		if err != nil {
			got = ""
		}
		if got != tc.want {
			t.Errorf("regexPrefixes(%s) = %q (%v), want %q", tc.re, got, err, tc.want)
		}
	}
}
