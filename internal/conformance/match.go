package conformance

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// matcher compares what came back with what a scenario expects.
type matcher struct {
	vars Vars
	now  time.Time
}

// epochTolerance is how far from now an @epoch timestamp may be.
const epochTolerance = 24 * time.Hour

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// match returns one line per mismatch between expected and got at path; present says whether got
// exists at all (an absent object member).
func (m matcher) match(path string, expected, got any, present bool) []string {
	switch exp := expected.(type) {
	case string:
		if strings.HasPrefix(exp, "@") && !strings.HasPrefix(exp, "@@") {
			return m.matchMatcher(path, exp, got, present)
		}
		literal := exp
		if strings.HasPrefix(exp, "@@") {
			literal = exp[1:]
		}
		want, err := substituteString(literal, m.vars)
		if err != nil {
			return []string{fmt.Sprintf("%s: %v", path, err)}
		}
		if !present {
			return []string{fmt.Sprintf("%s: expected %s, got nothing (member absent)", path, show(want))}
		}
		if !equalJSON(want, got) {
			return []string{fmt.Sprintf("%s: expected %s, got %s", path, show(want), show(got))}
		}
		return nil
	case *Object:
		if !present {
			return []string{fmt.Sprintf("%s: expected an object, got nothing (member absent)", path)}
		}
		gotObj, ok := got.(*Object)
		if !ok {
			return []string{fmt.Sprintf("%s: expected an object, got %s", path, show(got))}
		}
		var out []string
		for _, em := range exp.Members {
			gv, gp := gotObj.Get(em.Name)
			out = append(out, m.match(path+"."+em.Name, em.Value, gv, gp)...)
		}
		return out
	case []any:
		if !present {
			return []string{fmt.Sprintf("%s: expected an array, got nothing (member absent)", path)}
		}
		gotArr, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: expected an array, got %s", path, show(got))}
		}
		if len(gotArr) != len(exp) {
			return []string{fmt.Sprintf("%s: expected %d elements %s, got %d %s", path, len(exp), show(exp), len(gotArr), show(got))}
		}
		var out []string
		for i := range exp {
			out = append(out, m.match(fmt.Sprintf("%s.%d", path, i), exp[i], gotArr[i], true)...)
		}
		return out
	default: // nil, bool, json.Number
		if !present {
			return []string{fmt.Sprintf("%s: expected %s, got nothing (member absent)", path, show(expected))}
		}
		if !equalJSON(expected, got) {
			return []string{fmt.Sprintf("%s: expected %s, got %s", path, show(expected), show(got))}
		}
		return nil
	}
}

func (m matcher) matchMatcher(path, exp string, got any, present bool) []string {
	name, arg, hasArg := strings.Cut(exp, ":")
	fail := func(format string, a ...any) []string {
		return []string{fmt.Sprintf("%s: expected %s, ", path, exp) + fmt.Sprintf(format, a...)}
	}
	if name == "@absent" && !hasArg {
		if present {
			return fail("got %s", show(got))
		}
		return nil
	}
	if !present {
		return fail("got nothing (member absent)")
	}
	gotStr, isStr := got.(string)
	switch {
	case !hasArg && name == "@any":
		if got == nil {
			return fail("got null")
		}
	case !hasArg && (name == "@string" || name == "@number" || name == "@boolean" || name == "@array" || name == "@object"):
		if jsonType(got) != name[1:] {
			return fail("got %s", show(got))
		}
	case !hasArg && name == "@base64":
		if _, err := decodeBase64Strict(gotStr); !isStr || gotStr == "" || err != nil {
			return fail("got %s", show(got))
		}
	case hasArg && name == "@base64len":
		n, err := parseCount(arg)
		if err != nil {
			return []string{fmt.Sprintf("%s: bad matcher %s: %v", path, exp, err)}
		}
		raw, decErr := decodeBase64Strict(gotStr)
		if !isStr || decErr != nil {
			return fail("got %s (not base64)", show(got))
		}
		if len(raw) != n {
			return fail("got %d bytes", len(raw))
		}
	case hasArg && name == "@prefix":
		prefix, err := substituteText(arg, m.vars)
		if err != nil {
			return []string{fmt.Sprintf("%s: %v", path, err)}
		}
		if !isStr || !strings.HasPrefix(gotStr, prefix) {
			return fail("got %s", show(got))
		}
	case hasArg && name == "@regex":
		pattern, err := substituteText(arg, m.vars)
		if err != nil {
			return []string{fmt.Sprintf("%s: %v", path, err)}
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return []string{fmt.Sprintf("%s: bad matcher %s: %v", path, exp, err)}
		}
		if !isStr || !re.MatchString(gotStr) {
			return fail("got %s", show(got))
		}
	case !hasArg && name == "@uuid":
		if !isStr || !uuidRE.MatchString(gotStr) {
			return fail("got %s", show(got))
		}
	case !hasArg && name == "@epoch":
		n, ok := got.(json.Number)
		f, err := strconv.ParseFloat(string(n), 64)
		if !ok || err != nil {
			return fail("got %s", show(got))
		}
		if math.Abs(f-float64(m.now.Unix())) > epochTolerance.Seconds() {
			return fail("got %s, now is %d", show(got), m.now.Unix())
		}
	default:
		return []string{fmt.Sprintf("%s: unknown matcher %s", path, exp)}
	}
	return nil
}

// equalJSON compares two JSON values: numbers by value, objects whatever their member order.
func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, ex := strconv.ParseFloat(string(x), 64)
		fy, ey := strconv.ParseFloat(string(y), 64)
		return ex == nil && ey == nil && fx == fy
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || len(x.Members) != len(y.Members) {
			return false
		}
		for _, m := range x.Members {
			v, ok := y.Get(m.Name)
			if !ok || !equalJSON(m.Value, v) {
				return false
			}
		}
		return true
	}
	return false
}
