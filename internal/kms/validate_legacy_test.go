package kms

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The tables of model_gen.go and their interpreter (validate.go) replaced one method of code per
// structure (170 KB of the module). The generator still writes those methods, as legacyValidate,
// into model_gen_legacy_test.go; this test holds the two to the same violations, in the same order,
// on every request type.

// legacyRequest is a request with both validations.
type legacyRequest interface {
	request
	legacyValidate(*violations)
}

// The helpers the legacy methods call, as validate.go had them.

// str checks an optional string member's length.
func (v *violations) str(path string, s *string, min, max int) {
	if s != nil {
		v.length(quoted(*s), path, len([]rune(*s)), min, max)
	}
}

// secretStr checks a sensitive string member's length without showing its value.
func (v *violations) secretStr(path string, s *string, min, max int) {
	if s != nil {
		v.length("Value", path, len([]rune(*s)), min, max)
	}
}

// enum checks an optional member against its value set.
func (v *violations) enum(path string, s *string, set []string) {
	if s == nil {
		return
	}
	for _, allowed := range set {
		if *s == allowed {
			return
		}
	}
	v.add(quoted(*s), path, "Member must satisfy enum value set: ["+strings.Join(set, ", ")+"]")
}

// intRange checks an optional integer member.
func (v *violations) intRange(path string, n *int, min, max int) {
	if n == nil {
		return
	}
	if *n < min {
		v.add(quoted(itoa(*n)), path, "Member must have value greater than or equal to "+itoa(min))
	}
	if *n > max {
		v.add(quoted(itoa(*n)), path, "Member must have value less than or equal to "+itoa(max))
	}
}

// pattern checks an optional string member against the model's pattern, with its matcher.
func (v *violations) pattern(path string, s *string, pattern string, match func(string) bool) {
	if s != nil && !match(*s) {
		v.add(quoted(*s), path, "Member must satisfy regular expression pattern: "+pattern)
	}
}

// listLength checks the number of items of an optional list of strings.
func (v *violations) listLength(path string, list []string, min, max int) {
	if list == nil {
		return
	}
	v.length(quoted("["+strings.Join(list, ", ")+"]"), path, len(list), min, max)
}

// secretPattern checks a sensitive string member against its pattern without showing its value.
func (v *violations) secretPattern(path string, s *string, pattern string, match func(string) bool) {
	if s != nil && !match(*s) {
		v.add("Value", path, "Member must satisfy regular expression pattern: "+pattern)
	}
}

// valueGen makes member values: absent, empty, at and around every bound of the model, enum values
// and near-misses, pattern examples, multi-byte and invalid UTF-8, and random ones.
type valueGen struct {
	r       *rand.Rand
	strings []string // the values worth trying in a string member
	long    []string // long ones, worth trying one at a time
	lengths []int    // lengths worth trying
}

func newValueGen(r *rand.Rand) *valueGen {
	g := &valueGen{r: r}
	for _, n := range legacyBounds {
		for _, d := range []int{-1, 0, 1} {
			if n+d >= 0 && !slices.Contains(g.lengths, n+d) {
				g.lengths = append(g.lengths, n+d)
			}
		}
	}
	g.strings = []string{"", "a", "NOPE", "symmetric_default", "é", "\xff", "😀", "alias/", "alias/aws/x"}
	for _, set := range legacyEnums {
		g.strings = append(g.strings, set...)
		g.strings = append(g.strings, set[0]+" ")
	}
	for _, examples := range patternExamples {
		g.strings = append(g.strings, examples...)
	}
	for _, n := range g.lengths {
		switch {
		case n <= 300:
			for _, c := range []string{"a", "é", "A", "7"} {
				g.strings = append(g.strings, strings.Repeat(c, n))
			}
		case n <= 10000:
			g.long = append(g.long, strings.Repeat("a", n), strings.Repeat("é", n))
		default:
			g.long = append(g.long, strings.Repeat("a", n))
		}
	}
	return g
}

// str answers a string: one worth trying, or random characters.
func (g *valueGen) str() string {
	switch g.r.IntN(4) {
	case 0, 1:
		return g.strings[g.r.IntN(len(g.strings))]
	case 2:
		if n := g.lengths[g.r.IntN(len(g.lengths))]; n <= 300 || g.r.IntN(8) == 0 {
			return strings.Repeat("x", n)
		}
	}
	alphabet := []rune("abcXYZ0129-_./:+=,@ \t\néü\u00ff\u0100😀")
	b := make([]rune, g.r.IntN(70))
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *valueGen) integer() int {
	switch g.r.IntN(4) {
	case 0:
		return []int{0, -1, math.MaxInt32, math.MinInt32, math.MaxInt32 + 1}[g.r.IntN(5)]
	case 1:
		return g.r.IntN(5000) - 100
	}
	return legacyBounds[g.r.IntN(len(legacyBounds))] + g.r.IntN(3) - 1
}

// fill sets v (a zero value of a request's or nested structure's member type) at random; depth
// limits nesting.
func (g *valueGen) fill(v reflect.Value) {
	t := v.Type()
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if g.r.IntN(3) > 0 {
				g.fill(v.Field(i))
			}
		}
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		g.fill(p.Elem())
		v.Set(p)
	case reflect.String:
		v.SetString(g.str())
	case reflect.Int:
		v.SetInt(int64(g.integer()))
	case reflect.Bool:
		v.SetBool(g.r.IntN(2) == 0)
	case reflect.Float64:
		v.SetFloat(1.5e9)
	case reflect.Map:
		m := reflect.MakeMap(t)
		if g.r.IntN(2) == 0 {
			m.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf("v"))
		}
		v.Set(m)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			n := g.lengths[g.r.IntN(len(g.lengths))]
			v.Set(reflect.MakeSlice(t, n, n))
			return
		}
		n := g.r.IntN(4)
		if g.r.IntN(4) == 0 {
			n = g.r.IntN(14)
		}
		s := reflect.MakeSlice(t, n, n)
		for i := 0; i < n; i++ {
			g.fill(s.Index(i))
		}
		v.Set(s)
	default:
		panic("no values for " + t.String())
	}
}

// edges answers values of the member type t worth trying one at a time.
func (g *valueGen) edges(t reflect.Type) []reflect.Value {
	var out []reflect.Value
	ptr := func(x any) {
		p := reflect.New(t.Elem())
		p.Elem().Set(reflect.ValueOf(x).Convert(t.Elem()))
		out = append(out, p)
	}
	switch {
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.String:
		for _, s := range g.strings {
			ptr(s)
		}
		for _, s := range g.long {
			ptr(s)
		}
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Int:
		for _, n := range legacyBounds {
			for _, d := range []int{-1, 0, 1} {
				ptr(n + d)
				ptr(-n + d)
			}
		}
		ptr(math.MaxInt32)
		ptr(math.MinInt32)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		out = append(out, reflect.MakeSlice(t, 0, 0))
		for _, n := range g.lengths {
			out = append(out, reflect.MakeSlice(t, n, n))
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		for _, n := range []int{0, 1, 2, 9, 10, 11, 12} {
			s := reflect.MakeSlice(t, n, n)
			for i := 0; i < n; i++ {
				s.Index(i).SetString(g.strings[(i*7+n)%len(g.strings)])
			}
			out = append(out, s)
		}
		for _, x := range g.strings {
			out = append(out, reflect.ValueOf([]string{"a", x}).Convert(t))
		}
	default: // structures, lists of structures, maps, booleans, timestamps: empty, then at random
		zero := reflect.New(t).Elem()
		switch t.Kind() {
		case reflect.Pointer:
			zero = reflect.New(t.Elem())
		case reflect.Slice:
			zero = reflect.MakeSlice(t, 1, 1)
		case reflect.Map:
			zero = reflect.MakeMap(t)
		}
		out = append(out, zero)
		for range 100 {
			x := reflect.New(t).Elem()
			g.fill(x)
			out = append(out, x)
		}
	}
	return out
}

// For every request type, the tables and the code give the same violations in the same order: on
// the empty request, on each member alone at each of its edge values, and on random requests.
func TestTablesValidateAsTheCodeDid(t *testing.T) {
	g := newValueGen(rand.New(rand.NewPCG(5, 6)))
	var requests, violated, messages int
	for _, proto := range legacyRequests {
		typ := reflect.TypeOf(proto).Elem()
		t.Run(typ.Name(), func(t *testing.T) {
			check := func(req reflect.Value) {
				var tables, code violations
				r := req.Interface().(legacyRequest)
				r.validate(&tables)
				r.legacyValidate(&code)
				if !slices.Equal(tables.list, code.list) {
					body, _ := json.Marshal(req.Interface())
					t.Fatalf("%s\ntables: %q\ncode:   %q", shortened(string(body)), shortenedAll(tables.list), shortenedAll(code.list))
				}
				requests++
				messages += len(code.list)
				if len(code.list) > 0 {
					violated++
				}
			}
			check(reflect.New(typ))
			for i := 0; i < typ.NumField(); i++ {
				for _, x := range g.edges(typ.Field(i).Type) {
					req := reflect.New(typ)
					req.Elem().Field(i).Set(x)
					check(req)
				}
			}
			for range 1000 {
				req := reflect.New(typ)
				g.fill(req.Elem())
				check(req)
			}
		})
	}
	t.Logf("%d requests, %d with violations, %d messages", requests, violated, messages)
	if violated == 0 || violated == requests {
		t.Fatal("the requests should include valid and invalid ones")
	}
}

// shortened cuts a long text for a failure's message.
func shortened(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func shortenedAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = shortened(s)
	}
	return out
}
