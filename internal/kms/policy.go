package kms

import (
	"encoding/json"
	"path"
	"strings"
	"sync/atomic"
)

// defaultPolicyOf answers the default key policy of an account, its text and its parsed document,
// which every key made with it shares (keys never change a parsed document; ImportState shares them
// too). The last account's is kept, for the process: CreateKey made the 330-byte text and, at the
// key's first use, parsed it with encoding/json for every key.
func defaultPolicyOf(partition, account string) (string, *policyDocument) {
	if p := lastDefaultPolicy.Load(); p != nil && p.partition == partition && p.account == account {
		return p.text, p.doc
	}
	p := &sharedPolicy{partition: partition, account: account, text: defaultPolicy(partition, account)}
	var err *apiError
	if p.doc, err = parsePolicy(p.text); err != nil {
		panic("kms: the default key policy does not parse: " + err.message)
	}
	lastDefaultPolicy.Store(p)
	return p.text, p.doc
}

type sharedPolicy struct {
	partition, account, text string
	doc                      *policyDocument
}

var lastDefaultPolicy atomic.Pointer[sharedPolicy]

// defaultPolicy is the key policy CreateKey gives a key without Policy, formatted as real KMS
// formats it.
func defaultPolicy(partition, account string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "` + rootPrincipal(partition, account) + `"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

// policyDocument is the part of an IAM policy this service evaluates: Effect, Principal, Action and
// Condition (policy_condition.go). NotPrincipal/NotAction are not evaluated (no IAM here).
type policyDocument struct {
	Statement []policyStatement
	// unconditional: no statement has a Condition, so whether the statements allow a request depends
	// on its principal, account and action alone (authorizeRequest keeps its last answer).
	unconditional bool
}

type policyStatement struct {
	Effect    string
	Principal principalSet
	Action    stringOrList
	Condition policyCondition
}

// stringOrList is a policy member that may be a string or a list of strings.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

// principalSet is "*" or {"AWS": ..., "Service": ...}; only AWS principals are evaluated.
type principalSet struct {
	any bool
	aws []string
}

func (p *principalSet) UnmarshalJSON(b []byte) error {
	var star string
	if json.Unmarshal(b, &star) == nil {
		p.any = star == "*"
		return nil
	}
	var m map[string]stringOrList
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	p.aws = m["AWS"]
	for _, a := range p.aws {
		if a == "*" {
			p.any = true
		}
	}
	return nil
}

// parsePolicy answers the evaluable policy, or MalformedPolicyDocumentException. The messages are
// ours: real KMS's texts for these cases are not documented.
func parsePolicy(text string) (*policyDocument, *apiError) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, errPolicyNotObject()
	}
	stmts := raw["Statement"]
	if len(stmts) == 0 {
		return nil, errPolicyNoStatement()
	}
	var doc policyDocument
	var list []policyStatement
	if json.Unmarshal(stmts, &list) != nil {
		var one policyStatement
		if err := json.Unmarshal(stmts, &one); err != nil {
			return nil, errPolicyBadStatement()
		}
		list = []policyStatement{one}
	}
	if len(list) == 0 {
		return nil, errPolicyNoStatement()
	}
	for _, s := range list {
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return nil, errPolicyBadEffect()
		}
	}
	doc.Statement = list
	doc.unconditional = true
	for _, s := range list {
		doc.unconditional = doc.unconditional && len(s.Condition) == 0
	}
	return &doc, nil
}

// matchesPrincipal: an account ID or its root ARN names every principal of that account (this
// service has no IAM, so the account's own policies are taken to allow); any other ARN must match
// exactly.
func (p principalSet) matches(principal, principalAccount string) bool {
	if p.any {
		return true
	}
	for _, a := range p.aws {
		if a == principal || a == principalAccount || a == rootPrincipal(partitionOfARN(principal), principalAccount) {
			return true
		}
	}
	return false
}

func (s stringOrList) matchesAction(action string) bool {
	for _, pattern := range s {
		if actionMatches(pattern, action) {
			return true
		}
	}
	return false
}

// actionMatches is path.Match of the pattern and the action, both lowercased. It runs for every
// statement on every call, so the patterns policies use (a plain ASCII name, or one with a single
// final *: "kms:*", "kms:Describe*", "*") are matched in place, without the two lowercased copies; the
// answer is path.Match's, whose * matches any run of characters but '/'.
func actionMatches(pattern, action string) bool {
	if isASCII(action) {
		prefix, star := strings.CutSuffix(pattern, "*")
		if isPlainASCIIPattern(prefix) {
			if !star {
				return len(action) == len(prefix) && asciiEqualFold(action, prefix)
			}
			return len(action) >= len(prefix) && asciiEqualFold(action[:len(prefix)], prefix) &&
				!strings.Contains(action[len(prefix):], "/")
		}
	}
	ok, _ := path.Match(strings.ToLower(pattern), strings.ToLower(action))
	return ok
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// isPlainASCIIPattern: ASCII with none of path.Match's special characters.
func isPlainASCIIPattern(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == '*' || c == '?' || c == '[' || c == '\\' {
			return false
		}
	}
	return true
}

// asciiEqualFold compares two ASCII strings of the same length as strings.ToLower would make them.
func asciiEqualFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func partitionOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 2 {
		return "aws"
	}
	return parts[1]
}

// authorize evaluates the key policy for the caller and action: an explicit Deny wins, then an
// Allow; without an Allow the caller is refused with the real AccessDeniedException text.
func (k *key) authorize(c caller, action string) *apiError {
	return k.authorizeFor(c, action, grantScope{})
}

// authorizeFor is authorize for a request that offers scope to the constraints of the key's grants.
func (k *key) authorizeFor(c caller, action string, scope grantScope) *apiError {
	return k.authorizeRequest(c, action, scope, conditionRequest{})
}

// authorizeRequest is authorizeFor for a request that also offers cond to the policy's Condition
// blocks (the encryption context comes with scope).
func (k *key) authorizeRequest(c caller, action string, scope grantScope, cond conditionRequest) *apiError {
	doc, err := k.parsedPolicy()
	if err != nil {
		return errNotAuthorized(c.principal, action, k.arn(), "resource-based")
	}
	if a := &k.lastAllowed; a.doc == doc && a.principal == c.principal && a.account == c.account && a.action == action {
		return nil
	}
	allowed := false
	env := conditionEnv{c: c, action: action, context: scope.context, req: cond}
	for _, s := range doc.Statement {
		if !s.Principal.matches(c.principal, c.account) || !s.Action.matchesAction(action) {
			continue
		}
		if !s.Condition.holds(&env, s.Effect == "Deny") {
			continue
		}
		if s.Effect == "Deny" {
			return errExplicitDeny(c.principal, action, k.arn())
		}
		allowed = true
	}
	if allowed && doc.unconditional {
		k.lastAllowed = allowedRequest{doc: doc, principal: c.principal, account: c.account, action: action}
	}
	if allowed || k.grantAllows(c.principal, action, scope) {
		return nil
	}
	kind := "resource-based"
	// An AWS managed key's policy does not defer to IAM: AWS says resource-based for its own account
	// too (managed.go).
	if c.account == k.account && !k.awsManaged {
		kind = "identity-based"
	}
	return errNotAuthorized(c.principal, action, k.arn(), kind)
}

// allowedRequest is the last request a key's unconditional policy allowed by its statements: a key is
// used by one caller for one action over and over, and the statements' walk (principals, action
// patterns) was 3% of the module's direct Encrypt 32 B. A grant's allowing is never kept.
type allowedRequest struct {
	doc                        *policyDocument
	principal, account, action string
	_                          [0]func() // not comparable: no equality function in the module for it
}

// parsedPolicy answers the key's policy parsed, from a cache that follows k.policy: parsing on
// every cryptographic call would cost more than the cryptography.
func (k *key) parsedPolicy() (*policyDocument, *apiError) {
	if k.policyCache == nil || k.policyCacheOf != k.policy {
		doc, err := parsePolicy(k.policy)
		if err != nil {
			return nil, err
		}
		k.policyCache, k.policyCacheOf = doc, k.policy
	}
	return k.policyCache, nil
}

// lockoutCheck refuses a policy that would not let the caller change it again, unless the
// request bypasses the check, as real KMS does. doc is the policy, parsed already by the caller.
func lockoutCheck(c caller, policyText string, doc *policyDocument, bypass *bool) *apiError {
	if isTrue(bypass) {
		return nil
	}
	probe := &key{policy: policyText, policyCache: doc, policyCacheOf: policyText, account: c.account, region: c.region}
	if probe.authorize(c, "kms:PutKeyPolicy") != nil {
		return errPolicyLockout()
	}
	return nil
}

func getKeyPolicy(w *World, c caller, req *getKeyPolicyRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:GetKeyPolicy"))
	if err != nil {
		return nil, err
	}
	if name := stringOr(req.PolicyName, "default"); name != "default" {
		return nil, errPolicyNotFound()
	}
	return map[string]any{"Policy": k.policy, "PolicyName": "default"}, nil
}

func putKeyPolicy(w *World, c caller, req *putKeyPolicyRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:PutKeyPolicy"))
	if err != nil {
		return nil, err
	}
	if name := stringOr(req.PolicyName, "default"); name != "default" {
		return nil, errPolicyNotFound()
	}
	doc, err := parsePolicyToPut(*req.Policy)
	if err != nil {
		return nil, err
	}
	if err := lockoutCheck(c, *req.Policy, doc, req.BypassPolicyLockoutSafetyCheck); err != nil {
		return nil, err
	}
	k.policy = *req.Policy
	return struct{}{}, nil
}
