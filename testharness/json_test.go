package testharness

import "encoding/json"

// jsonString reads the string at a path of object members in a JSON document ("" if absent).
func jsonString(doc []byte, path ...string) string {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return ""
	}
	for _, member := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = obj[member]
	}
	s, _ := v.(string)
	return s
}
