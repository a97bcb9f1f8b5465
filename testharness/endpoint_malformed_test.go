package testharness

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// malformedTable is the one table of malformed requests and their answers, run against this endpoint
// here and against the JS endpoint by test/sdk/endpoint-malformed.test.mjs (its "about" says the
// format, its "choices" why these answers).
const malformedTable = "../testdata/endpoint/malformed.json"

type malformedCase struct {
	Name    string `json:"name"`
	Request struct {
		Method     string             `json:"method"`
		Target     json.RawMessage    `json:"target"` // absent, a string, or a list of strings
		Headers    map[string]*string `json:"headers"`
		Body       *string            `json:"body"`
		BodyBase64 *string            `json:"bodyBase64"`
		BodyOfSize *struct {
			Prefix string `json:"prefix"`
			Fill   string `json:"fill"`
			Suffix string `json:"suffix"`
			Size   int    `json:"size"`
		} `json:"bodyOfSize"`
		Chunked bool `json:"chunked"`
	} `json:"request"`
	Answer struct {
		Status  int               `json:"status"`
		Type    *string           `json:"type"`
		Message json.RawMessage   `json:"message"` // absent: not checked; null: absent from the body
		Headers map[string]string `json:"headers"`
	} `json:"answer"`
}

func TestEndpointAnswersMalformedRequestsAsTheTableSays(t *testing.T) {
	raw, err := os.ReadFile(malformedTable)
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Cases []malformedCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Cases) == 0 {
		t.Fatal("no cases")
	}
	srv := newServer(t)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, tc := range table.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			req := malformedRequest(t, srv.URL, tc)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			var answer map[string]any
			if err := json.Unmarshal(body, &answer); err != nil {
				t.Fatalf("the answer is not one JSON object: %v: %q", err, body)
			}
			if resp.StatusCode != tc.Answer.Status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.Answer.Status, body)
			}
			gotType, hasType := answer["__type"]
			if tc.Answer.Type == nil && hasType || tc.Answer.Type != nil && gotType != *tc.Answer.Type {
				t.Errorf("__type %v, want %v: %s", gotType, showOptional(tc.Answer.Type), body)
			}
			if len(tc.Answer.Message) > 0 {
				var want *string
				json.Unmarshal(tc.Answer.Message, &want)
				gotMessage, hasMessage := answer["message"]
				if want == nil && hasMessage || want != nil && gotMessage != *want {
					t.Errorf("message %q, want %v", gotMessage, showOptional(want))
				}
			}
			for name, want := range tc.Answer.Headers {
				if strings.EqualFold(name, "Connection") && strings.EqualFold(want, "close") {
					if !resp.Close { // net/http takes Connection: close out of the header into Close
						t.Errorf("the connection is kept open")
					}
					continue
				}
				if got := resp.Header.Get(name); !strings.EqualFold(got, want) {
					t.Errorf("header %s: %q, want %q", name, got, want)
				}
			}
			if ct := resp.Header.Get("Content-Type"); ct != jsonContentType {
				t.Errorf("Content-Type %q", ct)
			}
			if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %q for %d bytes", cl, len(body))
			}
			if id := resp.Header.Get("x-amzn-RequestId"); !uuid.MatchString(id) {
				t.Errorf("x-amzn-RequestId %q is not a UUID", id)
			}
		})
	}
}

func malformedRequest(t *testing.T, url string, tc malformedCase) *http.Request {
	t.Helper()
	r := tc.Request
	var body []byte
	switch {
	case r.Body != nil:
		body = []byte(*r.Body)
	case r.BodyBase64 != nil:
		var err error
		if body, err = base64.StdEncoding.DecodeString(*r.BodyBase64); err != nil {
			t.Fatal(err)
		}
	case r.BodyOfSize != nil:
		s := r.BodyOfSize
		body = []byte(s.Prefix + strings.Repeat(s.Fill, s.Size-len(s.Prefix)-len(s.Suffix)) + s.Suffix)
		if len(body) != s.Size {
			t.Fatalf("bodyOfSize makes %d bytes, not %d", len(body), s.Size)
		}
	}
	method := r.Method
	if method == "" {
		method = http.MethodPost
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
		if r.Chunked {
			reader = io.MultiReader(reader) // a reader of unknown length: sent chunked
		}
	}
	req, err := http.NewRequest(method, url+"/", reader)
	if err != nil {
		t.Fatal(err)
	}
	if r.Chunked {
		req.ContentLength = -1
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	for name, value := range r.Headers {
		if value == nil {
			req.Header.Del(name)
		} else {
			req.Header.Set(name, *value)
		}
	}
	if len(r.Target) > 0 {
		var targets []string
		if err := json.Unmarshal(r.Target, &targets); err != nil {
			var target string
			if err := json.Unmarshal(r.Target, &target); err != nil {
				t.Fatalf("target %s", r.Target)
			}
			targets = []string{target}
		}
		for _, target := range targets {
			req.Header.Add("X-Amz-Target", target)
		}
	}
	return req
}

func showOptional(s *string) string {
	if s == nil {
		return "none"
	}
	return strconv.Quote(*s)
}
