package kms

import (
	"fmt"
	"reflect"
)

// A key's members and its symmetric material's, read without the tables' indirections (a member's
// codec through an interface and a closure, its name looked up in a map when the one before was
// left out): every key of a state has them, and in the module they were a third of a load's time.
// They read exactly what fields reads (state_json_test.go holds both to encoding/json); a member
// this file does not name goes through the table as before.

// The positions of the members read here in their type's table (checkKeyMembers holds them to it).
const (
	ksKeyID = iota
	ksKeySpec
	ksKeyUsage
	ksDescription
	ksOrigin
	ksKeyState
	ksCreationDate
	ksDeletionDate
	ksPolicy
	ksTags
	ksSymmetric
)

const (
	spBackingID = iota
	spMaterial
	spRotationDate
	spRotationType
)

// checkKeyMembers panics (at init) when the constants above no longer name the members they did.
func checkKeyMembers() {
	for name, i := range map[string]int{"keyId": ksKeyID, "keySpec": ksKeySpec, "keyUsage": ksKeyUsage,
		"description": ksDescription, "origin": ksOrigin, "keyState": ksKeyState, "creationDate": ksCreationDate,
		"policy": ksPolicy, "symmetricMaterial": ksSymmetric} {
		if keyStateType.byName[name] != i || keyMemberIndex([]byte(name)) != i {
			panic(fmt.Sprintf("kms: keyState's member %s is not at %d", name, i))
		}
	}
	for name, i := range map[string]int{"backingId": spBackingID, "material": spMaterial, "rotationType": spRotationType} {
		if symmetricPartType.byName[name] != i || partMemberIndex([]byte(name)) != i {
			panic(fmt.Sprintf("kms: symmetricPart's member %s is not at %d", name, i))
		}
	}
}

func keyMemberIndex(name []byte) int {
	switch string(name) {
	case "keyId":
		return ksKeyID
	case "keySpec":
		return ksKeySpec
	case "keyUsage":
		return ksKeyUsage
	case "description":
		return ksDescription
	case "origin":
		return ksOrigin
	case "keyState":
		return ksKeyState
	case "creationDate":
		return ksCreationDate
	case "policy":
		return ksPolicy
	case "symmetricMaterial":
		return ksSymmetric
	}
	return -1
}

func partMemberIndex(name []byte) int {
	switch string(name) {
	case "backingId":
		return spBackingID
	case "material":
		return spMaterial
	case "rotationType":
		return spRotationType
	}
	return -1
}

// keyFields is fields for a keyState.
func (d *stateDecoder) keyFields(ks *keyState, depth int) bool {
	return d.members(keyStateType, keyMemberIndex, func(i int) bool {
		var ok bool
		switch i {
		case ksKeyID:
			ks.KeyID, ok = d.str()
		case ksKeySpec:
			ks.KeySpec, ok = d.str()
		case ksKeyUsage:
			ks.KeyUsage, ok = d.str()
		case ksDescription:
			ks.Description, ok = d.str()
		case ksOrigin:
			ks.Origin, ok = d.str()
		case ksKeyState:
			ks.KeyState, ok = d.str()
		case ksCreationDate:
			ok = d.epoch(&ks.CreationDate)
		case ksPolicy:
			ks.Policy, ok = d.str()
		case ksSymmetric:
			ok = keyStateType.fields[ksSymmetric].member.dec(d, ks)
		default:
			ok = d.tableMember(keyStateType, i, ks, depth)
		}
		return ok
	})
}

// partFields is fields for a symmetricPart.
func (d *stateDecoder) partFields(sp *symmetricPart, depth int) bool {
	return d.members(symmetricPartType, partMemberIndex, func(i int) bool {
		var ok bool
		switch i {
		case spBackingID, spMaterial:
			field := &sp.BackingID
			if i == spMaterial {
				field = &sp.Material
			}
			switch {
			case d.peek() == 'n':
				ok = d.literal("null")
			case d.arena != nil:
				ok = d.blobInPlace(field, i == spMaterial)
			default:
				ok = d.blob(field)
			}
		case spRotationType:
			sp.RotationType, ok = d.str()
		default:
			ok = d.tableMember(symmetricPartType, i, sp, depth)
		}
		return ok
	})
}

// tableMember reads member i of the struct p points to through its type's table.
func (d *stateDecoder) tableMember(s *stateType, i int, p any, depth int) bool {
	f := &s.fields[i]
	if f.member != nil {
		return f.member.dec(d, p)
	}
	return d.value(reflect.ValueOf(p).Elem().Field(f.index), f.typ, depth+1)
}

// members reads an object's members, each at most once, for fields and the hand-written readers of
// the hot structs: index names the members it knows (-1: the table's map says), member reads the
// value of member i.
func (d *stateDecoder) members(s *stateType, index func([]byte) int, member func(int) bool) bool {
	if d.peek() != '{' {
		return false
	}
	d.pos++
	var seen uint64
	d.space()
	if d.peek() == '}' {
		d.pos++
		return true
	}
	for {
		name, ok := d.plainString()
		if !ok {
			return false
		}
		i := index(name)
		if i < 0 {
			var known bool
			if i, known = s.byName[string(name)]; !known {
				return false // a member that matches only regardless of case, or none
			}
		}
		if seen&(1<<i) != 0 {
			return false
		}
		seen |= 1 << i
		d.space()
		if d.peek() != ':' {
			return false
		}
		d.pos++
		d.space()
		if !member(i) {
			return false
		}
		if end, ok := d.after('}'); end || !ok {
			return ok
		}
	}
}
