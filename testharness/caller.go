package testharness

import (
	"context"
	"errors"
)

// CheckCaller says whether the world takes calls from c: nil, or an error that names the account or
// Region and why, such as `Region not accepted: region="mars-1" is not an AWS Region (partition aws),
// ...`. The account must be 12 digits and the Region one of AWS's, unless the world was made with
// WorldOptions.AllowAnyRegion (then any host label). A KMS call from a refused caller answers what AWS
// answers to such credentials (InvalidSignatureException, UnrecognizedClientException), as a real
// SDK client pointed at the harness's endpoint sees it; code that builds callers itself, as a client
// in process does, checks them here first and fails the way the SDK fails a Region it cannot use.
func (w *World) CheckCaller(ctx context.Context, c Caller) error {
	status, resp, err := w.Call(ctx, c, "WasmKMS.CheckCaller", nil)
	if err != nil {
		return err
	}
	err = decodeAdmin("CheckCaller", status, resp, nil)
	if refusal := (*CallError)(nil); errors.As(err, &refusal) {
		return errors.New("testharness: " + refusal.Message)
	}
	return err
}
