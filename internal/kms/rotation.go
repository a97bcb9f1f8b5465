package kms

import (
	"io"
	"time"
)

// Rotation adds a material version (material.go): RotateKeyOnDemand at once, automatic rotation when
// the world's clock passes NextRotationDate (checked on every call, as pending deletions are). Blobs
// name their version, so older blobs keep decrypting.

const (
	defaultRotationDays = 365
	// maxOnDemandRotations is AWS's limit per key; the next one is LimitExceededException. It is 25 in
	// the current API reference (RotateKeyOnDemand) and Developer Guide; it was 10 when LocalStack
	// recorded the refusal against AWS (test_key_rotations_limits, April 2025).
	maxOnDemandRotations = 25
)

// rotatable answers the error for a key whose material cannot rotate, in AWS's order (LocalStack's
// recordings): the key state first (a disabled RSA key is DisabledException), then the key spec
// (only symmetric encryption keys rotate: UnsupportedOperationException without a message), then
// the origin.
func rotatable(k *key) *apiError {
	// A key in a custom key store never rotates, Unavailable or not (the key state table's note 7).
	if err := k.checkNotInCustomKeyStore(); err != nil {
		return err
	}
	if err := k.checkUsable(); err != nil {
		return err
	}
	if k.keySpec().family != familySymmetric {
		return errRotationUnsupported()
	}
	if k.origin != "AWS_KMS" {
		return errOriginInvalid(k.arn(), k.origin)
	}
	if k.isReplica() {
		return errNotMultiRegionPrimary(k.arn()) // only the primary rotates (multiregion.go)
	}
	return nil
}

// addRotation makes a new current material version of key k, rotated at the given time.
func (w *World) addRotation(k *key, rotationType string, at time.Time) error {
	material, err := newSymmetricKey(w.rand)
	if err != nil {
		return err
	}
	k.materials = append(k.materials, newKeyMaterial(material, at.UTC(), rotationType))
	w.shareWithReplicas(k)
	return nil
}

// scheduleRotation sets key k's next automatic rotation one period after from.
func (w *World) scheduleRotation(k *key, from time.Time) {
	next := from.UTC().Add(time.Duration(k.rotationDays) * 24 * time.Hour)
	k.nextRotation = &next
	w.noteRotation(next)
	w.shareWithReplicas(k)
}

// noteRotation remembers the earliest automatic rotation so that calls scan for due rotations only
// when one is due.
func (w *World) noteRotation(at time.Time) {
	if w.nextRotation.IsZero() || at.Before(w.nextRotation) {
		w.nextRotation = at
	}
}

// rotateDue performs every automatic rotation whose date the clock has passed, each at its own
// date (a clock moved forward by years rotates once per period). A key that cannot be used (disabled,
// pending deletion) waits: AWS rotates only enabled keys, and does so once the key is enabled again.
func (w *World) rotateDue() {
	if w.nextRotation.IsZero() || w.now().Before(w.nextRotation) {
		return
	}
	now := w.now()
	w.nextRotation = time.Time{}
	for _, r := range w.regions {
		for _, k := range r.keys {
			if k.nextRotation == nil || k.isReplica() { // a replica rotates with its primary
				continue
			}
			for k.state == stateEnabled && !now.Before(*k.nextRotation) {
				w.keyChanged(k)
				if w.addRotation(k, rotationAutomatic, *k.nextRotation) != nil {
					break // no randomness now: try again on the next call
				}
				w.scheduleRotation(k, *k.nextRotation)
			}
			w.noteRotation(*k.nextRotation)
		}
	}
}

func enableKeyRotation(w *World, c caller, req *enableKeyRotationRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:EnableKeyRotation"))
	if err != nil {
		return nil, err
	}
	if err := rotatable(k); err != nil {
		return nil, err
	}
	k.rotationDays = defaultRotationDays
	if req.RotationPeriodInDays != nil {
		k.rotationDays = *req.RotationPeriodInDays
	}
	w.scheduleRotation(k, w.now())
	return struct{}{}, nil
}

func disableKeyRotation(w *World, c caller, req *disableKeyRotationRequest) (any, *apiError) {
	k, err := w.keyNamedBy(c, req, req.KeyId, managementRef("kms:DisableKeyRotation"))
	if err != nil {
		return nil, err
	}
	if err := rotatable(k); err != nil {
		return nil, err
	}
	k.rotationDays, k.nextRotation = 0, nil
	w.shareWithReplicas(k)
	return struct{}{}, nil
}

func getKeyRotationStatus(w *World, c caller, req *getKeyRotationStatusRequest) (any, *apiError) {
	k, err := w.keyNamedBy(c, req, req.KeyId, keyRef{action: "kms:GetKeyRotationStatus", crossAccount: true})
	if err != nil {
		return nil, err
	}
	if err := k.checkNotInCustomKeyStore(); err != nil {
		return nil, err
	}
	if k.state == statePendingDeletion || k.state == statePendingImport || k.state == stateUnavailable {
		return nil, k.invalidState()
	}
	out := map[string]any{"KeyId": k.arn(), "KeyRotationEnabled": k.nextRotation != nil}
	if k.nextRotation != nil {
		out["RotationPeriodInDays"] = k.rotationDays
		out["NextRotationDate"] = epochTime(*k.nextRotation)
	}
	return out, nil
}

func rotateKeyOnDemand(w *World, c caller, req *rotateKeyOnDemandRequest) (any, *apiError) {
	k, err := w.keyNamedBy(c, req, req.KeyId, managementRef("kms:RotateKeyOnDemand"))
	if err != nil {
		return nil, err
	}
	if k.origin == originExternal && k.keySpec().family == familySymmetric {
		// A symmetric key with imported material rotates to material imported for it (import.go).
		if err := w.rotateToImported(k); err != nil {
			return nil, err
		}
		return map[string]any{"KeyId": k.arn()}, nil
	}
	if err := rotatable(k); err != nil {
		return nil, err
	}
	if k.onDemandRotations() >= maxOnDemandRotations {
		return nil, errOnDemandRotationLimit(k.arn())
	}
	if err := w.addRotation(k, rotationOnDemand, w.now()); err != nil {
		return nil, errInternal("generating key material: " + err.Error())
	}
	return map[string]any{"KeyId": k.arn()}, nil
}

func generateRandom(w *World, c caller, req *generateRandomRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	if req.NumberOfBytes == nil {
		return nil, errNumberOfBytesRequired()
	}
	attestation, apiErr := w.attested(req.Recipient)
	if apiErr != nil {
		return nil, apiErr
	}
	if err := w.checkRandomSource(c, req.CustomKeyStoreId); err != nil { // customkeystore.go
		return nil, err
	}
	b := make([]byte, *req.NumberOfBytes)
	if _, err := io.ReadFull(w.rand, b); err != nil {
		return nil, errInternal("generating random bytes: " + err.Error())
	}
	if attestation == nil {
		return map[string]any{"Plaintext": b}, nil
	}
	sealed, apiErr := w.sealForRecipient(attestation, b) // the bytes only for the enclave
	if apiErr != nil {
		return nil, apiErr
	}
	return map[string]any{"CiphertextForRecipient": sealed}, nil
}

// onDemandRotations counts key k's on-demand rotations.
func (k *key) onDemandRotations() int {
	n := 0
	for _, m := range k.materials {
		if m.rotationType == rotationOnDemand {
			n++
		}
	}
	return n
}

// rotationListEntry is one entry of ListKeyRotations.
type rotationListEntry struct {
	KeyId            string     `json:"KeyId"`
	KeyMaterialId    string     `json:"KeyMaterialId"`
	KeyMaterialState string     `json:"KeyMaterialState"`
	RotationDate     *epochTime `json:"RotationDate,omitempty"`
	RotationType     string     `json:"RotationType,omitempty"`
	// Imported material only (import.go).
	KeyMaterialDescription string     `json:"KeyMaterialDescription,omitempty"`
	ImportState            string     `json:"ImportState,omitempty"`
	ExpirationModel        string     `json:"ExpirationModel,omitempty"`
	ValidTo                *epochTime `json:"ValidTo,omitempty"`
}

// listKeyRotations answers the key's rotations, oldest first; with IncludeKeyMaterial
// ALL_KEY_MATERIAL the first material too (the model's documentation).
func listKeyRotations(w *World, c caller, req *listKeyRotationsRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:ListKeyRotations"))
	if err != nil {
		return nil, err
	}
	if err := k.checkNotInCustomKeyStore(); err != nil {
		return nil, err
	}
	// A key with imported material that lacks some (PendingImport) lists them with their ImportState.
	if k.state == statePendingDeletion || k.state == statePendingImport && len(k.materials) == 0 || k.state == stateUnavailable {
		return nil, k.invalidState()
	}
	if k.keySpec().family != familySymmetric {
		return nil, errRotationUnsupported()
	}
	all := stringOr(req.IncludeKeyMaterial, "ROTATIONS_ONLY") == "ALL_KEY_MATERIAL"
	var entries []rotationListEntry
	for i, m := range k.materials {
		if m.rotationType == "" && !all {
			continue
		}
		e := rotationListEntry{KeyId: k.arn(), KeyMaterialId: m.id, KeyMaterialState: "NON_CURRENT", RotationType: m.rotationType}
		if i == len(k.materials)-1 {
			e.KeyMaterialState = "CURRENT"
		}
		if !m.rotated.IsZero() {
			d := epochTime(m.rotated)
			e.RotationDate = &d
		}
		k.addImportState(&e)
		entries = append(entries, e)
	}
	if all {
		entries = w.appendPendingRotation(k, entries)
	}
	page, next, perr := paginate(len(entries), req.Limit, req.Marker)
	if perr != nil {
		return nil, perr
	}
	return pageAnswer("Rotations", append([]rotationListEntry{}, entries[page.start:page.end]...), next), nil
}
