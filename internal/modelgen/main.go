// Command modelgen writes internal/kms/model_gen.go from AWS's model of the KMS API: one request
// struct per operation (the members the JSON decoding fills), its table of every member constraint
// of the model (required, lengths, value ranges, patterns, enum sets) in the model's member order,
// and its validate method, which hands the table to the interpreter in validate.go, which words each
// violation the way the service's ValidationException does. Each operation then writes only its
// semantics. It also writes internal/kms/model_gen_legacy_test.go: the same validation as methods of
// code, which a test holds the tables to.
//
//	go run ./internal/modelgen          # from the repository root: rewrites internal/kms/model_gen.go
//
// Its inputs are model/service-2.json (AWS's model, unmodified) and model/overlay.json (what the
// model lacks or states differently from the service, each entry with its source). A test fails
// when the committed file differs from what this would write.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	out, err := generateFromDir(filepath.Join(root, "internal/modelgen/model"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(1)
	}
	for file, content := range map[string][]byte{modelFile: out.model, legacyFile: out.legacy} {
		if err := os.WriteFile(filepath.Join(root, file), content, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "modelgen:", err)
			os.Exit(1)
		}
	}
}

// The files written, from the repository root.
const (
	modelFile  = "internal/kms/model_gen.go"
	legacyFile = "internal/kms/model_gen_legacy_test.go"
)

// generateFromDir reads the model and its overlay from dir and answers the generated Go sources.
func generateFromDir(dir string) (*generated, error) {
	base, err := os.ReadFile(filepath.Join(dir, "service-2.json"))
	if err != nil {
		return nil, err
	}
	overlay, err := os.ReadFile(filepath.Join(dir, "overlay.json"))
	if err != nil {
		return nil, err
	}
	m, err := loadModel(base, overlay)
	if err != nil {
		return nil, err
	}
	return generate(m)
}
