package kms

// ListKeys' page cache: a region's entries as ListKeys writes them ({"KeyId":"…","KeyArn":"…"}, joined
// by commas), each written once and kept, so that a page is one copy of its part. Written key by key
// for every page, a page of 100 took six appends a key (in the module each a call into the runtime's
// memmove) and a copy of its IDs for the journal: most of what a page cost in the module.
//
// The cache is right while the region's keyOrder is the slice it was written from, or that slice
// appended to: keyOrder's array is never written below its length (world.go), so the same first
// element, a length no smaller and the same last ID written say so; anything else (a key deleted, the
// world loaded) starts it again. It is written only under the world's lock, and the bytes it hands out
// are never written again (the cache grows past every length handed out, or starts over in new
// arrays), so the journal keeps a page without a copy.
type keyListCache struct {
	order []string // the part of keyOrder written
	last  string   // its last ID, kept apart from keyOrder's array
	json  []byte
	ends  []int // ends[i]: where order[i]'s entry ends in json; the next begins after a comma
}

// keyListPage answers the entries of keyOrder[start:end], joined by commas, for keys whose ARN is
// prefix and the ID (the region's account and Region: the same for every key in it).
func (r *region) keyListPage(prefix string, start, end int) []byte {
	if start >= end {
		return nil // nothing is written to an empty region (noRegion is every one of them)
	}
	c := &r.keyList
	if len(c.order) == 0 || len(c.order) > len(r.keyOrder) || &c.order[0] != &r.keyOrder[0] ||
		r.keyOrder[len(c.order)-1] != c.last { // the last ID kept apart: a key taken back and another appended
		const entryLength = len(`,{"KeyId":"","KeyArn":""}`) + 2*36 // a UUID, or mrk- and 32 hex digits
		*c = keyListCache{json: make([]byte, 0, len(r.keyOrder)*(entryLength+len(prefix))), ends: make([]int, 0, len(r.keyOrder))}
	}
	for i := len(c.order); i < end; i++ {
		if i > 0 {
			c.json = append(c.json, ',')
		}
		c.json = appendKeyListEntry(c.json, prefix, r.keyOrder[i])
		c.ends = append(c.ends, len(c.json))
	}
	if len(c.order) < end {
		c.order, c.last = r.keyOrder[:end], r.keyOrder[end-1]
	}
	from := 0
	if start > 0 {
		from = c.ends[start-1] + 1
	}
	to := c.ends[end-1]
	return c.json[from:to:to]
}

// appendKeyListEntry writes one key's entry as json.Marshal writes ListKeys' {KeyId, KeyArn}.
func appendKeyListEntry(dst []byte, prefix, id string) []byte {
	if !plainJSON(prefix) || !plainJSON(id) {
		dst = append(dst, `{"KeyId":`...)
		dst = appendJSONString(dst, id)
		dst = append(dst, `,"KeyArn":`...)
		dst = appendJSONString(dst, prefix+id)
		return append(dst, '}')
	}
	dst = append(dst, `{"KeyId":"`...)
	dst = append(dst, id...)
	dst = append(dst, `","KeyArn":"`...)
	dst = append(dst, prefix...)
	dst = append(dst, id...)
	return append(dst, `"}`...)
}
