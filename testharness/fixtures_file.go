package testharness

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LoadFixtures reads a fixtures file for WorldOptions.Fixtures or World.LoadFixtures: JSON, or YAML
// when the name ends in .yaml or .yml (the same document, {"keys": [...]}, as js/fixtures.schema.json
// describes it). It answers the document as JSON; what a key may hold is checked by the core when a
// world loads it, so a bad member fails with the same error naming its path (keys[2].material)
// whatever the file's format.
func LoadFixtures(path string) (json.RawMessage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("testharness: fixtures: %w", err)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		if b, err = yamlToJSON(b); err != nil {
			return nil, fmt.Errorf("testharness: fixtures %s: %w", path, err)
		}
	default:
		if !json.Valid(b) {
			return nil, fmt.Errorf("testharness: fixtures %s: not JSON", path)
		}
	}
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return nil, fmt.Errorf(`testharness: fixtures %s: must hold an object {"keys": [...]}`, path)
	}
	return b, nil
}

// yamlToJSON converts one YAML document to JSON. Mapping keys become strings, as in JSON (and as the
// JS host's yaml package reads them); a value JSON has no form for (.inf, .nan) is an error.
func yamlToJSON(b []byte) ([]byte, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc any
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("not YAML: %w", err)
	}
	if err := dec.Decode(new(any)); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document")
	}
	b, err := json.Marshal(jsonValue(doc))
	if err != nil {
		return nil, fmt.Errorf("a value JSON cannot hold: %w", err)
	}
	return b, nil
}

// jsonValue is v with every mapping's keys as strings, for encoding/json.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, item := range x {
			x[k] = jsonValue(item)
		}
		return x
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[fmt.Sprint(k)] = jsonValue(item)
		}
		return out
	case []any:
		for i, item := range x {
			x[i] = jsonValue(item)
		}
		return x
	}
	return v
}
