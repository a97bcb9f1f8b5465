// Command partitiongen writes internal/kms/partitions_gen.go from AWS's partitions table: the
// partitions in the SDKs' order, the pattern each one's Region names follow, and its Regions. The core
// checks a caller's Region against it, and answers the partition of a Region (ARNs, China-only key
// specs) from it, as the SDKs' endpoint rules do.
//
//	go run ./internal/partitiongen      # from the repository root
//	go generate ./internal/kms          # the same, by the directive in internal/kms/partitions.go
//
// Its input is sdk/partitions.json, the file aws-sdk-go-v2 keeps in internal/endpoints/awsrulesfn
// (unmodified; the version is go.mod's, and a test fails when the module cache holds another text).
// The module links no regexp, so each partition's regionRegex, which is always of the form
// ^<prefix>\-\w+\-\d+$ (the prefix a literal or a group of alternatives), becomes its list of
// prefixes; a regionRegex of any other form stops the generator, and a test holds the translation to
// Go's regexp.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The files, from the repository root.
const (
	inputFile  = "internal/partitiongen/sdk/partitions.json"
	outputFile = "internal/kms/partitions_gen.go"
)

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	if err := run(root); err != nil {
		fmt.Fprintln(os.Stderr, "partitiongen:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	raw, err := os.ReadFile(filepath.Join(root, inputFile))
	if err != nil {
		return err
	}
	out, err := generate(raw)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, outputFile), out, 0o644)
}

// partitionsFile is the part of partitions.json the core needs.
type partitionsFile struct {
	Version    string `json:"version"`
	Partitions []struct {
		ID          string                     `json:"id"`
		RegionRegex string                     `json:"regionRegex"`
		Regions     map[string]json.RawMessage `json:"regions"`
	} `json:"partitions"`
}

// partition is one partition as the generated table holds it.
type partition struct {
	id, regionRegex string
	prefixes        []string // regionRegex as the prefixes of its names (regionSuffix follows each)
	regions         []string // the Regions, sorted; without the partition's "-global" pseudo-Region
	pseudoRegions   []string // that pseudo-Region
}

// regionSuffix is what every regionRegex ends with: a name is a prefix, a dash, a word, a dash and a
// number.
const regionSuffix = `\-\w+\-\d+$`

func generate(raw []byte) ([]byte, error) {
	var file partitionsFile
	if err := json.Unmarshal(raw, &file); err != nil {
		return nil, err
	}
	if len(file.Partitions) == 0 {
		return nil, errors.New("no partitions")
	}
	parts := make([]partition, 0, len(file.Partitions))
	for _, fp := range file.Partitions {
		prefixes, err := regexPrefixes(fp.RegionRegex)
		if err != nil {
			return nil, fmt.Errorf("partition %s: %w", fp.ID, err)
		}
		re, err := regexp.Compile(fp.RegionRegex)
		if err != nil {
			return nil, fmt.Errorf("partition %s: %w", fp.ID, err)
		}
		p := partition{id: fp.ID, regionRegex: fp.RegionRegex, prefixes: prefixes}
		for name := range fp.Regions {
			// The table lists a pseudo-Region per partition (aws-global, aws-cn-global, ...), the
			// global endpoint of a few services, not a Region where KMS is; it does not follow the
			// partition's pattern, which every real Region does.
			if re.MatchString(name) {
				p.regions = append(p.regions, name)
			} else if name == fp.ID+"-global" {
				p.pseudoRegions = append(p.pseudoRegions, name)
			} else {
				return nil, fmt.Errorf("partition %s: the Region %q does not match %s", fp.ID, name, fp.RegionRegex)
			}
		}
		slices.Sort(p.regions)
		parts = append(parts, p)
	}
	return render(file.Version, parts)
}

// regexPrefixes translates a regionRegex of the form ^<prefix>\-\w+\-\d+$ into the prefixes it takes:
// the prefix is literal characters (letters, digits, \-) and groups of alternatives, e.g.
// ^(us|eu)\-\w+\-\d+$ gives us and eu, ^eusc\-(de)\-\w+\-\d+$ gives eusc-de.
func regexPrefixes(re string) ([]string, error) {
	body, ok := strings.CutPrefix(re, "^")
	if ok {
		body, ok = strings.CutSuffix(body, regionSuffix)
	}
	if !ok || body == "" {
		return nil, fmt.Errorf("regionRegex %q is not of the form ^<prefix>%s", re, regionSuffix)
	}
	prefixes := []string{""}
	for body != "" {
		var alternatives []string
		switch {
		case strings.HasPrefix(body, `\-`):
			alternatives, body = []string{"-"}, body[2:]
		case body[0] == '(':
			end := strings.IndexByte(body, ')')
			if end < 0 {
				return nil, fmt.Errorf("regionRegex %q: unclosed group", re)
			}
			alternatives, body = strings.Split(body[1:end], "|"), body[end+1:]
		default:
			alternatives, body = []string{body[:1]}, body[1:]
		}
		for _, a := range alternatives {
			if a == "" || strings.Trim(a, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
				return nil, fmt.Errorf("regionRegex %q: %q is not a literal of letters, digits and dashes", re, a)
			}
		}
		next := make([]string, 0, len(prefixes)*len(alternatives))
		for _, p := range prefixes {
			for _, a := range alternatives {
				next = append(next, p+a)
			}
		}
		prefixes = next
	}
	return prefixes, nil
}

func render(version string, parts []partition) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/partitiongen from AWS's partitions table; DO NOT EDIT.\n")
	fmt.Fprintf(&b, "// Input: %s (aws-sdk-go-v2's internal/endpoints/awsrulesfn, format %s).\n", inputFile, version)
	b.WriteString("// Regenerate: go generate ./internal/kms\n\npackage kms\n\n")
	b.WriteString("// awsPartitions are AWS's partitions in the order the SDKs try them (partitions.go).\n")
	b.WriteString("var awsPartitions = []awsPartition{\n")
	for _, p := range parts {
		fmt.Fprintf(&b, "\t{\n\t\tid: %q,\n", p.id)
		fmt.Fprintf(&b, "\t\t// regionRegex %s\n", p.regionRegex)
		fmt.Fprintf(&b, "\t\tnamePrefixes: []string{%s},\n", quoted(p.prefixes))
		fmt.Fprintf(&b, "\t\tregions: []string{%s},\n", quoted(p.regions))
		fmt.Fprintf(&b, "\t\tpseudoRegions: []string{%s},\n\t},\n", quoted(p.pseudoRegions))
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

func quoted(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
