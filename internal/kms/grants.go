package kms

import (
	"encoding/base64"
	"encoding/hex"
	"io"
	"sort"
	"strings"
	"time"
)

// grant lets a grantee principal use a key for some operations.
type grant struct {
	id string
	// tokens are every grant token CreateGrant answered for the grant: a retried CreateGrant with a
	// Name answers the same grant with a new token, and all of them stay valid (the model's
	// CreateGrantRequest Name documentation).
	tokens            []string
	name              string
	keyID             string
	grantee, retiring string
	issuingAccount    string
	operations        []string
	constraints       *grantConstraints // nil: none; else exactly one of its members is set
	created           time.Time
}

// grantListDefaultLimit: ListGrants and ListRetirableGrants answer 50 grants without Limit (the
// model's documentation of both Limit members).
const grantListDefaultLimit = 50

// checkGrantTokens: every grant token must name a live grant of this world, else
// InvalidGrantTokenException (after syntactic validation).
func (w *World) checkGrantTokens(tokens []string) *apiError {
	for _, t := range tokens {
		if _, ok := w.grantTokens[t]; !ok {
			return errInvalidGrantToken()
		}
	}
	return nil
}

// grantAllows reports whether one of the key's grants lets the principal do the action
// ("kms:Encrypt") for a request that offers scope to the grants' constraints.
func (k *key) grantAllows(principal, action string, scope grantScope) bool {
	for _, g := range k.grants {
		if g.allows(principal, action, scope) {
			return true
		}
	}
	return false
}

// allows reports whether the grant lets the principal do the action. A grant's constraints apply to
// the operations that take an encryption context, and to CreateGrant, which may only create grants as
// strict; not to DescribeKey and RetireGrant.
func (g *grant) allows(principal, action string, scope grantScope) bool {
	op, ok := strings.CutPrefix(action, "kms:")
	if g.grantee != principal || !ok || !contains(g.operations, op) {
		return false
	}
	switch {
	case g.constraints == nil:
		return true
	case contextGrantOperations[op]:
		return g.constraints.allowsContext(scope.context)
	case op == "CreateGrant":
		return g.constraints.allowsGrant(scope.constraints)
	}
	return true
}

// retirableBy reports whether the principal may retire the grant of key k: its retiring principal,
// its grantee when the grant allows RetireGrant, and the key's account (the model's RetireGrant
// documentation).
func (g *grant) retirableBy(principal string, k *key) bool {
	return g.retiring != "" && principal == g.retiring ||
		principal == g.grantee && contains(g.operations, "RetireGrant") ||
		principal == rootPrincipal(partitionOf(k.region), k.account)
}

// sameRequest reports whether the grant is what a CreateGrant with these parameters would make: a
// retried CreateGrant with a Name answers the existing grant. Operations compare as sets.
func (g *grant) sameRequest(name, grantee, retiring string, operations []string, constraints *grantConstraints) bool {
	if g.name != name || g.grantee != grantee || g.retiring != retiring || !equalConstraints(g.constraints, constraints) {
		return false
	}
	for _, op := range operations {
		if !contains(g.operations, op) {
			return false
		}
	}
	for _, op := range g.operations {
		if !contains(operations, op) {
			return false
		}
	}
	return true
}

// removeGrant deletes a grant of key k and forgets its tokens.
func (w *World) removeGrant(k *key, g *grant) {
	for i, x := range k.grants {
		if x == g {
			k.grants = append(k.grants[:i:i], k.grants[i+1:]...)
			break
		}
	}
	w.grantChanged(k, g.id)
	for _, t := range g.tokens {
		delete(w.grantTokens, t)
	}
}

func randomText(r io.Reader, n int, encode func([]byte) string) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return encode(b), nil
}

func createGrant(w *World, c caller, req *createGrantRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	// Not keyForOperation at once: the checks of the request alone come between validation and the
	// grant tokens.
	if err := v.err(); err != nil {
		return nil, err
	}
	if onlyCreateGrant(req.Operations) {
		return nil, errGrantOnlyCreateGrant()
	}
	constraints := normalizedConstraints(req.Constraints)
	if err := checkConstraints(req.Operations, constraints); err != nil {
		return nil, err
	}
	ref := keyRef{action: "kms:CreateGrant", crossAccount: true, scope: grantScope{constraints: constraints}}
	k, err := w.keyForOperation(c, &v, req.KeyId, req.GrantTokens, ref)
	if err != nil {
		return nil, err
	}
	if err := k.checkNotPendingDeletion(); err != nil {
		return nil, err
	}
	if constraints != nil && k.keySpec().family != familySymmetric {
		return nil, errConstraintKeySpec(k.spec)
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	token, tokenErr := randomText(w.rand, 96, base64.RawURLEncoding.EncodeToString)
	if tokenErr != nil {
		return nil, errInternal("generating a grant token")
	}
	name, retiring := stringOr(req.Name, ""), stringOr(req.RetiringPrincipal, "")
	if name != "" {
		for _, g := range k.grants {
			if g.sameRequest(name, *req.GranteePrincipal, retiring, req.Operations, constraints) {
				g.tokens = append(g.tokens, token)
				w.grantTokens[token] = g.id
				w.grantChanged(k, g.id)
				return map[string]any{"GrantToken": token, "GrantId": g.id}, nil
			}
		}
	}
	id, idErr := randomText(w.rand, 32, hex.EncodeToString)
	if idErr != nil {
		return nil, errInternal("generating a grant")
	}
	g := &grant{id: id, tokens: []string{token}, name: name, keyID: k.id, grantee: *req.GranteePrincipal, retiring: retiring,
		issuingAccount: rootPrincipal(c.partition(), c.account), operations: append([]string(nil), req.Operations...),
		constraints: constraints, created: w.now().UTC()}
	k.grants = append(k.grants, g)
	w.grantTokens[token] = id
	w.grantChanged(k, id)
	return map[string]any{"GrantToken": token, "GrantId": id}, nil
}

// onlyCreateGrant: a grant must allow something besides CreateGrant.
func onlyCreateGrant(operations []string) bool {
	for _, op := range operations {
		if op != "CreateGrant" {
			return false
		}
	}
	return len(operations) > 0
}

type grantListEntry struct {
	KeyId             string             `json:"KeyId"`
	GrantId           string             `json:"GrantId"`
	Name              string             `json:"Name,omitempty"`
	CreationDate      epochTime          `json:"CreationDate"`
	GranteePrincipal  string             `json:"GranteePrincipal"`
	RetiringPrincipal string             `json:"RetiringPrincipal,omitempty"`
	IssuingAccount    string             `json:"IssuingAccount"`
	Operations        []string           `json:"Operations"`
	Constraints       *constraintsAnswer `json:"Constraints,omitempty"`
}

func (g *grant) listEntry(k *key) grantListEntry {
	return grantListEntry{KeyId: k.arn(), GrantId: g.id, Name: g.name, CreationDate: epochTime(g.created),
		GranteePrincipal: g.grantee, RetiringPrincipal: g.retiring, IssuingAccount: g.issuingAccount, Operations: g.operations,
		Constraints: answerConstraints(g.constraints)}
}

// keyGrant is a grant with its key, for lists that span keys.
type keyGrant struct {
	k *key
	g *grant
}

// grantPage answers one page of grants (in creation order) as ListGrants does.
func grantPage(grants []keyGrant, limit *int, marker *string) (any, *apiError) {
	sort.SliceStable(grants, func(a, b int) bool { return grants[a].g.created.Before(grants[b].g.created) })
	if limit == nil {
		n := grantListDefaultLimit
		limit = &n
	}
	page, next, err := paginate(len(grants), limit, marker)
	if err != nil {
		return nil, err
	}
	entries := make([]grantListEntry, 0, page.end-page.start)
	for _, kg := range grants[page.start:page.end] {
		entries = append(entries, kg.g.listEntry(kg.k))
	}
	return pageAnswer("Grants", entries, next), nil
}

func listGrants(w *World, c caller, req *listGrantsRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, keyRef{action: "kms:ListGrants", crossAccount: true})
	if err != nil {
		return nil, err
	}
	var selected []keyGrant
	for _, g := range k.grants {
		if (req.GrantId == nil || *req.GrantId == g.id) && (req.GranteePrincipal == nil || *req.GranteePrincipal == g.grantee) {
			selected = append(selected, keyGrant{k, g})
		}
	}
	return grantPage(selected, req.Limit, req.Marker)
}

// listRetirableGrants answers the grants whose retiring principal is the given one, on the keys of
// every account in the caller's region (the model's documentation: grants on keys of other accounts
// are included, and no permission on those keys is needed).
func listRetirableGrants(w *World, c caller, req *listRetirableGrantsRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	var accounts []string
	for rid := range w.regions {
		if rid.region == c.region {
			accounts = append(accounts, rid.account)
		}
	}
	sort.Strings(accounts)
	var selected []keyGrant
	for _, account := range accounts {
		r := w.regions[regionID{account, c.region}]
		for _, id := range r.keyOrder {
			k := r.keys[id]
			for _, g := range k.grants {
				if g.retiring == *req.RetiringPrincipal {
					selected = append(selected, keyGrant{k, g})
				}
			}
		}
	}
	return grantPage(selected, req.Limit, req.Marker)
}

func revokeGrant(w *World, c caller, req *revokeGrantRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, keyRef{action: "kms:RevokeGrant", crossAccount: true})
	if err != nil {
		return nil, err
	}
	g := k.grantByID(*req.GrantId)
	if g == nil {
		return nil, errGrantNotFound(*req.GrantId)
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	w.removeGrant(k, g)
	return struct{}{}, nil
}

func (k *key) grantByID(id string) *grant {
	for _, g := range k.grants {
		if g.id == id {
			return g
		}
	}
	return nil
}

// retireGrant deletes a grant named by its token, or by KeyId and GrantId. Who may is decided by the
// grant (retirableBy), not by the key policy.
func retireGrant(w *World, c caller, req *retireGrantRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, g, err := w.grantToRetire(c, req)
	if err != nil {
		return nil, err
	}
	if !g.retirableBy(c.principal, k) {
		// The form of AWS's AccessDeniedException (policy.go authorize); AWS's words for a RetireGrant
		// refusal are not recorded.
		kind := "resource-based"
		if c.account == k.account {
			kind = "identity-based"
		}
		return nil, errNotAuthorized(c.principal, "kms:RetireGrant", k.arn(), kind)
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	w.removeGrant(k, g)
	return struct{}{}, nil
}

// grantToRetire finds the grant a RetireGrant request names: by GrantToken (a KeyId or GrantId given
// with it must name the same grant), else by KeyId (key ID or key ARN) and GrantId together.
func (w *World) grantToRetire(c caller, req *retireGrantRequest) (*key, *grant, *apiError) {
	if req.GrantToken == nil && (req.KeyId == nil || req.GrantId == nil) {
		return nil, nil, errRetireGrantTarget()
	}
	var k *key
	if req.KeyId != nil {
		var err *apiError
		if k, err = w.lookupKey(c, *req.KeyId, keyRef{action: "kms:RetireGrant", crossAccount: true}); err != nil {
			return nil, nil, err
		}
	}
	if req.GrantToken == nil {
		g := k.grantByID(*req.GrantId)
		if g == nil {
			return nil, nil, errGrantNotFound(*req.GrantId)
		}
		return k, g, nil
	}
	tk, g := w.grantOfToken(c.region, *req.GrantToken)
	if g == nil {
		return nil, nil, errInvalidGrantToken()
	}
	if k != nil && k != tk || req.GrantId != nil && *req.GrantId != g.id {
		return nil, nil, errRetireGrantMismatch()
	}
	return tk, g, nil
}

// grantOfToken answers the grant a token names and its key, among the keys of the region (a KMS
// endpoint retires the grants of its own region).
func (w *World) grantOfToken(regionName, token string) (*key, *grant) {
	id, ok := w.grantTokens[token]
	if !ok {
		return nil, nil
	}
	for rid, r := range w.regions {
		if rid.region != regionName {
			continue
		}
		for _, k := range r.keys {
			if g := k.grantByID(id); g != nil {
				w.keyLookedUp(k)
				return k, g
			}
		}
	}
	return nil, nil
}
