package kms

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// multiRegionState is a multi-Region key's set in the state document (WasmKMS.ExportState): every key
// of the set carries the same one, and ImportState checks that they agree.
type multiRegionState struct {
	PrimaryRegion  string   `json:"primaryRegion"`
	ReplicaRegions []string `json:"replicaRegions"`
}

// exportMultiRegion adds key k's multi-Region members to its state.
func exportMultiRegion(k *key, ks *keyState) {
	if k.mrk != nil {
		ks.MultiRegion = &multiRegionState{PrimaryRegion: k.mrk.primary, ReplicaRegions: append([]string{}, k.mrk.replicas...)}
	}
	ks.PendingWindow = k.pendingWindow
}

// importMultiRegion checks one key's multi-Region members and gives the key a set of its own;
// linkMultiRegionSets then checks the keys of each set against each other and joins them.
func importMultiRegion(k *key, ks keyState) error {
	if strings.HasPrefix(ks.KeyID, "mrk-") != (ks.MultiRegion != nil) {
		return fmt.Errorf("a key ID begins with mrk- exactly when the key is multi-Region")
	}
	if (ks.KeyState == statePendingReplicaDeletion) != (ks.PendingWindow != 0) {
		return fmt.Errorf("pendingWindowInDays goes with the state PendingReplicaDeletion and only with it")
	}
	mr := ks.MultiRegion
	if ks.PendingWindow != 0 && (mr == nil || mr.PrimaryRegion != k.region || len(mr.ReplicaRegions) == 0 || ks.PendingWindow < 7 || ks.PendingWindow > 30) {
		return fmt.Errorf("only a primary key with replicas can be PendingReplicaDeletion, with a window of 7 to 30 days")
	}
	if mr == nil {
		return nil
	}
	if mr.PrimaryRegion == "" {
		return fmt.Errorf("a multi-Region key without its primary Region")
	}
	partition := partitionOf(mr.PrimaryRegion)
	seen := map[string]bool{mr.PrimaryRegion: true}
	for _, r := range mr.ReplicaRegions {
		p, known := regionPartition(r)
		if !known || p != partition || seen[r] {
			return fmt.Errorf("replica Region %q is not a Region of the primary's partition, or appears twice", r)
		}
		seen[r] = true
	}
	if !seen[k.region] {
		return fmt.Errorf("its Region %s is not one of its multi-Region key's", k.region)
	}
	if ks.KeyState == statePendingDeletion && mr.PrimaryRegion == k.region && len(mr.ReplicaRegions) > 0 {
		return fmt.Errorf("a primary key with replicas cannot be PendingDeletion")
	}
	k.mrk = &multiRegionSet{primary: mr.PrimaryRegion, replicas: append([]string{}, mr.ReplicaRegions...)}
	k.pendingWindow = ks.PendingWindow
	return nil
}

// linkMultiRegionSets checks that the keys of each multi-Region key of an imported state agree (one
// account, one key in each of the set's Regions, the same set, the same shared properties), then
// makes them share one set.
func linkMultiRegionSets(regions map[regionID]*region) error {
	sets := map[string][]*key{}
	for _, r := range regions {
		for _, k := range r.keys {
			if k.mrk != nil {
				sets[k.id] = append(sets[k.id], k)
			}
		}
	}
	ids := make([]string, 0, len(sets))
	for id := range sets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		members := sets[id]
		first := members[0]
		if len(members) != 1+len(first.mrk.replicas) {
			return fmt.Errorf("multi-Region key %s: its keys are not exactly one in each of its Regions", id)
		}
		for _, m := range members[1:] {
			if m.account != first.account {
				return fmt.Errorf("multi-Region key %s is in more than one account", id)
			}
			if m.mrk.primary != first.mrk.primary || !slices.Equal(m.mrk.replicas, first.mrk.replicas) {
				return fmt.Errorf("multi-Region key %s: its keys disagree on its primary and replica Regions", id)
			}
			if err := sameSharedProperties(first, m); err != nil {
				return fmt.Errorf("multi-Region key %s: its keys in %s and %s %v", id, first.region, m.region, err)
			}
		}
		for _, m := range members {
			m.mrk = first.mrk
		}
		if err := samePendingMaterial(members); err != nil {
			return fmt.Errorf("multi-Region key %s: %v", id, err)
		}
	}
	return nil
}

// sameSharedProperties: the keys of a multi-Region key have the same key spec, usage, origin,
// material (every version) and automatic rotation status.
func sameSharedProperties(a, b *key) error {
	if a.spec != b.spec || a.usage != b.usage || a.origin != b.origin {
		return fmt.Errorf("differ in key spec, key usage or origin")
	}
	if a.rotationDays != b.rotationDays || (a.nextRotation == nil) != (b.nextRotation == nil) ||
		a.nextRotation != nil && !a.nextRotation.Equal(*b.nextRotation) {
		return fmt.Errorf("differ in automatic rotation")
	}
	if a.origin == originExternal {
		return sameImportedMaterial(a, b)
	}
	if len(a.materials) != len(b.materials) || !bytes.Equal(a.hmacKey, b.hmacKey) {
		return fmt.Errorf("differ in key material")
	}
	for i := range a.materials {
		x, y := a.materials[i], b.materials[i]
		if x.BackingID != y.BackingID || !bytes.Equal(x.Material, y.Material) || !x.rotated.Equal(y.rotated) || x.rotationType != y.rotationType {
			return fmt.Errorf("differ in key material")
		}
	}
	if (a.private == nil) != (b.private == nil) {
		return fmt.Errorf("differ in key material")
	}
	if a.private != nil {
		da, errA := kmscrypto.MarshalPKCS8(a.private)
		db, errB := kmscrypto.MarshalPKCS8(b.private)
		if errA != nil || errB != nil || !bytes.Equal(da, db) {
			return fmt.Errorf("differ in key material")
		}
	}
	return nil
}

// sameImportedMaterial: the keys of a multi-Region key with imported material know the same material
// (multiregion_import.go): the same symmetric versions, by KeyMaterialId and rotation, or the same
// digest of the asymmetric or HMAC material. Each key holds the bytes of what was imported into it,
// which importExternalKey has checked against the KeyMaterialId or digest.
func sameImportedMaterial(a, b *key) error {
	digest := func(k *key) []byte {
		if k.imports == nil {
			return nil
		}
		return k.imports.digest
	}
	if !bytes.Equal(digest(a), digest(b)) || len(a.materials) != len(b.materials) {
		return fmt.Errorf("differ in key material")
	}
	for i := range a.materials {
		x, y := a.materials[i], b.materials[i]
		if x.BackingID != y.BackingID || !x.rotated.Equal(y.rotated) || x.rotationType != y.rotationType {
			return fmt.Errorf("differ in key material")
		}
	}
	return nil
}

// samePendingMaterial: a replica's material pending rotation is its primary's.
func samePendingMaterial(members []*key) error {
	pending := func(k *key) string {
		if k.imports == nil || k.imports.pending == nil {
			return ""
		}
		return k.imports.pending.id
	}
	var primary *key
	for _, m := range members {
		if m.isPrimary() {
			primary = m
		}
	}
	for _, m := range members {
		if id := pending(m); id != "" && m != primary && (primary == nil || id != pending(primary)) {
			return fmt.Errorf("the replica in %s has material pending rotation that its primary key has not", m.region)
		}
	}
	return nil
}
