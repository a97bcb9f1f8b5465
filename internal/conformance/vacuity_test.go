package conformance

import (
	"testing"

	"regexp"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// expectsNothingOfASuccess reports whether a step would accept any successful answer: no error
// expected and no output member required (an empty output, or only @absent members).
func expectsNothingOfASuccess(st Step) bool {
	if st.Expect.Error != nil {
		return false
	}
	if st.Expect.Output == nil {
		return true
	}
	for _, m := range st.Expect.Output.Members {
		if m.Value != "@absent" {
			return false
		}
	}
	return true
}

// Every shared scenario step asserts something: a host that answers an empty success to everything, or
// the same error to everything, fails every step except those that really expect exactly that.
func TestScenarioStepsAreNotVacuous(t *testing.T) {
	scenarios, err := Load("../../testdata/conformance")
	require.NoError(t, err)
	blankSuccess := func(kms.Caller, string, []byte) (int, []byte) { return 200, []byte(`{}`) }
	sameError := func(kms.Caller, string, []byte) (int, []byte) {
		return 400, []byte(`{"__type":"NoSuchThingException","message":"nothing"}`)
	}
	for _, sc := range scenarios {
		for _, st := range sc.Steps {
			one := Scenario{File: sc.File, Steps: []Step{st}}
			// Variables the step needs get a value (fillVars), so that the step is judged on its
			// expectation, not on a missing variable.
			res := execute(one, blankSuccess, Options{}, fillVars(st))
			if res.Passed == 1 {
				assert.True(t, expectsNothingOfASuccess(st), "%s %s passes against a host that answers {} to everything", sc.File, st.Label())
			}
			res = execute(one, sameError, Options{}, fillVars(st))
			assert.Equal(t, 0, res.Passed, "%s %s passes against a host that answers the same error to everything", sc.File, st.Label())
		}
	}
}

var varRefRE = regexp.MustCompile(`\$\{(?:flip:)?([A-Za-z_][A-Za-z0-9_]*)[:}]`)

// fillVars gives every variable a step mentions a base64 value, so that substitution succeeds.
func fillVars(st Step) Vars {
	vars := Vars{}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case string:
			for _, m := range varRefRE.FindAllStringSubmatch(t, -1) {
				vars[m[1]] = "AAECAwQFBgcICQoLDA0ODw=="
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		case *Object:
			for _, m := range t.Members {
				walk(m.Value)
			}
		}
	}
	walk(st.Request)
	if st.Expect.Output != nil {
		walk(st.Expect.Output)
	}
	if st.Expect.Error != nil && st.Expect.Error.Message != nil {
		walk(*st.Expect.Error.Message)
	}
	return vars
}
