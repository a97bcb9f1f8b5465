package kms_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/wasmkms/wasmkms/internal/conformance"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// TestStateLogConformance runs every shared scenario (testdata/conformance) with a state log kept
// beside the world, and after each call checks that the log, loaded into a new world, is the world:
// the same snapshot. It is what proves that every change of every operation the scenarios make
// reaches the log (the core notes changes where they happen: statelog.go).
func TestStateLogConformance(t *testing.T) {
	conformance.RunDir(t, "../../testdata/conformance", func() conformance.CallFunc {
		w := kms.NewWorld(kms.Options{})
		var log bytes.Buffer
		if err := w.WriteStateLog(&log); err != nil {
			t.Fatal(err)
		}
		return func(c kms.Caller, target string, body []byte) (int, []byte) {
			status, resp := w.Handle(c, target, body)
			taken := w.TakeChanges(true)
			if taken.Replaced { // ImportState: the log begins again from the whole world
				log.Reset()
				if err := w.WriteStateLog(&log); err != nil {
					panic(err)
				}
			}
			log.Write(taken.Record)
			requireLogIsWorld(w, log.Bytes(), target, body)
			return status, resp
		}
	})
}

// requireLogIsWorld loads log into a new world (on w's clock) and compares the two snapshots. It
// panics to fail: the scenario runner reports a panic of the call as the step's failure.
func requireLogIsWorld(w *kms.World, log []byte, target string, body []byte) {
	_, clock := w.Handle(kms.Caller{}, "WasmKMS.GetClock", nil)
	var now struct {
		Now    string `json:"now"`
		Manual bool   `json:"manual"`
	}
	if err := json.Unmarshal(clock, &now); err != nil {
		panic(err)
	}
	opts := kms.Options{}
	if now.Manual {
		opts.Clock = now.Now
	}
	replayed := kms.NewWorld(opts)
	load, err := replayed.ReadStateLog(bytes.NewReader(log))
	if err != nil {
		panic(fmt.Sprintf("after %s %s: the log does not load: %v", target, body, err))
	}
	if load.TornBytes != 0 {
		panic(fmt.Sprintf("after %s %s: the log has a torn tail: %+v", target, body, load))
	}
	_, want := w.Handle(kms.Caller{}, "WasmKMS.ExportState", nil)
	_, got := replayed.Handle(kms.Caller{}, "WasmKMS.ExportState", nil)
	if !bytes.Equal(want, got) {
		panic(fmt.Sprintf("after %s %s: the log loads as another world\n world: %s\n   log: %s", target, body, want, got))
	}
}
