package kms

import (
	"sort"
	"strings"
	"time"
)

// alias is a friendly name for a key, in one account and region.
type alias struct {
	name        string
	targetKeyID string
	created     time.Time
	updated     time.Time
}

const aliasPattern = "^[a-zA-Z0-9:/_-]+$"

// validAliasChars is aliasPattern without a regexp: letters, digits and : / _ -.
func validAliasChars(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(":/_-", c)
		if !ok {
			return false
		}
	}
	return true
}

// validateAliasName adds the member constraints of an AliasName.
func validateAliasName(v *violations, name *string) {
	if !v.required("aliasName", name != nil) {
		return
	}
	v.str("aliasName", name, 1, 256)
	if !validAliasChars(*name) {
		v.add(quoted(*name), "aliasName", "Member must satisfy regular expression pattern: "+aliasPattern)
	}
}

// checkAliasNameRules: the alias/ prefix, then a name outside the reserved alias/aws/.
func checkAliasNameRules(name string) *apiError {
	if !strings.HasPrefix(name, "alias/") {
		return errAliasPrefix()
	}
	if strings.HasPrefix(name, "alias/aws/") {
		return errAliasReserved()
	}
	return nil
}

// aliasNameOf ends the validation of a request naming an alias: the counted ValidationException
// for all members collected in v, then the alias name rules. name is required, so it is set once
// v is empty.
func aliasNameOf(v *violations, name *string) (string, *apiError) {
	if err := v.err(); err != nil {
		return "", err
	}
	if err := checkAliasNameRules(*name); err != nil {
		return "", err
	}
	return *name, nil
}

type aliasRequest struct {
	AliasName   *string `json:"AliasName"`
	TargetKeyId *string `json:"TargetKeyId"`
}

// validAliasName validates a CreateAlias or UpdateAlias request and answers its alias name.
func (req *aliasRequest) validAliasName() (string, *apiError) {
	var v violations
	validateAliasName(&v, req.AliasName)
	v.requiredStr("targetKeyId", req.TargetKeyId, 1, 2048)
	return aliasNameOf(&v, req.AliasName)
}

// aliasTarget resolves an alias's target: a key ID or key ARN of the caller's account.
func (w *World) aliasTarget(c caller, given, action string) (*key, *apiError) {
	if strings.HasPrefix(given, "alias/") || strings.Contains(given, ":alias/") {
		return nil, errAliasToAlias()
	}
	k, err := w.findKey(c, given, managementRef(action))
	if err != nil {
		return nil, err
	}
	if err := k.checkNotPendingDeletion(); err != nil {
		return nil, err
	}
	return k, nil
}

func createAlias(w *World, c caller, req *aliasRequest) (any, *apiError) {
	name, err := req.validAliasName()
	if err != nil {
		return nil, err
	}
	r := w.regionOf(c.account, c.region)
	if r.aliases[name] != nil {
		return nil, errAliasExists(aliasARN(c.region, c.account, name))
	}
	k, err := w.aliasTarget(c, *req.TargetKeyId, "kms:CreateAlias")
	if err != nil {
		return nil, err
	}
	now := w.now().UTC()
	r.aliases[name] = &alias{name: name, targetKeyID: k.id, created: now, updated: now}
	return struct{}{}, nil
}

func updateAlias(w *World, c caller, req *aliasRequest) (any, *apiError) {
	name, err := req.validAliasName()
	if err != nil {
		return nil, err
	}
	r := w.regionOf(c.account, c.region)
	a := r.aliases[name]
	if a == nil {
		return nil, errAliasNotFound(aliasARN(c.region, c.account, name))
	}
	k, err := w.aliasTarget(c, *req.TargetKeyId, "kms:UpdateAlias")
	if err != nil {
		return nil, err
	}
	// An alias keeps pointing at the same kind of key: same usage, same spec.
	if old := r.keys[a.targetKeyID]; old != nil {
		if old.usage != k.usage {
			return nil, errAliasUsageChange(name, old.usage, k.usage)
		}
		if old.spec != k.spec {
			return nil, errAliasSpecChange(name, old.spec, k.spec)
		}
	}
	a.targetKeyID = k.id
	a.updated = w.now().UTC()
	return struct{}{}, nil
}

type deleteAliasRequest struct {
	AliasName *string `json:"AliasName"`
}

func deleteAlias(w *World, c caller, req *deleteAliasRequest) (any, *apiError) {
	var v violations
	validateAliasName(&v, req.AliasName)
	name, err := aliasNameOf(&v, req.AliasName)
	if err != nil {
		return nil, err
	}
	r := w.regionOf(c.account, c.region)
	if r.aliases[name] == nil {
		return nil, errAliasNotFound(aliasARN(c.region, c.account, name))
	}
	delete(r.aliases, name)
	return struct{}{}, nil
}

type listAliasesRequest struct {
	KeyId  *string `json:"KeyId"`
	Limit  *int    `json:"Limit"`
	Marker *string `json:"Marker"`
}

type aliasListEntry struct {
	AliasName       string    `json:"AliasName"`
	AliasArn        string    `json:"AliasArn"`
	TargetKeyId     string    `json:"TargetKeyId"`
	CreationDate    epochTime `json:"CreationDate"`
	LastUpdatedDate epochTime `json:"LastUpdatedDate"`
}

func listAliases(w *World, c caller, req *listAliasesRequest) (any, *apiError) {
	var v violations
	v.str("keyId", req.KeyId, 1, 2048)
	v.intRange("limit", req.Limit, 1, 100)
	v.str("marker", req.Marker, 1, 320)
	if err := v.err(); err != nil {
		return nil, err
	}
	r := w.regionOf(c.account, c.region)
	filter := ""
	if req.KeyId != nil {
		k, err := w.findKey(c, *req.KeyId, managementRef("kms:ListAliases"))
		if err != nil {
			return nil, err
		}
		filter = k.id
	}
	names := make([]string, 0, len(r.aliases))
	for name, a := range r.aliases {
		if filter == "" || a.targetKeyID == filter {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	page, next, err := paginate(len(names), req.Limit, req.Marker)
	if err != nil {
		return nil, err
	}
	entries := make([]aliasListEntry, 0, page.end-page.start)
	for _, name := range names[page.start:page.end] {
		a := r.aliases[name]
		entries = append(entries, aliasListEntry{
			AliasName: name, AliasArn: aliasARN(c.region, c.account, name), TargetKeyId: a.targetKeyID,
			CreationDate: epochTime(a.created), LastUpdatedDate: epochTime(a.updated),
		})
	}
	return pageAnswer("Aliases", entries, next), nil
}
