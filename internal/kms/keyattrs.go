package kms

import "strings"

// Key attributes that are not material: description and tags.

// maxTags is AWS's limit of tags per key.
const maxTags = 50

// checkTags answers AWS's TagException for tags a key cannot have (LocalStack's recordings of AWS): a
// key beginning with aws: in any case, a key given twice, more than maxTags in all once existing ones
// (whose keys the new tags do not replace) are counted.
func checkTags(existing, added []tag) *apiError {
	seen := map[string]bool{}
	for _, t := range added {
		if strings.HasPrefix(strings.ToLower(*t.TagKey), "aws:") {
			return errTagReserved()
		}
		if seen[*t.TagKey] {
			return errTagDuplicate()
		}
		seen[*t.TagKey] = true
	}
	total := len(seen)
	for _, t := range existing {
		if !seen[*t.TagKey] {
			total++
		}
	}
	if total > maxTags {
		return errTooManyTags()
	}
	return nil
}

func updateKeyDescription(w *World, c caller, req *updateKeyDescriptionRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:UpdateKeyDescription"))
	if err != nil {
		return nil, err
	}
	if err := k.checkNotPendingDeletion(); err != nil {
		return nil, err
	}
	k.description = *req.Description
	return struct{}{}, nil
}

func tagResource(w *World, c caller, req *tagResourceRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:TagResource"))
	if err != nil {
		return nil, err
	}
	if err := k.checkNotPendingDeletion(); err != nil {
		return nil, err
	}
	if err := checkTags(k.tags, req.Tags); err != nil {
		return nil, err
	}
	// A tag whose key exists replaces its value; new tags come last.
	for _, t := range req.Tags {
		replaced := false
		for i := range k.tags {
			if *k.tags[i].TagKey == *t.TagKey {
				k.tags[i].TagValue = t.TagValue
				replaced = true
			}
		}
		if !replaced {
			k.tags = append(k.tags, t)
		}
	}
	return struct{}{}, nil
}

func untagResource(w *World, c caller, req *untagResourceRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:UntagResource"))
	if err != nil {
		return nil, err
	}
	if err := k.checkNotPendingDeletion(); err != nil {
		return nil, err
	}
	kept := k.tags[:0:0]
	for _, t := range k.tags {
		if !contains(req.TagKeys, *t.TagKey) {
			kept = append(kept, t)
		}
	}
	k.tags = kept
	return struct{}{}, nil
}

func listResourceTags(w *World, c caller, req *listResourceTagsRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:ListResourceTags"))
	if err != nil {
		return nil, err
	}
	page, next, perr := paginate(len(k.tags), req.Limit, req.Marker)
	if perr != nil {
		return nil, perr
	}
	tags := append([]tag{}, k.tags[page.start:page.end]...)
	return pageAnswer("Tags", tags, next), nil
}

// listKeyPolicies: every key has exactly one policy, named default.
func listKeyPolicies(w *World, c caller, req *listKeyPoliciesRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if _, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:ListKeyPolicies")); err != nil {
		return nil, err
	}
	page, next, perr := paginate(1, req.Limit, req.Marker)
	if perr != nil {
		return nil, perr
	}
	names := []string{"default"}[page.start:page.end]
	return pageAnswer("PolicyNames", names, next), nil
}
