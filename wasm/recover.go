package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/wasmkms/wasmkms/internal/kmsabi"
)

// Panic recovery, one layer per place a panic can start (ABI.md: a panic answers 500
// KMSInternalException and the instance keeps serving):
//   - in the core: kms.World.Handle (wasmkms_call) and kms.World.Encrypt/Decrypt (the direct exports)
//     recover their own panics into the core's KMSInternalException answer, so a panic in an
//     operation never leaves this package;
//   - in the module: answerPanic, deferred by each export that writes an answer, for a panic in the
//     module's own code around the core (argument checks, request parsing, writing the answer).
// There is no third layer around the call into the core: it could never run.

// panicAnswer is the answer to a panic recovered in the module's own code. The stack goes to stderr
// for whoever debugs the module (the host decides where stderr goes); the answer says what failed.
func panicAnswer(export string, v any) (status int, body []byte) {
	fmt.Fprintf(os.Stderr, "wasmkms: recovered panic in %s: %v\n%s", export, v, debug.Stack())
	return kmsabi.ErrorAnswer("KMSInternalException", fmt.Sprintf("wasmkms module: recovered panic in %s: %v", export, v))
}
