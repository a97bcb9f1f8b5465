package kms

import (
	"strconv"
	"strings"
)

// violations collects AWS-format validation messages in member order:
// "Value 'x' at 'keyId' failed to satisfy constraint: Member must ...". Values of sensitive
// members (Plaintext) are not shown: "Value at 'plaintext' failed ...".
type violations struct{ list []string }

func itoa(n int) string { return strconv.Itoa(n) }

func (v *violations) add(shown string, path, constraint string) {
	v.list = append(v.list, shown+" at '"+path+"' failed to satisfy constraint: "+constraint)
}

func quoted(s string) string { return "Value '" + s + "'" }

// required records a missing required member.
func (v *violations) required(path string, present bool) bool {
	if !present {
		v.add("Value null", path, "Member must not be null")
	}
	return present
}

// str checks an optional string member's length (in characters, as Java counts UTF-16 units;
// the difference only matters beyond the BMP and is ignored here).
func (v *violations) str(path string, s *string, min, max int) {
	if s != nil {
		v.length(quoted(*s), path, len([]rune(*s)), min, max)
	}
}

// secretStr checks a sensitive string member's length without showing its value.
func (v *violations) secretStr(path string, s *string, min, max int) {
	if s != nil {
		v.length("Value", path, len([]rune(*s)), min, max)
	}
}

// length adds the length violations of a member of n units.
func (v *violations) length(shown, path string, n, min, max int) {
	if n < min {
		v.add(shown, path, "Member must have length greater than or equal to "+itoa(min))
	}
	if n > max {
		v.add(shown, path, "Member must have length less than or equal to "+itoa(max))
	}
}

// blob checks a blob member's length in bytes; nil means absent. Blob values are not shown.
func (v *violations) blob(path string, b []byte, required bool, min, max int) {
	if b == nil {
		if required {
			v.required(path, false)
		}
		return
	}
	v.length("Value", path, len(b), min, max)
}

// enum checks an optional member against its value set.
func (v *violations) enum(path string, s *string, set []string) {
	if s == nil {
		return
	}
	for _, allowed := range set {
		if *s == allowed {
			return
		}
	}
	v.add(quoted(*s), path, "Member must satisfy enum value set: ["+strings.Join(set, ", ")+"]")
}

// intRange checks an optional integer member.
func (v *violations) intRange(path string, n *int, min, max int) {
	if n == nil {
		return
	}
	if *n < min {
		v.add(quoted(itoa(*n)), path, "Member must have value greater than or equal to "+itoa(min))
	}
	if *n > max {
		v.add(quoted(itoa(*n)), path, "Member must have value less than or equal to "+itoa(max))
	}
}

// err answers the counted ValidationException, or nil when nothing was violated.
func (v *violations) err() *apiError {
	if len(v.list) == 0 {
		return nil
	}
	return errValidationList(v.list)
}

// pattern checks an optional string member against the model's pattern, with its matcher (the
// module links no regexp: model_gen.go and patterns.go hold the matchers).
func (v *violations) pattern(path string, s *string, pattern string, match func(string) bool) {
	if s != nil && !match(*s) {
		v.add(quoted(*s), path, "Member must satisfy regular expression pattern: "+pattern)
	}
}

// listLength checks the number of items of an optional list of strings; the value is shown as
// the service shows a list: [a, b].
func (v *violations) listLength(path string, list []string, min, max int) {
	if list == nil {
		return
	}
	v.length(quoted("["+strings.Join(list, ", ")+"]"), path, len(list), min, max)
}

// secretPattern checks a sensitive string member against its pattern without showing its value.
func (v *violations) secretPattern(path string, s *string, pattern string, match func(string) bool) {
	if s != nil && !match(*s) {
		v.add("Value", path, "Member must satisfy regular expression pattern: "+pattern)
	}
}
