package kms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
)

// Reading a state log (or a snapshot document, the endpoint's state file before the log: it loads as
// it always did) into a world. The host streams the file in (StateLogLoader is an io.Writer: pieces of
// any size, cut anywhere); records are applied as their lines complete, so loading never needs the
// file in one buffer. A process killed while appending leaves at most a torn tail (lines that are
// incomplete or fail their checksum, with no whole record after them): it is dropped, and the load
// says how many bytes from where, for the host to cut the file there before it appends. A bad line
// that a good one follows is corruption, and the load fails.

// StateLogLoad is what a load found.
type StateLogLoad struct {
	Records int `json:"records"` // records applied (the header and a snapshot document count one)
	// Bytes is where the last good record ends: the file's length once a torn tail is cut.
	Bytes int64 `json:"bytes"`
	// TornBytes were dropped after Bytes (a torn tail), TornReason says why.
	TornBytes  int64  `json:"tornBytes,omitempty"`
	TornReason string `json:"torn,omitempty"`
	// Snapshot: the file was a snapshot document, not a log (the host writes it again as a log).
	Snapshot bool `json:"snapshot,omitempty"`
}

// StateLogLoader applies a state log to a world: Write the file's bytes, then Close, which checks the
// whole and replaces the world's state with it (or leaves the world as it was and answers why not).
type StateLogLoader struct {
	w        *World
	b        *stateBuilder
	strs     *stateStrings
	partial  []byte // a line begun in an earlier Write
	offset   int64  // bytes of the whole lines read so far
	load     StateLogLoad
	started  bool // a byte other than white space was read
	header   bool
	document []byte // a snapshot document: all of it
	torn     int64  // where the first bad line began, -1 while none
	tornWhy  string
	err      error
	gcDone   func() // puts the collector's settings back (loadGC); nil once done
}

// NewStateLogLoader begins a load into w.
func (w *World) NewStateLogLoader() *StateLogLoader {
	return &StateLogLoader{w: w, b: newStateBuilder(stateVersion), strs: &stateStrings{}, torn: -1, gcDone: loadGC()}
}

// release ends the load's collector settings (at its end, or when it is given up).
func (l *StateLogLoader) release() {
	if l.gcDone != nil {
		l.gcDone()
		l.gcDone = nil
	}
}

// Write applies the records whose lines p completes.
func (l *StateLogLoader) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n := len(p)
	if !l.started {
		trimmed := bytes.TrimLeft(p, " \t\r\n")
		if len(trimmed) == 0 {
			l.offset += int64(n)
			return n, nil
		}
		l.started = true
		if trimmed[0] == '{' {
			l.document = []byte{}
		}
	}
	if l.document != nil {
		l.document = append(l.document, p...)
		return n, nil
	}
	for len(p) > 0 {
		end := bytes.IndexByte(p, '\n')
		if end < 0 {
			l.partial = append(l.partial, p...)
			break
		}
		line := p[:end]
		if len(l.partial) > 0 {
			l.partial = append(l.partial, line...)
			line = l.partial
		}
		l.line(line)
		l.offset += int64(len(line)) + 1
		l.partial = l.partial[:0]
		p = p[end+1:]
		if l.err != nil {
			return n, l.err
		}
	}
	return n, nil
}

// line takes one whole line (without its line feed), which begins at l.offset.
func (l *StateLogLoader) line(line []byte) {
	body, err := recordJSON(line)
	if err != nil {
		if l.torn < 0 {
			l.torn, l.tornWhy = l.offset, "a record "+err.Error()
		}
		return
	}
	if l.torn >= 0 {
		l.err = fmt.Errorf("the record at byte %d is damaged (%s), and whole records follow it", l.torn, l.tornWhy)
		return
	}
	if !l.header {
		var h stateLogHeader
		if err := decodeStateRecord(body, &h, l.strs, nil, nil); err != nil || h.Format != stateLogFormat {
			l.err = fmt.Errorf("its first line is not a state log's header")
			return
		}
		if h.Version != stateLogVersion {
			l.err = fmt.Errorf("state log version %d is not %d", h.Version, stateLogVersion)
			return
		}
		l.header = true
	} else {
		var rec stateRecord
		if err := decodeStateRecord(body, &rec, l.strs, l.b.streamKey, &l.b.arena); err != nil {
			l.err = fmt.Errorf("the record at byte %d is not a state record: %v", l.offset, err)
			return
		}
		if err := l.b.addRecord(&rec); err != nil {
			l.err = fmt.Errorf("the record at byte %d: %v", l.offset, err)
			return
		}
	}
	l.load.Records++
	l.load.Bytes = l.offset + int64(len(line)) + 1
}

// Close checks what was read and, when all is well, replaces the world's state with it; the world
// then notes its changes for the log from this state on.
func (l *StateLogLoader) Close() (StateLogLoad, error) {
	l.w.mu.Lock()
	defer l.w.mu.Unlock()
	return l.finish()
}

// finish is Close with the world's lock held.
func (l *StateLogLoader) finish() (StateLogLoad, error) {
	defer l.release()
	if l.err != nil {
		return l.load, l.err
	}
	l.err = errors.New("the load is over")
	if l.document != nil {
		return l.closeDocument()
	}
	end := l.offset + int64(len(l.partial))
	if len(l.partial) > 0 && l.torn < 0 {
		l.torn, l.tornWhy = l.offset, "the last record is incomplete"
	}
	if !l.header {
		if !l.started {
			return l.load, errors.New("it is empty")
		}
		return l.load, errors.New("it is neither a state log nor a snapshot document")
	}
	if l.torn >= 0 {
		l.load.TornBytes, l.load.TornReason = end-l.load.Bytes, l.tornWhy
	}
	if err := l.b.install(l.w); err != nil {
		return l.load, errors.New(err.message)
	}
	l.w.startChanges()
	return l.load, nil
}

// closeDocument loads a snapshot document as ImportState does.
func (l *StateLogLoader) closeDocument() (StateLogLoad, error) {
	if _, err := importState(l.w, caller{}, l.document); err != nil {
		return l.load, errors.New(err.message)
	}
	l.w.startChanges()
	return StateLogLoad{Records: 1, Bytes: l.offset + int64(len(l.document)), Snapshot: true}, nil
}

// ReadStateLog loads a state log (or a snapshot document) from in into w (the Go host's way: the
// JS endpoint streams the file through WasmKMS.StateLogLoad).
func (w *World) ReadStateLog(in io.Reader) (StateLogLoad, error) {
	l := w.NewStateLogLoader()
	if _, err := io.Copy(l, in); err != nil {
		return l.load, err
	}
	return l.Close()
}

// ---- The admin targets (wasm/ABI.md) ----

// rawAnswer is an answer written as it is: a header line of JSON, then records.
type rawAnswer []byte

func (r rawAnswer) appendJSON(dst []byte) []byte { return append(dst, r...) }

func headed(header any, rest []byte) rawAnswer {
	b, _ := json.Marshal(header)
	out := make([]byte, 0, len(b)+1+len(rest)) // one copy of an export's piece of a megabyte, not a growing one
	return rawAnswer(append(append(append(out, b...), '\n'), rest...))
}

// stateLogTake: WasmKMS.StateLogTake, body {"usage": bool, "eachCall": bool} (or empty). eachCall
// says whether later changes are taken at the end of the call that made them (World.TakeEachCall);
// a take without it takes them by takes of its own.
func stateLogTake(w *World, _ caller, body []byte) (any, *apiError) {
	var req struct {
		Usage    bool `json:"usage"`
		EachCall bool `json:"eachCall"`
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, errValidation("StateLogTake takes {\"usage\": true|false, \"eachCall\": true|false}: " + err.Error())
		}
	}
	t := w.takeChanges(req.Usage)
	w.changes.eachCall = req.EachCall
	return headed(struct {
		Sync     bool `json:"sync"`
		Waiting  bool `json:"waiting"`
		Replaced bool `json:"replaced"`
	}{t.Sync, t.Waiting, t.Replaced}, t.Record), nil
}

// stateLogExport: WasmKMS.StateLogExport, body {"first": bool, "budget": bytes}.
func stateLogExport(w *World, _ caller, body []byte) (any, *apiError) {
	var req struct {
		First  bool `json:"first"`
		Budget int  `json:"budget"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, errValidation("StateLogExport takes {\"first\": true|false, \"budget\": bytes}: " + err.Error())
	}
	piece, done, err := w.exportStateLog(req.First, max(req.Budget, 1))
	if err != nil {
		return nil, errInternal(err.Error())
	}
	return headed(struct {
		Done bool `json:"done"`
	}{done}, piece), nil
}

// stateLogLoadBegin, stateLogLoad and stateLogLoadEnd: WasmKMS.StateLogLoadBegin, then
// WasmKMS.StateLogLoad with each piece of the file, then WasmKMS.StateLogLoadEnd, which answers the
// load (StateLogLoad) or ValidationException "Invalid state: <why>".
func stateLogLoadBegin(w *World, _ caller, _ []byte) (any, *apiError) {
	if w.loading != nil {
		w.loading.release() // a load given up
	}
	w.loading = w.NewStateLogLoader()
	return struct{}{}, nil
}

// loadGC stops the collector while a log loads, but for a memory limit (so that garbage never takes
// the memory the world needs): what a load allocates is the world it builds (statelog_arena.go), which
// stays, and a cycle during the load only marks it, with the load's allocations assisting (a quarter
// of a 100,000-key load's time in the module at GOGC 400; collecting at every doubling had cost a
// sixth before that). The cycle after the load, once the settings are back, marks the world once.
// done puts the settings back.
func loadGC() (done func()) {
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(loadMemoryLimit)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

// loadMemoryLimit: where the collector runs whatever GOGC says, during a load (below the 4 GiB a
// module's memory can grow to).
const loadMemoryLimit = 3 << 30

func stateLogLoad(w *World, _ caller, body []byte) (any, *apiError) {
	if w.loading == nil {
		return nil, errValidation("no state log load under way (WasmKMS.StateLogLoadBegin begins one)")
	}
	if _, err := w.loading.Write(body); err != nil {
		w.loading.release()
		w.loading = nil
		return nil, errBadState(err.Error())
	}
	return struct{}{}, nil
}

func stateLogLoadEnd(w *World, _ caller, _ []byte) (any, *apiError) {
	l := w.loading
	if l == nil {
		return nil, errValidation("no state log load under way (WasmKMS.StateLogLoadBegin begins one)")
	}
	w.loading = nil
	load, err := l.finish()
	if err != nil {
		return nil, errBadState(err.Error())
	}
	return load, nil
}
