package kms

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// markerPrefix makes markers opaque and recognisable: a marker this service did not hand out is
// InvalidMarkerException, as in AWS.
const markerPrefix = "wasmkms-page:"

type pageRange struct{ start, end int }

// paginate answers the slice of a list of total items that a Limit (default 100) and Marker
// select, and the marker of the next page ("" on the last page).
func paginate(total int, limit *int, marker *string) (pageRange, string, *apiError) {
	start := 0
	if marker != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*marker)
		if err != nil || !strings.HasPrefix(string(raw), markerPrefix) {
			return pageRange{}, "", errInvalidMarker()
		}
		n, err := strconv.Atoi(strings.TrimPrefix(string(raw), markerPrefix))
		if err != nil || n < 0 {
			return pageRange{}, "", errInvalidMarker()
		}
		start = min(n, total)
	}
	size := 100
	if limit != nil {
		size = *limit
	}
	end := min(start+size, total)
	next := ""
	if end < total {
		next = base64.RawURLEncoding.EncodeToString([]byte(markerPrefix + strconv.Itoa(end)))
	}
	return pageRange{start, end}, next, nil
}

// pageAnswer is a List operation's answer: the page's items under the member's name, Truncated, and
// NextMarker when another page follows.
func pageAnswer(member string, items any, next string) map[string]any {
	out := map[string]any{member: items, "Truncated": next != ""}
	if next != "" {
		out["NextMarker"] = next
	}
	return out
}
