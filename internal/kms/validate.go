package kms

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
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

// err answers the counted ValidationException, or nil when nothing was violated.
func (v *violations) err() *apiError {
	if len(v.list) == 0 {
		return nil
	}
	return errValidationList(v.list)
}

// The model's constraints are tables (model_gen.go): one memberRule per constrained member of each
// structure, in the model's member order, which check walks with reflect. A table is data, where
// a method per structure was code: the module's size budget.

// ruleKind is the Go type of a member, and so what its rule checks.
type ruleKind uint8

const (
	ruleOther  ruleKind = iota // *bool, *float64 (timestamps), maps: presence only
	ruleString                 // *string: length in characters, pattern, enum set
	ruleBlob                   // []byte: length in bytes
	ruleInt                    // *int: value range
	ruleList                   // []T: number of items (lists of strings), then each item by elem
	ruleStruct                 // *T, or T as a list's item: its own table, under its path and a dot
)

// memberRule is the model's constraints on one member of a structure.
type memberRule struct {
	name     string  // the member's path in messages: "keyId"
	field    uint8   // index of the member's field in the Go struct
	offset   uintptr // and its offset
	kind     ruleKind
	required bool
	secret   bool  // a sensitive string: its value is never shown
	bounded  bool  // min and max apply: length, number of items or value range
	min, max int32 // inclusive
	pattern  *modelPattern
	enum     *[]string
	elem     *memberRule  // ruleList: the rule of each item (name and field unused); nil: none
	fields   []memberRule // ruleStruct: the structure's table
}

// modelPattern is a pattern of the model with its matcher (the module links no regexp:
// model_gen.go and patterns.go hold the matchers).
type modelPattern struct {
	text  string
	match func(string) bool
}

// memberPath is where a member sits: its name, with ".n.member" after it for item n of a list
// (n > 0), inside the structure in (empty for a request's member), itself item inItem of a list or
// not (0). Only a message makes it into text: "tags.1.member.tagKey". The model nests structures
// one level deep at most (the generator refuses more), and a path of values costs no allocation.
type memberPath struct {
	in, name     string
	inItem, item int
}

func (p memberPath) String() string {
	if p.in == "" {
		return pathSegment(p.name, p.item)
	}
	return pathSegment(p.in, p.inItem) + "." + pathSegment(p.name, p.item)
}

func pathSegment(name string, item int) string {
	if item == 0 {
		return name
	}
	return name + "." + itoa(item) + ".member"
}

// checkRequest adds the violations of req (a pointer to a request struct) under its table.
func (v *violations) checkRequest(req any, rules []memberRule) {
	v.check(reflect.ValueOf(req).Elem(), rules, memberPath{})
}

// check adds the violations of the structure s (addressable) at the path at (empty for a request)
// under its table, in the table's order. Every member is a pointer, a slice or a map, so absent is a nil
// first word; a string, blob or integer member is read at its offset (a reflect.Value per member and
// its Elem were 5% of the module's direct Encrypt 32 B), a list or a structure through reflect.
func (v *violations) check(s reflect.Value, rules []memberRule, at memberPath) {
	base := unsafe.Pointer(s.UnsafeAddr())
	for i := range rules {
		r := &rules[i]
		p := memberPath{in: at.name, inItem: at.item, name: r.name}
		f := unsafe.Add(base, r.offset)
		if *(*unsafe.Pointer)(f) == nil {
			if r.required {
				v.add("Value null", p.String(), "Member must not be null")
			}
			continue
		}
		switch r.kind {
		case ruleString:
			v.checkString(r, **(**string)(f), p)
		case ruleBlob:
			if n := len(*(*[]byte)(f)); r.bounded && r.outside(n) {
				v.length("Value", p.String(), n, int(r.min), int(r.max))
			}
		case ruleInt:
			if n := **(**int)(f); r.bounded && r.outside(n) {
				if n < int(r.min) {
					v.add(quoted(itoa(n)), p.String(), "Member must have value greater than or equal to "+itoa(int(r.min)))
				}
				if n > int(r.max) {
					v.add(quoted(itoa(n)), p.String(), "Member must have value less than or equal to "+itoa(int(r.max)))
				}
			}
		case ruleList:
			v.checkList(r, s.Field(int(r.field)), p)
		case ruleStruct:
			v.check(s.Field(int(r.field)).Elem(), r.fields, p)
		}
	}
}

// outside reports whether n is out of the rule's min..max.
func (r *memberRule) outside(n int) bool { return n < int(r.min) || n > int(r.max) }

// checkList checks the number of items of the list at p (the list shown as the service shows one:
// [a, b]), then each item.
func (v *violations) checkList(r *memberRule, list reflect.Value, p memberPath) {
	n := list.Len()
	if r.bounded && r.outside(n) {
		items := make([]string, n)
		for i := range items {
			items[i] = list.Index(i).String()
		}
		v.length(quoted("["+strings.Join(items, ", ")+"]"), p.String(), n, int(r.min), int(r.max))
	}
	if r.elem == nil {
		return
	}
	for i := 0; i < n; i++ {
		p.item = i + 1
		if r.elem.kind == ruleStruct {
			v.check(list.Index(i), r.elem.fields, p)
		} else {
			v.checkString(r.elem, list.Index(i).String(), p)
		}
	}
}

// checkString checks a string's length in characters (as Java counts UTF-16 units; the difference
// only matters beyond the BMP and is ignored here), then its pattern, then its enum set. A sensitive
// string's value is not shown.
func (v *violations) checkString(r *memberRule, s string, p memberPath) {
	if r.bounded {
		if n := utf8.RuneCountInString(s); r.outside(n) {
			v.length(r.shown(s), p.String(), n, int(r.min), int(r.max))
		}
	}
	if r.pattern != nil && !r.pattern.match(s) {
		v.add(r.shown(s), p.String(), "Member must satisfy regular expression pattern: "+r.pattern.text)
	}
	if r.enum != nil && !contains(*r.enum, s) {
		v.add(quoted(s), p.String(), "Member must satisfy enum value set: ["+strings.Join(*r.enum, ", ")+"]")
	}
}

// shown is how a message shows the string s of the member.
func (r *memberRule) shown(s string) string {
	if r.secret {
		return "Value"
	}
	return quoted(s)
}
