package testharness

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/wasmkms/wasmkms/internal/conformance"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The shared scenarios, through the module: the same files the core's own tests run natively. Each
// scenario gets a fresh world in one instance, as a JS host would have.
func TestConformanceThroughModule(t *testing.T) {
	h := newHarness(t)
	conformance.RunDir(t, "../testdata/conformance", func() conformance.CallFunc {
		w := newWorld(t, h, kms.Options{})
		return moduleCallFunc(w)
	})
}

// moduleCallFunc adapts a module world to the runner. A call the module could not answer (an ABI
// error, a dead instance) becomes an answer no scenario expects, naming the error.
func moduleCallFunc(w *World) conformance.CallFunc {
	return func(c kms.Caller, target string, body []byte) (int, []byte) {
		status, resp, err := w.Call(context.Background(), c, target, body)
		if err != nil {
			resp, _ = json.Marshal(map[string]string{"__type": "HarnessError", "message": err.Error()})
			return 0, resp
		}
		return status, resp
	}
}

// The shared scenarios over HTTP through the AWS JSON 1.1 endpoint: the caller travels in the SigV4
// credential (account as access key ID, region in the scope). A principal other than the account's
// root cannot travel over the wire, so those few steps go to the same world directly; the test says
// how many.
func TestConformanceThroughHTTPEndpoint(t *testing.T) {
	h := newHarness(t)
	var overHTTP, direct int
	conformance.RunDir(t, "../testdata/conformance", func() conformance.CallFunc {
		w := newWorld(t, h, kms.Options{})
		srv := serveWorld(t, w)
		module := moduleCallFunc(w)
		return func(c kms.Caller, target string, body []byte) (int, []byte) {
			if c.Principal != "" && c.Principal != conformance.DefaultCaller(conformance.CallerSpec{Account: c.Account, Region: c.Region}).Principal {
				direct++
				return module(c, target, body)
			}
			overHTTP++
			return postJSON(t, srv.URL, c, target, body)
		}
	})
	t.Logf("%d calls over HTTP, %d directly (a principal the wire cannot carry)", overHTTP, direct)
}

// postJSON sends one AWS JSON 1.1 request as an SDK would, with an unsigned SigV4-shaped Authorization.
func postJSON(t *testing.T, url string, c kms.Caller, target string, body []byte) (int, []byte) {
	req, err := http.NewRequest(http.MethodPost, url+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	accessKeyID, region := c.Account, c.Region
	if accessKeyID == "" {
		accessKeyID = "AKIDEXAMPLE"
	}
	if region == "" {
		region = kms.DefaultRegion
	}
	req.Header.Set("Content-Type", jsonContentType)
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+accessKeyID+"/20260101/"+region+"/kms/aws4_request, SignedHeaders=host;x-amz-target, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, answer
}
