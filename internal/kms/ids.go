package kms

import "strings"

// isKeyID: a key ID is a UUID (hex digits grouped 8-4-4-4-12), or mrk- and 32 hex digits for a
// multi-Region key. Checked by hand, not with a regexp: the regexp package cost the module about
// 300 KB and compiled its pattern in every module's start (see internal/crypto/encoding.go for the
// size budget). ids_test.go holds this to the regular expression it replaces.
func isKeyID(s string) bool {
	if rest, ok := strings.CutPrefix(s, "mrk-"); ok {
		return len(rest) == 32 && isHexDigits(rest)
	}
	return len(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' &&
		isHexDigits(s[:8]) && isHexDigits(s[9:13]) && isHexDigits(s[14:18]) && isHexDigits(s[19:23]) && isHexDigits(s[24:])
}

func isHexDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !hexDigits[s[i]] {
			return false
		}
	}
	return true
}

// hexDigits marks the hex digits, either case: a table, as isKeyID runs on every call that names a key
// (a character's three ranges and the dash positions tested per character were 2% of a direct Encrypt
// in wasm).
var hexDigits = func() (t [256]bool) {
	for _, c := range "0123456789abcdefABCDEF" {
		t[c] = true
	}
	return t
}()

// keyRef says how a KeyId may name a key for one operation.
type keyRef struct {
	// aliases: the operation accepts alias names and alias ARNs (the cryptographic operations,
	// DescribeKey, GetPublicKey); the key-management ones accept only key IDs and key ARNs.
	aliases bool
	// action is the IAM action the key policy is checked for, e.g. "kms:Encrypt".
	action string
	// crossAccount: another account may use the key (by ARN, where the key policy allows).
	crossAccount bool
	// scope is what the request offers the constraints of the key's grants (grantconstraints.go).
	scope grantScope
	// cond is what the request offers the key policy's Condition blocks beyond the caller and the
	// encryption context; findKey adds the alias its KeyId names (policy_condition.go).
	cond conditionRequest
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

// keyForOperation ends a request's validation and resolves the key it names, in the service's
// order of precedence: the counted ValidationException for all members collected in v, then
// InvalidGrantTokenException, then findKey's not-found and authorization errors. Operations
// without a GrantTokens member pass nil. keyID is a required member, so it is set once v is empty.
func (w *World) keyForOperation(c caller, v *violations, keyID *string, grantTokens []string, ref keyRef) (*key, *apiError) {
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := w.checkGrantTokens(grantTokens); err != nil {
		return nil, err
	}
	return w.findKey(c, *keyID, ref)
}

// operationKey validates req and resolves the key of an operation that takes any form of KeyId
// (alias names and ARNs too) and another account's key, the policy checked for kms:<operation> with
// cond; keyForOperation gives the order of the errors.
func (w *World) operationKey(c caller, req request, operation string, keyID *string, grantTokens []string, cond conditionRequest) (*key, *apiError) {
	var v violations
	req.validate(&v)
	return w.keyForOperation(c, &v, keyID, grantTokens, keyRef{aliases: true, action: "kms:" + operation, crossAccount: true, cond: cond})
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
	if err := k.authorizeRequest(c, ref.action, ref.scope, ref.cond.withAlias(given, ref.aliases)); err != nil {
		return nil, err
	}
	return k, nil
}

func (w *World) lookupKey(c caller, given string, ref keyRef) (*key, *apiError) {
	if err := w.createAWSManagedKey(c, given, ref); err != nil { // alias/aws/<service> on first use (managed.go)
		return nil, err
	}
	return w.existingKey(c, given, ref)
}

// existingKey is lookupKey without its one change to the world (an AWS managed key made on first
// use): for a look that must change nothing, such as which key a fault names.
func (w *World) existingKey(c caller, given string, ref keyRef) (*key, *apiError) {
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
				w.keyLookedUp(k)
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
	// Looked up before its form is checked: every key's ID is a key ID (fixtures and states are
	// checked; the world makes no other), so only a miss says which error it is.
	if k := w.regionOf(c.account, c.region).keys[given]; k != nil {
		w.keyLookedUp(k)
		return k, nil
	}
	if !isKeyID(given) {
		return nil, errInvalidKeyID(given)
	}
	return nil, errKeyNotFound(keyARN(c.region, c.account, given))
}

func (w *World) lookupAlias(account, regionName, name string) (*key, *apiError) {
	r := w.regionOf(account, regionName)
	if a := r.aliases[name]; a != nil {
		if k := r.keys[a.targetKeyID]; k != nil {
			w.keyLookedUp(k)
			return k, nil
		}
	}
	return nil, errAliasNotFound(aliasARN(regionName, account, name))
}
