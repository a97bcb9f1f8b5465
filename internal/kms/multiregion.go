package kms

import (
	"strings"
	"time"
)

// Multi-Region keys. A primary key (CreateKey with MultiRegion) and its replicas (ReplicateKey) are
// keys of one account with the same key ID ("mrk-" and 32 hex digits) in different Regions of one
// partition. They share their key material (every symmetric version, so a blob sealed in one Region
// opens in another: decrypt.go resolves a blob's key ID in the caller's Region), key spec, key usage,
// origin and automatic rotation status; policy, tags, description, aliases, grants, key state and
// last usage are each key's own. Imported material (Origin EXTERNAL) is imported into each key of the
// set apart: multiregion_import.go. Only the primary rotates, and its new material reaches every
// replica at once (shareWithReplicas). A primary with replicas cannot be deleted: ScheduleKeyDeletion
// puts it in PendingReplicaDeletion, and its waiting period begins when its last replica is deleted
// (the model's documentation of ScheduleKeyDeletion and KeyMetadata.PendingDeletionWindowInDays).
//
// AWS creates a replica in the transient state Creating (LocalStack's recording of AWS,
// test_replicate_key) and UpdatePrimaryRegion passes through Updating; both transient states end
// within seconds, and this service does not model them: ReplicateKey's answer shows the replica
// Creating, as AWS's does, but the replica is Enabled from the next request on, and the primary
// changes at once.

// statePendingReplicaDeletion is the key state of a primary key whose deletion waits for its replicas'.
const statePendingReplicaDeletion = "PendingReplicaDeletion"

// How messages name the state: "<key ARN> is pending replica deletion." (ours: AWS's text for a key in
// this state is not recorded).
func init() { stateWords[statePendingReplicaDeletion] = "pending replica deletion" }

// Multi-Region key types, as MultiRegionConfiguration names them.
const (
	multiRegionPrimary = "PRIMARY"
	multiRegionReplica = "REPLICA"
)

// multiRegionSet is what the keys of one multi-Region key share besides material: where the primary
// is, and the replicas' Regions in the order they were made. Every key of the set points to the same
// multiRegionSet.
type multiRegionSet struct {
	primary  string
	replicas []string
	// lastReplicaGone is when the latest replica deleted so far was deleted (a primary pending replica
	// deletion starts its waiting period then).
	lastReplicaGone time.Time
}

// multiRegionKey is the API's MultiRegionKey.
type multiRegionKey struct {
	Arn    string `json:"Arn"`
	Region string `json:"Region"`
}

// multiRegionConfiguration is the API's MultiRegionConfiguration.
type multiRegionConfiguration struct {
	MultiRegionKeyType string           `json:"MultiRegionKeyType"`
	PrimaryKey         multiRegionKey   `json:"PrimaryKey"`
	ReplicaKeys        []multiRegionKey `json:"ReplicaKeys"`
}

func (k *key) isPrimary() bool   { return k.mrk != nil && k.mrk.primary == k.region }
func (k *key) isReplica() bool   { return k.mrk != nil && k.mrk.primary != k.region }
func (k *key) hasReplicas() bool { return k.isPrimary() && len(k.mrk.replicas) > 0 }

// addMultiRegion fills the multi-Region members of a key's metadata.
func (k *key) addMultiRegion(m *keyMetadata) {
	if k.state == statePendingReplicaDeletion {
		m.PendingDeletionWindowInDays = k.pendingWindow
	}
	if k.mrk == nil {
		return
	}
	m.MultiRegion = true
	cfg := &multiRegionConfiguration{
		MultiRegionKeyType: multiRegionPrimary,
		PrimaryKey:         multiRegionKey{Arn: keyARN(k.mrk.primary, k.account, k.id), Region: k.mrk.primary},
		ReplicaKeys:        []multiRegionKey{},
	}
	if k.isReplica() {
		cfg.MultiRegionKeyType = multiRegionReplica
	}
	for _, r := range k.mrk.replicas {
		cfg.ReplicaKeys = append(cfg.ReplicaKeys, multiRegionKey{Arn: keyARN(r, k.account, k.id), Region: r})
	}
	m.MultiRegionConfiguration = cfg
}

// newMultiRegionKeyID answers "mrk-" and 32 lower-case hex digits: a random version 4 UUID without its
// hyphens, as AWS's documented examples are.
func (w *World) newMultiRegionKeyID() (string, error) {
	id, err := w.newKeyID()
	if err != nil {
		return "", err
	}
	return "mrk-" + strings.ReplaceAll(id, "-", ""), nil
}

// keyIn answers the key of that ID in one account's Region, or nil, without creating the Region.
func (w *World) keyIn(account, regionName, id string) *key {
	if r := w.regions[regionID{account, regionName}]; r != nil {
		if k := r.keys[id]; k != nil {
			w.keyLookedUp(k)
			return k
		}
	}
	return nil
}

// setMembers answers the keys of k's multi-Region key, the primary first, then the replicas in order;
// just k for a single-Region key.
func (w *World) setMembers(k *key) []*key {
	if k.mrk == nil {
		return []*key{k}
	}
	var out []*key
	for _, r := range append([]string{k.mrk.primary}, k.mrk.replicas...) {
		if m := w.keyIn(k.account, r, k.id); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// shareWithReplicas gives every other key of primary k's multi-Region key k's material versions and
// automatic rotation status: the rotation code calls it after each change to them.
func (w *World) shareWithReplicas(k *key) {
	if k.mrk == nil {
		return
	}
	for _, m := range w.setMembers(k) {
		if m == k {
			continue
		}
		m.materials = append([]keyMaterial(nil), k.materials...)
		m.rotationDays, m.nextRotation = k.rotationDays, nil
		if k.nextRotation != nil {
			next := *k.nextRotation
			m.nextRotation = &next
		}
	}
}

// ---- ReplicateKey ----

func replicateKey(w *World, c caller, req *replicateKeyRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:ReplicateKey"))
	if err != nil {
		return nil, err
	}
	if !k.isPrimary() {
		return nil, errNotMultiRegionPrimary(k.arn())
	}
	switch k.state {
	case stateEnabled, stateDisabled, statePendingImport:
	default:
		return nil, k.invalidState()
	}
	target := *req.ReplicaRegion
	partition, known := regionPartition(target)
	if !known {
		return nil, errReplicaRegionUnknown(target)
	}
	if partition != partitionOf(k.region) {
		return nil, errReplicaRegionPartition(target, k.region)
	}
	if existing := w.keyIn(k.account, target, k.id); existing != nil {
		return nil, errMultiRegionKeyExists(existing.arn())
	}
	policy := defaultPolicy(partitionOf(target), k.account)
	if req.Policy != nil {
		doc, err := parsePolicy(*req.Policy)
		if err != nil {
			return nil, err
		}
		if err := lockoutCheck(c, *req.Policy, doc, req.BypassPolicyLockoutSafetyCheck); err != nil {
			return nil, err
		}
		policy = *req.Policy
	}
	if err := checkTags(nil, req.Tags); err != nil {
		return nil, err
	}

	replica := &key{
		id: k.id, account: k.account, region: target, spec: k.spec, usage: k.usage, origin: k.origin,
		state: stateEnabled, created: w.now().UTC(), policy: policy, tags: req.Tags, mrk: k.mrk,
		materials: append([]keyMaterial(nil), k.materials...), private: k.private, hmacKey: k.hmacKey,
		rotationDays: k.rotationDays,
	}
	if k.origin == originExternal {
		startReplicaImports(k, replica) // without material until it is imported (multiregion_import.go)
	}
	if k.nextRotation != nil {
		next := *k.nextRotation
		replica.nextRotation = &next
	}
	if req.Description != nil {
		replica.description = *req.Description
	}
	k.mrk.replicas = append(k.mrk.replicas, target)
	r := w.regionToChange(k.account, target)
	r.keys[k.id] = replica
	r.keyOrder = append(r.keyOrder, k.id)
	w.keyCreated(replica)

	// The answer shows the replica as AWS's does, still Creating: disabled, without its material
	// (LocalStack's recording of AWS, test_replicate_key replicate-key).
	md := replica.metadata()
	md.KeyState, md.Enabled, md.CurrentKeyMaterialId = stateCreating, false, ""
	out := map[string]any{"ReplicaKeyMetadata": md, "ReplicaPolicy": policy}
	if len(replica.tags) > 0 {
		out["ReplicaTags"] = replica.tags
	}
	return out, nil
}

// ---- UpdatePrimaryRegion ----

// updatePrimaryRegion makes the replica in PrimaryRegion the primary key and the primary (KeyId, in
// the caller's Region) a replica. Both must be usable (the Developer Guide: both Enabled when the
// operation starts), and both key policies must allow kms:UpdatePrimaryRegion.
func updatePrimaryRegion(w *World, c caller, req *updatePrimaryRegionRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:UpdatePrimaryRegion"))
	if err != nil {
		return nil, err
	}
	if !k.isPrimary() {
		return nil, errNotMultiRegionPrimary(k.arn())
	}
	target := *req.PrimaryRegion
	if target == k.region {
		return nil, errAlreadyPrimary(k.arn())
	}
	replica := w.keyIn(k.account, target, k.id)
	if replica == nil {
		return nil, errKeyNotFound(keyARN(target, k.account, k.id))
	}
	if err := replica.authorize(c, "kms:UpdatePrimaryRegion"); err != nil {
		return nil, err
	}
	for _, m := range []*key{k, replica} {
		if err := m.checkUsable(); err != nil {
			return nil, err
		}
	}
	if err := checkPendingMoves(k, replica); err != nil {
		return nil, err
	}
	set := k.mrk
	kept := set.replicas[:0]
	for _, r := range set.replicas {
		if r != target {
			kept = append(kept, r)
		}
	}
	set.replicas = append(kept, k.region)
	set.primary = target
	return struct{}{}, nil
}

// ---- Deletion ----

// scheduleReplicaDeletion schedules the deletion of a primary key that has replicas: it waits in
// PendingReplicaDeletion, without a deletion date, until its last replica is deleted.
func (w *World) scheduleReplicaDeletion(k *key, days int) map[string]any {
	k.state = statePendingReplicaDeletion
	k.pendingWindow = days
	k.deletionDate = nil
	return map[string]any{"KeyId": k.arn(), "KeyState": k.state, "PendingWindowInDays": days}
}

// forgetDeletedKey takes a deleted replica out of its multi-Region key; when it was the last replica
// of a primary pending replica deletion, the primary's waiting period begins at the replica's deletion.
func (w *World) forgetDeletedKey(k *key) {
	if !k.isReplica() {
		return
	}
	set := k.mrk
	kept := set.replicas[:0]
	for _, r := range set.replicas {
		if r != k.region {
			kept = append(kept, r)
		}
	}
	set.replicas = kept
	if k.deletionDate != nil && k.deletionDate.After(set.lastReplicaGone) {
		set.lastReplicaGone = *k.deletionDate
	}
	primary := w.keyIn(k.account, set.primary, k.id)
	if len(set.replicas) > 0 || primary == nil || primary.state != statePendingReplicaDeletion {
		return
	}
	deletion := set.lastReplicaGone.Add(time.Duration(primary.pendingWindow) * 24 * time.Hour)
	primary.state, primary.deletionDate, primary.pendingWindow = statePendingDeletion, &deletion, 0
	w.noteDeletion(deletion)
}
