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
	if s == nil {
		return
	}
	n := len([]rune(*s))
	if n < min {
		v.add(quoted(*s), path, "Member must have length greater than or equal to "+itoa(min))
	}
	if n > max {
		v.add(quoted(*s), path, "Member must have length less than or equal to "+itoa(max))
	}
}

// requiredStr checks a required string member.
func (v *violations) requiredStr(path string, s *string, min, max int) {
	if v.required(path, s != nil) {
		v.str(path, s, min, max)
	}
}

// blob checks a sensitive blob member's length in bytes; nil means absent.
func (v *violations) blob(path string, b []byte, required bool, min, max int) {
	if b == nil {
		if required {
			v.required(path, false)
		}
		return
	}
	if len(b) < min {
		v.add("Value", path, "Member must have length greater than or equal to "+itoa(min))
	}
	if len(b) > max {
		v.add("Value", path, "Member must have length less than or equal to "+itoa(max))
	}
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

// grantTokens checks GrantTokens: 0..10 items, each 1..8192 characters.
func (v *violations) grantTokens(tokens []string) {
	if len(tokens) > 10 {
		v.add(quoted("["+strings.Join(tokens, ", ")+"]"), "grantTokens", "Member must have length less than or equal to 10")
	}
	for i, t := range tokens {
		path := "grantTokens." + itoa(i+1) + ".member"
		if len(t) < 1 {
			v.add(quoted(t), path, "Member must have length greater than or equal to 1")
		}
		if len(t) > 8192 {
			v.add(quoted(t), path, "Member must have length less than or equal to 8192")
		}
	}
}

// err answers the counted ValidationException, or nil when nothing was violated.
func (v *violations) err() *apiError {
	if len(v.list) == 0 {
		return nil
	}
	return errValidationList(v.list)
}
