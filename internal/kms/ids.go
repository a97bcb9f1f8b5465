package kms

import (
	"regexp"
	"strings"
)

// keyIDPattern: a key ID is a UUID, or mrk- and 32 hex digits for a multi-Region key.
var keyIDPattern = regexp.MustCompile(`^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$`)

// keyRef says how a KeyId may name a key for one operation.
type keyRef struct {
	// aliases: the operation accepts alias names and alias ARNs (the cryptographic operations,
	// DescribeKey, GetPublicKey); the key-management ones accept only key IDs and key ARNs.
	aliases bool
	// action is the IAM action the key policy is checked for, e.g. "kms:Encrypt".
	action string
	// crossAccount: another account may use the key (by ARN, where the key policy allows).
	crossAccount bool
}

// parsedARN is a KMS ARN split into its parts: resource is "key/<id>" or "alias/<name>".
type parsedARN struct {
	partition, region, account, resource string
}

func parseKMSARN(s string) (parsedARN, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kms" || parts[3] == "" || parts[4] == "" {
		return parsedARN{}, false
	}
	return parsedARN{partition: parts[1], region: parts[3], account: parts[4], resource: parts[5]}, true
}

// findKey resolves a KeyId in any of its four forms (key ID, key ARN, alias name, alias ARN) to a
// key, with the real not-found messages, then checks the key policy for the caller.
func (w *World) findKey(c caller, given string, ref keyRef) (*key, *apiError) {
	k, err := w.lookupKey(c, given, ref)
	if err != nil {
		return nil, err
	}
	if k.account != c.account && !ref.crossAccount {
		return nil, errNotAuthorized(c.principal, ref.action, k.arn(), "resource-based")
	}
	if err := k.authorize(c, ref.action); err != nil {
		return nil, err
	}
	return k, nil
}

func (w *World) lookupKey(c caller, given string, ref keyRef) (*key, *apiError) {
	if strings.HasPrefix(given, "arn:") {
		a, ok := parseKMSARN(given)
		if !ok || a.partition != partitionOf(a.region) {
			return nil, errInvalidKeyID(given)
		}
		if a.region != c.region {
			return nil, errInvalidArnRegion(a.region)
		}
		switch {
		case strings.HasPrefix(a.resource, "key/"):
			id := strings.TrimPrefix(a.resource, "key/")
			if k := w.regionOf(a.account, a.region).keys[id]; k != nil {
				return k, nil
			}
			return nil, errKeyNotFound(keyARN(a.region, a.account, id))
		case strings.HasPrefix(a.resource, "alias/") && ref.aliases:
			return w.lookupAlias(a.account, a.region, a.resource)
		}
		return nil, errInvalidKeyID(given)
	}
	if strings.HasPrefix(given, "alias/") {
		if !ref.aliases {
			return nil, errInvalidKeyID(given)
		}
		return w.lookupAlias(c.account, c.region, given)
	}
	if !keyIDPattern.MatchString(given) {
		return nil, errInvalidKeyID(given)
	}
	if k := w.regionOf(c.account, c.region).keys[given]; k != nil {
		return k, nil
	}
	return nil, errKeyNotFound(keyARN(c.region, c.account, given))
}

func (w *World) lookupAlias(account, regionName, name string) (*key, *apiError) {
	r := w.regionOf(account, regionName)
	if a := r.aliases[name]; a != nil {
		if k := r.keys[a.targetKeyID]; k != nil {
			return k, nil
		}
	}
	return nil, errAliasNotFound(aliasARN(regionName, account, name))
}
