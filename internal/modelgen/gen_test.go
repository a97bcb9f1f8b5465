package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed model_gen.go and model_gen_legacy_test.go are what the model and the overlay give:
// regenerate after changing either (go run ./internal/modelgen).
func TestGeneratedFilesAreFresh(t *testing.T) {
	out, err := generateFromDir("model")
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string][]byte{modelFile: out.model, legacyFile: out.legacy} {
		got, err := os.ReadFile(filepath.Join("..", "..", file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go run ./internal/modelgen from the repository root", file)
		}
	}
}

// The model beside the generator is AWS's, as shared/aws-models/kms has it (where that folder is
// present, as on developers' machines and in CI).
func TestModelIsTheSharedOne(t *testing.T) {
	shared, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "aws-models", "kms", "service-2.json"))
	if os.IsNotExist(err) {
		t.Skip("no shared/ beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(filepath.Join("model", "service-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, ours) {
		t.Fatal("internal/modelgen/model/service-2.json differs from shared/aws-models/kms/service-2.json: copy the newer one and regenerate")
	}
}

// A simple pattern parses into its class; the rest are left to hand-written matchers.
func TestParseSimplePattern(t *testing.T) {
	for _, tc := range []struct {
		pattern  string
		simple   bool
		min, max int
		prefix   string
	}{
		{`^[a-zA-Z0-9:/_-]+$`, true, 1, -1, ""},
		{`[\u0020-\u00FF]*`, true, 0, -1, ""},
		{`[0-9]{12}`, true, 12, 12, ""},
		{`cluster-[2-7a-zA-Z]{11,16}`, true, 11, 16, "cluster-"},
		{`^https://[a-zA-Z0-9.-]+$`, true, 1, -1, "https://"},
		{`^([a-z]+-){2,3}\d+$`, false, 0, 0, ""},
	} {
		sp, err := parseSimplePattern(tc.pattern)
		if (err == nil) != tc.simple {
			t.Fatalf("%s: simple %v, err %v", tc.pattern, tc.simple, err)
		}
		if tc.simple && (sp.min != tc.min || sp.max != tc.max || sp.prefix != tc.prefix) {
			t.Fatalf("%s: got %+v", tc.pattern, sp)
		}
	}
}
