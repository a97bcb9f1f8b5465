package conformance

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// The engine's semantics as data, shared with the JS runner's tests (test/node/conformance-engine.test.mjs).
const vectorsFile = "testdata/engine-vectors.json"

func loadVectors(t *testing.T) *Object {
	t.Helper()
	data, err := os.ReadFile(vectorsFile)
	require.NoError(t, err)
	v, err := decodeJSON(data)
	require.NoError(t, err)
	return v.(*Object)
}

func vectorList(t *testing.T, root *Object, name string) []*Object {
	t.Helper()
	v, ok := root.Get(name)
	require.True(t, ok, name)
	var out []*Object
	for _, e := range v.([]any) {
		out = append(out, e.(*Object))
	}
	require.NotEmpty(t, out, name)
	return out
}

func vectorVars(o *Object) Vars {
	vars := Vars{}
	if v, ok := o.Get("vars"); ok {
		for _, m := range v.(*Object).Members {
			vars[m.Name] = m.Value
		}
	}
	return vars
}

func TestVectorsSubstitution(t *testing.T) {
	for _, vec := range vectorList(t, loadVectors(t), "substitution") {
		in, _ := vec.Get("in")
		t.Run(in.(string), func(t *testing.T) {
			got, err := substituteString(in.(string), vectorVars(vec))
			if _, wantErr := vec.Get("error"); wantErr {
				assert.Error(t, err, "got %s", show(got))
				return
			}
			require.NoError(t, err)
			want, _ := vec.Get("out")
			assert.True(t, equalJSON(want, got), "want %s, got %s", show(want), show(got))
		})
	}
}

func TestVectorsMatch(t *testing.T) {
	m := matcher{now: time.Now()}
	for _, vec := range vectorList(t, loadVectors(t), "match") {
		t.Run(show(vec), func(t *testing.T) {
			m.vars = vectorVars(vec)
			expected, _ := vec.Get("expected")
			got, _ := vec.Get("got")
			_, absent := vec.Get("gotAbsent")
			wantOK, _ := vec.Get("ok")
			// Matched as an object member, the way every expected value is reached.
			problems := m.match("output", &Object{Members: []Member{{"v", expected}}}, gotObject(got, absent), true)
			assert.Equal(t, wantOK, len(problems) == 0, "problems: %v", problems)
		})
	}
}

func gotObject(got any, absent bool) *Object {
	if absent {
		return &Object{}
	}
	return &Object{Members: []Member{{"v", got}}}
}

func TestVectorsSteps(t *testing.T) {
	for _, vec := range vectorList(t, loadVectors(t), "steps") {
		name, _ := vec.Get("name")
		t.Run(name.(string), func(t *testing.T) {
			stepV, _ := vec.Get("step")
			st, err := parseStep(0, stepV)
			require.NoError(t, err)
			answerV, _ := vec.Get("answer")
			answer := answerV.(*Object)
			statusV, _ := answer.Get("status")
			status, _ := statusV.(json.Number).Int64()
			var resp []byte
			if text, ok := answer.Get("bodyText"); ok {
				resp = []byte(text.(string))
			} else {
				body, _ := answer.Get("body")
				resp = encodeJSON(body)
			}
			var sent struct {
				caller kms.Caller
				target string
				body   string
				calls  int
			}
			call := func(c kms.Caller, target string, body []byte) (int, []byte) {
				sent.caller, sent.target, sent.body = c, target, string(body)
				sent.calls++
				return int(status), resp
			}
			sc := Scenario{File: "vector.json", Steps: []Step{st}}
			vars := vectorVars(vec)
			res := execute(sc, call, Options{}, vars)
			wantOK, _ := vec.Get("ok")
			assert.Equal(t, wantOK, res.Failed == 0, "failures: %v", res.Failures)
			assert.Equal(t, res.Failed == 0, res.Passed == 1)
			if wantOK == false {
				require.Len(t, res.Failures, 1)
				assert.Equal(t, "vector.json", res.Failures[0].File)
				assert.NotEmpty(t, res.Failures[0].Message)
			}
			if sentV, ok := vec.Get("sent"); ok {
				want := sentV.(*Object)
				if v, ok := want.Get("target"); ok {
					assert.Equal(t, v, sent.target)
				}
				if v, ok := want.Get("body"); ok {
					assert.Equal(t, v, sent.body)
				}
				if v, ok := want.Get("caller"); ok {
					c := v.(*Object)
					acct, _ := c.Get("account")
					region, _ := c.Get("region")
					principal, _ := c.Get("principal")
					assert.Equal(t, kms.Caller{Account: acct.(string), Region: region.(string), Principal: principal.(string)}, sent.caller)
				}
			}
			if savedV, ok := vec.Get("saved"); ok {
				for _, m := range savedV.(*Object).Members {
					assert.True(t, equalJSON(m.Value, vars[m.Name]), "saved %s: want %s, got %s", m.Name, show(m.Value), show(vars[m.Name]))
				}
			}
			sdk := execute(sc, call, Options{SDK: true}, vectorVars(vec))
			_, skip := vec.Get("sdkSkip")
			assert.Equal(t, skip, sdk.Skipped == 1, "SDK-level skip")
		})
	}
}
