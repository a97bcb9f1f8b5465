package main

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wasmkms/wasmkms/internal/kms"
)

func header(lengths ...uint32) []byte {
	b := make([]byte, 4*len(lengths))
	for i, n := range lengths {
		binary.LittleEndian.PutUint32(b[4*i:], n)
	}
	return b
}

func TestParseRequest(t *testing.T) {
	for _, tc := range []struct {
		name string
		buf  []byte
		ok   bool
		want request
	}{
		{"all fields", append(header(12, 9, 4, 21, 2), "444455556666eu-west-1rootTrentService.ListKeys{}"...), true,
			request{kms.Caller{Account: "444455556666", Region: "eu-west-1", Principal: "root"}, "TrentService.ListKeys", []byte("{}")}},
		{"defaults and an empty body", append(header(0, 0, 0, 21, 0), "TrentService.ListKeys"...), true,
			request{kms.Caller{}, "TrentService.ListKeys", []byte{}}},
		{"empty", nil, false, request{}},
		{"19 bytes", make([]byte, 19), false, request{}},
		{"only a header of zeros", header(0, 0, 0, 0, 0), true, request{body: []byte{}}},
		{"a length past the end", append(header(0, 0, 0, 21, 3), "TrentService.ListKeys{}"...), false, request{}},
		{"bytes after the last field", append(header(0, 0, 0, 21, 1), "TrentService.ListKeys{}"...), false, request{}},
		{"a length of 2^32-1", append(header(0xffffffff, 0, 0, 0, 0), "x"...), false, request{}},
		{"a request ID after the body", append(append(header(0, 0, 0, 21, 2), "TrentService.ListKeys{}"...), append(header(5), "req-1"...)...), true,
			request{kms.Caller{RequestID: "req-1"}, "TrentService.ListKeys", []byte("{}")}},
		{"an empty request ID", append(append(header(0, 0, 0, 21, 2), "TrentService.ListKeys{}"...), header(0)...), true,
			request{kms.Caller{}, "TrentService.ListKeys", []byte("{}")}},
		{"an absent request ID", append(append(header(0, 0, 0, 21, 2), "TrentService.ListKeys{}"...), header(0xffffffff)...), true,
			request{kms.Caller{}, "TrentService.ListKeys", []byte("{}")}},
		{"a request ID longer than what follows", append(append(header(0, 0, 0, 21, 2), "TrentService.ListKeys{}"...), append(header(6), "req-1"...)...), false, request{}},
		{"a request ID shorter than what follows", append(append(header(0, 0, 0, 21, 2), "TrentService.ListKeys{}"...), append(header(4), "req-1"...)...), false, request{}},
		{"three bytes after the body", append(append(header(0, 0, 0, 21, 2), "TrentService.ListKeys{}"...), 1, 0, 0), false, request{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseRequest(tc.buf)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if ok && (got.caller != tc.want.caller || got.target != tc.want.target || string(got.body) != string(tc.want.body)) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseRequestCopiesTheBody(t *testing.T) {
	buf := append(header(0, 0, 0, 1, 2), "T{}"...)
	req, _ := parseRequest(buf)
	buf[len(buf)-1] = 'X' // the host reuses its request buffer
	if string(req.body) != "{}" {
		t.Fatalf("the body aliases the host's buffer: %q", req.body)
	}
}

func TestParseWorldConfig(t *testing.T) {
	for _, tc := range []struct {
		config string
		ok     bool
		want   kms.Options
	}{
		{``, true, kms.Options{}},
		{`  `, true, kms.Options{}},
		{`{}`, true, kms.Options{}},
		{`{"freshRSAKeys": true, "testHooks": true}`, true, kms.Options{FreshRSAKeys: true, TestHooks: true}},
		{`{"testHooks": false}`, true, kms.Options{}},
		{`null`, false, kms.Options{}},
		{`[]`, false, kms.Options{}},
		{`"x"`, false, kms.Options{}},
		{`{"testHooks": 1}`, false, kms.Options{}},
		{`{"testhook": true}`, false, kms.Options{}},
		{`{} {}`, false, kms.Options{}},
		{`{}]`, false, kms.Options{}},
		{`{}}`, false, kms.Options{}},
		{`{"Now": 1}`, false, kms.Options{}},
		{`{"Rand": null}`, false, kms.Options{}},
		{`{`, false, kms.Options{}},
	} {
		got, err := parseWorldConfig([]byte(tc.config))
		if (err == nil) != tc.ok || got.FreshRSAKeys != tc.want.FreshRSAKeys || got.TestHooks != tc.want.TestHooks {
			t.Errorf("%q: got %+v, %v; want %+v, ok=%v", tc.config, got, err, tc.want, tc.ok)
		}
	}
}

func TestPanicAnswer(t *testing.T) {
	status, body := panicAnswer("wasmkms_call", "index out of range [3] with length 2")
	var answer struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatal(err)
	}
	if status != 500 || answer.Type != "KMSInternalException" ||
		!strings.Contains(answer.Message, "wasmkms_call") || !strings.Contains(answer.Message, "index out of range") {
		t.Fatalf("got %d %s", status, body)
	}
}
