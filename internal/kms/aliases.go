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

// request is any generated request: its validate adds the model's violations.
type request interface{ validate(*violations) }

// validAliasName validates an alias operation's request and answers its alias name.
func validAliasName(req request, name *string) (string, *apiError) {
	var v violations
	req.validate(&v)
	return aliasNameOf(&v, name)
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

func createAlias(w *World, c caller, req *createAliasRequest) (any, *apiError) {
	name, err := validAliasName(req, req.AliasName)
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
	w.regionToChange(c.account, c.region).aliases[name] = &alias{name: name, targetKeyID: k.id, created: now, updated: now}
	w.aliasChanged(c.account, c.region, name)
	return struct{}{}, nil
}

func updateAlias(w *World, c caller, req *updateAliasRequest) (any, *apiError) {
	name, err := validAliasName(req, req.AliasName)
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
	w.aliasChanged(c.account, c.region, name)
	return struct{}{}, nil
}

func deleteAlias(w *World, c caller, req *deleteAliasRequest) (any, *apiError) {
	name, err := validAliasName(req, req.AliasName)
	if err != nil {
		return nil, err
	}
	r := w.regionOf(c.account, c.region)
	if r.aliases[name] == nil {
		return nil, errAliasNotFound(aliasARN(c.region, c.account, name))
	}
	delete(r.aliases, name)
	w.aliasChanged(c.account, c.region, name)
	return struct{}{}, nil
}

type aliasListEntry struct {
	AliasName       string     `json:"AliasName"`
	AliasArn        string     `json:"AliasArn"`
	TargetKeyId     string     `json:"TargetKeyId,omitempty"`     // absent for a predefined alias/aws/ alias without its key yet
	CreationDate    *epochTime `json:"CreationDate,omitempty"`    // likewise
	LastUpdatedDate *epochTime `json:"LastUpdatedDate,omitempty"` // likewise
}

func listAliases(w *World, c caller, req *listAliasesRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
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
	if filter == "" {
		names = withPredefinedAliases(names, r) // managed.go
	}
	sort.Strings(names)
	page, next, err := paginate(len(names), req.Limit, req.Marker)
	if err != nil {
		return nil, err
	}
	entries := make([]aliasListEntry, 0, page.end-page.start)
	for _, name := range names[page.start:page.end] {
		entry := aliasListEntry{AliasName: name, AliasArn: aliasARN(c.region, c.account, name)}
		if a := r.aliases[name]; a != nil {
			created, updated := epochTime(a.created), epochTime(a.updated)
			entry.TargetKeyId, entry.CreationDate, entry.LastUpdatedDate = a.targetKeyID, &created, &updated
		}
		entries = append(entries, entry)
	}
	return pageAnswer("Aliases", entries, next), nil
}
