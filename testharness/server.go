package testharness

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wasmkms/wasmkms/internal/kmsabi"
)

// kmsTargetPrefix marks the KMS API targets; only these reach the module from the wire. The module's
// WasmKMS.* administration targets are never exposed over HTTP.
const kmsTargetPrefix = "TrentService."

// unknownOperationTarget is sent to the module in place of any target the endpoint refuses, so that
// the answer (UnknownOperationException) comes from the core's one definition of it.
const unknownOperationTarget = ""

// maxRequestBody bounds what the endpoint reads; KMS requests are a few kilobytes.
const maxRequestBody = 1 << 20

// maxDiscardedBody bounds how much more of a refused body the endpoint reads and drops so that the
// client gets its 413 cleanly (readBody), as the JS endpoint does (js/node-only/request-body.mjs).
const maxDiscardedBody = 64 << 20

const jsonContentType = "application/x-amz-json-1.1"

// The refusals of requests that never reach the module, answered as the JS endpoint
// (js/node-only/serve.mjs) answers them: testdata/endpoint/malformed.json holds the two together and
// says why these answers.
var (
	onlyPostMessage = "Only POST is served: AWS JSON 1.1"
	tooLargeMessage = fmt.Sprintf("Request body is larger than %d bytes, the most this endpoint reads", maxRequestBody)
)

// accountAccessKeyID is an access key ID that names the calling account: a test client that signs
// with access key "444455556666" calls as that account.
var accountAccessKeyID = regexp.MustCompile(`^[0-9]{12}$`)

// Handler serves the AWS JSON 1.1 protocol of KMS over one module world: POST / with
// X-Amz-Target: TrentService.<Operation>. The caller's account is the SigV4 access key ID when it is
// 12 digits (else the default account), its region the SigV4 credential scope's region. Signatures
// are not verified: this is a test double. A latency fault (Fault.Latency) delays the answer, or,
// when the world's clock is manual, advances the clock by the latency instead; each answer's
// x-amzn-RequestId is the request ID the world's journal has for the call (World.Calls).
func Handler(w *World) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			rw.Header().Set("Allow", http.MethodPost)
			writeAnswer(rw, http.StatusMethodNotAllowed, refusalBody(onlyPostMessage))
			return
		}
		// A repeated header is one value joined by ", ", as Node (the JS endpoint) reads it.
		target := strings.Join(r.Header.Values("X-Amz-Target"), ", ")
		if !strings.HasPrefix(target, kmsTargetPrefix) {
			target = unknownOperationTarget
		}
		body, ok := readBody(rw, r)
		if !ok {
			return
		}
		caller := callerFromSigV4(r.Header.Get("Authorization"))
		caller.RequestID = newRequestID()
		status, resp, latency, err := w.callOwingLatency(r.Context(), caller, target, bodyText(body))
		if err == nil && latency > 0 {
			err = w.wait(r.Context(), latency)
		}
		if err != nil {
			// The module could not answer at all (a dead instance): a server fault, and it says why.
			status, resp = kmsabi.ErrorAnswer("KMSInternalException", "wasmkms endpoint: "+err.Error())
		}
		writeAnswerWithID(rw, status, resp, caller.RequestID)
	})
}

// readBody reads a request's body, at most maxRequestBody of it; for a larger one it answers 413,
// the connection closed after it, and says false (as for a client gone before the end of its body).
//
// The refusal waits until the client has sent its whole body, read and dropped here. Answering while
// the client still writes and then closing the connection makes the kernel reset it under a client
// that has not read the answer yet (one that sends all of its request before reading, as many do):
// the client sees a broken pipe instead of the 413, and the AWS SDKs retry a broken pipe as a network
// error, sending the body again. Dropping is bounded: past maxDiscardedBody more (or a Content-Length
// that says so), the answer goes at once and the connection closes, whatever the client then sees. A
// client that asks before sending (Expect: 100-continue) a body declared too large is refused before
// it sends any: Go's server sends 100 Continue only once the body is read, which it never is.
func readBody(rw http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.ContentLength > maxRequestBody &&
		(r.ContentLength > maxRequestBody+maxDiscardedBody || strings.EqualFold(r.Header.Get("Expect"), "100-continue")) {
		refuseTooLarge(rw)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxRequestBody))
	if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
		io.CopyN(io.Discard, r.Body, maxDiscardedBody)
		refuseTooLarge(rw)
		return nil, false
	}
	if err != nil {
		// The client went away, or sent a body the server could not read (a broken chunk): no answer
		// can reach it, and the connection is dropped.
		panic(http.ErrAbortHandler)
	}
	return body, true
}

// refuseTooLarge answers 413 and closes the connection after it: the rest of a body not drained would
// be read as the next request.
func refuseTooLarge(rw http.ResponseWriter) {
	rw.Header().Set("Connection", "close")
	writeAnswer(rw, http.StatusRequestEntityTooLarge, refusalBody(tooLargeMessage))
}

// callOwingLatency is Call followed by TakeLatency in one turn of the instance, so that the latency
// answered is what this call's faults owe, not another request's.
func (w *World) callOwingLatency(ctx context.Context, c Caller, target string, body []byte) (
	status int, resp []byte, latency time.Duration, err error) {
	w.h.mu.Lock()
	defer w.h.mu.Unlock()
	if status, resp, err = w.callLocked(ctx, c, target, body); err != nil {
		return 0, nil, 0, err
	}
	st, owed, err := w.callLocked(ctx, Caller{}, "WasmKMS.TakeLatency", nil)
	if err != nil {
		return 0, nil, 0, err
	}
	var taken struct {
		Ms int64 `json:"ms"`
	}
	if err := decodeAdmin("TakeLatency", st, owed, &taken); err != nil {
		return 0, nil, 0, err
	}
	return status, resp, time.Duration(taken.Ms) * time.Millisecond, nil
}

// wait is how the endpoint honours a latency fault: on a manual clock the world's time moves on by
// the latency at once; on real time the answer waits (or the client gives up first).
func (w *World) wait(ctx context.Context, latency time.Duration) error {
	clock := w.Clock()
	manual, err := clock.Manual(ctx)
	if err != nil {
		return err
	}
	if manual {
		return clock.Advance(ctx, latency)
	}
	timer := time.NewTimer(latency)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil
}

func writeAnswer(rw http.ResponseWriter, status int, body []byte) {
	writeAnswerWithID(rw, status, body, newRequestID())
}

func writeAnswerWithID(rw http.ResponseWriter, status int, body []byte, requestID string) {
	rw.Header().Set("Content-Type", jsonContentType)
	rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	rw.Header().Set("x-amzn-RequestId", requestID)
	rw.WriteHeader(status)
	rw.Write(body)
}

// refusalBody is the body of a refusal by the endpoint itself, below the KMS API (a method other than
// POST, a body too large to read): a message and no __type, as the JS endpoint answers.
func refusalBody(message string) []byte {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{message})
	return b
}

// bodyText is the body as the JS endpoint hands it to its world, decoded as UTF-8 by the Encoding
// Standard (what TextDecoder does): a leading byte order mark is dropped, and each ill-formed sequence
// becomes one U+FFFD, a truncated sequence included (the core alone would make each of its bytes one).
func bodyText(body []byte) []byte {
	body = bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(body) {
		return body
	}
	out := make([]byte, 0, len(body)+16)
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
			body = body[illFormedPrefix(body):]
			continue
		}
		out = append(out, body[:size]...)
		body = body[size:]
	}
	return out
}

// illFormedPrefix is the length of the maximal subpart at the start of b, which does not start with
// a whole UTF-8 sequence: its lead byte and the continuation bytes that could still have begun a
// valid sequence (the Encoding Standard's UTF-8 decoder; Unicode 3.9, table 3-7). At least 1.
func illFormedPrefix(b []byte) int {
	var need int
	lo, hi := byte(0x80), byte(0xBF) // the range of the second byte
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 2
	case c == 0xE0:
		need, lo = 3, 0xA0
	case c == 0xED:
		need, hi = 3, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 3
	case c == 0xF0:
		need, lo = 4, 0x90
	case c == 0xF4:
		need, hi = 4, 0x8F
	case c >= 0xF1 && c <= 0xF3:
		need = 4
	default:
		return 1
	}
	n := 1
	for n < need && n < len(b) && b[n] >= lo && b[n] <= hi {
		n++
		lo, hi = 0x80, 0xBF
	}
	return min(n, need-1)
}

// callerFromSigV4 reads the caller from an Authorization header such as
// "AWS4-HMAC-SHA256 Credential=444455556666/20260101/eu-west-1/kms/aws4_request, SignedHeaders=..., Signature=...".
// Anything it cannot read takes the defaults.
func callerFromSigV4(authorization string) Caller {
	var c Caller
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
