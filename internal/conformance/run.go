package conformance

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// CallFunc sends one request to the host under test: (*kms.World).Handle has this type.
type CallFunc func(c kms.Caller, target string, body []byte) (status int, resp []byte)

// Defaults of a step's caller (README: "caller").
const (
	DefaultAccount = "111122223333"
	DefaultRegion  = "us-east-1"
)

// Partition is the ARN partition of a region: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// DefaultCaller fills the absent members of a step's caller: account 111122223333, region us-east-1,
// principal arn:<partition>:iam::<account>:root.
func DefaultCaller(c CallerSpec) kms.Caller {
	out := kms.Caller{Account: c.Account, Region: c.Region, Principal: c.Principal}
	if out.Account == "" {
		out.Account = DefaultAccount
	}
	if out.Region == "" {
		out.Region = DefaultRegion
	}
	if out.Principal == "" {
		out.Principal = "arn:" + Partition(out.Region) + ":iam::" + out.Account + ":root"
	}
	return out
}

// Failure is one step that did not answer as expected.
type Failure struct {
	File    string
	Step    int
	Name    string
	Message string
}

func (f Failure) String() string {
	name := ""
	if f.Name != "" {
		name = " " + strconv.Quote(f.Name)
	}
	return fmt.Sprintf("%s step #%d%s: %s", f.File, f.Step, name, f.Message)
}

// Result counts a scenario's steps.
type Result struct {
	Passed, Failed, Skipped int
	Failures                []Failure
}

// Options adjust Execute; the zero value runs every step (a wire-level host) against the real clock.
type Options struct {
	SDK bool             // skip the steps an SDK-level host cannot express
	Now func() time.Time // the clock @epoch compares with
}

// Execute runs every step of sc through call, in order. A failing step does not stop the scenario;
// steps that use a variable it should have saved fail in turn, saying so.
func Execute(sc Scenario, call CallFunc, opts Options) Result {
	return execute(sc, call, opts, Vars{})
}

func execute(sc Scenario, call CallFunc, opts Options, vars Vars) Result {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	var res Result
	for _, st := range sc.Steps {
		if opts.SDK && !st.SDKExpressible() {
			res.Skipped++
			continue
		}
		problems := runStep(st, call, vars, now())
		if len(problems) == 0 {
			res.Passed++
			continue
		}
		res.Failed++
		res.Failures = append(res.Failures, Failure{File: sc.File, Step: st.Index, Name: st.Name, Message: strings.Join(problems, "\n\t")})
	}
	return res
}

// runStep sends one step and returns what went wrong (nothing: it passed and saved its variables).
func runStep(st Step, call CallFunc, vars Vars, now time.Time) []string {
	target := st.Target
	if target == "" {
		target = "TrentService." + st.Op
	}
	var body []byte
	switch {
	case st.RawBody != nil:
		body = []byte(*st.RawBody)
	case st.Request != nil:
		req, err := substituteValue(st.Request, vars)
		if err != nil {
			return []string{"request: " + err.Error()}
		}
		body = encodeJSON(req)
	default:
		body = []byte("{}")
	}
	status, resp, panicked := callSafely(call, DefaultCaller(st.Caller), target, body)
	if panicked != nil {
		return []string{fmt.Sprintf("the call panicked: %v", panicked), fmt.Sprintf("sent %s %s", target, cut(string(body)))}
	}
	problems := checkAnswer(st.Expect, status, resp, matcher{vars: vars, now: now})
	if len(problems) > 0 {
		return append(problems, fmt.Sprintf("sent %s %s", target, cut(string(body))), fmt.Sprintf("got %d %s", status, cut(string(resp))))
	}
	answer, _ := decodeJSON(resp)
	for _, s := range st.Save {
		v, err := lookupPath(answer, s.Path)
		if err != nil {
			return []string{fmt.Sprintf("save %s: %v", s.Var, err), fmt.Sprintf("got %d %s", status, cut(string(resp)))}
		}
		vars[s.Var] = v
	}
	return nil
}

// callSafely turns a panic of the host under test into a failing step (as the JS runner turns a thrown
// call into one), so that one broken step does not hide the rest of the scenarios.
func callSafely(call CallFunc, c kms.Caller, target string, body []byte) (status int, resp []byte, panicked any) {
	defer func() { panicked = recover() }()
	status, resp = call(c, target, body)
	return status, resp, nil
}

func checkAnswer(exp Expect, status int, resp []byte, m matcher) []string {
	var problems []string
	switch {
	case exp.Status != nil && status != *exp.Status:
		problems = append(problems, fmt.Sprintf("status: expected %d, got %d", *exp.Status, status))
	case exp.Status == nil && exp.Error == nil && status != 200:
		problems = append(problems, fmt.Sprintf("status: expected 200, got %d", status))
	case exp.Status == nil && exp.Error != nil && status < 400:
		problems = append(problems, fmt.Sprintf("status: expected an error status (400 or more), got %d", status))
	}
	v, err := decodeJSON(resp)
	if err != nil {
		return append(problems, fmt.Sprintf("the answer is not JSON: %v", err))
	}
	answer, ok := v.(*Object)
	if !ok {
		return append(problems, "the answer is not a JSON object")
	}
	gotType, isError := answer.Get("__type")
	if exp.Error == nil {
		if isError {
			msg, _ := answer.Get("message")
			return append(problems, fmt.Sprintf("expected success, got error %s: %s", show(gotType), show(msg)))
		}
		if exp.Output != nil {
			problems = append(problems, m.match("output", exp.Output, answer, true)...)
			if exp.ExactKeys {
				problems = append(problems, exactKeys(exp.Output, answer)...)
			}
		}
		return problems
	}
	if !isError {
		return append(problems, fmt.Sprintf("expected error %s, got success", exp.Error.Type))
	}
	if gotType != exp.Error.Type {
		msg, _ := answer.Get("message")
		problems = append(problems, fmt.Sprintf("error type: expected %q, got %s (message %s)", exp.Error.Type, show(gotType), show(msg)))
	}
	if exp.Error.Message != nil {
		gotMsg, present := answer.Get("message")
		if *exp.Error.Message == "" {
			if present && gotMsg != nil && gotMsg != "" {
				problems = append(problems, fmt.Sprintf("error message: expected empty, got %s", show(gotMsg)))
			}
		} else {
			problems = append(problems, m.match("error message", *exp.Error.Message, gotMsg, present)...)
		}
	}
	return problems
}

// exactKeys checks that the answer's top-level members are exactly the ones output lists (members
// expected "@absent" excluded).
func exactKeys(expected, got *Object) []string {
	want := map[string]bool{}
	for _, m := range expected.Members {
		if m.Value != "@absent" {
			want[m.Name] = true
		}
	}
	var extra []string
	for _, m := range got.Members {
		if !want[m.Name] {
			extra = append(extra, m.Name)
		}
	}
	if len(extra) > 0 {
		return []string{fmt.Sprintf("output: exactKeys: unexpected members %s", strings.Join(extra, ", "))}
	}
	return nil
}

// lookupPath follows a dotted path of member names and array indexes.
func lookupPath(v any, path string) (any, error) {
	cur := v
	for _, seg := range strings.Split(path, ".") {
		switch t := cur.(type) {
		case *Object:
			next, ok := t.Get(seg)
			if !ok {
				return nil, fmt.Errorf("path %q: no member %q", path, seg)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || !countRE.MatchString(seg) || i >= len(t) {
				return nil, fmt.Errorf("path %q: no element %q", path, seg)
			}
			cur = t[i]
		default:
			return nil, fmt.Errorf("path %q: %q is inside a %s", path, seg, jsonType(cur))
		}
	}
	return cur, nil
}

func cut(s string) string {
	const max = 600
	if len(s) > max {
		return s[:max] + fmt.Sprintf("...(%d bytes)", len(s))
	}
	return s
}

// Run executes one scenario through call (every step: a wire-level host) and reports each failing
// step with t.Errorf, naming the file, the step index and name, and expected vs got.
func Run(t testing.TB, sc Scenario, call CallFunc) Result {
	t.Helper()
	return RunWithOptions(t, sc, call, Options{})
}

// RunWithOptions is Run for hosts that need Options (an SDK-level Go host sets SDK).
func RunWithOptions(t testing.TB, sc Scenario, call CallFunc, opts Options) Result {
	t.Helper()
	res := Execute(sc, call, opts)
	for _, f := range res.Failures {
		t.Errorf("%s", f)
	}
	return res
}

// RunDir runs every scenario of dir as a subtest, each with a fresh host from newCall. It fails when
// dir holds no scenario, so that a wrong path cannot pass.
func RunDir(t *testing.T, dir string, newCall func() CallFunc) {
	t.Helper()
	RunDirWithOptions(t, dir, newCall, Options{})
}

// RunDirWithOptions is RunDir for hosts that need Options.
func RunDirWithOptions(t *testing.T, dir string, newCall func() CallFunc, opts Options) {
	t.Helper()
	scenarios, err := Load(dir)
	if err != nil {
		t.Fatalf("loading scenarios: %v", err)
	}
	if len(scenarios) == 0 {
		t.Fatalf("no scenario in %s", dir)
	}
	var total Result
	for _, sc := range scenarios {
		t.Run(strings.TrimSuffix(sc.File, ".json"), func(t *testing.T) {
			res := RunWithOptions(t, sc, newCall(), opts)
			total.Passed += res.Passed
			total.Failed += res.Failed
			total.Skipped += res.Skipped
		})
	}
	t.Logf("conformance: %d scenarios, %d steps passed, %d failed, %d skipped", len(scenarios), total.Passed, total.Failed, total.Skipped)
}
