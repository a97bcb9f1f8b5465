package kms

import "github.com/wasmkms/wasmkms/internal/abi"

// A host that keeps a world's state log in memory (the JS host's recovery after a trap: js/core/world.mjs)
// must take every change before the world's next call, yet must not pay a take after every call: an
// Encrypt changes nothing a take must write at once. StateFlags says, after a call, whether there is
// anything to take; the module keeps it where the host reads it with one load (wasm/ABI.md, "State
// flags").
const (
	// StateChanged: the world holds changes a take writes at once (statelog.go's sync: keys, grants,
	// aliases, custom key stores, supplied RSA keys, RSA pool draws), or it was replaced whole.
	StateChanged uint32 = abi.StateChanged
	// StateUsageWaiting: last uses of keys, or a seeded world's draw position, wait for a take that
	// writes them (one with usage, or with a change): a host takes them lazily.
	StateUsageWaiting uint32 = abi.StateUsageWaiting
	// StateRecordTaken: AfterCall took the call's changes, and answered their record: the host keeps
	// it now (the notes are forgotten; no other take will write them).
	StateRecordTaken uint32 = abi.StateRecordTaken
	// StateLogOutgrown: the log's records since its writing whole replace or remove more than it holds
	// (logOutgrown): a host that keeps it in memory writes it whole.
	StateLogOutgrown uint32 = abi.StateLogOutgrown
)

// StateFlags answers what a StateLogTake would find now: 0 while the world keeps no log (no take,
// export or load began one), else StateChanged and StateUsageWaiting as they apply, and
// StateLogOutgrown.
func (w *World) StateFlags() uint32 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stateFlags()
}

func (w *World) stateFlags() uint32 {
	c := &w.changes
	if !c.on {
		return 0
	}
	var flags uint32
	if c.replaced || len(c.keys) > 0 || len(c.grants) > 0 || len(c.aliases) > 0 || len(c.stores) > 0 ||
		c.supplied || w.rsaPool != nil && w.rsaPool.Drawn() != c.poolDrawn {
		flags |= StateChanged
	}
	if len(c.used) > 0 {
		flags |= StateUsageWaiting
	} else if seeded, ok := w.rand.(*seededReader); ok && seeded.drawn != c.seeded {
		flags |= StateUsageWaiting
	}
	if c.logOutgrown() {
		flags |= StateLogOutgrown
	}
	return flags
}

// When a log is worth writing whole again. A host that keeps the log in memory wrote it whole once
// its records were three times the size of its writing whole; a world that only grows (CreateKey after
// CreateKey) then wrote every key whole again and again (each writing four times the last), which
// cost a growing world's CreateKeys more than their records, and gained nothing: records that only
// add are no larger than the world they add up to. What a writing whole saves is the entries the
// records replaced or removed: the log is outgrown once there are more of them than three times the
// entries the world holds (and more than logOutgrownMin, so that a small world is not written whole
// every few changes).
const (
	logOutgrownRatio = 3
	logOutgrownMin   = 2048
)

// logOutgrown says whether the log's records since its writing whole have replaced or removed enough
// of it to write it whole again.
func (c *stateChanges) logOutgrown() bool {
	return c.logReplaced > max(logOutgrownRatio*c.logHolds, logOutgrownMin)
}

// logCounts counts what the log held at its beginning: the world's keys, aliases and custom key
// stores (grants and last uses are not counted: they replace and are replaced).
func (w *World) logCounts() (holds int) {
	for _, r := range w.regions {
		holds += len(r.keys) + len(r.aliases) + len(r.stores)
	}
	return holds
}

// countRecord adds a record's entries to the log's counts: a new key is one more the log holds; a
// key written again, a key removed, and every grant, alias, custom key store and last use written
// or removed replace an entry before them.
func (c *stateChanges) countRecord(rec *stateRecord) {
	for i := range rec.Regions {
		rr := &rec.Regions[i]
		c.logHolds += len(rr.Keys) - len(rr.RemovedKeys)
		c.logReplaced += len(rr.KeyUpdates) + len(rr.RemovedKeys) + len(rr.GrantChanges) + len(rr.RemovedAliases) +
			len(rr.Aliases) + len(rr.RemovedCustomKeyStores) + len(rr.CustomKeyStores) + len(rr.LastUses)
	}
	if rec.SuppliedRSA != nil {
		c.logReplaced++
	}
}

// A take through a call of its own (StateLogTake after the call that changed something) cost the JS
// host a third of a CreateKey's time: a second crossing into the module, its JSON request and answer.
// A host that keeps the world's log in memory asks instead that each change be taken at the end of
// the call that made it (TakeEachCall), and finds the record where the state flags point (wasm/ABI.md,
// "State flags"); last uses and seeded draws still wait for a take of its own (usage).

// TakeEachCall says whether the world's host takes each change at the end of the call that made it
// (AfterCall). It holds until the log begins again (an export or a load of it), or a take through
// StateLogTake says otherwise: a host that takes by calls of its own (the endpoint's state file)
// never has its changes taken from under it.
func (w *World) TakeEachCall(on bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.changes.on {
		w.changes.eachCall = on
	}
}

// AfterCall answers the world's state flags after a call and, when its host takes each change then
// (TakeEachCall) and the call changed something, takes it: the record appended to dst, with
// StateRecordTaken among the flags. A world replaced whole is not taken (the host's take says so and
// it writes the world whole); nor is one whose take failed (the notes stay for the host's own take,
// which fails as the call's answer would have).
func (w *World) AfterCall(dst []byte) (flags uint32, record []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	flags = w.stateFlags()
	c := &w.changes
	if flags&StateChanged == 0 || !c.eachCall || c.replaced {
		return flags, dst
	}
	t, ok := w.appendChangesOrKeep(dst)
	if !ok {
		return flags, dst
	}
	return w.stateFlags() | StateRecordTaken, t.Record
}

// appendChangesOrKeep is appendChanges(dst, false), false if it panicked (a key the snapshot cannot
// export): the panic comes before the notes are forgotten.
func (w *World) appendChangesOrKeep(dst []byte) (t TakenChanges, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return w.appendChanges(dst, false), true
}
