package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// handleRecovering calls the core and turns a panic into the 500 KMSInternalException that ABI.md
// promises, with a message that says what happened, so that the instance keeps serving.
func handleRecovering(handle func(kms.Caller, string, []byte) (int, []byte), req request) (status int, body []byte) {
	defer func() {
		if v := recover(); v != nil {
			// The stack goes to stderr for whoever debugs the module; the answer says what failed.
			fmt.Fprintf(os.Stderr, "wasmkms: recovered panic in %s: %v\n%s", req.target, v, debug.Stack())
			status, body = internalError(fmt.Sprintf("wasmkms module: recovered panic while handling %s: %v", req.target, v))
		}
	}()
	return handle(req.caller, req.target, req.body)
}

func internalError(message string) (int, []byte) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{"KMSInternalException", message})
	return 500, body
}
