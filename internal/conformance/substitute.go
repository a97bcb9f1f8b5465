package conformance

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Vars are the values saved by earlier steps of a scenario, with their JSON types.
type Vars map[string]any

var varNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func validVarName(s string) bool { return varNameRE.MatchString(s) }

// substituteValue applies substitution to every string of a request (object member names excluded).
func substituteValue(v any, vars Vars) (any, error) {
	switch t := v.(type) {
	case string:
		return substituteString(t, vars)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			s, err := substituteValue(e, vars)
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	case *Object:
		out := &Object{Members: make([]Member, len(t.Members))}
		for i, m := range t.Members {
			s, err := substituteValue(m.Value, vars)
			if err != nil {
				return nil, err
			}
			out.Members[i] = Member{m.Name, s}
		}
		return out, nil
	}
	return v, nil
}

// substituteString expands every ${...} of s. A string that is exactly "${var}" becomes the saved value
// with its JSON type; elsewhere a non-string value is inserted as its JSON text.
func substituteString(s string, vars Vars) (any, error) {
	if strings.HasPrefix(s, "${") && strings.Index(s, "}") == len(s)-1 {
		if name := s[2 : len(s)-1]; validVarName(name) {
			return lookupVar(name, vars)
		}
	}
	var out strings.Builder
	rest := s
	for {
		start := strings.Index(rest, "${")
		if start < 0 {
			out.WriteString(rest)
			return out.String(), nil
		}
		end := strings.Index(rest[start+2:], "}")
		if end < 0 {
			return nil, fmt.Errorf("unterminated ${ in %q", s)
		}
		expr := rest[start+2 : start+2+end]
		text, err := expand(expr, vars)
		if err != nil {
			return nil, err
		}
		out.WriteString(rest[:start])
		out.WriteString(text)
		rest = rest[start+2+end+1:]
	}
}

// substituteText is substituteString for places that need a string (messages, matcher arguments).
func substituteText(s string, vars Vars) (string, error) {
	v, err := substituteString(s, vars)
	if err != nil {
		return "", err
	}
	if str, ok := v.(string); ok {
		return str, nil
	}
	return string(encodeJSON(v)), nil
}

func lookupVar(name string, vars Vars) (any, error) {
	v, ok := vars[name]
	if !ok {
		return nil, fmt.Errorf("variable %q is not saved (did an earlier step fail?)", name)
	}
	return v, nil
}

func expand(expr string, vars Vars) (string, error) {
	fn, arg, hasArg := strings.Cut(expr, ":")
	if !hasArg {
		if !validVarName(expr) {
			return "", fmt.Errorf("bad substitution ${%s}", expr)
		}
		v, err := lookupVar(expr, vars)
		if err != nil {
			return "", err
		}
		if s, ok := v.(string); ok {
			return s, nil
		}
		return string(encodeJSON(v)), nil
	}
	switch fn {
	case "bytes":
		n, err := parseCount(arg)
		if err != nil {
			return "", fmt.Errorf("${bytes:%s}: %v", arg, err)
		}
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i % 256)
		}
		return base64.StdEncoding.EncodeToString(b), nil
	case "utf8":
		return base64.StdEncoding.EncodeToString([]byte(arg)), nil
	case "repeat":
		c, size := utf8.DecodeRuneInString(arg)
		if size == 0 || c == utf8.RuneError || len(arg) <= size || arg[size] != ':' {
			return "", fmt.Errorf("${repeat:%s}: want ${repeat:C:N}", arg)
		}
		n, err := parseCount(arg[size+1:])
		if err != nil {
			return "", fmt.Errorf("${repeat:%s}: %v", arg, err)
		}
		return strings.Repeat(string(c), n), nil
	case "flip":
		name, idxText, ok := cutLast(arg, ":")
		if !ok || !validVarName(name) {
			return "", fmt.Errorf("${flip:%s}: want ${flip:VAR:I}", arg)
		}
		idx, err := strconv.Atoi(idxText)
		if err != nil || !decimalRE.MatchString(idxText) {
			return "", fmt.Errorf("${flip:%s}: bad index", arg)
		}
		v, err := lookupVar(name, vars)
		if err != nil {
			return "", err
		}
		s, isStr := v.(string)
		raw, decErr := decodeBase64Strict(s)
		if !isStr || decErr != nil {
			return "", fmt.Errorf("${flip:%s}: variable %q does not hold base64", arg, name)
		}
		if idx < 0 {
			idx += len(raw)
		}
		if idx < 0 || idx >= len(raw) {
			return "", fmt.Errorf("${flip:%s}: index out of range for %d bytes", arg, len(raw))
		}
		raw[idx] ^= 0x01
		return base64.StdEncoding.EncodeToString(raw), nil
	}
	return "", fmt.Errorf("unknown substitution ${%s}", expr)
}

var (
	decimalRE = regexp.MustCompile(`^-?[0-9]+$`)
	countRE   = regexp.MustCompile(`^[0-9]+$`)
)

// maxCount bounds ${bytes:N} and ${repeat:C:N}: far above any KMS limit, low enough to stay cheap.
const maxCount = 1 << 20

func parseCount(s string) (int, error) {
	if !countRE.MatchString(s) {
		return 0, fmt.Errorf("%q is not a non-negative integer", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxCount {
		return 0, fmt.Errorf("%q is larger than %d", s, maxCount)
	}
	return n, nil
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

var base64RE = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`)

// decodeBase64Strict accepts only canonical standard base64 with padding (no whitespace, zero pad bits).
func decodeBase64Strict(s string) ([]byte, error) {
	if !base64RE.MatchString(s) {
		return nil, fmt.Errorf("not standard base64")
	}
	return base64.StdEncoding.Strict().DecodeString(s)
}
