package kms

import (
	"encoding/json"
	"time"
)

// The world's clock. Without Options.Clock it is real time (Options.Now, default time.Now); with it,
// a manual clock that starts at that instant and moves only when the host says so
// (WasmKMS.SetClock, WasmKMS.AdvanceClock), never backwards. Everything time-based reads w.now():
// creation dates, deletion at the end of the pending window, automatic rotation, last usage.

// manualClock is a clock that moves only when told.
type manualClock struct{ t time.Time }

func (c *manualClock) now() time.Time { return c.t }

// parseClockStart reads Options.Clock: an RFC 3339 instant.
func parseClockStart(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

// clockAnswer is what the clock targets answer: the world's time, and whether the clock is manual.
type clockAnswer struct {
	Now    string `json:"now"` // RFC 3339 with nanoseconds, UTC
	Manual bool   `json:"manual"`
}

func (w *World) clockAnswer() clockAnswer {
	return clockAnswer{Now: w.now().UTC().Format(time.RFC3339Nano), Manual: w.clock != nil}
}

// manual answers the world's manual clock, making one at the current time if the clock was real:
// a host that sets or advances a real clock stops it there.
func (w *World) manual() *manualClock {
	if w.clock == nil {
		w.clock = &manualClock{t: w.now()}
		w.now = w.clock.now
	}
	return w.clock
}

// getClock is WasmKMS.GetClock.
func getClock(w *World, _ caller, _ []byte) (any, *apiError) { return w.clockAnswer(), nil }

// setClock is WasmKMS.SetClock: {"time": "<RFC 3339>"}, at or after the clock's time.
func setClock(w *World, _ caller, body []byte) (any, *apiError) {
	var req struct {
		Time string `json:"time"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, errBadClock("the body must be {\"time\": \"<RFC 3339 time>\"}")
	}
	t, err := parseClockStart(req.Time)
	if err != nil {
		return nil, errBadClock("time " + req.Time + " is not an RFC 3339 time")
	}
	if t.Before(w.now()) {
		return nil, errBadClock("the clock only moves forwards: " + req.Time + " is before " + w.clockAnswer().Now)
	}
	w.manual().t = t
	return w.afterClockMoved(), nil
}

// advanceClock is WasmKMS.AdvanceClock: {"ms": n}, n >= 0.
func advanceClock(w *World, _ caller, body []byte) (any, *apiError) {
	var req struct {
		Ms *float64 `json:"ms"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Ms == nil {
		return nil, errBadClock("the body must be {\"ms\": <milliseconds>}")
	}
	if *req.Ms < 0 {
		return nil, errBadClock("the clock only moves forwards: ms must not be negative")
	}
	c := w.manual()
	c.t = c.t.Add(time.Duration(*req.Ms * float64(time.Millisecond)))
	return w.afterClockMoved(), nil
}

// afterClockMoved runs what the new time makes due (the same as at the start of every call), so
// that the world a host inspects next is already up to date, and answers the clock.
func (w *World) afterClockMoved() clockAnswer {
	w.expireDeletions()
	w.rotateDue()
	w.expireImportedMaterial()
	return w.clockAnswer()
}
