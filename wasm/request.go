package main

import (
	"encoding/binary"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// requestFieldCount is the number of length-prefixed fields of a wasmkms_call request (ABI.md):
// account, region, principal, target, body. The optional request ID follows them (trailingRequestID).
const (
	requestFieldCount  = 5
	requestHeaderBytes = 4 * requestFieldCount
)

// request is one decoded wasmkms_call request.
type request struct {
	caller kms.Caller
	target string
	body   []byte
}

// parseRequest splits a request buffer into its fields. It reports false if the buffer is shorter
// than its header, or the header's lengths and the optional request ID after the body do not add up
// to exactly the rest of the buffer.
func parseRequest(buf []byte) (request, bool) {
	if len(buf) < requestHeaderBytes {
		return request{}, false
	}
	var fields [requestFieldCount][]byte
	rest := buf[requestHeaderBytes:]
	for i := range fields {
		n := uint64(binary.LittleEndian.Uint32(buf[4*i:]))
		if n > uint64(len(rest)) {
			return request{}, false
		}
		fields[i], rest = rest[:n], rest[n:]
	}
	requestID, ok := trailingRequestID(rest)
	if !ok {
		return request{}, false
	}
	return request{
		caller: kms.Caller{Account: string(fields[0]), Region: string(fields[1]), Principal: string(fields[2]),
			RequestID: requestID},
		target: string(fields[3]),
		body:   bodyOf(fields[3], fields[4]),
	}, true
}

// bodyOf is a request's body as the world gets it: a copy, since the host may reuse its request
// buffer while the world still holds on to the body; but the pieces of a state log as they are (they
// are read during the call and never kept: a copy of each megabyte was a sixth of a load's time).
func bodyOf(target, body []byte) []byte {
	if string(target) == "WasmKMS.StateLogLoad" {
		return body
	}
	return append([]byte(nil), body...)
}

// trailingRequestID reads what follows a request's last field (ABI.md, "The request ID"): nothing (a
// host that sends none, as every host did before the field existed), or one more field, a u32 length
// and that many bytes, the host's ID of the call (kms.Caller.RequestID, kept in the call journal).
// An absent (abi.AbsentField) or empty field is no ID. Anything else after the last field is malformed.
func trailingRequestID(rest []byte) (string, bool) {
	if len(rest) == 0 {
		return "", true
	}
	if len(rest) < 4 {
		return "", false
	}
	n := binary.LittleEndian.Uint32(rest)
	if n == abi.AbsentField && len(rest) == 4 {
		return "", true
	}
	if uint64(n) != uint64(len(rest)-4) {
		return "", false
	}
	return jsonText(rest[4:]), true
}
