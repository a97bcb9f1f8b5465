package testharness

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// handleCorpusDir is the seed corpus of the core's FuzzHandle(target string, body []byte).
const handleCorpusDir = "../internal/kms/testdata/fuzz/FuzzHandle"

// corpusKeyPlaceholder in a seed's body stands for the ID of a key that exists in the world, as
// FuzzHandle (internal/kms/fuzz_test.go) replaces it.
const corpusKeyPlaceholder = "$KEY"

// Every seed of the core's entry-point fuzz target, through the module and natively: the same status
// and the same answer type (bodies differ where they carry fresh key IDs or random blobs).
func TestFuzzHandleCorpusThroughModule(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(handleCorpusDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no seed in %s", handleCorpusDir)
	}
	h := newHarness(t)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			target, body, err := readHandleSeed(file)
			if err != nil {
				t.Fatal(err)
			}
			w := newWorld(t, h, kms.Options{})
			defer w.Close()
			module := moduleCall(t, w)
			native := nativeCall(kms.NewWorld(kms.Options{}))
			var answers [2]struct {
				status int
				resp   []byte
			}
			for i, call := range []callFunc{module, native} {
				status, created := call("TrentService.CreateKey", []byte(`{}`))
				if status != 200 {
					t.Fatalf("CreateKey: %d %s", status, created)
				}
				keyID := jsonString(created, "KeyMetadata", "KeyId")
				answers[i].status, answers[i].resp = call(target, bytes.ReplaceAll(body, []byte(corpusKeyPlaceholder), []byte(keyID)))
			}
			m, n := answers[0], answers[1]
			if m.status != n.status || answerType(m.resp) != answerType(n.resp) {
				t.Fatalf("%s %q:\nmodule answered %d %s\nnative answered %d %s", target, body, m.status, m.resp, n.status, n.resp)
			}
		})
	}
}

// readHandleSeed reads a seed file of Go's fuzzing corpus format: "go test fuzz v1", then one Go
// literal per argument, here string(...) and []byte(...).
func readHandleSeed(file string) (target string, body []byte, err error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 || lines[0] != "go test fuzz v1" {
		return "", nil, fmt.Errorf("%s: not a two-argument seed of go test fuzz v1", file)
	}
	target, err = unquoteLiteral(lines[1], "string(")
	if err != nil {
		return "", nil, fmt.Errorf("%s: target: %w", file, err)
	}
	b, err := unquoteLiteral(lines[2], "[]byte(")
	if err != nil {
		return "", nil, fmt.Errorf("%s: body: %w", file, err)
	}
	return target, []byte(b), nil
}

func unquoteLiteral(line, conversion string) (string, error) {
	inner, ok := strings.CutPrefix(strings.TrimSpace(line), conversion)
	if !ok || !strings.HasSuffix(inner, ")") {
		return "", fmt.Errorf("%q is not a %s...) literal", line, conversion)
	}
	return strconv.Unquote(strings.TrimSuffix(inner, ")"))
}
