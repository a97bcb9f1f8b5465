package kmstest

import (
	"net/http"
	"net/http/httptest"
)

// transport answers the client's requests in the process: each goes to the world's handler (the one
// testharness.NewServer serves, so the answers are the endpoint's byte for byte) and comes back as an
// *http.Response. No socket is opened.
type transport struct{ handler http.Handler }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	defer in.Body.Close() // a RoundTripper closes the body, as a real one does once it is sent
	rec := httptest.NewRecorder()
	t.handler.ServeHTTP(rec, in)
	if err := req.Context().Err(); err != nil {
		return nil, err // the caller gave up (a latency fault outlasted its deadline), as on a network
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
