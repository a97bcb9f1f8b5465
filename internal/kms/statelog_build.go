package kms

import (
	"crypto/rsa"
	"fmt"
	"strconv"
	"time"
)

// stateBuilder builds a world aside from a snapshot document (ImportState) or from the records of a
// state log (statelog_load.go), entry by entry: each key is checked and rebuilt as it comes, and what
// needs the whole world (aliases against their targets, custom key stores, multi-Region sets, unique
// IDs and tokens, the RSA pool) is checked once, by install. Nothing reaches the world before install
// has checked everything: a bad state leaves the world as it was.
type stateBuilder struct {
	version  int // the snapshot format's version the entries follow (1: every key has its policy)
	policies statePolicies
	regions  map[regionID]*regionBuild
	// order: the regions in the order they first appeared.
	order []regionID
	// lastID and last: the region asked for last.
	lastID regionID
	last   *regionBuild

	poolUsed    map[string][][2]int
	supplied    map[string][][]byte
	seededDraws uint64
	// grantPos: the position of each grant of the keys whose grants a record changed (their removed
	// grants are nil until install compacts them).
	grantPos map[*key]map[string]int
	// arena: the memory of the keys built (statelog_arena.go).
	arena loadArena
}

// regionBuild is one region under construction.
type regionBuild struct {
	keys map[string]*key
	// order: the keys in creation order, with the ones removed since (install keeps the keys that
	// are still the map's: a key made again after its removal is a new one, last).
	order         []*key
	removed       int // keys removed: until one is, every key of order is the map's
	aliases       map[string]*alias
	stores        []customKeyStoreState // in creation order; ID "" where a store was removed
	defaultPolicy string                // the region's default key policy (a key's absent policy)
}

func newStateBuilder(version int) *stateBuilder {
	return &stateBuilder{version: version, regions: map[regionID]*regionBuild{}}
}

func (b *stateBuilder) region(account, regionName string) (*regionBuild, error) {
	if account == "" || regionName == "" {
		return nil, fmt.Errorf("a region without account or region name")
	}
	id := regionID{account, regionName}
	if b.last != nil && b.lastID == id {
		return b.last, nil // the keys of a record, and the records of a snapshot, come region by region
	}
	r := b.regions[id]
	if r == nil {
		r = &regionBuild{keys: map[string]*key{}, aliases: map[string]*alias{},
			defaultPolicy: defaultPolicy(partitionOf(regionName), account)}
		b.regions[id] = r
		b.order = append(b.order, id)
	}
	b.lastID, b.last = id, r
	return r, nil
}

// addDocument takes a whole snapshot document's regions and world members.
func (b *stateBuilder) addDocument(st *worldState) error {
	for i := range st.Regions {
		rs := &st.Regions[i]
		if rs.Account == "" || rs.Region == "" {
			return fmt.Errorf("a region without account or region name")
		}
		if b.regions[regionID{rs.Account, rs.Region}] != nil {
			return fmt.Errorf("region %s/%s appears twice", rs.Account, rs.Region)
		}
		r, _ := b.region(rs.Account, rs.Region)
		r.grow(len(rs.Keys))
		b.arena.expect(len(rs.Keys))
		for j := range rs.Keys {
			if r.keys[rs.Keys[j].KeyID] != nil {
				return fmt.Errorf("key ID %s appears twice", rs.Keys[j].KeyID)
			}
			if err := b.putKey(r, rs.Account, rs.Region, &rs.Keys[j], true); err != nil {
				return err
			}
		}
		for _, as := range rs.Aliases {
			if r.aliases[as.AliasName] != nil {
				return fmt.Errorf("alias %s appears twice", as.AliasName)
			}
			r.putAlias(as)
		}
		r.stores = append(r.stores, rs.CustomKeyStores...) // importCustomKeyStores refuses an ID twice
	}
	b.addWorld(st.RSAPoolUsed, st.SuppliedRSA, st.SeededDraws)
	return nil
}

// addRecord applies one record of a state log.
func (b *stateBuilder) addRecord(rec *stateRecord) error {
	for i := range rec.Regions {
		rr := &rec.Regions[i]
		r, err := b.recordRegion(rr)
		if err != nil {
			return err
		}
		r.grow(len(rr.Keys))
		for j := range rr.Keys {
			if err := b.putKey(r, rr.Account, rr.Region, &rr.Keys[j], true); err != nil {
				return err
			}
		}
		for j := range rr.KeyUpdates {
			if err := b.putKey(r, rr.Account, rr.Region, &rr.KeyUpdates[j], false); err != nil {
				return err
			}
		}
		for _, gc := range rr.GrantChanges {
			if err := b.changeGrants(r, gc); err != nil {
				return err
			}
		}
		for _, name := range rr.RemovedAliases {
			delete(r.aliases, name)
		}
		for _, as := range rr.Aliases {
			r.putAlias(as)
		}
		for _, id := range rr.RemovedCustomKeyStores {
			r.removeStore(id)
		}
		for _, ss := range rr.CustomKeyStores {
			r.putStore(ss)
		}
		for _, u := range rr.LastUses {
			k := r.keys[u.KeyID]
			if k == nil {
				return fmt.Errorf("the last use of key %s, which is not in %s/%s", u.KeyID, rr.Account, rr.Region)
			}
			if u.LastUse.Operation == "" {
				return fmt.Errorf("key %s: lastUse without an operation", u.KeyID)
			}
			k.lastUse = keyUse{operation: u.LastUse.Operation, at: time.Time(u.LastUse.At), eventID: u.LastUse.EventID}
		}
	}
	var supplied map[string][][]byte
	if rec.SuppliedRSA != nil {
		supplied = *rec.SuppliedRSA
		if supplied == nil {
			supplied = map[string][][]byte{}
		}
	}
	b.addWorld(rec.RSAPoolUsed, supplied, rec.SeededDraws)
	return nil
}

// streamKey applies one key of a record as the decoder reads it (recordKeysMember): the record's
// removals first (they precede its keys), then the key, whole or as an update.
func (b *stateBuilder) streamKey(record any, ks *keyState, update bool) error {
	rr := record.(*regionRecord)
	r, err := b.recordRegion(rr)
	if err != nil {
		return err
	}
	return b.putKey(r, rr.Account, rr.Region, ks, !update)
}

// recordRegion answers the region a record's part applies to, with room for the keys it says the
// region holds and the keys it removes removed: once, whether its keys were streamed (streamKey, as
// the decoder reads them) or are applied after it (addRecord).
func (b *stateBuilder) recordRegion(rr *regionRecord) (*regionBuild, error) {
	r, err := b.region(rr.Account, rr.Region)
	if err != nil {
		return nil, err
	}
	b.makeRoom(r, rr.KeyCount)
	for _, id := range rr.RemovedKeys {
		r.removeKey(id)
	}
	rr.RemovedKeys = nil
	return r, nil
}

// addWorld takes the world's own members: pool pairs add up, the supplied keys' queue and the draw
// position replace the earlier ones (nil and 0: unchanged).
func (b *stateBuilder) addWorld(pool map[string][][2]int, supplied map[string][][]byte, seeded uint64) {
	for bits, pairs := range pool {
		if b.poolUsed == nil {
			b.poolUsed = map[string][][2]int{}
		}
		b.poolUsed[bits] = append(b.poolUsed[bits], pairs...)
	}
	if supplied != nil {
		b.supplied = supplied
	}
	if seeded != 0 {
		b.seededDraws = seeded
	}
}

// makeRoom sizes an empty region, and the arena, for the n keys a snapshot says it holds.
func (b *stateBuilder) makeRoom(r *regionBuild, n int) {
	if n > 0 && len(r.keys) == 0 && len(r.order) == 0 {
		r.keys = make(map[string]*key, n)
		r.order = make([]*key, 0, n)
		b.arena.expect(n)
	}
}

func (r *regionBuild) grow(n int) {
	if free := cap(r.order) - len(r.order); n > free {
		order := make([]*key, len(r.order), len(r.order)+max(n, len(r.order)))
		copy(order, r.order)
		r.order = order
	}
}

// putKey checks and rebuilds one key: whole (its grants are the entry's), or an update (its grants
// stay the ones the builder holds).
func (b *stateBuilder) putKey(r *regionBuild, account, regionName string, ks *keyState, whole bool) error {
	if ks.Policy == "" && b.version >= 2 {
		ks.Policy = r.defaultPolicy
	}
	if !whole && len(ks.Grants) > 0 {
		return fmt.Errorf("key %s: an update of a key has no grants", ks.KeyID)
	}
	arena := &b.arena
	if !whole {
		arena = nil // an update is copied into the key it updates: its own copy is garbage
	}
	k, err := importKey(account, regionName, ks, &b.policies, arena)
	if err != nil {
		return fmt.Errorf("key %s: %v", ks.KeyID, err)
	}
	if whole && len(b.grantPos) == 0 {
		// A new key, as a snapshot's keys all are: one look into the map, not two (a key ID's hash
		// is no small part of a load in the module); one there before is replaced as below.
		n := len(r.keys)
		r.keys[k.id] = k
		if len(r.keys) == n {
			r.removed++
		}
		r.order = append(r.order, k)
		return nil
	}
	if old := r.keys[k.id]; old != nil {
		if !whole { // an update: in place, so that the order and the grants' positions know it
			k.grants = old.grants
			*old = *k
			return nil
		}
		// A whole key made again (a replica in a Region it was deleted from): a new key, last.
		delete(b.grantPos, old)
		r.removed++
	}
	r.keys[k.id] = k
	r.order = append(r.order, k)
	return nil
}

func (r *regionBuild) removeKey(id string) {
	if _, ok := r.keys[id]; ok {
		delete(r.keys, id)
		r.removed++
	}
}

func (r *regionBuild) putAlias(as aliasState) {
	r.aliases[as.AliasName] = &alias{name: as.AliasName, targetKeyID: as.TargetKeyID,
		created: time.Time(as.CreationDate), updated: time.Time(as.LastUpdatedDate)}
}

// putStore replaces the store of that ID where it is, or adds it last.
func (r *regionBuild) putStore(ss customKeyStoreState) {
	for i := range r.stores {
		if r.stores[i].ID == ss.ID {
			r.stores[i] = ss
			return
		}
	}
	r.stores = append(r.stores, ss)
}

func (r *regionBuild) removeStore(id string) {
	for i := range r.stores {
		if r.stores[i].ID == id {
			r.stores[i].ID = ""
		}
	}
}

// changeGrants adds, replaces and removes grants of a key the builder holds.
func (b *stateBuilder) changeGrants(r *regionBuild, gc grantChange) error {
	k := r.keys[gc.KeyID]
	if k == nil {
		return fmt.Errorf("grants of key %s, which is not there", gc.KeyID)
	}
	if b.grantPos == nil {
		b.grantPos = map[*key]map[string]int{}
	}
	pos := b.grantPos[k]
	if pos == nil {
		pos = make(map[string]int, len(k.grants))
		for i, g := range k.grants {
			if g != nil {
				pos[g.id] = i
			}
		}
		b.grantPos[k] = pos
	}
	for _, id := range gc.Removed {
		if i, ok := pos[id]; ok {
			k.grants[i] = nil
			delete(pos, id)
		}
	}
	for _, gs := range gc.Grants {
		g, err := importGrant(k, gs)
		if err != nil {
			return err
		}
		if i, ok := pos[g.id]; ok {
			k.grants[i] = g
			continue
		}
		pos[g.id] = len(k.grants)
		k.grants = append(k.grants, g)
	}
	return nil
}

// install checks what needs the whole world and, when all is well, replaces w's state with the
// built one. It goes over the keys once, and runs a check that needs them all again (multi-Region
// sets, custom key stores) only where there is something for it to check: a million keys of one
// region without either cost one pass.
func (b *stateBuilder) install(w *World) *apiError {
	for k := range b.grantPos { // removed grants out
		kept := k.grants[:0]
		for _, g := range k.grants {
			if g != nil {
				kept = append(kept, g)
			}
		}
		clear(k.grants[len(kept):])
		k.grants = kept
	}
	regions := make(map[regionID]*region, len(b.regions))
	seenKeyIDs := map[string]bool{}
	grants := map[string]string{}
	seenGrantIDs := map[string]bool{}
	var poolKeys, importing []*key // keys that may hold pool RSA keys; keys with imports
	var nextDeletion, nextRotation time.Time
	multiRegion := false
	for _, id := range b.order {
		rb := b.regions[id]
		r := &region{keys: rb.keys, keyOrder: make([]string, 0, len(rb.keys)), aliases: rb.aliases}
		inStores := false
		for _, k := range rb.order {
			if rb.removed > 0 && rb.keys[k.id] != k {
				continue // removed (and perhaps made again: later in the order)
			}
			r.keyOrder = append(r.keyOrder, k.id)
			if len(b.order) > 1 { // a key ID is unique in a world; a region's map holds it once
				if seenKeyIDs[k.id] && k.mrk == nil {
					return errBadState("key ID " + k.id + " appears twice")
				}
				seenKeyIDs[k.id] = true
			}
			for _, g := range k.grants {
				if seenGrantIDs[g.id] {
					return errBadState("grant ID " + g.id + " appears twice")
				}
				seenGrantIDs[g.id] = true
				for _, t := range g.tokens {
					if t == "" || grants[t] != "" {
						return errBadState("key " + k.id + " has a grant without a token or with a token used twice")
					}
					grants[t] = g.id
				}
			}
			multiRegion = multiRegion || k.mrk != nil
			inStores = inStores || k.inStore != nil
			if _, ok := k.private.(*rsa.PrivateKey); ok || k.imports != nil {
				poolKeys = append(poolKeys, k)
			}
			if k.imports != nil {
				importing = append(importing, k)
			}
			if k.deletionDate != nil && (nextDeletion.IsZero() || k.deletionDate.Before(nextDeletion)) {
				nextDeletion = *k.deletionDate
			}
			if k.nextRotation != nil && (nextRotation.IsZero() || k.nextRotation.Before(nextRotation)) {
				nextRotation = *k.nextRotation
			}
		}
		for name, a := range r.aliases {
			if !matchAliasNameType(name) || len(name) > 256 || !stateAliasNameValid(name, r.keys[a.targetKeyID]) {
				return errBadState("alias name " + strconv.Quote(name) + " is not valid")
			}
			if r.keys[a.targetKeyID] == nil {
				return errBadState("alias " + name + " targets a key that is not in its region")
			}
		}
		var stores []customKeyStoreState
		for _, ss := range rb.stores {
			if ss.ID != "" {
				stores = append(stores, ss)
			}
		}
		if len(stores) > 0 || inStores {
			if err := importCustomKeyStores(r, stores); err != nil {
				return errBadState(err.Error())
			}
		}
		if len(r.keys) == 0 && len(r.aliases) == 0 && len(r.stores) == 0 {
			continue // nothing there any more: as if never made
		}
		regions[id] = r
	}
	if err := checkCustomKeyStoreIDs(regions); err != nil {
		return errBadState(err.Error())
	}
	if multiRegion {
		if err := linkMultiRegionSets(regions); err != nil {
			return errBadState(err.Error())
		}
	}
	pool, poolErr := w.restoredRSAPool(b.poolUsed, poolKeys)
	if poolErr != nil {
		return poolErr
	}
	if b.seededDraws > maxSeededDraws {
		return errBadState(fmt.Sprintf("seededDraws %d is more than a world draws (%d)", b.seededDraws, uint64(maxSeededDraws)))
	}
	supplied := map[int][]*rsa.PrivateKey{}
	for bitsText, queue := range b.supplied {
		for _, der := range queue {
			priv, err := parseSuppliedRSA(der)
			if err != nil {
				return errBadState("supplied RSA key: " + err.Error())
			}
			if strconv.Itoa(priv.N.BitLen()) != bitsText {
				return errBadState("supplied RSA key listed under the wrong size")
			}
			supplied[priv.N.BitLen()] = append(supplied[priv.N.BitLen()], priv)
		}
	}
	w.regions, w.rsaPool, w.suppliedRSA, w.grantTokens = regions, pool, supplied, grants
	if seeded, ok := w.rand.(*seededReader); ok {
		seeded.seek(b.seededDraws)
	}
	w.nextDeletion, w.nextRotation, w.nextImportExpiry = nextDeletion, nextRotation, time.Time{}
	for _, k := range importing {
		w.noteImportExpiries(k)
	}
	return nil
}
