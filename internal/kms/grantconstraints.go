package kms

import (
	"fmt"
	"strings"
)

// Grant constraints (GrantConstraints): a grant with EncryptionContextEquals allows its cryptographic
// operations only when the request's encryption context is exactly that one; with
// EncryptionContextSubset, only when the request's context contains those pairs. In a constraint the
// key of a pair is not case sensitive and the value is (the model's GrantConstraints documentation).
// A map that is present but empty is a constraint (Equals {} asks for no context at all), so the two
// members are told apart by nil, as the request decodes them.

// contextGrantOperations are the grant operations that take an encryption context: the ones a
// constraint applies to.
var contextGrantOperations = map[string]bool{
	"Encrypt": true, "Decrypt": true, "ReEncryptFrom": true, "ReEncryptTo": true,
	"GenerateDataKey": true, "GenerateDataKeyWithoutPlaintext": true,
	"GenerateDataKeyPair": true, "GenerateDataKeyPairWithoutPlaintext": true,
}

// constrainedGrantOperations are the other operations a grant with constraints may allow: the
// constraint does not apply to DescribeKey and RetireGrant, and CreateGrant may only create grants
// as strict (the model's CreateGrantRequest Constraints documentation).
var constrainedGrantOperations = map[string]bool{"DescribeKey": true, "RetireGrant": true, "CreateGrant": true}

// Limits the CreateGrant documentation gives: up to 8 pairs in each constraint, and values of up to
// 384 characters (read as each value; the documentation's wording allows reading it as the whole
// constraint, which would be stricter).
const (
	maxConstraintPairs       = 8
	maxConstraintValueLength = 384
)

// grantScope is what a request offers the constraints of the key's grants.
type grantScope struct {
	// context is the request's encryption context (nil: none), for the operations that take one.
	context map[string]string
	// constraints are those of the grant a CreateGrant request would create (nil: none).
	constraints *grantConstraints
}

// normalizedConstraints answers the request's Constraints, or nil when it sets neither member (no
// constraint at all).
func normalizedConstraints(c *grantConstraints) *grantConstraints {
	if c == nil || c.EncryptionContextEquals == nil && c.EncryptionContextSubset == nil {
		return nil
	}
	return &grantConstraints{EncryptionContextEquals: copyContext(c.EncryptionContextEquals),
		EncryptionContextSubset: copyContext(c.EncryptionContextSubset)}
}

func copyContext(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// checkConstraints answers the ValidationException of constraints (normalized, nil: none) that a
// grant with these operations cannot have; key-independent, so it comes before the key is looked up.
func checkConstraints(operations []string, c *grantConstraints) *apiError {
	if c == nil {
		return nil
	}
	if c.EncryptionContextEquals != nil && c.EncryptionContextSubset != nil {
		return errMoreThanOneConstraint()
	}
	for _, op := range operations {
		if !contextGrantOperations[op] && !constrainedGrantOperations[op] {
			return errConstraintOperation(op)
		}
	}
	pairs := c.EncryptionContextEquals
	if pairs == nil {
		pairs = c.EncryptionContextSubset
	}
	if len(pairs) > maxConstraintPairs {
		return errConstraintTooManyPairs(maxConstraintPairs)
	}
	for _, v := range pairs {
		if len([]rune(v)) > maxConstraintValueLength {
			return errConstraintValueTooLong(maxConstraintValueLength)
		}
	}
	return nil
}

// includesPairs reports whether every pair of want is in have: the key compared without case, the
// value exactly.
func includesPairs(have, want map[string]string) bool {
	for wk, wv := range want {
		found := false
		for hk, hv := range have {
			if hv == wv && strings.EqualFold(hk, wk) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// samePairs reports whether a and b hold the same pairs, keys compared without case.
func samePairs(a, b map[string]string) bool {
	return len(a) == len(b) && includesPairs(a, b) && includesPairs(b, a)
}

// allowsContext reports whether a request's encryption context meets the constraints.
func (c *grantConstraints) allowsContext(context map[string]string) bool {
	if c.EncryptionContextEquals != nil {
		return samePairs(context, c.EncryptionContextEquals)
	}
	return includesPairs(context, c.EncryptionContextSubset)
}

// allowsGrant reports whether a grant with constraints child is equally strict or stricter than c:
// what a grant with constraints that allows CreateGrant lets its grantee create.
func (c *grantConstraints) allowsGrant(child *grantConstraints) bool {
	switch {
	case child == nil:
		return false
	case c.EncryptionContextEquals != nil:
		return child.EncryptionContextEquals != nil && samePairs(child.EncryptionContextEquals, c.EncryptionContextEquals)
	case child.EncryptionContextEquals != nil:
		return includesPairs(child.EncryptionContextEquals, c.EncryptionContextSubset)
	}
	return includesPairs(child.EncryptionContextSubset, c.EncryptionContextSubset)
}

// equalConstraints reports whether two normalized constraints are the same, exactly (CreateGrant's
// idempotence by Name compares the parameters).
func equalConstraints(a, b *grantConstraints) bool {
	if a == nil || b == nil {
		return a == b
	}
	return equalMaps(a.EncryptionContextEquals, b.EncryptionContextEquals) && equalMaps(a.EncryptionContextSubset, b.EncryptionContextSubset)
}

func equalMaps(a, b map[string]string) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

// constraintsAnswer is GrantConstraints in a ListGrants answer: a present empty map stays present.
type constraintsAnswer struct {
	EncryptionContextSubset *map[string]string `json:"EncryptionContextSubset,omitempty"`
	EncryptionContextEquals *map[string]string `json:"EncryptionContextEquals,omitempty"`
}

func answerConstraints(c *grantConstraints) *constraintsAnswer {
	if c == nil {
		return nil
	}
	out := &constraintsAnswer{}
	if c.EncryptionContextSubset != nil {
		out.EncryptionContextSubset = &c.EncryptionContextSubset
	}
	if c.EncryptionContextEquals != nil {
		out.EncryptionContextEquals = &c.EncryptionContextEquals
	}
	return out
}

// exportConstraints and importConstraints move a grant's constraints through the state document
// (state.go); an imported grant's constraints must be ones CreateGrant would have accepted.
func exportConstraints(c *grantConstraints) *grantConstraintsState {
	if c == nil {
		return nil
	}
	out := &grantConstraintsState{}
	if c.EncryptionContextEquals != nil {
		out.EncryptionContextEquals = &c.EncryptionContextEquals
	}
	if c.EncryptionContextSubset != nil {
		out.EncryptionContextSubset = &c.EncryptionContextSubset
	}
	return out
}

func importConstraints(s *grantConstraintsState, operations []string, spec *keySpec) (*grantConstraints, error) {
	if s == nil {
		return nil, nil
	}
	c := &grantConstraints{}
	if s.EncryptionContextEquals != nil {
		c.EncryptionContextEquals = copyContext(*s.EncryptionContextEquals)
	}
	if s.EncryptionContextSubset != nil {
		c.EncryptionContextSubset = copyContext(*s.EncryptionContextSubset)
	}
	if (c.EncryptionContextEquals == nil) == (c.EncryptionContextSubset == nil) {
		return nil, fmt.Errorf("constraints need exactly one of encryptionContextEquals and encryptionContextSubset")
	}
	if err := checkConstraints(operations, c); err != nil {
		return nil, fmt.Errorf("constraints: %s", err.message)
	}
	if spec.family != familySymmetric {
		return nil, fmt.Errorf("constraints on a key that is not symmetric")
	}
	return c, nil
}
