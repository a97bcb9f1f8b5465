package kms

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Key policy Condition blocks: a statement applies only when every clause of its Condition holds
// (operators AND-ed, keys within an operator AND-ed, the values of one key OR-ed), as IAM evaluates
// them. wasmkms models the KMS condition keys tests use and the IAM operators below; a policy naming
// any other key or operator is refused when it is put (PutKeyPolicy, CreateKey with Policy), with a
// MalformedPolicyDocumentException naming it (our texts, errors.go).
//
// Operators: StringEquals, StringNotEquals, StringLike, StringNotLike (* and ? wildcards, case
// sensitive), StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, Bool, Null; the set forms ForAnyValue: and ForAllValues:, and the IfExists suffix (not on
// Null). A key absent from the request makes StringEquals, StringLike and Bool false and their
// negations true (IAM's rule for absent keys); ...IfExists is true for an absent key; ForAnyValue: is
// false and ForAllValues: true for an absent (empty) set; Null "true" holds exactly when the key is absent.
//
// The request's values:
//   - kms:CallerAccount: the caller's account; aws:PrincipalArn: the caller's principal ARN.
//   - kms:EncryptionContext:<key>: the value of that pair of the request's encryption context (the
//     <key> part is matched without regard to case, the value with it, as the KMS Developer Guide
//     describes the condition key); absent when the pair or the context is absent.
//   - kms:EncryptionContextKeys: the keys of the request's encryption context, a set (absent when the
//     context is empty); used only with ForAnyValue: or ForAllValues:.
//   - kms:EncryptionAlgorithm: the request's algorithm, SYMMETRIC_DEFAULT when it names none, for
//     Encrypt, Decrypt, ReEncrypt (both halves) and the GenerateDataKey family (AWS: a condition on a
//     request parameter works with its default value); absent for the other operations.
//   - kms:SigningAlgorithm: the request's SigningAlgorithm, for Sign and Verify.
//   - kms:RecipientAttestation:ImageSha384 and kms:RecipientAttestation:PCR<n> (0 to 31): PCR0 and PCR<n>
//     of an attested request's document, lower-case hex; absent without a Recipient (recipient.go).
//   - kms:RequestAlias: the alias name (alias/...) when the request's KeyId is an alias name or alias
//     ARN; absent otherwise.
//   - kms:GrantIsForAWSResource: false for CreateGrant, ListGrants and RevokeGrant (no AWS service
//     calls wasmkms on anyone's behalf); absent for the other operations.
//   - kms:ViaService and aws:SourceAccount: always absent. AWS sets them only when an AWS service calls
//     KMS on the caller's behalf; every call to wasmkms is a direct call. So StringEquals on them never
//     holds (the AWS managed key policies' service statements never allow a direct call, as on AWS),
//     ...IfExists and the negated operators hold, and Null "true" holds.
//
// A stored policy that names something unmodelled (one put before Condition blocks were evaluated,
// brought back by WasmKMS.ImportState, or an AWS managed key policy's kms:GrantOperations) is never
// silently ignored: such a clause never holds in an Allow statement and always holds in a Deny
// statement, so it can only take access away.

// conditionRequest is what a request offers the Condition blocks beyond the caller and the
// encryption context (which comes with grantScope): the algorithm it names and the alias its KeyId
// names. The zero value is a request naming neither.
type conditionRequest struct {
	encryptionAlgorithm string // "" means SYMMETRIC_DEFAULT for the encryption operations
	signingAlgorithm    string
	requestAlias        string                 // set by findKey from the KeyId
	attestation         *kmscrypto.Attestation // the verified Recipient of an attested request (recipient.go)
}

// withAlias answers the request with kms:RequestAlias set from the KeyId given, for an operation
// that accepts aliases: the alias name of an alias name or alias ARN.
func (r conditionRequest) withAlias(given string, aliases bool) conditionRequest {
	if !aliases {
		return r
	}
	switch {
	case strings.HasPrefix(given, "alias/"):
		r.requestAlias = given
	case strings.HasPrefix(given, "arn:"): // a key ID (nearly always) is neither: no search for an alias in it
		if i := strings.Index(given, ":alias/"); i >= 0 {
			r.requestAlias = given[i+1:] // lookupKey has checked the ARN's form; no allocation per call
		}
	}
	return r
}

// policyCondition is a statement's Condition block, one clause per operator and key, in a stable
// order (operators, then keys, sorted) so that the first unmodelled one named is always the same.
type policyCondition []conditionClause

type setQualifier int

const (
	setNone setQualifier = iota
	setAnyValue
	setAllValues
)

// conditionKey names a modelled condition key.
type conditionKey int

const (
	condUnknown conditionKey = iota
	condEncryptionContext
	condEncryptionContextKeys
	condCallerAccount
	condViaService
	condGrantIsForAWSResource
	condRequestAlias
	condEncryptionAlgorithm
	condSigningAlgorithm
	condPrincipalArn
	condSourceAccount
	condRecipientAttestation
)

// conditionKeys are the modelled keys by their lower-case names (IAM condition key names are not
// case sensitive); kms:EncryptionContext:<key> is handled apart.
var conditionKeys = map[string]conditionKey{
	"kms:encryptioncontextkeys": condEncryptionContextKeys,
	"kms:calleraccount":         condCallerAccount,
	"kms:viaservice":            condViaService,
	"kms:grantisforawsresource": condGrantIsForAWSResource,
	"kms:requestalias":          condRequestAlias,
	"kms:encryptionalgorithm":   condEncryptionAlgorithm,
	"kms:signingalgorithm":      condSigningAlgorithm,
	"aws:principalarn":          condPrincipalArn,
	"aws:sourceaccount":         condSourceAccount,
}

const encryptionContextKeyPrefix = "kms:encryptioncontext:"

// recipientAttestationPrefix: kms:RecipientAttestation:ImageSha384 and kms:RecipientAttestation:PCR<n>,
// the measurements of an attested request's document (recipient.go), handled apart too.
const recipientAttestationPrefix = "kms:recipientattestation:"

// conditionOperators are the modelled base operators.
var conditionOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringLike": true, "StringNotLike": true, "Bool": true, "Null": true,
	// AWS's examples compare the attestation measurements (hex) with these.
	"StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true,
}

// conditionClause is one operator and key with the policy's values for it.
type conditionClause struct {
	base       string // StringEquals, ..., Null
	set        setQualifier
	ifExists   bool
	key        conditionKey
	contextKey string // the <key> of kms:EncryptionContext:<key>, or the lower-case <name> of kms:RecipientAttestation:<name>
	values     []string
	// problem is why the clause is not modelled (nil when it is): PutKeyPolicy and CreateKey refuse
	// the policy with it, evaluation fails the clause closed.
	problem *apiError
}

// UnmarshalJSON reads a Condition block. It never fails: whatever wasmkms cannot evaluate becomes a
// clause with a problem, so that a policy is refused with a message naming it.
func (pc *policyCondition) UnmarshalJSON(b []byte) error {
	var ops map[string]json.RawMessage
	if json.Unmarshal(b, &ops) != nil {
		*pc = policyCondition{{problem: errConditionNotObject()}}
		return nil
	}
	opNames := make([]string, 0, len(ops))
	for op := range ops {
		opNames = append(opNames, op)
	}
	sort.Strings(opNames)
	var out policyCondition
	for _, op := range opNames {
		var keys map[string]json.RawMessage
		if json.Unmarshal(ops[op], &keys) != nil {
			out = append(out, conditionClause{problem: errConditionNotObject()})
			continue
		}
		keyNames := make([]string, 0, len(keys))
		for k := range keys {
			keyNames = append(keyNames, k)
		}
		sort.Strings(keyNames)
		for _, k := range keyNames {
			out = append(out, parseConditionClause(op, k, keys[k]))
		}
	}
	*pc = out
	return nil
}

// parseConditionClause reads one operator, key and value list.
func parseConditionClause(op, key string, raw json.RawMessage) conditionClause {
	cl := conditionClause{}
	base := op
	if rest, ok := strings.CutPrefix(base, "ForAnyValue:"); ok {
		cl.set, base = setAnyValue, rest
	} else if rest, ok := strings.CutPrefix(base, "ForAllValues:"); ok {
		cl.set, base = setAllValues, rest
	}
	if rest, ok := strings.CutSuffix(base, "IfExists"); ok {
		cl.ifExists, base = true, rest
	}
	if !conditionOperators[base] || base == "Null" && (cl.set != setNone || cl.ifExists) {
		cl.problem = errConditionOperator(op)
		return cl
	}
	cl.base = base
	lower := strings.ToLower(key)
	if rest, ok := strings.CutPrefix(lower, encryptionContextKeyPrefix); ok && rest != "" {
		cl.key, cl.contextKey = condEncryptionContext, key[len(encryptionContextKeyPrefix):]
	} else if rest, ok := strings.CutPrefix(lower, recipientAttestationPrefix); ok && (rest == "imagesha384" || validPCRName(rest)) {
		cl.key, cl.contextKey = condRecipientAttestation, rest
	} else {
		cl.key = conditionKeys[lower]
	}
	if cl.key == condUnknown {
		cl.problem = errConditionKey(key)
		return cl
	}
	values, ok := conditionValues(raw)
	if !ok {
		cl.problem = errConditionBadValues(op, key)
		return cl
	}
	cl.values = values
	if cl.key == condEncryptionContextKeys && cl.set == setNone && cl.base != "Null" {
		cl.problem = errConditionSetNeeded(op, key)
		return cl
	}
	if cl.base == "Null" {
		for _, v := range values {
			if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
				cl.problem = errConditionNullValue(key)
				return cl
			}
		}
	}
	return cl
}

// conditionValues reads a condition's value: a string, a Boolean or a number, or a non-empty list of
// them (IAM accepts "true" and true alike), as strings.
func conditionValues(raw json.RawMessage) ([]string, bool) {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		list = []json.RawMessage{raw}
	}
	if len(list) == 0 {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		var s string
		if json.Unmarshal(item, &s) == nil {
			out = append(out, s)
			continue
		}
		var b bool
		if json.Unmarshal(item, &b) == nil {
			out = append(out, strconv.FormatBool(b))
			continue
		}
		var n json.Number
		if json.Unmarshal(item, &n) == nil {
			out = append(out, n.String())
			continue
		}
		return nil, false
	}
	return out, true
}

// problem answers the first clause wasmkms cannot evaluate, or nil.
func (pc policyCondition) problem() *apiError {
	for _, cl := range pc {
		if cl.problem != nil {
			return cl.problem
		}
	}
	return nil
}

// parsePolicyToPut is parsePolicy for a policy being put (PutKeyPolicy, CreateKey): it also refuses a
// Condition that names a key or operator wasmkms does not evaluate, so that no condition is ever
// silently ignored.
func parsePolicyToPut(text string) (*policyDocument, *apiError) {
	doc, err := parsePolicy(text)
	if err != nil {
		return nil, err
	}
	for _, s := range doc.Statement {
		if err := s.Condition.problem(); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// conditionEnv is one request as the Condition blocks see it.
type conditionEnv struct {
	c       caller
	action  string
	context map[string]string // the request's encryption context (nil: none)
	req     conditionRequest
}

// encryptionAlgorithmActions take kms:EncryptionAlgorithm.
var encryptionAlgorithmActions = map[string]bool{
	"kms:Encrypt": true, "kms:Decrypt": true, "kms:ReEncryptFrom": true, "kms:ReEncryptTo": true,
	"kms:GenerateDataKey": true, "kms:GenerateDataKeyWithoutPlaintext": true,
	"kms:GenerateDataKeyPair": true, "kms:GenerateDataKeyPairWithoutPlaintext": true,
}

// grantActions take kms:GrantIsForAWSResource.
var grantActions = map[string]bool{"kms:CreateGrant": true, "kms:ListGrants": true, "kms:RevokeGrant": true}

// values answers the request's values for the clause's key; none means the key is absent.
func (env *conditionEnv) values(cl *conditionClause) []string {
	switch cl.key {
	case condEncryptionContext:
		var out []string
		for k, v := range env.context {
			if strings.EqualFold(k, cl.contextKey) {
				out = append(out, v)
			}
		}
		return out
	case condEncryptionContextKeys:
		out := make([]string, 0, len(env.context))
		for k := range env.context {
			out = append(out, k)
		}
		return out
	case condRecipientAttestation:
		return recipientConditionValues(env.req.attestation, cl.contextKey)
	case condCallerAccount:
		return []string{env.c.account}
	case condPrincipalArn:
		return []string{env.c.principal}
	case condRequestAlias:
		if env.req.requestAlias != "" {
			return []string{env.req.requestAlias}
		}
	case condEncryptionAlgorithm:
		if encryptionAlgorithmActions[env.action] {
			if env.req.encryptionAlgorithm == "" {
				return []string{algSymmetricDefault}
			}
			return []string{env.req.encryptionAlgorithm}
		}
	case condSigningAlgorithm:
		if (env.action == "kms:Sign" || env.action == "kms:Verify") && env.req.signingAlgorithm != "" {
			return []string{env.req.signingAlgorithm}
		}
	case condGrantIsForAWSResource:
		if grantActions[env.action] {
			return []string{"false"}
		}
	}
	// kms:ViaService and aws:SourceAccount: never set for a direct call.
	return nil
}

// holds answers whether a statement with this Condition applies to the request; deny says the
// statement is a Deny (an unmodelled clause then holds: it can only take access away).
func (pc policyCondition) holds(env *conditionEnv, deny bool) bool {
	for i := range pc {
		if !pc[i].holds(env, deny) {
			return false
		}
	}
	return true
}

func (cl *conditionClause) holds(env *conditionEnv, deny bool) bool {
	if cl.problem != nil {
		return deny
	}
	got := env.values(cl)
	if cl.base == "Null" {
		for _, v := range cl.values {
			if strings.EqualFold(v, "true") == (len(got) == 0) {
				return true
			}
		}
		return false
	}
	if len(got) == 0 && cl.ifExists {
		return true
	}
	switch cl.set {
	case setAnyValue:
		for _, g := range got {
			if cl.matches(g) {
				return true
			}
		}
		return false
	case setAllValues:
		for _, g := range got {
			if !cl.matches(g) {
				return false
			}
		}
		return true
	}
	if len(got) == 0 {
		return cl.negated()
	}
	// One value, or several context pairs whose keys differ only by case: any of them.
	for _, g := range got {
		if cl.matches(g) {
			return true
		}
	}
	return false
}

func (cl *conditionClause) negated() bool {
	return cl.base == "StringNotEquals" || cl.base == "StringNotLike" || cl.base == "StringNotEqualsIgnoreCase"
}

// matches answers whether one request value satisfies the operator against the policy's values.
func (cl *conditionClause) matches(got string) bool {
	hit := false
	for _, want := range cl.values {
		switch cl.base {
		case "StringEquals", "StringNotEquals":
			hit = got == want
		case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
			hit = strings.EqualFold(got, want)
		case "StringLike", "StringNotLike":
			hit = wildcardMatch(want, got)
		case "Bool":
			hit = strings.EqualFold(got, want)
		}
		if hit {
			break
		}
	}
	if cl.negated() {
		return !hit
	}
	return hit
}

// wildcardMatch answers whether s matches pattern, where * matches any run of characters (also none)
// and ? exactly one character; everything else matches itself, with case. By hand, not with a
// regexp: the module links no regexp package (ARCHITECTURE.md).
func wildcardMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
