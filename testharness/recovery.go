package testharness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// Recovery after a trap, as the JS host does it (js/core/world.mjs, state-copy.mjs): a world keeps a
// copy of its state outside the instance, the core's state log (internal/kms/statelog*.go): the world
// written whole (WasmKMS.StateLogExport), then the record of each change, which the module takes at
// the end of the call that made it and leaves in linear memory where its state area says (ABI.md,
// "State flags": the host asks for this with each WasmKMS.StateLogTake's eachCall; it reads the flags
// after every call, a word of linear memory, and copies the record out when they say one was taken).
// A world replaced whole is taken by a WasmKMS.StateLogTake, which says so. Last uses of keys and a
// seeded world's draws are taken with the next change, or after usageTakeCalls calls: that is what a
// trap can lose. When the instance traps, the call that trapped answers ErrDeadInstance; the next call
// of each world of the dead instance loads its copy into a fresh one (Harness.revive) and answers.

const (
	stateLogTargets = "WasmKMS.StateLog" // a host that calls these keeps the log itself
	usageTakeCalls  = 1024
	exportPiece     = 1 << 20
	// The copy is written whole when the module says its log is outgrown (abi.StateLogOutgrown), or
	// once its records are compactBackstop times the whole (and compactMin bytes), whatever the
	// module says (a module without the flag): a world that only grows is not written whole again and
	// again (js/core/state-copy.mjs does the same).
	compactBackstop = 16
	compactMin      = 64 << 20 // a growing world: some 150,000 keys
)

var (
	take      = []byte(`{"eachCall":true}`)
	takeUsage = []byte(`{"usage":true,"eachCall":true}`)
)

// recovery is one world's copy of its state, and what it needs to come back.
type recovery struct {
	whole      [][]byte // the world written whole: the export's pieces
	wholeLen   int
	records    [][]byte // the records taken since
	recordsLen int
	usageCalls int    // calls since last uses began to wait
	manualNow  string // the manual clock's last instant (SetClock, AdvanceClock), for a rebuild
}

// newRecovery writes the world whole: its copy begins there. Callers hold w.h.mu.
func newRecovery(ctx context.Context, w *World) (*recovery, error) {
	r := &recovery{}
	return r, r.writeWhole(ctx, w)
}

// ready makes the world's instance one that serves it: after a trap, a world that keeps a copy is
// rebuilt on a fresh instance; one that keeps none is lost. Callers hold w.h.mu.
func (w *World) ready(ctx context.Context) error {
	h := w.h
	if h.deadWith == nil && w.generation == h.generation {
		return nil
	}
	if w.recovery == nil {
		if h.deadWith != nil {
			return fmt.Errorf("%w: %w", ErrDeadInstance, h.deadWith)
		}
		return fmt.Errorf("%w: this world was lost when its instance died (%w); it kept no copy of its state (WorldOptions.NoRecovery)", ErrDeadInstance, h.lostWith)
	}
	if err := h.revive(ctx); err != nil {
		return err
	}
	handle, err := h.newWorld(ctx, w.config)
	if err != nil {
		return err
	}
	w.handle = handle
	if err := w.recovery.load(ctx, w); err != nil {
		w.dropLocked(ctx) // not rebuilt: the next call tries again
		return fmt.Errorf("testharness: the world could not be rebuilt after its instance died (%w): %w", h.lostWith, err)
	}
	w.generation = h.generation
	return nil
}

// failure is the error of a call that failed: when the instance died under it and the world keeps a
// copy, the rebuild to come is said (still ErrDeadInstance).
func (w *World) failure(err error) error {
	if w.recovery == nil || w.h.deadWith == nil {
		return err
	}
	return fmt.Errorf("%w; this call failed and what it did is undone: the world is rebuilt on a fresh instance at its next call, as the calls answered before left it", err)
}

// afterCall takes the world's changes into the copy when the state flags say there are some, and
// keeps the manual clock's instant. Callers hold w.h.mu.
func (r *recovery) afterCall(ctx context.Context, w *World, target string, status int, resp []byte) error {
	if status == 200 && (target == "WasmKMS.SetClock" || target == "WasmKMS.AdvanceClock") {
		var clock struct {
			Now string `json:"now"`
		}
		if json.Unmarshal(resp, &clock) == nil {
			r.manualNow = clock.Now
		}
	}
	return r.keepChanges(ctx, w)
}

// keepChanges keeps what the state flags say the last call changed: the record the module took at its
// end, or a take's. Callers hold w.h.mu.
func (r *recovery) keepChanges(ctx context.Context, w *World) error {
	flags, ok := w.h.memory.ReadUint32Le(w.h.flagsAt)
	if !ok {
		return fmt.Errorf("testharness: the state flags at %#x are outside memory", w.h.flagsAt)
	}
	if flags&abi.StateRecordTaken != 0 {
		at, okAt := w.h.memory.ReadUint32Le(w.h.flagsAt + abi.StateRecordAt)
		length, okLength := w.h.memory.ReadUint32Le(w.h.flagsAt + abi.StateRecordLength)
		record, okRecord := w.h.memory.Read(at, length)
		if !okAt || !okLength || !okRecord {
			return fmt.Errorf("testharness: the record the state area points to (%#x, %d bytes) is outside memory", at, length)
		}
		r.usageCalls = 0
		if err := r.keep(ctx, w, bytes.Clone(record)); err != nil { // the next call uses its memory again
			return err
		}
		flags &^= abi.StateRecordTaken // the rest is what the take left
	}
	if flags&abi.StateLogOutgrown != 0 {
		r.usageCalls = 0
		return r.writeWhole(ctx, w) // the world as it is now: its changes and last uses with it
	}
	if flags == 0 {
		return nil
	}
	changed := flags&abi.StateChanged != 0
	if !changed {
		if r.usageCalls++; r.usageCalls < usageTakeCalls {
			return nil
		}
	}
	r.usageCalls = 0
	return r.take(ctx, w, !changed)
}

// take appends the world's changes since the last take; a world replaced whole is written whole.
func (r *recovery) take(ctx context.Context, w *World, usage bool) error {
	body := take
	if usage {
		body = takeUsage
	}
	var taken struct {
		Replaced bool `json:"replaced"`
	}
	record, err := adminHeaded(ctx, w, "StateLogTake", body, &taken)
	if err != nil {
		return err
	}
	if taken.Replaced {
		return r.writeWhole(ctx, w)
	}
	if len(record) == 0 {
		return nil
	}
	return r.keep(ctx, w, record)
}

// keep appends one record taken; the world is written whole instead once its records are past the
// backstop.
func (r *recovery) keep(ctx context.Context, w *World, record []byte) error {
	r.records = append(r.records, record)
	r.recordsLen += len(record)
	if r.recordsLen > max(compactBackstop*r.wholeLen, compactMin) {
		return r.writeWhole(ctx, w)
	}
	return nil
}

// writeWhole writes the world whole, in pieces of one export, and begins the copy there.
func (r *recovery) writeWhole(ctx context.Context, w *World) error {
	var pieces [][]byte
	length := 0
	for first := true; ; first = false {
		req, _ := json.Marshal(map[string]any{"first": first, "budget": exportPiece})
		var exported struct {
			Done bool `json:"done"`
		}
		piece, err := adminHeaded(ctx, w, "StateLogExport", req, &exported)
		if err != nil {
			return err
		}
		pieces = append(pieces, piece)
		length += len(piece)
		if exported.Done {
			break
		}
	}
	r.whole, r.wholeLen, r.records, r.recordsLen = pieces, length, nil, 0
	_, err := w.adminRaw(ctx, "StateLogTake", take) // takes nothing (the export began the log): asks for each call's
	return err
}

// adminHeaded calls an administration target whose answer is a line of JSON, read into header, then
// the bytes it answers after it (a record, a piece of an export).
func adminHeaded(ctx context.Context, w *World, target string, body []byte, header any) ([]byte, error) {
	answer, err := w.adminRaw(ctx, target, body)
	if err != nil {
		return nil, err
	}
	line, rest, _ := bytes.Cut(answer, []byte("\n"))
	if err := json.Unmarshal(line, header); err != nil {
		return nil, fmt.Errorf("testharness: WasmKMS.%s answered %q: %w", target, line, err)
	}
	return rest, nil
}

// load puts the copy into the world just made, and its manual clock back where it was.
func (r *recovery) load(ctx context.Context, w *World) error {
	if _, err := w.adminRaw(ctx, "StateLogLoadBegin", nil); err != nil {
		return err
	}
	for _, piece := range append(append([][]byte{}, r.whole...), r.records...) {
		if _, err := w.adminRaw(ctx, "StateLogLoad", piece); err != nil {
			return err
		}
	}
	if _, err := w.adminRaw(ctx, "StateLogLoadEnd", nil); err != nil {
		return err
	}
	if _, err := w.adminRaw(ctx, "StateLogTake", take); err != nil { // as after writeWhole
		return err
	}
	r.usageCalls = 0
	if r.manualNow == "" {
		return nil
	}
	req, _ := json.Marshal(map[string]string{"time": r.manualNow})
	if _, err := w.adminRaw(ctx, "SetClock", req); err != nil {
		return err
	}
	// Due deletions and rotations the clock brought: kept like any change.
	return r.keepChanges(ctx, w)
}

// adminRaw is one administration call straight to the world's instance: the answer, or the refusal
// as an error. Callers hold w.h.mu.
func (w *World) adminRaw(ctx context.Context, target string, body []byte) ([]byte, error) {
	status, resp, err := w.rawCall(ctx, Caller{}, "WasmKMS."+target, body)
	if err != nil {
		return nil, err
	}
	if err := decodeAdmin(target, status, resp, nil); err != nil {
		return nil, err
	}
	return resp, nil
}
