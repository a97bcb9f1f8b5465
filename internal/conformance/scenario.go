// Package conformance runs the shared conformance scenarios (testdata/conformance/*.json, format in
// testdata/conformance/README.md) against anything that answers KMS requests at the AWS JSON 1.1
// level: the Go core, the wasm module through wazero, an HTTP endpoint. The JS runner,
// test/lib/conformance.mjs, implements the same semantics; both are checked against the shared
// vectors in testdata/engine-vectors.json.
//
//	conformance.RunDir(t, "../../testdata/conformance", func() conformance.CallFunc {
//		return kms.NewWorld(kms.Options{}).Handle
//	})
package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Scenario is one file: steps run in order in a fresh world, sharing saved variables.
type Scenario struct {
	File        string // base name, shown on failure
	Description string
	Steps       []Step
}

// Step is one request and what must come back.
type Step struct {
	Index   int // 0-based position in the file
	Name    string
	Caller  CallerSpec
	Op      string // the target is "TrentService." + Op ...
	Target  string // ... or this raw target
	Request any    // *Object after substitution; nil means {}
	RawBody *string
	SDK     bool // false: an SDK-level host cannot express this step
	Expect  Expect
	Save    []SaveSpec
}

// CallerSpec is the step's caller as written; absent members are empty (defaults apply).
type CallerSpec struct {
	Account, Region, Principal string
}

// Expect is what the answer must be.
type Expect struct {
	Status    *int
	Error     *ExpectedError
	Output    *Object
	ExactKeys bool
}

// ExpectedError is an expected error answer. Message is nil when the message is not checked.
type ExpectedError struct {
	Type    string
	Message *string
}

// SaveSpec saves the value at Path (dotted: member names or array indexes) of the answer as Var.
type SaveSpec struct {
	Var, Path string
}

// SDKExpressible reports whether an SDK-level host (one that builds requests from command inputs)
// can send this step.
func (s Step) SDKExpressible() bool {
	return s.SDK && s.RawBody == nil && s.Target == ""
}

// Label is "#index name" for failure messages.
func (s Step) Label() string {
	if s.Name == "" {
		return fmt.Sprintf("step #%d (%s)", s.Index, s.targetName())
	}
	return fmt.Sprintf("step #%d %q", s.Index, s.Name)
}

func (s Step) targetName() string {
	if s.Target != "" {
		return s.Target
	}
	return s.Op
}

// Load reads every *.json file of dir (not its subfolders), sorted by name.
func Load(dir string) ([]Scenario, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []Scenario
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		sc, err := Parse(filepath.Base(p), data)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// Parse reads one scenario file. It is strict: an unknown member or a malformed step is an error, so
// that a typo ("expects") cannot turn a check into no check.
func Parse(file string, data []byte) (Scenario, error) {
	sc := Scenario{File: file}
	v, err := decodeJSON(data)
	if err != nil {
		return sc, fmt.Errorf("%s: %v", file, err)
	}
	root, ok := v.(*Object)
	if !ok {
		return sc, fmt.Errorf("%s: a scenario is a JSON object", file)
	}
	if err := onlyMembers(root, "description", "steps"); err != nil {
		return sc, fmt.Errorf("%s: %v", file, err)
	}
	if d, ok := root.Get("description"); ok {
		if sc.Description, ok = d.(string); !ok {
			return sc, fmt.Errorf("%s: description must be a string", file)
		}
	}
	stepsV, _ := root.Get("steps")
	steps, ok := stepsV.([]any)
	if !ok || len(steps) == 0 {
		return sc, fmt.Errorf("%s: steps must be a non-empty array", file)
	}
	for i, sv := range steps {
		st, err := parseStep(i, sv)
		if err != nil {
			return sc, fmt.Errorf("%s: step #%d: %v", file, i, err)
		}
		sc.Steps = append(sc.Steps, st)
	}
	return sc, nil
}

func parseStep(index int, v any) (Step, error) {
	st := Step{Index: index, SDK: true}
	obj, ok := v.(*Object)
	if !ok {
		return st, fmt.Errorf("a step is a JSON object")
	}
	if err := onlyMembers(obj, "name", "caller", "op", "target", "request", "rawBody", "sdk", "expect", "save"); err != nil {
		return st, err
	}
	var err error
	if st.Name, err = optString(obj, "name"); err != nil {
		return st, err
	}
	if st.Op, err = optString(obj, "op"); err != nil {
		return st, err
	}
	if st.Target, err = optString(obj, "target"); err != nil {
		return st, err
	}
	if (st.Op == "") == (st.Target == "") {
		return st, fmt.Errorf("exactly one of op and target is required")
	}
	if c, ok := obj.Get("caller"); ok {
		co, ok := c.(*Object)
		if !ok {
			return st, fmt.Errorf("caller must be an object")
		}
		if err := onlyMembers(co, "account", "region", "principal"); err != nil {
			return st, fmt.Errorf("caller: %v", err)
		}
		for _, f := range []struct {
			name string
			dst  *string
		}{{"account", &st.Caller.Account}, {"region", &st.Caller.Region}, {"principal", &st.Caller.Principal}} {
			if *f.dst, err = optString(co, f.name); err != nil {
				return st, fmt.Errorf("caller: %v", err)
			}
		}
	}
	if r, ok := obj.Get("request"); ok {
		if _, isObj := r.(*Object); !isObj {
			return st, fmt.Errorf("request must be an object")
		}
		st.Request = r
	}
	if rb, ok := obj.Get("rawBody"); ok {
		s, isStr := rb.(string)
		if !isStr {
			return st, fmt.Errorf("rawBody must be a string")
		}
		if st.Request != nil {
			return st, fmt.Errorf("request and rawBody are exclusive")
		}
		st.RawBody = &s
	}
	if s, ok := obj.Get("sdk"); ok {
		b, isBool := s.(bool)
		if !isBool {
			return st, fmt.Errorf("sdk must be a boolean")
		}
		st.SDK = b
	}
	ev, ok := obj.Get("expect")
	if !ok {
		return st, fmt.Errorf("expect is required")
	}
	if st.Expect, err = parseExpect(ev); err != nil {
		return st, fmt.Errorf("expect: %v", err)
	}
	if sv, ok := obj.Get("save"); ok {
		so, isObj := sv.(*Object)
		if !isObj {
			return st, fmt.Errorf("save must be an object")
		}
		for _, m := range so.Members {
			p, isStr := m.Value.(string)
			if !isStr || p == "" || !validVarName(m.Name) {
				return st, fmt.Errorf("save: %q must be a variable name mapped to a non-empty path", m.Name)
			}
			st.Save = append(st.Save, SaveSpec{m.Name, p})
		}
	}
	return st, nil
}

func parseExpect(v any) (Expect, error) {
	var e Expect
	obj, ok := v.(*Object)
	if !ok {
		return e, fmt.Errorf("must be an object")
	}
	if err := onlyMembers(obj, "status", "error", "output", "exactKeys"); err != nil {
		return e, err
	}
	if s, ok := obj.Get("status"); ok {
		n, isNum := s.(json.Number)
		code, err := n.Int64()
		if !isNum || err != nil || code < 100 || code > 599 {
			return e, fmt.Errorf("status must be an HTTP status number")
		}
		c := int(code)
		e.Status = &c
	}
	if ev, ok := obj.Get("error"); ok {
		eo, isObj := ev.(*Object)
		if !isObj {
			return e, fmt.Errorf("error must be an object")
		}
		if err := onlyMembers(eo, "type", "message"); err != nil {
			return e, fmt.Errorf("error: %v", err)
		}
		typ, err := optString(eo, "type")
		if err != nil || typ == "" {
			return e, fmt.Errorf("error.type must be a non-empty string")
		}
		e.Error = &ExpectedError{Type: typ}
		if mv, ok := eo.Get("message"); ok {
			m, isStr := mv.(string)
			if !isStr {
				return e, fmt.Errorf("error.message must be a string")
			}
			e.Error.Message = &m
		}
	}
	if ov, ok := obj.Get("output"); ok {
		oo, isObj := ov.(*Object)
		if !isObj {
			return e, fmt.Errorf("output must be an object")
		}
		e.Output = oo
	}
	if e.Error != nil && e.Output != nil {
		return e, fmt.Errorf("error and output are exclusive")
	}
	if x, ok := obj.Get("exactKeys"); ok {
		b, isBool := x.(bool)
		if !isBool {
			return e, fmt.Errorf("exactKeys must be a boolean")
		}
		if b && e.Output == nil {
			return e, fmt.Errorf("exactKeys needs output")
		}
		e.ExactKeys = b
	}
	return e, nil
}

func onlyMembers(o *Object, allowed ...string) error {
	for _, m := range o.Members {
		known := false
		for _, a := range allowed {
			known = known || m.Name == a
		}
		if !known {
			return fmt.Errorf("unknown member %q (allowed: %s)", m.Name, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func optString(o *Object, name string) (string, error) {
	v, ok := o.Get(name)
	if !ok {
		return "", nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", fmt.Errorf("%s must be a string", name)
	}
	return s, nil
}
