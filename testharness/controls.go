package testharness

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// The controls of a world, for tests: its clock, faults, the journal of its calls, snapshots and
// fixtures. Each is a WasmKMS.* administration target of the core (internal/kms/handle.go), which the
// KMS wire never reaches; these methods are their Go face.

// CallError is an error as the core answers it: the exception's name (its __type, e.g.
// "ThrottlingException") and message. A refused control (a clock moved backwards, a fault that names
// no error) is a *CallError too, wrapped with the target's name.
type CallError struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

func (e *CallError) Error() string {
	if e.Message == "" {
		return e.Name
	}
	return e.Name + ": " + e.Message
}

// admin calls a WasmKMS.* target: req (nil, raw JSON, or a value to encode) as the body, the answer
// decoded into out when out is not nil.
func (w *World) admin(ctx context.Context, target string, req, out any) error {
	var body []byte
	switch r := req.(type) {
	case nil:
	case json.RawMessage:
		body = r
	case []byte:
		body = r
	default:
		var err error
		if body, err = json.Marshal(r); err != nil {
			return fmt.Errorf("testharness: WasmKMS.%s: %w", target, err)
		}
	}
	status, resp, err := w.Call(ctx, Caller{}, "WasmKMS."+target, body)
	if err != nil {
		return err
	}
	return decodeAdmin(target, status, resp, out)
}

// decodeAdmin reads an administration target's answer into out, or makes a refusal an error.
func decodeAdmin(target string, status int, resp []byte, out any) error {
	if status != 200 {
		var refusal struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if json.Unmarshal(resp, &refusal) != nil || refusal.Type == "" {
			return fmt.Errorf("testharness: WasmKMS.%s answered %d %s", target, status, resp)
		}
		return fmt.Errorf("testharness: WasmKMS.%s: %w", target, &CallError{Name: refusal.Type, Message: refusal.Message})
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp, out); err != nil {
		return fmt.Errorf("testharness: WasmKMS.%s answered %s: %w", target, resp, err)
	}
	return nil
}

// ---- Clock ----

// Clock is a world's clock (World.Clock). A world made without WorldOptions.Clock runs on real time
// until the first Set or Advance, which stop it there and move it by hand from then on. It only
// moves forwards. Whatever falls due when it moves happens at once: keys pending deletion are
// deleted, automatic rotations rotate, imported material expires.
type Clock struct{ w *World }

// Clock answers the world's clock.
func (w *World) Clock() Clock { return Clock{w} }

type clockAnswer struct {
	Now    time.Time `json:"now"`
	Manual bool      `json:"manual"`
}

// Now answers the world's time.
func (c Clock) Now(ctx context.Context) (time.Time, error) {
	var a clockAnswer
	err := c.w.admin(ctx, "GetClock", nil, &a)
	return a.Now, err
}

// Manual reports whether the clock moves only by hand (WorldOptions.Clock, or after a Set or Advance).
func (c Clock) Manual(ctx context.Context) (bool, error) {
	var a clockAnswer
	err := c.w.admin(ctx, "GetClock", nil, &a)
	return a.Manual, err
}

// Set moves the clock to t, which must not be before the clock's time.
func (c Clock) Set(ctx context.Context, t time.Time) error {
	return c.w.admin(ctx, "SetClock", map[string]string{"time": t.UTC().Format(time.RFC3339Nano)}, nil)
}

// Advance moves the clock forwards by d (not negative).
func (c Clock) Advance(ctx context.Context, d time.Duration) error {
	return c.w.admin(ctx, "AdvanceClock", map[string]float64{"ms": float64(d) / float64(time.Millisecond)}, nil)
}

// ---- Faults ----

// Fault makes the calls it matches fail, or slow, on purpose (World.Faults().Add). Empty matchers
// match every call; the first registered fault that matches a call acts on it, before the call runs,
// so a failed call changes nothing in the world.
type Fault struct {
	// ID names the fault in Faults().List; Add ignores it.
	ID string
	// Operation is a KMS operation's name, e.g. "Encrypt".
	Operation string
	// KeyID matches calls on this key, named in any of its forms (key ID, key ARN, alias name, alias
	// ARN); a Decrypt names the key of its symmetric ciphertext.
	KeyID string
	// Account and Region match the caller's.
	Account string
	Region  string
	// Error is the exception a matched call answers, e.g. "ThrottlingException" (any error name the
	// core knows); empty for a fault that only adds latency.
	Error string
	// Message is the error's message; empty: AWS's default for the error ("Rate exceeded" for
	// ThrottlingException), else none.
	Message string
	// Times is how many calls the fault acts on before it is gone; 0: every call until removed.
	Times int
	// Probability is the chance that a matching call is affected (0 < p <= 1); 0 means always. In a
	// seeded world the draws repeat from run to run.
	Probability float64
	// Latency delays the answers of the matched calls: the HTTP endpoint (NewServer) waits this long
	// before answering, or, when the world's clock is manual, advances it by this much. World.Call
	// itself never waits (World.TakeLatency says what it owes).
	Latency time.Duration
}

// faultJSON is a fault as WasmKMS.AddFault and ListFaults have it.
type faultJSON struct {
	ID          string   `json:"id,omitempty"`
	Operation   string   `json:"operation,omitempty"`
	KeyID       string   `json:"keyId,omitempty"`
	Account     string   `json:"account,omitempty"`
	Region      string   `json:"region,omitempty"`
	Error       string   `json:"error,omitempty"`
	Message     *string  `json:"message,omitempty"`
	Times       int      `json:"times,omitempty"`
	Probability *float64 `json:"probability,omitempty"`
	LatencyMs   int64    `json:"latencyMs,omitempty"`
}

func (f Fault) toJSON() faultJSON {
	j := faultJSON{Operation: f.Operation, KeyID: f.KeyID, Account: f.Account, Region: f.Region, Error: f.Error,
		Times: f.Times, LatencyMs: int64(math.Ceil(float64(f.Latency) / float64(time.Millisecond)))}
	if f.Message != "" {
		j.Message = &f.Message
	}
	if f.Probability != 0 {
		j.Probability = &f.Probability
	}
	return j
}

func (j faultJSON) toFault() Fault {
	f := Fault{ID: j.ID, Operation: j.Operation, KeyID: j.KeyID, Account: j.Account, Region: j.Region, Error: j.Error,
		Times: j.Times, Latency: time.Duration(j.LatencyMs) * time.Millisecond}
	if j.Message != nil {
		f.Message = *j.Message
	}
	if j.Probability != nil {
		f.Probability = *j.Probability
	}
	return f
}

// Faults are a world's registered faults (World.Faults).
type Faults struct{ w *World }

// Faults answers the world's faults.
func (w *World) Faults() Faults { return Faults{w} }

// FaultHandle is a registered fault.
type FaultHandle struct {
	ID string
	w  *World
}

// Add registers a fault; it acts from the next call on. A fault with neither Error nor Latency, an
// unknown error name or operation is refused (a *CallError).
func (fs Faults) Add(ctx context.Context, f Fault) (*FaultHandle, error) {
	var added struct {
		ID string `json:"id"`
	}
	if err := fs.w.admin(ctx, "AddFault", f.toJSON(), &added); err != nil {
		return nil, err
	}
	return &FaultHandle{ID: added.ID, w: fs.w}, nil
}

// Remove unregisters the fault. A fault with Times is gone by itself once used up; removing it then
// is an error.
func (h *FaultHandle) Remove(ctx context.Context) error {
	return h.w.admin(ctx, "RemoveFault", map[string]string{"id": h.ID}, nil)
}

// Clear removes every fault.
func (fs Faults) Clear(ctx context.Context) error {
	return fs.w.admin(ctx, "ClearFaults", nil, nil)
}

// List answers the faults still registered, in the order they act (Times counts what is left).
func (fs Faults) List(ctx context.Context) ([]Fault, error) {
	var listed struct {
		Faults []faultJSON `json:"faults"`
	}
	if err := fs.w.admin(ctx, "ListFaults", nil, &listed); err != nil {
		return nil, err
	}
	out := make([]Fault, len(listed.Faults))
	for i, j := range listed.Faults {
		out[i] = j.toFault()
	}
	return out, nil
}

// TakeLatency answers the latency the world's faults owe for the calls since the last TakeLatency,
// which is then owed no more: what a host that serves the world waits before answering (NewServer
// does it itself).
func (w *World) TakeLatency(ctx context.Context) (time.Duration, error) {
	var owed struct {
		Ms int64 `json:"ms"`
	}
	err := w.admin(ctx, "TakeLatency", nil, &owed)
	return time.Duration(owed.Ms) * time.Millisecond, err
}

// ---- Calls ----

// Call is one KMS call the world answered, as its journal recorded it.
type Call struct {
	// Seq numbers the world's calls from 1, in the order they were answered.
	Seq int64 `json:"seq"`
	// Time is the world's time when the call came (its clock, manual or not).
	Time      time.Time `json:"time"`
	Operation string    `json:"operation"` // e.g. "Encrypt"
	Account   string    `json:"account"`
	Region    string    `json:"region"`
	Principal string    `json:"principal"`
	// RequestID is the host's ID of the call (the x-amzn-RequestId NewServer answered), when it has one.
	RequestID string `json:"requestId"`
	// Input is the request's JSON (AWS JSON 1.1: blobs as base64).
	Input json.RawMessage `json:"input"`
	// Output is the answer's JSON; nil when the call failed.
	Output json.RawMessage `json:"output"`
	// Error is the call's exception; nil when it succeeded.
	Error *CallError `json:"error"`
}

// CallFilter narrows World.Calls; empty members match every call.
type CallFilter struct {
	Operation string `json:"operation,omitempty"`
	// KeyID matches the calls whose KeyId named this key, in any of its forms.
	KeyID   string `json:"keyId,omitempty"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
}

// Calls answers the KMS calls the world answered, oldest first, that match the filter. Administration
// calls are not recorded. The journal keeps the last 10,000 calls (and at most 4 MiB of them).
func (w *World) Calls(ctx context.Context, filter CallFilter) ([]Call, error) {
	var answer struct {
		Calls []Call `json:"calls"`
	}
	if err := w.admin(ctx, "Calls", filter, &answer); err != nil {
		return nil, err
	}
	return answer.Calls, nil
}

// ClearCalls empties the journal.
func (w *World) ClearCalls(ctx context.Context) error {
	return w.admin(ctx, "ClearCalls", nil, nil)
}

// ---- Snapshots and fixtures ----

// Snapshot answers the world's state (keys with their material, aliases, grants, policies, tags,
// custom key stores) as JSON, for Restore in this world or another. The clock, faults and journal are
// not part of it.
func (w *World) Snapshot(ctx context.Context) ([]byte, error) {
	status, resp, err := w.Call(ctx, Caller{}, "WasmKMS.ExportState", nil)
	if err != nil {
		return nil, err
	}
	if err := decodeAdmin("ExportState", status, resp, nil); err != nil {
		return nil, err
	}
	return resp, nil
}

// Restore replaces the world's state with a snapshot's (World.Snapshot; the endpoint's state files
// are snapshots too).
func (w *World) Restore(ctx context.Context, snapshot []byte) error {
	return w.admin(ctx, "ImportState", snapshot, nil)
}

// LoadFixtures adds the keys (and what the format holds besides) of fixtures to the world: the JSON
// body of WasmKMS.LoadFixtures, {"keys": [...]}.
func (w *World) LoadFixtures(ctx context.Context, fixtures json.RawMessage) error {
	return w.admin(ctx, "LoadFixtures", fixtures, nil)
}
