package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// recordingTB is a testing.TB that records Errorf instead of failing the real test, so that the tests
// can prove a wrong answer makes Run fail.
type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

const twoStepScenario = `{
  "description": "create a key, then encrypt with it",
  "steps": [
    {"name": "create", "op": "CreateKey", "expect": {"output": {"KeyMetadata": {"KeyState": "Enabled"}}}, "save": {"arn": "KeyMetadata.Arn"}},
    {"name": "encrypt", "op": "Encrypt", "request": {"KeyId": "${arn}", "Plaintext": "${bytes:4}"},
     "expect": {"output": {"KeyId": "${arn}", "CiphertextBlob": "@base64", "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}}}
  ]
}`

// fakeService answers CreateKey and Encrypt; wrongKeyID makes Encrypt answer another key's ARN.
func fakeService(wrongKeyID bool) CallFunc {
	const arn = "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	return func(c kms.Caller, target string, body []byte) (int, []byte) {
		switch target {
		case "TrentService.CreateKey":
			return 200, []byte(`{"KeyMetadata":{"Arn":"` + arn + `","KeyState":"Enabled"}}`)
		case "TrentService.Encrypt":
			var req struct{ KeyId string }
			if json.Unmarshal(body, &req) != nil || req.KeyId != arn {
				return 400, []byte(`{"__type":"NotFoundException","message":"bad key"}`)
			}
			keyID := arn
			if wrongKeyID {
				keyID = strings.Replace(arn, "0f1e", "ffff", 1)
			}
			return 200, []byte(`{"KeyId":"` + keyID + `","CiphertextBlob":"AQICAHg=","EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}`)
		}
		return 400, []byte(`{"__type":"UnknownOperationException"}`)
	}
}

func TestRunReportsFailuresThroughTB(t *testing.T) {
	sc, err := Parse("two-steps.json", []byte(twoStepScenario))
	require.NoError(t, err)

	good := &recordingTB{TB: t}
	res := Run(good, sc, fakeService(false))
	assert.Empty(t, good.errors)
	assert.Equal(t, Result{Passed: 2}, res)

	bad := &recordingTB{TB: t}
	res = Run(bad, sc, fakeService(true))
	assert.Equal(t, 1, res.Passed)
	assert.Equal(t, 1, res.Failed)
	require.Len(t, bad.errors, 1)
	msg := bad.errors[0]
	for _, want := range []string{"two-steps.json", "step #1", `"encrypt"`, "output.KeyId", "expected", "ffff", "got 200"} {
		assert.Contains(t, msg, want)
	}
}

func TestFailedSaveFailsLaterSteps(t *testing.T) {
	sc, err := Parse("s.json", []byte(twoStepScenario))
	require.NoError(t, err)
	broken := func(c kms.Caller, target string, body []byte) (int, []byte) {
		return 400, []byte(`{"__type":"UnknownOperationException"}`)
	}
	res := Execute(sc, broken, Options{})
	require.Equal(t, 2, res.Failed)
	assert.Contains(t, res.Failures[1].Message, `variable "arn" is not saved`)
}

func TestEpochMatcher(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	m := matcher{now: now}
	for _, tc := range []struct {
		got string
		ok  bool
	}{
		{"1800000000", true},
		{"1800000000.123", true},
		{"1799913601", true},
		{"1800086399", true},
		{"1799913599", false},
		{"1800086401", false},
	} {
		problems := m.match("v", "@epoch", json.Number(tc.got), true)
		assert.Equal(t, tc.ok, len(problems) == 0, "%s: %v", tc.got, problems)
	}
}

func TestParseRejectsMalformedScenarios(t *testing.T) {
	for _, tc := range []struct{ name, file, wantErr string }{
		{"not an object", `[]`, "JSON object"},
		{"no steps", `{"steps": []}`, "non-empty"},
		{"unknown top member", `{"step": [{"op": "X", "expect": {}}]}`, `unknown member "step"`},
		{"typo in a step", `{"steps": [{"op": "X", "expects": {}}]}`, `unknown member "expects"`},
		{"no expect", `{"steps": [{"op": "X"}]}`, "expect is required"},
		{"op and target", `{"steps": [{"op": "X", "target": "T.X", "expect": {}}]}`, "exactly one of op and target"},
		{"neither op nor target", `{"steps": [{"expect": {}}]}`, "exactly one of op and target"},
		{"request and rawBody", `{"steps": [{"op": "X", "request": {}, "rawBody": "{}", "expect": {}}]}`, "exclusive"},
		{"request not an object", `{"steps": [{"op": "X", "request": "{}", "expect": {}}]}`, "request must be an object"},
		{"error and output", `{"steps": [{"op": "X", "expect": {"error": {"type": "T"}, "output": {}}}]}`, "exclusive"},
		{"error without type", `{"steps": [{"op": "X", "expect": {"error": {"message": "m"}}}]}`, "error.type"},
		{"typo in expect", `{"steps": [{"op": "X", "expect": {"outptu": {}}}]}`, `unknown member "outptu"`},
		{"typo in error", `{"steps": [{"op": "X", "expect": {"error": {"type": "T", "msg": "m"}}}]}`, `unknown member "msg"`},
		{"bad status", `{"steps": [{"op": "X", "expect": {"status": "400"}}]}`, "status"},
		{"exactKeys without output", `{"steps": [{"op": "X", "expect": {"exactKeys": true}}]}`, "exactKeys needs output"},
		{"bad caller member", `{"steps": [{"op": "X", "caller": {"acount": "1"}, "expect": {}}]}`, `unknown member "acount"`},
		{"bad save", `{"steps": [{"op": "X", "expect": {}, "save": {"a b": "x"}}]}`, "save"},
		{"sdk not a boolean", `{"steps": [{"op": "X", "sdk": "no", "expect": {}}]}`, "sdk must be a boolean"},
		{"trailing data", `{"steps": [{"op": "X", "expect": {}}]} {}`, "after the JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("bad.json", []byte(tc.file))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Contains(t, err.Error(), "bad.json")
		})
	}
}

// The shared scenarios all parse, and there are enough of them to mean something.
func TestScenarioFilesParse(t *testing.T) {
	scenarios, err := Load("../../testdata/conformance")
	require.NoError(t, err)
	require.NotEmpty(t, scenarios)
	steps := 0
	for _, sc := range scenarios {
		assert.NotEmpty(t, sc.Description, sc.File)
		steps += len(sc.Steps)
	}
	t.Logf("%d scenario files, %d steps", len(scenarios), steps)
}

func TestDefaultCaller(t *testing.T) {
	for _, tc := range []struct {
		in   CallerSpec
		want kms.Caller
	}{
		{CallerSpec{}, kms.Caller{Account: "111122223333", Region: "us-east-1", Principal: "arn:aws:iam::111122223333:root"}},
		{CallerSpec{Region: "cn-northwest-1"}, kms.Caller{Account: "111122223333", Region: "cn-northwest-1", Principal: "arn:aws-cn:iam::111122223333:root"}},
		{CallerSpec{Account: "444455556666", Region: "us-gov-east-1"}, kms.Caller{Account: "444455556666", Region: "us-gov-east-1", Principal: "arn:aws-us-gov:iam::444455556666:root"}},
		{CallerSpec{Principal: "arn:aws:iam::111122223333:user/x"}, kms.Caller{Account: "111122223333", Region: "us-east-1", Principal: "arn:aws:iam::111122223333:user/x"}},
	} {
		assert.Equal(t, tc.want, DefaultCaller(tc.in))
	}
}

func TestRunWithOptionsSkipsWhatAnSDKCannotSend(t *testing.T) {
	sc, err := Parse("mixed.json", []byte(`{"steps": [
		{"op": "CreateKey", "expect": {}},
		{"target": "TrentService.Nope", "expect": {"error": {"type": "UnknownOperationException"}}},
		{"op": "Encrypt", "rawBody": "x", "expect": {"error": {"type": "SerializationException"}}},
		{"op": "Encrypt", "sdk": false, "request": {"KeyId": 5}, "expect": {"error": {"type": "SerializationException"}}}
	]}`))
	require.NoError(t, err)
	var targets []string
	call := func(c kms.Caller, target string, body []byte) (int, []byte) {
		targets = append(targets, target)
		return 200, []byte(`{}`)
	}
	rec := &recordingTB{TB: t}
	res := RunWithOptions(rec, sc, call, Options{SDK: true})
	assert.Equal(t, Result{Passed: 1, Skipped: 3}, res)
	assert.Equal(t, []string{"TrentService.CreateKey"}, targets)
	assert.Empty(t, rec.errors)
}

func TestACallThatPanicsIsAFailureNotACrash(t *testing.T) {
	sc, err := Parse("s.json", []byte(twoStepScenario))
	require.NoError(t, err)
	res := Execute(sc, func(kms.Caller, string, []byte) (int, []byte) { panic("instance is dead") }, Options{})
	require.Equal(t, 2, res.Failed)
	assert.Contains(t, res.Failures[0].Message, "the call panicked: instance is dead")
}
