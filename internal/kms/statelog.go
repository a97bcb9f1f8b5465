package kms

import (
	"sort"
	"strconv"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// A world's changes for its state log (statelog_record.go). Once a host keeps a log (it loaded one,
// or exported the world as one), the world notes what each call changes: the keys, grants, aliases
// and custom key stores, by identity, and its own members (RSA pool draws, supplied RSA keys). A take
// (TakeChanges) writes each noted entry as it is at that moment, or its removal when it is gone, as
// one record: the change of one call, or of the calls since the last take, in the snapshot's own
// encoding. A world without a log pays one test of a bool per note.
//
// Where the notes come from:
//   - every key a KMS call looks up (ids.go's lookups, the multi-Region set, a grant token's key, a
//     custom key store's keys), unless the operation changes no key it looks up
//     (lookupsChangeNothing): that covers every operation that changes the key it names;
//   - each place that makes or removes a key, alias, grant or store, or changes keys no call named
//     (due deletions, rotations and expiries);
//   - a key's last use (keyUsed), which only a later take writes (lazily: an Encrypt is not made to
//     wait for a disk).
//
// A key of a multi-Region key is written with every other key of its set: they share members.

// lookupsChangeNothing: the operations that change nothing of the keys they look up but what is noted
// apart (a last use, a grant, an alias): the cryptographic operations, the reads, and the alias and
// grant operations. An operation missing here (a new one) has every key it looked up written again:
// a write too many, never a change lost.
var lookupsChangeNothing = map[string]bool{
	"CreateAlias": true, "UpdateAlias": true, "DeleteAlias": true,
	"CreateGrant": true, "RetireGrant": true, "RevokeGrant": true,
	"Encrypt": true, "Decrypt": true, "ReEncrypt": true, "GenerateDataKey": true,
	"GenerateDataKeyWithoutPlaintext": true, "GenerateDataKeyPair": true,
	"GenerateDataKeyPairWithoutPlaintext": true, "GenerateRandom": true, "Sign": true, "Verify": true,
	"GenerateMac": true, "VerifyMac": true, "DeriveSharedSecret": true, "Encapsulate": true,
	"Decapsulate": true,
	"DescribeKey": true, "GetKeyLastUsage": true, "GetPublicKey": true, "GetKeyPolicy": true,
	"GetKeyRotationStatus": true, "ListKeys": true, "ListAliases": true, "ListGrants": true,
	"ListRetirableGrants": true, "ListKeyPolicies": true, "ListKeyRotations": true,
	"ListResourceTags": true, "DescribeCustomKeyStores": true,
}

type keyAt struct {
	rid regionID
	id  string
}

type grantAt struct {
	key keyAt
	id  string
}

type aliasAt struct {
	rid  regionID
	name string
}

type storeAt struct {
	rid regionID
	id  string
}

// keyCreated: the key was made since the last take (written whole, its grants with it).
const (
	keyUpdated uint8 = 1 << iota
	keyCreated
)

type stateChanges struct {
	on       bool
	replaced bool // ImportState replaced the whole world: only a whole export can write it
	keys     map[keyAt]uint8
	grants   map[grantAt]struct{}
	aliases  map[aliasAt]struct{}
	stores   map[storeAt]struct{}
	used     map[keyAt]struct{}
	supplied bool
	looked   []*key // the keys the current call looked up
	// poolDrawn and seeded: the RSA pool's draws and the seeded draw position already written.
	poolDrawn int
	seeded    uint64
	// eachCall: the host takes each change at the end of the call that made it (TakeEachCall).
	eachCall bool
	// logHolds and logReplaced: the entries the log holds (keys, aliases, stores, counted when it
	// began, and new keys since) and the entries its records replaced or removed (logOutgrown).
	logHolds, logReplaced int
	// record, oneKey and oneRegion hold a take's record while it is written, instead of allocations
	// (and oneKey keeps its materials' array for the next).
	record    stateRecord
	oneKey    [1]keyState
	oneRegion [1]regionRecord
}

// startChanges turns the notes on, from an empty slate: the log holds the world as it is now. A log
// begun again (an export, a load) is its host's to take as it says: each change at the end of its
// call only once it asks again (TakeEachCall).
func (w *World) startChanges() {
	w.forgetChanges()
	w.changes.on = true
	w.changes.eachCall = false
	w.changes.logHolds, w.changes.logReplaced = w.logCounts(), 0
}

// forgetChanges empties the notes (a take wrote them), keeping their maps: a take after every
// CreateKey would otherwise make five maps for the next one.
func (w *World) forgetChanges() {
	c := &w.changes
	if c.keys == nil {
		c.keys, c.grants, c.aliases = map[keyAt]uint8{}, map[grantAt]struct{}{}, map[aliasAt]struct{}{}
		c.stores, c.used = map[storeAt]struct{}{}, map[keyAt]struct{}{}
	} else {
		// Only the maps that hold notes: clearing an empty map costs about what clearing a small one
		// does, and a take after a CreateKey has one key and nothing else.
		if len(c.keys) > 0 {
			clear(c.keys)
		}
		if len(c.grants) > 0 {
			clear(c.grants)
		}
		if len(c.aliases) > 0 {
			clear(c.aliases)
		}
		if len(c.stores) > 0 {
			clear(c.stores)
		}
		if len(c.used) > 0 {
			clear(c.used)
		}
	}
	c.replaced, c.supplied = false, false
	// What the record held, let go, but the array of its key's materials, which the next one uses.
	parts := c.oneKey[0].Symmetric
	clear(parts)
	c.oneKey[0], c.oneRegion[0], c.record = keyState{Symmetric: parts[:0]}, regionRecord{}, stateRecord{}
	clear(c.looked)
	c.looked = c.looked[:0]
	c.poolDrawn, c.seeded = 0, 0
	if w.rsaPool != nil {
		c.poolDrawn = w.rsaPool.Drawn()
	}
	if seeded, ok := w.rand.(*seededReader); ok {
		c.seeded = seeded.drawn
	}
}

// stateReplaced: ImportState replaced the world; a log goes on only from a whole export.
func (w *World) stateReplaced() {
	if w.changes.on {
		w.changes.replaced = true
	}
}

func keyAtOf(k *key) keyAt { return keyAt{regionID{k.account, k.region}, k.id} }

// keyLookedUp notes a key a KMS call looked up (it counts once the call is over: callEnds).
func (w *World) keyLookedUp(k *key) {
	if w.changes.on {
		w.changes.looked = append(w.changes.looked, k)
	}
}

// keyChanged notes a key changed (or about to be removed) by something other than a call that named
// it, with the other keys of its multi-Region key (while they are still its set's).
func (w *World) keyChanged(k *key) {
	if w.changes.on {
		w.changes.keys[keyAtOf(k)] |= keyUpdated
		w.changes.markSet(k)
	}
}

// markSet notes the other keys of k's multi-Region key.
func (c *stateChanges) markSet(k *key) {
	if k.mrk == nil {
		return
	}
	for _, r := range append([]string{k.mrk.primary}, k.mrk.replicas...) {
		if at := (keyAt{regionID{k.account, r}, k.id}); c.keys[at] == 0 {
			c.keys[at] = keyUpdated
		}
	}
}

// keyAtNow answers the key at at, or nil, noting nothing.
func (w *World) keyAtNow(at keyAt) *key {
	if r := w.regions[at.rid]; r != nil {
		return r.keys[at.id]
	}
	return nil
}

// keyCreated notes a key just made.
func (w *World) keyCreated(k *key) {
	if w.changes.on {
		w.changes.keys[keyAtOf(k)] |= keyCreated
	}
}

// grantChanged notes a grant of key k made, changed or removed.
func (w *World) grantChanged(k *key, grantID string) {
	if w.changes.on {
		w.changes.grants[grantAt{keyAtOf(k), grantID}] = struct{}{}
	}
}

// aliasChanged notes an alias made, changed or removed.
func (w *World) aliasChanged(account, regionName, name string) {
	if w.changes.on {
		w.changes.aliases[aliasAt{regionID{account, regionName}, name}] = struct{}{}
	}
}

// storeChanged notes a custom key store made, changed or removed.
func (w *World) storeChanged(account, regionName, id string) {
	if w.changes.on {
		w.changes.stores[storeAt{regionID{account, regionName}, id}] = struct{}{}
	}
}

// keyUsed notes a key's last use changed.
func (w *World) keyUsed(k *key) {
	if w.changes.on {
		w.changes.used[keyAtOf(k)] = struct{}{}
	}
}

// suppliedChanged notes the queue of supplied RSA keys changed.
func (w *World) suppliedChanged() {
	if w.changes.on {
		w.changes.supplied = true
	}
}

// callEnds counts the keys a call looked up as changed, unless its operation changes none of them.
// Serve calls it as the call ends, under the world's lock.
func (w *World) callEnds(operation string) {
	c := &w.changes
	if !c.on || len(c.looked) == 0 {
		return
	}
	if operation != "" && !lookupsChangeNothing[operation] {
		for _, k := range c.looked {
			c.keys[keyAtOf(k)] |= keyUpdated
		}
	}
	clear(c.looked)
	c.looked = c.looked[:0]
}

// TakenChanges is what a take answers.
type TakenChanges struct {
	// Record is the record's line (framed: statelog_record.go), nil when there is nothing to write.
	Record []byte
	// Sync: the record holds a change the calls that made it may be answered only once it is durable
	// (anything but last uses and a seeded world's draw position).
	Sync bool
	// Waiting: last uses or draws wait for a later take (one with usage, or with a change to write).
	Waiting bool
	// Replaced: the world was replaced as a whole (ImportState) since the log began: no record can
	// say so; the host writes the world whole (ExportStateLog), which begins the log again.
	Replaced bool
}

// TakeChanges answers the record of the changes noted since the last take and forgets them; last
// uses and a seeded world's draw position are written only with a change, or when usage is true. It
// turns the notes on (a first take answers nothing: the host holds the world as it is).
func (w *World) TakeChanges(usage bool) TakenChanges {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.takeChanges(usage)
}

func (w *World) takeChanges(usage bool) TakenChanges {
	return w.appendChanges(nil, usage)
}

// appendChanges is takeChanges with the record appended to dst (a buffer the caller reuses).
func (w *World) appendChanges(dst []byte, usage bool) TakenChanges {
	c := &w.changes
	if !c.on {
		w.startChanges()
		return TakenChanges{}
	}
	if c.replaced {
		return TakenChanges{Replaced: true}
	}
	poolDrawn := c.poolDrawn
	if w.rsaPool != nil {
		poolDrawn = w.rsaPool.Drawn()
	}
	var seededAt uint64
	if seeded, ok := w.rand.(*seededReader); ok {
		seededAt = seeded.drawn
	}
	sync := len(c.keys) > 0 || len(c.grants) > 0 || len(c.aliases) > 0 || len(c.stores) > 0 || c.supplied ||
		poolDrawn != c.poolDrawn
	waiting := len(c.used) > 0 || seededAt != c.seeded
	if !sync && !(usage && waiting) {
		return TakenChanges{Waiting: waiting}
	}
	rec := &c.record // not a local: its writers' walk would move it to the heap, an allocation a take
	*rec = stateRecord{}
	if !w.recordOneKey(rec) {
		w.recordNoted(rec)
	}
	if poolDrawn != c.poolDrawn {
		rec.RSAPoolUsed = map[string][][2]int{}
		for bits, pairs := range w.rsaPool.DrawnSince(c.poolDrawn) {
			rec.RSAPoolUsed[strconv.Itoa(bits)] = pairs
		}
	}
	if c.supplied {
		supplied, err := exportSuppliedRSA(w)
		if err != nil {
			panic("state log: " + err.Error())
		}
		rec.SuppliedRSA = &supplied
	}
	if seededAt != c.seeded {
		rec.SeededDraws = seededAt
	}
	record := appendRecordLine(dst, func(dst []byte) []byte { return appendStateRecordJSON(dst, rec) })
	c.countRecord(rec)
	w.forgetChanges()
	return TakenChanges{Record: record, Sync: sync}
}

// recordOneKey writes the common change, one key and nothing else noted (a CreateKey, a key's update),
// into rec as recordNoted would, without its maps and sorts; false, with rec untouched, when the
// notes are more than that (a key of a multi-Region key goes with its whole set).
func (w *World) recordOneKey(rec *stateRecord) bool {
	c := &w.changes
	if len(c.keys) != 1 || len(c.grants) != 0 || len(c.aliases) != 0 || len(c.stores) != 0 || len(c.used) != 0 {
		return false
	}
	var at keyAt
	var mark uint8
	for at, mark = range c.keys {
	}
	k := w.keyAtNow(at)
	if k != nil && k.mrk != nil {
		return false
	}
	rr := regionRecord{Account: at.rid.account, Region: at.rid.region}
	created := mark&keyCreated != 0
	switch {
	case k == nil && !created:
		rr.RemovedKeys = []string{at.id}
	case k != nil:
		if err := exportKeyForInto(k, created, &c.oneKey[0]); err != nil {
			panic("state log: exporting key " + k.id + ": " + err.Error()) // answered as KMSInternalException
		}
		if created {
			rr.Keys = c.oneKey[:]
		} else {
			rr.KeyUpdates = c.oneKey[:]
		}
	}
	c.oneRegion[0] = rr
	rec.Regions = c.oneRegion[:]
	return true
}

// recordNoted writes every noted key, grant, alias, custom key store and last use into rec, by
// region, each as it is now or its removal.
func (w *World) recordNoted(rec *stateRecord) {
	c := &w.changes
	regions := map[regionID]*regionRecord{}
	regionOf := func(rid regionID) *regionRecord {
		rr := regions[rid]
		if rr == nil {
			rr = &regionRecord{Account: rid.account, Region: rid.region}
			regions[rid] = rr
		}
		return rr
	}
	// The keys of a multi-Region key go together.
	for at := range c.keys {
		if k := w.keyAtNow(at); k != nil {
			c.markSet(k)
		}
	}
	written := map[keyAt]bool{}
	for _, at := range w.keysInOrder(c.keys) {
		mark := c.keys[at]
		rr := regionOf(at.rid)
		k := w.keyAtNow(at)
		if k == nil {
			if mark&keyCreated == 0 { // made and gone between two takes: nothing to say
				rr.RemovedKeys = append(rr.RemovedKeys, at.id)
			}
			continue
		}
		ks, err := exportKeyFor(k, mark&keyCreated != 0)
		if err != nil {
			panic("state log: exporting key " + k.id + ": " + err.Error()) // answered as KMSInternalException
		}
		written[at] = true
		if mark&keyCreated != 0 {
			rr.Keys = append(rr.Keys, ks)
		} else {
			rr.KeyUpdates = append(rr.KeyUpdates, ks)
		}
	}
	grantsOf := map[keyAt]*grantChange{}
	for _, at := range sortedGrantAts(c.grants) {
		k := w.keyAtNow(at.key)
		if k == nil || c.keys[at.key]&keyCreated != 0 {
			continue // gone with its key, or written with it
		}
		gc := grantsOf[at.key]
		if gc == nil {
			rr := regionOf(at.key.rid)
			rr.GrantChanges = append(rr.GrantChanges, grantChange{KeyID: at.key.id})
			gc = &rr.GrantChanges[len(rr.GrantChanges)-1]
			grantsOf[at.key] = gc
		}
		if g := k.grantByID(at.id); g != nil {
			gc.Grants = append(gc.Grants, exportGrant(g))
		} else {
			gc.Removed = append(gc.Removed, at.id)
		}
	}
	for _, at := range sortedAliasAts(c.aliases) {
		rr := regionOf(at.rid)
		if a := w.regionOf(at.rid.account, at.rid.region).aliases[at.name]; a != nil {
			rr.Aliases = append(rr.Aliases, aliasState{AliasName: a.name, TargetKeyID: a.targetKeyID,
				CreationDate: epochTime(a.created), LastUpdatedDate: epochTime(a.updated)})
		} else {
			rr.RemovedAliases = append(rr.RemovedAliases, at.name)
		}
	}
	for _, at := range sortedStoreAts(c.stores) {
		rr := regionOf(at.rid)
		found := false
		for _, ss := range exportCustomKeyStores(w.regionOf(at.rid.account, at.rid.region)) {
			if ss.ID == at.id {
				rr.CustomKeyStores = append(rr.CustomKeyStores, ss)
				found = true
			}
		}
		if !found {
			rr.RemovedCustomKeyStores = append(rr.RemovedCustomKeyStores, at.id)
		}
	}
	for _, at := range sortedKeyAts(c.used) {
		k := w.keyAtNow(at)
		if k == nil || written[at] || k.lastUse.operation == "" {
			continue
		}
		u := k.lastUse
		rr := regionOf(at.rid)
		rr.LastUses = append(rr.LastUses, keyLastUse{KeyID: at.id,
			LastUse: lastUseState{Operation: u.operation, At: epochTime(u.at), EventID: u.eventID}})
	}
	ids := make([]regionID, 0, len(regions))
	for rid := range regions {
		ids = append(ids, rid)
	}
	sortRegionIDs(ids)
	for _, rid := range ids {
		rec.Regions = append(rec.Regions, *regions[rid])
	}
}

// keysInOrder answers the noted keys by region, the keys made since the last take in creation order
// (found from the end of their region's order, where they are), the others by ID.
func (w *World) keysInOrder(keys map[keyAt]uint8) []keyAt {
	out := sortedKeyAts(keys)
	position := map[keyAt]int{}
	created := map[regionID]int{}
	for at, mark := range keys {
		if mark&keyCreated != 0 && w.keyAtNow(at) != nil {
			created[at.rid]++
		}
	}
	for rid, n := range created {
		order := w.regions[rid].keyOrder
		for i := len(order) - 1; i >= 0 && n > 0; i-- {
			if at := (keyAt{rid, order[i]}); keys[at]&keyCreated != 0 {
				position[at] = i + 1
				n--
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].rid != out[b].rid {
			return regionLess(out[a].rid, out[b].rid)
		}
		return position[out[a]] < position[out[b]]
	})
	return out
}

// exportKeyFor is a key's state in a record: whole, or without its grants (an update), the default
// key policy left out.
func exportKeyFor(k *key, whole bool) (keyState, error) {
	var ks keyState
	err := exportKeyForInto(k, whole, &ks)
	return ks, err
}

// exportKeyForInto is exportKeyFor into *ks (as exportKeyInto).
func exportKeyForInto(k *key, whole bool, ks *keyState) error {
	grants := k.grants
	if !whole {
		k.grants = nil
		defer func() { k.grants = grants }()
	}
	err := exportKeyInto(k, ks)
	if text, _ := defaultPolicyOf(partitionOf(k.region), k.account); ks.Policy == text { // kept, not written again
		ks.Policy = ""
	}
	return err
}

// exportSuppliedRSA is the queue of supplied RSA keys as the snapshot holds it.
func exportSuppliedRSA(w *World) (map[string][][]byte, error) {
	out := map[string][][]byte{}
	for bits, queue := range w.suppliedRSA {
		for _, priv := range queue {
			der, err := kmscrypto.MarshalPKCS8(priv)
			if err != nil {
				return nil, err
			}
			out[strconv.Itoa(bits)] = append(out[strconv.Itoa(bits)], der)
		}
	}
	return out, nil
}

func sortRegionIDs(ids []regionID) {
	sort.Slice(ids, func(a, b int) bool {
		return ids[a].account < ids[b].account || ids[a].account == ids[b].account && ids[a].region < ids[b].region
	})
}

func regionLess(a, b regionID) bool {
	return a.account < b.account || a.account == b.account && a.region < b.region
}

func sortedKeyAts[V any](m map[keyAt]V) []keyAt {
	out := make([]keyAt, 0, len(m))
	for at := range m {
		out = append(out, at)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].rid != out[b].rid {
			return regionLess(out[a].rid, out[b].rid)
		}
		return out[a].id < out[b].id
	})
	return out
}

func sortedGrantAts(m map[grantAt]struct{}) []grantAt {
	out := make([]grantAt, 0, len(m))
	for at := range m {
		out = append(out, at)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].key != out[b].key {
			x, y := out[a].key, out[b].key
			return x.rid != y.rid && regionLess(x.rid, y.rid) || x.rid == y.rid && x.id < y.id
		}
		return out[a].id < out[b].id
	})
	return out
}

func sortedAliasAts(m map[aliasAt]struct{}) []aliasAt {
	out := make([]aliasAt, 0, len(m))
	for at := range m {
		out = append(out, at)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].rid != out[b].rid {
			return regionLess(out[a].rid, out[b].rid)
		}
		return out[a].name < out[b].name
	})
	return out
}

func sortedStoreAts(m map[storeAt]struct{}) []storeAt {
	out := make([]storeAt, 0, len(m))
	for at := range m {
		out = append(out, at)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].rid != out[b].rid {
			return regionLess(out[a].rid, out[b].rid)
		}
		return out[a].id < out[b].id
	})
	return out
}
