package kms

import "time"

// GetKeyLastUsage: every successful cryptographic operation records itself on its key (ReEncrypt on
// both keys). Tracking starts when the key is created, so TrackingStartDate is the creation date and
// an unused key answers an empty KeyLastUsage. There is no CloudTrail: CloudTrailEventId is a fresh
// UUID per use, as an event ID would be; the request ID is the host's, unknown here, so it is absent.

// keyUse is the last successful cryptographic use of a key; operation "" is none.
type keyUse struct {
	operation string
	at        time.Time
	eventID   string // made when first asked for: the hot paths only note the operation and time
}

// noteUse records a successful cryptographic operation on key k, at the instant of its call (its
// journal entry's): a clock read less per call, which in wasm is two calls out to the host.
func (w *World) noteUse(k *key, operation string) {
	at := w.callAt
	if at.IsZero() {
		at = w.now()
	}
	k.lastUse = keyUse{operation: operation, at: at}
	w.keyUsed(k)
}

type keyLastUsageData struct {
	Operation         string     `json:"Operation,omitempty"`
	Timestamp         *epochTime `json:"Timestamp,omitempty"`
	CloudTrailEventId string     `json:"CloudTrailEventId,omitempty"`
}

func getKeyLastUsage(w *World, c caller, req *getKeyLastUsageRequest) (any, *apiError) {
	k, err := w.keyNamedBy(c, req, req.KeyId, managementRef("kms:GetKeyLastUsage"))
	if err != nil {
		return nil, err
	}
	var usage keyLastUsageData
	if u := &k.lastUse; u.operation != "" {
		if u.eventID == "" {
			u.eventID, _ = w.newKeyID() // a UUID, the shape of a CloudTrail event ID
			w.keyUsed(k)
		}
		at := epochTime(u.at.UTC())
		usage = keyLastUsageData{Operation: u.operation, Timestamp: &at, CloudTrailEventId: u.eventID}
	}
	return map[string]any{"KeyId": k.arn(), "KeyLastUsage": usage, "TrackingStartDate": epochTime(k.created),
		"KeyCreationDate": epochTime(k.created)}, nil
}
