package kms

import (
	"strings"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Multi-Region keys with imported key material (Origin EXTERNAL), of every key spec (the model:
// "you can also import key material into a multi-Region key of any supported type"). KMS does not
// copy imported material from a primary key to its replicas (the Developer Guide, "Importing key
// material into multi-Region keys"): ReplicateKey of such a primary makes a replica without material,
// PendingImport, and the user imports the same material into it, with the replica's own import
// parameters. Each key has its own import tokens, expiration model, ValidTo and key state; the
// material is the set's.
//
// How the set's material is kept: a replica knows the set's material without having it, as a key
// whose imported material was deleted does. A symmetric replica lists every material version of its
// primary (KeyMaterialId, rotation) with ImportState PENDING_IMPORT until it is imported; an
// asymmetric or HMAC replica has the digest of the one material the set takes. So the import rules of
// a single key decide what a replica accepts (the same material, by its KeyMaterialId or digest), a
// replica is Enabled once it has every material version, and a blob made in one Region opens in
// another (the KeyMaterialId is derived from the key ID, which the set shares, and the material).
//
// New material enters a set through its primary (ImportKeyMaterial's documentation): a symmetric
// primary's NEW_KEY_MATERIAL import waits as PENDING_MULTI_REGION_IMPORT_AND_ROTATION until every
// replica has it (EXISTING_KEY_MATERIAL there), then PENDING_ROTATION; RotateKeyOnDemand of the
// primary makes it current in every key of the set at once. Deleting the primary's material pending
// rotation deletes the replicas' too; deleting a replica's material changes no other key (the model,
// DeleteImportedKeyMaterial). Replicas pending deletion are not waited for (they cannot import), and
// get the new version without its material, as they would on their next import.

// primaryARN is the ARN of the primary key of k's multi-Region key.
func (k *key) primaryARN() string { return keyARN(k.mrk.primary, k.account, k.id) }

// startReplicaImports gives a new replica of an EXTERNAL primary no material of its own: it knows
// the set's material as deleted material, and is PendingImport until it is imported.
func startReplicaImports(primary, replica *key) {
	replica.materials, replica.private, replica.hmacKey, replica.imports = nil, nil, nil, nil
	mirrorImportedMaterial(primary, replica)
	replica.state = statePendingImport
}

// mirrorImportedMaterial makes key to know the material of key from (its multi-Region primary):
// every symmetric version in from's order and with its rotation, with the bytes to already has (its
// own, or its material pending rotation that became a version), the others PENDING_IMPORT; or the
// digest of the asymmetric or HMAC material, PENDING_IMPORT unless imported.
func mirrorImportedMaterial(from, to *key) {
	if from.keySpec().family != familySymmetric {
		if from.imports == nil || from.imports.digest == nil || to.imports != nil && to.imports.digest != nil {
			return
		}
		imports := to.importsOf()
		imports.digest = append([]byte(nil), from.imports.digest...)
		imports.info = &importInfo{deleted: true}
		return
	}
	if len(from.materials) == 0 {
		return
	}
	imports := to.importsOf()
	versions := make([]keyMaterial, 0, len(from.materials))
	for _, fm := range from.materials {
		m := keyMaterial{SymmetricKey: kmscrypto.SymmetricKey{BackingID: fm.BackingID}, id: fm.id, rotated: fm.rotated, rotationType: fm.rotationType}
		if own := to.materialByBackingID(fm.BackingID); own != nil {
			m.Material = own.Material
		} else if p := imports.pending; p != nil && p.id == fm.id {
			m.Material = p.Material
			imports.pending = nil
		}
		if imports.materials[fm.id] == nil {
			imports.materials[fm.id] = &importInfo{deleted: true}
		}
		versions = append(versions, m)
	}
	to.materials = versions
}

// syncImportedReplicas gives every replica of primary k the material k has now (after its first
// import; after a rotation to imported material, each replica's pending material becomes the new
// version with the same rotation); a replica that lacks some is PendingImport.
func (w *World) syncImportedReplicas(k *key) {
	if !k.hasReplicas() || k.origin != originExternal {
		return
	}
	for _, m := range w.setMembers(k) {
		if m != k {
			mirrorImportedMaterial(k, m)
			m.afterMaterialDeleted()
		}
	}
}

// primaryPending answers the material pending rotation in replica k's primary key, or nil.
func (w *World) primaryPending(k *key) *keyMaterial {
	if !k.isReplica() {
		return nil
	}
	if p := w.keyIn(k.account, k.mrk.primary, k.id); p != nil && p.imports != nil {
		return p.imports.pending
	}
	return nil
}

// replicasLackingPending answers the Regions of primary k's replicas that do not have k's material
// pending rotation yet, leaving out the replicas pending deletion.
func (w *World) replicasLackingPending(k *key) []string {
	if !k.hasReplicas() || k.imports == nil || k.imports.pending == nil {
		return nil
	}
	var lacking []string
	for _, m := range w.setMembers(k) {
		if m == k || m.state == statePendingDeletion {
			continue
		}
		if m.imports == nil || m.imports.pending == nil || m.imports.pending.id != k.imports.pending.id {
			lacking = append(lacking, m.region)
		}
	}
	return lacking
}

// pendingMaterialState is the KeyMaterialState of key k's material pending rotation: a primary's waits
// for its replicas (PENDING_MULTI_REGION_IMPORT_AND_ROTATION) until each has it (the model,
// RotationsListEntry).
func (w *World) pendingMaterialState(k *key) string {
	if len(w.replicasLackingPending(k)) > 0 {
		return "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"
	}
	return "PENDING_ROTATION"
}

// checkPendingInReplicas refuses the rotation of primary k to its pending material while a replica
// lacks it: the model asks for the import into every replica before RotateKeyOnDemand.
func (w *World) checkPendingInReplicas(k *key) *apiError {
	if lacking := w.replicasLackingPending(k); len(lacking) > 0 {
		return errPendingNotInReplicas(k.imports.pending.id, k.arn(), strings.Join(lacking, ", "))
	}
	return nil
}

// deletePendingInReplicas: deleting the material pending rotation of a primary key deletes it from
// its replicas too (the model, DeleteImportedKeyMaterial).
func (w *World) deletePendingInReplicas(k *key, materialID string) {
	if !k.hasReplicas() || k.imports == nil || k.imports.pending == nil || k.imports.pending.id != materialID {
		return
	}
	for _, m := range w.setMembers(k) {
		if m != k && m.imports != nil && m.imports.pending != nil && m.imports.pending.id == materialID {
			m.deleteSymmetricMaterial(materialID)
		}
	}
}

// checkPendingMoves refuses to make replica the primary key while the primary k has material pending
// rotation that the replica has not: the replicas' pending material is always their primary's.
func checkPendingMoves(k, replica *key) *apiError {
	if k.origin != originExternal || k.imports == nil || k.imports.pending == nil {
		return nil
	}
	id := k.imports.pending.id
	if replica.imports == nil || replica.imports.pending == nil || replica.imports.pending.id != id {
		return errPendingNotInReplicas(id, k.arn(), replica.region)
	}
	return nil
}

// materialNotAssociated is a symmetric key's refusal of an EXISTING_KEY_MATERIAL import of material it
// does not have: for a replica, material that is not its multi-Region key's.
func (k *key) materialNotAssociated() *apiError {
	if k.isReplica() {
		return errNotTheSetsMaterial(k.arn(), k.primaryARN())
	}
	return errKeyMaterialNotAssociated(k.arn())
}

// materialDiffers is an asymmetric or HMAC key's refusal of material other than the one it takes.
func (k *key) materialDiffers() *apiError {
	if k.isReplica() {
		return errNotTheSetsMaterial(k.arn(), k.primaryARN())
	}
	return errKeyMaterialDiffers(k.arn())
}

// checkReplicaTakesMaterial refuses, before the import token is looked at, an import into a replica
// key of new material: ImportType NEW_KEY_MATERIAL (the default of a key that never had material), or
// any material while its multi-Region key has none. New material is imported into the primary first.
func checkReplicaTakesMaterial(k *key, req *importKeyMaterialRequest) *apiError {
	if !k.isReplica() {
		return nil
	}
	known := k.imports != nil && k.imports.digest != nil
	if k.keySpec().family == familySymmetric {
		known = len(k.materials) > 0 && stringOr(req.ImportType, importTypeExisting) == importTypeExisting
	}
	if !known {
		return errReplicaNewMaterial(k.arn(), k.primaryARN())
	}
	return nil
}
