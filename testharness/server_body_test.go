package testharness

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
)

// A body over maxRequestBody gets its 413 every time, the way a test's client sends it: the endpoint
// reads and drops the rest of the body before answering, so the client has sent all of it when the
// connection closes. Answered while the client still wrote, the connection was reset under it, and
// the client often saw a broken pipe instead of the 413 (which the SDK retries, sending it again).
// 20 times each, 8 MiB each, a few seconds in all.
func TestServerAnswersTooLargeBodies413Reliably(t *testing.T) {
	const attempts = 20
	ctx := context.Background()
	srv := newServer(t)

	// The real SDK: an Encrypt of 6 MiB of plaintext is some 8 MiB of JSON.
	client := sdkClient(srv, "AKIDEXAMPLE", "us-east-1")
	plaintext := bytes.Repeat([]byte("x"), 6<<20)
	for i := range attempts {
		_, err := client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: aws.String("alias/app"), Plaintext: plaintext})
		var answer *awshttp.ResponseError
		if !errors.As(err, &answer) || answer.HTTPStatusCode() != http.StatusRequestEntityTooLarge {
			t.Fatalf("SDK Encrypt of %d bytes, attempt %d: %v, want a 413 answer", len(plaintext), i+1, err)
		}
	}
	if _, err := client.ListKeys(ctx, &kmssdk.ListKeysInput{}); err != nil {
		t.Fatalf("ListKeys after the refusals: %v", err)
	}

	// net/http: a body of a known length, a chunked one (no length), and one that asks before sending
	// (Expect: 100-continue), which is refused before the client sends a byte of it.
	body := strings.Repeat("d", 8<<20)
	httpClient := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 10 * time.Second}}
	t.Cleanup(httpClient.CloseIdleConnections)
	for _, tc := range []struct {
		name   string
		header http.Header
		body   func() io.Reader
	}{
		{"Content-Length", nil, func() io.Reader { return strings.NewReader(body) }},
		{"chunked", nil, func() io.Reader { return io.MultiReader(strings.NewReader(body)) }}, // length unknown
		{"Expect: 100-continue", http.Header{"Expect": {"100-continue"}}, func() io.Reader { return strings.NewReader(body) }},
	} {
		for i := range attempts {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, tc.body())
			if err != nil {
				t.Fatal(err)
			}
			for name, values := range tc.header {
				req.Header[name] = values
			}
			req.Header.Set("Content-Type", jsonContentType)
			req.Header.Set("X-Amz-Target", "TrentService.CreateKey")
			resp, err := httpClient.Do(req)
			if err != nil {
				t.Fatalf("%s, attempt %d: %v, want a 413 answer", tc.name, i+1, err)
			}
			answer, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			checkTooLarge(t, fmt.Sprintf("%s, attempt %d", tc.name, i+1), resp, answer, err)
		}
	}

	// A client that sends its whole request before it reads (as many HTTP clients do): it must not
	// meet a reset connection while it writes, and then reads the 413.
	request := "POST / HTTP/1.1\r\nHost: " + strings.TrimPrefix(srv.URL, "http://") + "\r\n" +
		"Content-Type: " + jsonContentType + "\r\nX-Amz-Target: TrentService.CreateKey\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
	for i := range attempts {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		if _, err := io.WriteString(conn, request); err != nil {
			conn.Close()
			t.Fatalf("writing the request, attempt %d: %v", i+1, err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			conn.Close()
			t.Fatalf("reading the answer, attempt %d: %v", i+1, err)
		}
		answer, err := io.ReadAll(resp.Body)
		conn.Close()
		checkTooLarge(t, fmt.Sprintf("written before reading, attempt %d", i+1), resp, answer, err)
	}
}

// A client that asks before sending a body declared too large (Expect: 100-continue) is refused
// before it sends a byte of it: no 100 Continue comes, the 413 does.
func TestServerRefusesTooLargeBodyBeforeContinue(t *testing.T) {
	srv := newServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nX-Amz-Target: TrentService.CreateKey\r\n"+
		"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n", strings.TrimPrefix(srv.URL, "http://"), jsonContentType, maxRequestBody+1)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := io.ReadAll(resp.Body)
	checkTooLarge(t, "Expect: 100-continue", resp, answer, err)
}

// checkTooLarge fails the test unless resp is the endpoint's 413, the connection closing after it.
func checkTooLarge(t *testing.T, what string, resp *http.Response, answer []byte, err error) {
	t.Helper()
	if err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close ||
		string(answer) != string(refusalBody(tooLargeMessage)) {
		t.Fatalf("%s: %d (closing: %v) %s %v", what, resp.StatusCode, resp.Close, answer, err)
	}
}
