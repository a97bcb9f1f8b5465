package kms

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"strconv"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
	"github.com/wasmkms/wasmkms/internal/kmsabi"
)

// Faults make chosen calls fail, or slow, on purpose: for tests of retries and error paths, with the
// real service behind every other call. A fault is checked before its call runs, so it never changes
// the world. The host registers them (WasmKMS.AddFault, RemoveFault, ClearFaults) and, for latency,
// sleeps as long as WasmKMS.TakeLatency says after a call: the core cannot sleep for it.

// fault is one registered fault; empty matchers match anything.
type fault struct {
	ID          string   `json:"id"`
	Operation   string   `json:"operation,omitempty"`
	KeyID       string   `json:"keyId,omitempty"`
	Account     string   `json:"account,omitempty"`
	Region      string   `json:"region,omitempty"`
	Error       string   `json:"error,omitempty"`
	Message     *string  `json:"message,omitempty"`
	Times       int      `json:"times,omitempty"`       // calls left to fail; 0: every call
	Probability *float64 `json:"probability,omitempty"` // 0 < p <= 1; absent: 1
	LatencyMs   int      `json:"latencyMs,omitempty"`
}

// faultSet is a world's faults, in the order they were added (the first that matches a call acts).
type faultSet struct {
	list    []*fault
	next    int        // for fault IDs
	rand    *rand.Rand // draws for Probability: seeded from the world's seed, so seeded runs repeat
	latency int        // milliseconds owed by the calls since the last TakeLatency
}

// defaultFaultMessages are the texts a fault answers when it names none: AWS's for throttling
// ("Rate exceeded"), none otherwise.
var defaultFaultMessages = map[string]string{"ThrottlingException": "Rate exceeded"}

// match answers the fault that acts on this call, if any, and counts it. keyID answers the key the
// call names (resolved lazily: only faults with a keyId need it).
func (fs *faultSet) match(w *World, operation string, c caller, keyOf func() *key) *fault {
	for i, f := range fs.list {
		if f.Operation != "" && f.Operation != operation || f.Account != "" && f.Account != c.account ||
			f.Region != "" && f.Region != c.region {
			continue
		}
		if f.KeyID != "" {
			k := keyOf()
			if k == nil || !w.keyNamed(c, k, f.KeyID) {
				continue
			}
		}
		if f.Probability != nil && fs.rand.Float64() >= *f.Probability {
			continue
		}
		if f.Times > 0 {
			if f.Times--; f.Times == 0 {
				fs.list = append(fs.list[:i:i], fs.list[i+1:]...)
			}
		}
		fs.latency += f.LatencyMs
		return f
	}
	return nil
}

// keyNamed reports whether a fault's keyId (a key ID, key ARN, alias name or alias ARN) names key k.
func (w *World) keyNamed(c caller, k *key, keyID string) bool {
	if keyID == k.id || keyID == k.arn() {
		return true
	}
	named, err := w.existingKey(c, keyID, keyRef{aliases: true, crossAccount: true}) // a look that changes nothing
	return err == nil && named == k
}

// errorOf answers the fault's error, or nil for a fault that only adds latency.
func (f *fault) errorOf() *apiError {
	if f.Error == "" {
		return nil
	}
	msg := defaultFaultMessages[f.Error]
	if f.Message != nil {
		msg = *f.Message
	}
	return &apiError{name: f.Error, message: msg}
}

// addFault is WasmKMS.AddFault: the fault as JSON (without id); answers {"id": "..."}.
func addFault(w *World, _ caller, body []byte) (any, *apiError) {
	var f fault
	if err := json.Unmarshal(body, &f); err != nil {
		return nil, errBadFault("the body is not a fault: " + err.Error())
	}
	switch {
	case f.Error == "" && f.LatencyMs <= 0:
		return nil, errBadFault("a fault needs an error, a latencyMs, or both")
	case f.Error != "" && kmsabi.ErrorStatus(f.Error) == 0:
		return nil, errBadFault("error " + strconv.Quote(f.Error) + " is not an error name wasmkms answers")
	case f.Times < 0 || f.LatencyMs < 0:
		return nil, errBadFault("times and latencyMs must not be negative")
	case f.Probability != nil && (*f.Probability <= 0 || *f.Probability > 1):
		return nil, errBadFault("probability must be more than 0 and at most 1")
	case f.Operation != "" && operations[f.Operation] == nil:
		return nil, errBadFault("operation " + strconv.Quote(f.Operation) + " is not a KMS operation")
	}
	w.faults.next++
	f.ID = "fault-" + strconv.Itoa(w.faults.next)
	w.faults.list = append(w.faults.list, &f)
	return map[string]string{"id": f.ID}, nil
}

// removeFault is WasmKMS.RemoveFault: {"id": "..."}.
func removeFault(w *World, _ caller, body []byte) (any, *apiError) {
	var req struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, errBadFault("the body must be {\"id\": \"...\"}")
	}
	for i, f := range w.faults.list {
		if f.ID == req.ID {
			w.faults.list = append(w.faults.list[:i:i], w.faults.list[i+1:]...)
			return struct{}{}, nil
		}
	}
	return nil, errBadFault("no fault " + strconv.Quote(req.ID) + " (a fault with times is gone once used up)")
}

// clearFaults is WasmKMS.ClearFaults.
func clearFaults(w *World, _ caller, _ []byte) (any, *apiError) {
	w.faults.list = nil
	return struct{}{}, nil
}

// listFaults is WasmKMS.ListFaults: the faults still registered.
func listFaults(w *World, _ caller, _ []byte) (any, *apiError) {
	return map[string]any{"faults": append([]*fault{}, w.faults.list...)}, nil
}

// takeLatency is WasmKMS.TakeLatency: the milliseconds the host should wait for the calls since the
// last TakeLatency, which are then owed no more.
func takeLatency(w *World, _ caller, _ []byte) (any, *apiError) {
	ms := w.faults.latency
	w.faults.latency = 0
	return map[string]int{"ms": ms}, nil
}

// newFaultRand makes the draws for faults' Probability: from the seed in a seeded world (apart from
// the world's other randomness, so that faults never change what the calls answer), else random.
func newFaultRand(seed string) *rand.Rand {
	if seed == "" {
		return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	sum := sha256.Sum256([]byte("wasmkms faults\x00" + seed))
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
}

// keyIDInBody reads the key a JSON request names: KeyId, else the key of a symmetric CiphertextBlob.
// Only faults that name a key need it.
func keyIDInBody(body []byte) string {
	var req struct {
		KeyId          *string `json:"KeyId"`
		CiphertextBlob []byte  `json:"CiphertextBlob"`
	}
	if json.Unmarshal(body, &req) != nil {
		return ""
	}
	return keyIDOrBlobKey(req.KeyId, req.CiphertextBlob)
}

// keyIDOrBlobKey is keyID, else the key ID a symmetric blob names, else "".
func keyIDOrBlobKey(keyID *string, blob []byte) string {
	if keyID != nil {
		return *keyID
	}
	if id, _, err := kmscrypto.ParseSymmetricBlob(blob); err == nil {
		return id
	}
	return ""
}
