package testharness

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// kmsTargetPrefix marks the KMS API targets; only these reach the module from the wire. The module's
// WasmKMS.* administration targets are never exposed over HTTP.
const kmsTargetPrefix = "TrentService."

// unknownOperationTarget is sent to the module in place of any target the endpoint refuses, so that
// the answer (UnknownOperationException) comes from the core's one definition of it.
const unknownOperationTarget = ""

// maxRequestBody bounds what the endpoint reads; KMS requests are a few kilobytes.
const maxRequestBody = 1 << 20

const jsonContentType = "application/x-amz-json-1.1"

// accountAccessKeyID is an access key ID that names the calling account: a test client that signs
// with access key "444455556666" calls as that account.
var accountAccessKeyID = regexp.MustCompile(`^[0-9]{12}$`)

// Handler serves the AWS JSON 1.1 protocol of KMS over one module world: POST / with
// X-Amz-Target: TrentService.<Operation>. The caller's account is the SigV4 access key ID when it is
// 12 digits (else the default account), its region the SigV4 credential scope's region. Signatures
// are not verified: this is a test double.
func Handler(w *World) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		target := r.Header.Get("X-Amz-Target")
		if r.Method != http.MethodPost || !strings.HasPrefix(target, kmsTargetPrefix) {
			target = unknownOperationTarget
		}
		body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxRequestBody))
		if err != nil {
			writeAnswer(rw, 413, errorBody("SerializationException", "the request body could not be read: "+err.Error()))
			return
		}
		status, resp, err := w.Call(r.Context(), callerFromSigV4(r.Header.Get("Authorization")), target, body)
		if err != nil {
			// The module could not answer at all (a dead instance): a server fault, and it says why.
			writeAnswer(rw, 500, errorBody("KMSInternalException", err.Error()))
			return
		}
		writeAnswer(rw, status, resp)
	})
}

func writeAnswer(rw http.ResponseWriter, status int, body []byte) {
	rw.Header().Set("Content-Type", jsonContentType)
	rw.Header().Set("x-amzn-RequestId", newRequestID())
	rw.WriteHeader(status)
	rw.Write(body)
}

func errorBody(errorType, message string) []byte {
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{errorType, message})
	return b
}

// callerFromSigV4 reads the caller from an Authorization header such as
// "AWS4-HMAC-SHA256 Credential=444455556666/20260101/eu-west-1/kms/aws4_request, SignedHeaders=..., Signature=...".
// Anything it cannot read takes the defaults.
func callerFromSigV4(authorization string) kms.Caller {
	var c kms.Caller
	_, params, ok := strings.Cut(authorization, " ")
	if !ok {
		return c
	}
	for param := range strings.SplitSeq(params, ",") {
		credential, ok := strings.CutPrefix(strings.TrimSpace(param), "Credential=")
		if !ok {
			continue
		}
		// access key ID / date / region / service / aws4_request
		scope := strings.Split(credential, "/")
		if accountAccessKeyID.MatchString(scope[0]) {
			c.Account = scope[0]
		}
		if len(scope) == 5 {
			c.Region = scope[2]
		}
	}
	return c
}

// newRequestID is a random (version 4) UUID, as KMS's request IDs are.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Server is a running HTTP endpoint over a module world on 127.0.0.1, like httptest.Server.
type Server struct {
	// URL is the base URL, e.g. "http://127.0.0.1:43127": the client's BaseEndpoint.
	URL      string
	listener net.Listener
	server   *http.Server
	done     chan struct{}
}

// NewServer starts serving Handler(w) on an ephemeral port of 127.0.0.1.
func NewServer(w *World) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("testharness: listening on 127.0.0.1: %w", err)
	}
	s := &Server{
		URL:      "http://" + ln.Addr().String(),
		listener: ln,
		server:   &http.Server{Handler: Handler(w)},
		done:     make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		s.server.Serve(ln)
	}()
	return s, nil
}

// Close stops the server and waits for its in-flight requests.
func (s *Server) Close() error {
	err := s.server.Shutdown(context.Background())
	<-s.done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
