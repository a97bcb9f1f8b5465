package kms

import (
	"encoding/json"
	"time"
)

// The call journal: every KMS call the world answered, oldest first, for tests that assert on calls
// ("Encrypt was called with this context"). An entry keeps the request and the answer as they were,
// and becomes JSON only when a host asks (WasmKMS.Calls), so recording costs a few words per call.
// It keeps the last maxJournal calls.

const maxJournal = 100_000

// journalEntry is one call. input is the request body ([]byte) or the typed request of a direct call;
// output the answer (any value json.Marshal encodes); err the error instead.
type journalEntry struct {
	seq       int64
	at        time.Time
	operation string
	caller    caller
	requestID string
	input     any
	output    any
	err       *apiError
}

type journal struct {
	entries []journalEntry // a ring once full: start is the oldest
	start   int
	seq     int64
}

func (j *journal) add(e journalEntry) {
	j.seq++
	e.seq = j.seq
	if len(j.entries) < maxJournal {
		j.entries = append(j.entries, e)
		return
	}
	j.entries[j.start] = e
	j.start = (j.start + 1) % maxJournal
}

func (j *journal) each(fn func(*journalEntry)) {
	for i := range j.entries {
		fn(&j.entries[(j.start+i)%len(j.entries)])
	}
}

// callRecord is an entry as WasmKMS.Calls answers it.
type callRecord struct {
	Seq       int64           `json:"seq"`
	Time      string          `json:"time"` // RFC 3339, UTC
	Operation string          `json:"operation"`
	Account   string          `json:"account"`
	Region    string          `json:"region"`
	Principal string          `json:"principal"`
	RequestID string          `json:"requestId,omitempty"`
	Input     json.RawMessage `json:"input"`
	Output    json.RawMessage `json:"output,omitempty"`
	Error     *callError      `json:"error,omitempty"`
}

type callError struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// callsFilter narrows WasmKMS.Calls; empty members match anything. KeyId matches the key a call's
// KeyId named, in any of its forms.
type callsFilter struct {
	Operation string `json:"operation"`
	KeyID     string `json:"keyId"`
	Account   string `json:"account"`
	Region    string `json:"region"`
}

// calls is WasmKMS.Calls: {"calls": [...]}, oldest first, optionally filtered.
func calls(w *World, _ caller, body []byte) (any, *apiError) {
	var f callsFilter
	if len(body) > 0 {
		if err := json.Unmarshal(body, &f); err != nil {
			return nil, errBadJournalFilter(err.Error())
		}
	}
	out := []callRecord{}
	var failure *apiError
	w.journal.each(func(e *journalEntry) {
		if failure != nil || f.Operation != "" && f.Operation != e.operation || f.Account != "" && f.Account != e.caller.account ||
			f.Region != "" && f.Region != e.caller.region {
			return
		}
		input, err := asJSON(e.input)
		if err != nil {
			failure = errInternal("journal: " + err.Error())
			return
		}
		if f.KeyID != "" && !w.callNamesKey(e, input, f.KeyID) {
			return
		}
		r := callRecord{Seq: e.seq, Time: e.at.UTC().Format(time.RFC3339Nano), Operation: e.operation, Account: e.caller.account,
			Region: e.caller.region, Principal: e.caller.principal, RequestID: e.requestID, Input: input}
		if e.err != nil {
			r.Error = &callError{Name: e.err.name, Message: e.err.message}
		} else if r.Output, err = asJSON(e.output); err != nil {
			failure = errInternal("journal: " + err.Error())
			return
		}
		out = append(out, r)
	})
	if failure != nil {
		return nil, failure
	}
	return map[string]any{"calls": out}, nil
}

// clearCalls is WasmKMS.ClearCalls.
func clearCalls(w *World, _ caller, _ []byte) (any, *apiError) {
	w.journal = journal{seq: w.journal.seq}
	return struct{}{}, nil
}

// asJSON encodes a journal value: request bodies are JSON already.
func asJSON(v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case nil:
		return json.RawMessage("{}"), nil
	case []byte:
		if len(x) == 0 {
			return json.RawMessage("{}"), nil
		}
		return json.RawMessage(x), nil
	case jsonAppender:
		return x.appendJSON(nil), nil
	}
	return json.Marshal(v)
}

// callNamesKey reports whether a journal entry's request named the key keyID names (KeyId, or a
// symmetric CiphertextBlob's key for Decrypt and ReEncrypt).
func (w *World) callNamesKey(e *journalEntry, input json.RawMessage, keyID string) bool {
	var named struct {
		KeyId *string `json:"KeyId"`
	}
	if json.Unmarshal(input, &named) != nil || named.KeyId == nil {
		return false
	}
	if *named.KeyId == keyID {
		return true
	}
	a, errA := w.lookupKey(e.caller, *named.KeyId, keyRef{aliases: true, crossAccount: true})
	b, errB := w.lookupKey(e.caller, keyID, keyRef{aliases: true, crossAccount: true})
	return errA == nil && errB == nil && a == b
}
