package kms

import (
	"errors"
	"io"
	"sort"
	"strconv"
)

// Writing a whole world as a state log (compaction, and a log's first writing): its header, then
// records of at most exportKeysPerRecord keys, of at most exportAliasesPerRecord aliases (the first
// with the region's custom key stores), and last a record of the world's own members. A host asks for
// it piece by piece (ExportStateLog), so that no answer needs the whole world in one buffer; the
// world must not change between the pieces of one export (the host holds its calls meanwhile, and an
// export that finds a change refuses to go on).

const (
	exportKeysPerRecord    = 256
	exportAliasesPerRecord = 1024
)

type stateExport struct {
	regions []regionID
	region  int
	keys    int      // keys of the region written
	aliases []string // the region's alias names, sorted, once its keys are written
	alias   int      // aliases of the region written; -1 before the first alias record
	done    bool
	// keys' room for a record's keys, used again by the next record (each is written before the next
	// is made): 256 keys are some 80 KB, which a piece of a megabyte made a dozen times.
	keyRoom []keyState
}

// errExportChanged: the world changed while an export was being written.
var errExportChanged = errors.New("the world changed while it was being written as a state log")

// ExportStateLog answers the next piece of the world as a state log, about budget bytes of whole
// records (at least one), and whether it is the last. first begins an export (with the log's header)
// and the log again: the changes noted from then on are those after this export.
func (w *World) ExportStateLog(first bool, budget int) ([]byte, bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.exportStateLog(first, budget)
}

func (w *World) exportStateLog(first bool, budget int) ([]byte, bool, error) {
	// Room for the piece at once (the budget and the record that crosses it, or the whole world when
	// it is smaller): grown append by append from nothing, a 1 MiB piece was copied some twenty times,
	// and its allocations were a quarter of a writing in the module.
	keys := 0
	for _, r := range w.regions {
		keys += len(r.keyOrder)
	}
	out := make([]byte, 0, min(budget+budget/4, 4<<20, 4096+512*keys))
	if first {
		ids := make([]regionID, 0, len(w.regions))
		for id := range w.regions {
			ids = append(ids, id)
		}
		sortRegionIDs(ids)
		w.exporting = &stateExport{regions: ids, alias: -1}
		w.startChanges()
		out = appendRecordLine(out, func(dst []byte) []byte {
			return appendStateJSON(dst, &stateLogHeader{Format: stateLogFormat, Version: stateLogVersion})
		})
	}
	e := w.exporting
	if e == nil || e.done {
		return nil, true, errors.New("no state log export under way")
	}
	if c := &w.changes; !first && (len(c.keys) > 0 || len(c.grants) > 0 || len(c.aliases) > 0 || len(c.stores) > 0 ||
		c.supplied || c.replaced || w.rsaPool != nil && w.rsaPool.Drawn() != c.poolDrawn) {
		w.exporting = nil
		return nil, true, errExportChanged
	}
	for len(out) < budget || len(out) == 0 {
		rec, more, err := w.nextExportRecord(e)
		if err != nil {
			w.exporting = nil
			return nil, true, err
		}
		if rec != nil {
			out = appendRecordLine(out, func(dst []byte) []byte { return appendStateJSON(dst, rec) })
		}
		if !more {
			e.done = true
			w.exporting = nil
			return out, true, nil
		}
	}
	return out, false, nil
}

// nextExportRecord answers the export's next record (nil: nothing to write at this step) and whether
// more follow.
func (w *World) nextExportRecord(e *stateExport) (*stateRecord, bool, error) {
	for e.region < len(e.regions) {
		id := e.regions[e.region]
		r := w.regions[id]
		if r == nil {
			return nil, false, errExportChanged
		}
		if e.keys < len(r.keyOrder) {
			end := min(e.keys+exportKeysPerRecord, len(r.keyOrder))
			clear(e.keyRoom) // the last record's keys, let go
			if cap(e.keyRoom) < end-e.keys {
				e.keyRoom = make([]keyState, 0, end-e.keys)
			}
			rr := regionRecord{Account: id.account, Region: id.region, Keys: e.keyRoom[:0]}
			if e.keys == 0 {
				rr.KeyCount = len(r.keyOrder)
			}
			for _, keyID := range r.keyOrder[e.keys:end] {
				k := r.keys[keyID]
				if k == nil {
					return nil, false, errExportChanged
				}
				ks, err := exportKeyFor(k, true)
				if err != nil {
					return nil, false, errors.New("exporting key " + keyID + ": " + err.Error())
				}
				rr.Keys = append(rr.Keys, ks)
			}
			e.keyRoom = rr.Keys
			e.keys = end
			return &stateRecord{Regions: []regionRecord{rr}}, true, nil
		}
		if e.alias < 0 {
			e.aliases = make([]string, 0, len(r.aliases))
			for name := range r.aliases {
				e.aliases = append(e.aliases, name)
			}
			sort.Strings(e.aliases)
			e.alias = 0
			if stores := exportCustomKeyStores(r); len(stores) > 0 || len(e.aliases) > 0 {
				return w.exportAliases(e, id, r, stores), true, nil
			}
		}
		if e.alias < len(e.aliases) {
			return w.exportAliases(e, id, r, nil), true, nil
		}
		e.region++
		e.keys, e.aliases, e.alias = 0, nil, -1
	}
	rec := &stateRecord{}
	if w.rsaPool != nil {
		for bits, pairs := range w.rsaPool.UsedPairs() {
			if rec.RSAPoolUsed == nil {
				rec.RSAPoolUsed = map[string][][2]int{}
			}
			rec.RSAPoolUsed[strconv.Itoa(bits)] = pairs
		}
	}
	if len(w.suppliedRSA) > 0 {
		supplied, err := exportSuppliedRSA(w)
		if err != nil {
			return nil, false, errors.New("exporting a supplied RSA key: " + err.Error())
		}
		rec.SuppliedRSA = &supplied
	}
	if seeded, ok := w.rand.(*seededReader); ok {
		rec.SeededDraws = seeded.drawn
	}
	if rec.RSAPoolUsed == nil && rec.SuppliedRSA == nil && rec.SeededDraws == 0 {
		return nil, false, nil
	}
	return rec, false, nil
}

func (w *World) exportAliases(e *stateExport, id regionID, r *region, stores []customKeyStoreState) *stateRecord {
	end := min(e.alias+exportAliasesPerRecord, len(e.aliases))
	rr := regionRecord{Account: id.account, Region: id.region, CustomKeyStores: stores}
	for _, name := range e.aliases[e.alias:end] {
		if a := r.aliases[name]; a != nil {
			rr.Aliases = append(rr.Aliases, aliasState{AliasName: name, TargetKeyID: a.targetKeyID,
				CreationDate: epochTime(a.created), LastUpdatedDate: epochTime(a.updated)})
		}
	}
	e.alias = end
	return &stateRecord{Regions: []regionRecord{rr}}
}

// WriteStateLog writes the whole world to out as a state log (what a host's compaction writes), and
// begins the log again from it.
func (w *World) WriteStateLog(out io.Writer) error {
	first := true
	for {
		piece, done, err := w.ExportStateLog(first, 1<<20)
		if err != nil {
			return err
		}
		if _, err := out.Write(piece); err != nil {
			return err
		}
		if done {
			return nil
		}
		first = false
	}
}
