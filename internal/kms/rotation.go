package kms

import (
	"io"
	"time"
)

// Automatic rotation is recorded (status, period, next date) but never happens by itself: a test
// double has no background clock. RotateKeyOnDemand adds a new material version at once; blobs
// name their version (kmscrypto's backing ID), so older blobs keep decrypting.

const defaultRotationDays = 365

// rotatable answers the error for a key whose material cannot rotate: only symmetric encryption
// keys with AWS_KMS origin rotate. Our text for the refusal.
func rotatable(k *key) *apiError {
	if k.keySpec().family != familySymmetric || k.origin != "AWS_KMS" {
		return errRotationUnsupported(k.arn(), k.spec, k.origin)
	}
	return k.checkUsable()
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
	next := w.now().UTC().Add(time.Duration(k.rotationDays) * 24 * time.Hour)
	k.nextRotation = &next
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
	return struct{}{}, nil
}

func getKeyRotationStatus(w *World, c caller, req *getKeyRotationStatusRequest) (any, *apiError) {
	k, err := w.keyNamedBy(c, req, req.KeyId, keyRef{action: "kms:GetKeyRotationStatus", crossAccount: true})
	if err != nil {
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
	if err := rotatable(k); err != nil {
		return nil, err
	}
	material, genErr := newSymmetricKey(w.rand)
	if genErr != nil {
		return nil, errInternal("generating key material: " + genErr.Error())
	}
	k.materials = append(k.materials, newKeyMaterial(material, w.now().UTC(), rotationOnDemand))
	return map[string]any{"KeyId": k.arn()}, nil
}

func generateRandom(w *World, _ caller, req *generateRandomRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	if req.NumberOfBytes == nil {
		// KMS's own wording, shared with GenerateDataKey (as peers observed it).
		return nil, errBytesOrKeySpec()
	}
	b := make([]byte, *req.NumberOfBytes)
	if _, err := io.ReadFull(w.rand, b); err != nil {
		return nil, errInternal("generating random bytes: " + err.Error())
	}
	return map[string]any{"Plaintext": b}, nil
}
