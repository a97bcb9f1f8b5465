package kms

import (
	"encoding/base64"
	"encoding/hex"
	"io"
	"sort"
	"time"
)

// grant lets a grantee principal use a key for some operations.
type grant struct {
	id                string
	token             string
	name              string
	keyID             string
	grantee, retiring string
	issuingAccount    string
	operations        []string
	created           time.Time
}

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
// ("kms:Encrypt").
func (k *key) grantAllows(principal, action string) bool {
	for _, g := range k.grants {
		if g.grantee != principal {
			continue
		}
		for _, op := range g.operations {
			if "kms:"+op == action {
				return true
			}
		}
	}
	return false
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
	k, err := w.keyForOperation(c, &v, req.KeyId, req.GrantTokens, keyRef{action: "kms:CreateGrant", crossAccount: true})
	if err != nil {
		return nil, err
	}
	if err := k.checkNotPendingDeletion(); err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	id, idErr := randomText(w.rand, 32, hex.EncodeToString)
	token, tokenErr := randomText(w.rand, 96, base64.RawURLEncoding.EncodeToString)
	if idErr != nil || tokenErr != nil {
		return nil, errInternal("generating a grant")
	}
	g := &grant{id: id, token: token, keyID: k.id, grantee: *req.GranteePrincipal, issuingAccount: rootPrincipal(c.partition(), c.account),
		operations: append([]string(nil), req.Operations...), created: w.now().UTC()}
	if req.Name != nil {
		g.name = *req.Name
	}
	if req.RetiringPrincipal != nil {
		g.retiring = *req.RetiringPrincipal
	}
	k.grants = append(k.grants, g)
	w.grantTokens[token] = id
	return map[string]any{"GrantToken": token, "GrantId": id}, nil
}

type grantListEntry struct {
	KeyId             string    `json:"KeyId"`
	GrantId           string    `json:"GrantId"`
	Name              string    `json:"Name,omitempty"`
	CreationDate      epochTime `json:"CreationDate"`
	GranteePrincipal  string    `json:"GranteePrincipal"`
	RetiringPrincipal string    `json:"RetiringPrincipal,omitempty"`
	IssuingAccount    string    `json:"IssuingAccount"`
	Operations        []string  `json:"Operations"`
}

func listGrants(w *World, c caller, req *listGrantsRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, keyRef{action: "kms:ListGrants", crossAccount: true})
	if err != nil {
		return nil, err
	}
	var selected []*grant
	for _, g := range k.grants {
		if (req.GrantId == nil || *req.GrantId == g.id) && (req.GranteePrincipal == nil || *req.GranteePrincipal == g.grantee) {
			selected = append(selected, g)
		}
	}
	sort.SliceStable(selected, func(a, b int) bool { return selected[a].created.Before(selected[b].created) })
	page, next, perr := paginate(len(selected), req.Limit, req.Marker)
	if perr != nil {
		return nil, perr
	}
	entries := make([]grantListEntry, 0, page.end-page.start)
	for _, g := range selected[page.start:page.end] {
		entries = append(entries, grantListEntry{KeyId: k.arn(), GrantId: g.id, Name: g.name, CreationDate: epochTime(g.created),
			GranteePrincipal: g.grantee, RetiringPrincipal: g.retiring, IssuingAccount: g.issuingAccount, Operations: g.operations})
	}
	return pageAnswer("Grants", entries, next), nil
}

func revokeGrant(w *World, c caller, req *revokeGrantRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, keyRef{action: "kms:RevokeGrant", crossAccount: true})
	if err != nil {
		return nil, err
	}
	for i, g := range k.grants {
		if g.id != *req.GrantId {
			continue
		}
		if isTrue(req.DryRun) {
			return nil, errDryRun()
		}
		k.grants = append(k.grants[:i:i], k.grants[i+1:]...)
		delete(w.grantTokens, g.token)
		return struct{}{}, nil
	}
	return nil, errGrantNotFound(*req.GrantId)
}
