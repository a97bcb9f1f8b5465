package kms

import (
	"encoding/json"
	"time"
)

// The call journal: every KMS call the world answered, oldest first, for tests that assert on calls
// ("Encrypt was called with this context"). An entry keeps the request and the answer as they were,
// and becomes JSON only when a host asks (WasmKMS.Calls), so recording costs a few words per call.
// It keeps the last maxJournal calls, and at most maxJournalBytes of them (requests and answers, as
// estimated by entrySize): a world that serves millions of calls keeps a bounded journal, and its
// memory stays flat (testharness's memory test holds it to that). A world made with Options.Journal
// false keeps none, and spends nothing on it.

const (
	maxJournal      = 10_000
	maxJournalBytes = 2 << 20
)

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
	size      int // entrySize, for the journal's bound
}

// journal is a ring of entries: once it holds its bound, every call overwrites the oldest slot, so a
// world serving a long run of calls allocates nothing more for its journal and copies no entry.
type journal struct {
	ring  []journalEntry // the entries are ring[(head+i) % len(ring)] for i < n, oldest first
	head  int
	n     int
	bytes int // the sizes of the n entries
	seq   int64
}

// journalOn says whether the world keeps a journal (Options.Journal; fixed when the world is made,
// so it is read without the lock).
func (w *World) journalOn() bool { return w.opts.Journal == nil || *w.opts.Journal }

// record adds a call to the journal, if the world keeps one.
func (w *World) record(e journalEntry) {
	if w.journalOn() {
		w.journal.add(e)
	}
}

func (j *journal) add(e journalEntry) {
	j.seq++
	e.seq = j.seq
	e.size = entrySize(e.input) + entrySize(e.output)
	for j.n >= maxJournal || j.n > 0 && j.bytes+e.size > maxJournalBytes {
		j.dropOldest()
	}
	if j.n == len(j.ring) { // full below the bound: a larger ring, oldest first from slot 0
		ring := make([]journalEntry, min(max(2*len(j.ring), 64), maxJournal))
		j.copyInto(ring)
		j.ring, j.head = ring, 0
	}
	j.ring[(j.head+j.n)%len(j.ring)] = e
	j.n++
	j.bytes += e.size
}

func (j *journal) dropOldest() {
	j.bytes -= j.ring[j.head].size
	j.ring[j.head] = journalEntry{} // let its request and answer go
	j.head = (j.head + 1) % len(j.ring)
	j.n--
}

// copyInto copies the entries, oldest first, to the start of ring.
func (j *journal) copyInto(ring []journalEntry) {
	first := min(j.n, len(j.ring)-j.head)
	copy(ring, j.ring[j.head:j.head+first])
	copy(ring[first:], j.ring[:j.n-first])
}

func (j *journal) each(fn func(*journalEntry)) {
	for i := range j.n {
		fn(&j.ring[(j.head+i)%len(j.ring)])
	}
}

// entrySize estimates the memory a journaled request or answer holds: its bytes, plus an allowance
// for the entry and the strings around them.
func entrySize(v any) int {
	const overhead = 160
	switch x := v.(type) {
	case []byte:
		return overhead + len(x)
	case *typedRequest: // a typed call's: as the JSON body it stands for
		return overhead + x.size
	case encryptResponse:
		return overhead + len(x.CiphertextBlob)
	case decryptResponse:
		return overhead + len(x.Plaintext)
	case reEncryptResponse:
		return overhead + len(x.CiphertextBlob)
	case dataKeyResponse:
		return overhead + len(x.CiphertextBlob) + len(x.Plaintext)
	case dataKeyPairResponse:
		return overhead + len(x.PrivateKeyCiphertextBlob) + len(x.PrivateKeyPlaintext) + len(x.PublicKey)
	case listKeysResponse: // as the map it replaced was counted: the page is the region's cache's
		return overhead
	case keyMetadataAnswer: // as the map it was before it wrote its own JSON: no blobs
		return overhead
	case map[string]any:
		n := overhead
		for _, m := range x {
			if b, ok := m.([]byte); ok {
				n += len(b)
			}
		}
		return n
	}
	return 4 * overhead // an answer of another shape: a few hundred bytes at most, but for blobs
}

// callRecord is an entry as WasmKMS.Calls answers it.
type callRecord struct {
	Seq       int64           `json:"seq"`
	Time      string          `json:"time"` // RFC 3339, UTC
	Operation string          `json:"operation"`
	Account   string          `json:"account"`
	Region    string          `json:"region"`
	Partition string          `json:"partition"` // the Region's (partitions.go), for the host's CloudTrail ARNs
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
	if !w.journalOn() {
		return nil, errNoJournal()
	}
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
			Region: e.caller.region, Partition: partitionOf(e.caller.region), Principal: e.caller.principal, RequestID: e.requestID, Input: input}
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

// asJSON encodes a journal value: request bodies are JSON already, but for those the call refused as
// not JSON (or nested past what encoding/json reads), which are kept as their text: one such request
// must not make the whole journal unreadable.
func asJSON(v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case nil:
		return json.RawMessage("{}"), nil
	case []byte:
		if len(x) == 0 {
			return json.RawMessage("{}"), nil
		}
		if !json.Valid(x) {
			return json.Marshal(string(x))
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
