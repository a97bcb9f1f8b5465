package kms

import "time"

// stateWords is how error messages name a key state: "<key ARN> is pending deletion."
var stateWords = map[string]string{
	statePendingDeletion: "pending deletion",
	statePendingImport:   "pending import",
	stateUnavailable:     "unavailable",
	stateCreating:        "creating",
	stateUpdating:        "updating",
	stateDisabled:        "disabled",
}

// invalidState is KMSInvalidStateException naming the key's current state.
func (k *key) invalidState() *apiError { return errInvalidState(k.arn(), stateWords[k.state]) }

// checkNotPendingDeletion answers KMSInvalidStateException for a key pending deletion, which the
// attribute, alias and grant operations refuse.
func (k *key) checkNotPendingDeletion() *apiError {
	if k.state == statePendingDeletion {
		return k.invalidState()
	}
	return nil
}

// checkUsable answers the error of a key state for a cryptographic operation: Enabled and
// Updating keys work, Disabled is DisabledException, the rest KMSInvalidStateException.
func (k *key) checkUsable() *apiError {
	switch k.state {
	case stateEnabled, stateUpdating:
		return nil
	case stateDisabled:
		return errDisabled(k.arn())
	}
	return k.invalidState()
}

// keyNamedBy validates a request whose only member is KeyId and resolves the key it names.
func (w *World) keyNamedBy(c caller, req request, keyID *string, ref keyRef) (*key, *apiError) {
	var v violations
	req.validate(&v)
	return w.keyForOperation(c, &v, keyID, nil, ref)
}

// managementRef: the key-management operations take a key ID or key ARN of the caller's account.
func managementRef(action string) keyRef { return keyRef{action: action} }

func enableKey(w *World, c caller, req *enableKeyRequest) (any, *apiError) {
	return setEnabled(w, c, req, req.KeyId, "kms:EnableKey", stateEnabled)
}

func disableKey(w *World, c caller, req *disableKeyRequest) (any, *apiError) {
	return setEnabled(w, c, req, req.KeyId, "kms:DisableKey", stateDisabled)
}

// setEnabled moves an Enabled or Disabled key to the wanted state; other states refuse.
func setEnabled(w *World, c caller, req request, keyID *string, action, want string) (any, *apiError) {
	k, err := w.keyNamedBy(c, req, keyID, managementRef(action))
	if err != nil {
		return nil, err
	}
	if k.holdState(want) { // Unavailable in a disconnected custom key store: until it connects (customkeystore.go)
		return struct{}{}, nil
	}
	if k.state != stateEnabled && k.state != stateDisabled {
		return nil, k.invalidState()
	}
	k.state = want
	return struct{}{}, nil
}

func scheduleKeyDeletion(w *World, c caller, req *scheduleKeyDeletionRequest) (any, *apiError) {
	var v violations
	req.validate(&v) // pendingWindowInDays 7..30: the model says 1..365 (overlay.json)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:ScheduleKeyDeletion"))
	if err != nil {
		return nil, err
	}
	days := 30
	if req.PendingWindowInDays != nil {
		days = *req.PendingWindowInDays
	}
	switch k.state {
	case statePendingDeletion, statePendingReplicaDeletion, stateCreating:
		return nil, k.invalidState()
	}
	if k.hasReplicas() {
		return w.scheduleReplicaDeletion(k, days), nil
	}
	deletion := w.now().UTC().Add(time.Duration(days) * 24 * time.Hour)
	k.state = statePendingDeletion
	k.deletionDate = &deletion
	w.noteDeletion(deletion)
	return map[string]any{
		"KeyId": k.arn(), "DeletionDate": epochTime(deletion), "KeyState": k.state, "PendingWindowInDays": days,
	}, nil
}

func cancelKeyDeletion(w *World, c caller, req *cancelKeyDeletionRequest) (any, *apiError) {
	k, err := w.keyNamedBy(c, req, req.KeyId, managementRef("kms:CancelKeyDeletion"))
	if err != nil {
		return nil, err
	}
	if k.state != statePendingDeletion && k.state != statePendingReplicaDeletion {
		return nil, errNotPendingDeletion(k.arn())
	}
	// A key whose deletion is cancelled comes back Disabled, as in AWS; PendingImport when it lacks
	// imported material (import.go).
	k.state = stateDisabled
	if k.materialMissing() {
		k.state = statePendingImport
	}
	k.unavailableWhileDisconnected() // a key in a disconnected custom key store (customkeystore.go)
	k.deletionDate = nil
	k.pendingWindow = 0
	return map[string]any{"KeyId": k.arn()}, nil
}

// noteDeletion remembers the earliest deletion date so that Handle scans for expired keys only
// when one may be due.
func (w *World) noteDeletion(d time.Time) {
	if w.nextDeletion.IsZero() || d.Before(w.nextDeletion) {
		w.nextDeletion = d
	}
}

// expireDeletions deletes the keys whose waiting period is over, with their aliases and grants, as
// KMS does at the end of the waiting period. The world's clock (Options.Now) decides.
func (w *World) expireDeletions() {
	if w.nextDeletion.IsZero() || w.now().Before(w.nextDeletion) {
		return
	}
	now := w.now()
	w.nextDeletion = time.Time{}
	for _, r := range w.regions {
		// The keys kept go to a new array once one leaves: keyOrder's array is never written below its
		// length (world.go): ListKeys' page cache (keylist.go) relies on it.
		var kept []string
		deleted := false
		for i, id := range r.keyOrder {
			k := r.keys[id]
			if k.state != statePendingDeletion || k.deletionDate == nil {
				if deleted {
					kept = append(kept, id)
				}
				continue
			}
			if now.Before(*k.deletionDate) {
				w.noteDeletion(*k.deletionDate)
				if deleted {
					kept = append(kept, id)
				}
				continue
			}
			if !deleted {
				deleted = true
				kept = append(make([]string, 0, len(r.keyOrder)-1), r.keyOrder[:i]...)
			}
			w.keyChanged(k) // before it leaves its multi-Region key (statelog.go)
			delete(r.keys, id)
			w.forgetDeletedKey(k)
			for name, a := range r.aliases {
				if a.targetKeyID == id {
					delete(r.aliases, name)
					w.aliasChanged(k.account, k.region, name)
				}
			}
			for _, g := range k.grants {
				for _, t := range g.tokens {
					delete(w.grantTokens, t)
				}
			}
		}
		if deleted {
			r.keyOrder = kept
		}
	}
	// A primary key whose last replica this pass deleted may be due already (multiregion.go).
	if !w.nextDeletion.IsZero() && !now.Before(w.nextDeletion) {
		w.expireDeletions()
	}
}
