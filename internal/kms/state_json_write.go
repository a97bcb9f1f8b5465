package kms

import (
	"fmt"
	"reflect"
	"strconv"
)

// A key, a region's record and a state record written without the tables' walk. Every change of a
// world that keeps a state log is written as a record (the JS host's recovery copy takes one after
// each CreateKey), and every key of a whole export goes through here: in the module the walk (a
// reflect.Value and an empty test per member, a closure and an interface per typed member) was two
// thirds of a record's time, more than exporting the key. The members every key has are written
// here; the rare ones (tags, grants, imports, multi-Region, stores, last uses, a region's aliases and
// grant changes, the world's draws) through the walk as before, one member at a time. The bytes are
// json.Marshal's, as the walk's are (state_json_test.go and statelog_write_test.go hold them to it),
// and checkWrittenMembers (at init) holds the member lists below to the structs' own.

// keyStateMembers, regionRecordMembers and stateRecordMembers: each struct's JSON members in its
// order, as the writers below write them (checkWrittenMembers).
var (
	keyStateMembers = []string{"keyId", "keySpec", "keyUsage", "description", "origin", "keyState",
		"creationDate", "deletionDate,omitempty", "policy,omitempty", "tags,omitempty",
		"symmetricMaterial,omitempty", "privateKey,omitempty", "hmacKey,omitempty", "grants,omitempty",
		"rotationPeriodInDays,omitempty", "nextRotationDate,omitempty", "lastUse,omitempty",
		"imports,omitempty", "multiRegion,omitempty", "pendingWindowInDays,omitempty",
		"keyManager,omitempty", "customKeyStore,omitempty"}
	regionRecordMembers = []string{"account", "region", "keyCount,omitempty", "removedKeys,omitempty",
		"keys,omitempty", "keyUpdates,omitempty", "grantChanges,omitempty", "removedAliases,omitempty",
		"aliases,omitempty", "removedCustomKeyStores,omitempty", "customKeyStores,omitempty",
		"lastUses,omitempty"}
	stateRecordMembers = []string{"regions,omitempty", "rsaPoolUsedPairs,omitempty",
		"suppliedRSAKeys,omitempty", "seededDraws,omitempty"}
	symmetricPartMembers = []string{"backingId", "material", "rotationDate,omitempty", "rotationType,omitempty"}
)

// The walk's tables of the three structs (for their rare members), set at init.
var regionRecordType, stateRecordType *stateType

// checkWrittenMembers panics (at init) when a struct's members are no longer those its writer
// writes, in the same order: a member added to keyState must be added to appendKeyStateJSON too.
func checkWrittenMembers() {
	regionRecordType = stateTypeOf(reflect.TypeOf(regionRecord{}))
	stateRecordType = stateTypeOf(reflect.TypeOf(stateRecord{}))
	for _, c := range []struct {
		t       *stateType
		name    string
		members []string
	}{
		{keyStateType, "keyState", keyStateMembers},
		{regionRecordType, "regionRecord", regionRecordMembers},
		{stateRecordType, "stateRecord", stateRecordMembers},
		{symmetricPartType, "symmetricPart", symmetricPartMembers},
	} {
		var have []string
		for _, f := range c.t.fields {
			m := f.name
			if f.omitEmpty {
				m += ",omitempty"
			}
			have = append(have, m)
		}
		if !c.t.walk || fmt.Sprint(have) != fmt.Sprint(c.members) {
			panic(fmt.Sprintf("kms: %s's JSON members are %v, its writer writes %v", c.name, have, c.members))
		}
	}
}

// appendWalked writes one member through the walk: field i of the struct v points to, of table s.
func appendWalked(dst []byte, v reflect.Value, s *stateType, i int) []byte {
	f := &s.fields[i]
	dst = append(dst, ',')
	dst = append(dst, f.quoted...)
	return appendStateValue(dst, v.Elem().Field(f.index), f.typ)
}

// appendKeyStateJSON writes ks as json.Marshal does.
func appendKeyStateJSON(dst []byte, ks *keyState) []byte {
	dst = append(dst, `{"keyId":`...)
	dst = appendJSONString(dst, ks.KeyID)
	dst = append(dst, `,"keySpec":`...)
	dst = appendJSONString(dst, ks.KeySpec)
	dst = append(dst, `,"keyUsage":`...)
	dst = appendJSONString(dst, ks.KeyUsage)
	dst = append(dst, `,"description":`...)
	dst = appendJSONString(dst, ks.Description)
	dst = append(dst, `,"origin":`...)
	dst = appendJSONString(dst, ks.Origin)
	dst = append(dst, `,"keyState":`...)
	dst = appendJSONString(dst, ks.KeyState)
	dst = append(dst, `,"creationDate":`...)
	dst = appendEpoch(dst, ks.CreationDate)
	if ks.DeletionDate != nil {
		dst = append(dst, `,"deletionDate":`...)
		dst = appendEpoch(dst, *ks.DeletionDate)
	}
	if ks.Policy != "" {
		dst = append(dst, `,"policy":`...)
		dst = appendJSONString(dst, ks.Policy)
	}
	if len(ks.Tags) > 0 {
		dst = appendWalked(dst, reflect.ValueOf(ks), keyStateType, ksTags)
	}
	if len(ks.Symmetric) > 0 {
		dst = append(dst, `,"symmetricMaterial":[`...)
		for i := range ks.Symmetric {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendSymmetricPartJSON(dst, &ks.Symmetric[i])
		}
		dst = append(dst, ']')
	}
	if len(ks.PrivateKey) > 0 {
		dst = append(dst, `,"privateKey":`...)
		dst = appendJSONBlob(dst, ks.PrivateKey)
	}
	if len(ks.HMACKey) > 0 {
		dst = append(dst, `,"hmacKey":`...)
		dst = appendJSONBlob(dst, ks.HMACKey)
	}
	if len(ks.Grants) > 0 {
		dst = appendWalked(dst, reflect.ValueOf(ks), keyStateType, ksGrants)
	}
	if ks.RotationDays != 0 {
		dst = append(dst, `,"rotationPeriodInDays":`...)
		dst = strconv.AppendInt(dst, int64(ks.RotationDays), 10)
	}
	if ks.NextRotation != nil {
		dst = append(dst, `,"nextRotationDate":`...)
		dst = appendEpoch(dst, *ks.NextRotation)
	}
	if ks.LastUse != nil {
		dst = appendWalked(dst, reflect.ValueOf(ks), keyStateType, ksLastUse)
	}
	if ks.Imports != nil {
		dst = appendWalked(dst, reflect.ValueOf(ks), keyStateType, ksImports)
	}
	if ks.MultiRegion != nil {
		dst = appendWalked(dst, reflect.ValueOf(ks), keyStateType, ksMultiRegion)
	}
	if ks.PendingWindow != 0 {
		dst = append(dst, `,"pendingWindowInDays":`...)
		dst = strconv.AppendInt(dst, int64(ks.PendingWindow), 10)
	}
	if ks.KeyManager != "" {
		dst = append(dst, `,"keyManager":`...)
		dst = appendJSONString(dst, ks.KeyManager)
	}
	if ks.CustomKeyStore != nil {
		dst = appendWalked(dst, reflect.ValueOf(ks), keyStateType, ksCustomKeyStore)
	}
	return append(dst, '}')
}

// The positions in keyState's table of the members appendKeyStateJSON leaves to the walk (the
// others are state_json_key.go's).
const (
	ksGrants         = 13
	ksLastUse        = 16
	ksImports        = 17
	ksMultiRegion    = 18
	ksCustomKeyStore = 21
)

func appendSymmetricPartJSON(dst []byte, p *symmetricPart) []byte {
	dst = append(dst, `{"backingId":`...)
	dst = appendJSONBlob(dst, p.BackingID)
	dst = append(dst, `,"material":`...)
	dst = appendJSONBlob(dst, p.Material)
	if p.RotationDate != nil {
		dst = append(dst, `,"rotationDate":`...)
		dst = appendEpoch(dst, *p.RotationDate)
	}
	if p.RotationType != "" {
		dst = append(dst, `,"rotationType":`...)
		dst = appendJSONString(dst, p.RotationType)
	}
	return append(dst, '}')
}

// appendKeysJSON writes a slice of keys as json.Marshal does (null when nil).
func appendKeysJSON(dst []byte, keys []keyState) []byte {
	if keys == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendKeyStateJSON(dst, &keys[i])
	}
	return append(dst, ']')
}

// The positions in regionRecord's table of the members appendRegionRecordJSON leaves to the walk.
const (
	rrGrantChanges = 6 + iota
	rrRemovedAliases
	rrAliases
	rrRemovedCustomKeyStores
	rrCustomKeyStores
	rrLastUses
)

// appendRegionRecordJSON writes rr as json.Marshal does.
func appendRegionRecordJSON(dst []byte, rr *regionRecord) []byte {
	dst = append(dst, `{"account":`...)
	dst = appendJSONString(dst, rr.Account)
	dst = append(dst, `,"region":`...)
	dst = appendJSONString(dst, rr.Region)
	if rr.KeyCount != 0 {
		dst = append(dst, `,"keyCount":`...)
		dst = strconv.AppendInt(dst, int64(rr.KeyCount), 10)
	}
	if len(rr.RemovedKeys) > 0 {
		dst = append(dst, `,"removedKeys":[`...)
		for i, id := range rr.RemovedKeys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, id)
		}
		dst = append(dst, ']')
	}
	if len(rr.Keys) > 0 {
		dst = append(dst, `,"keys":`...)
		dst = appendKeysJSON(dst, rr.Keys)
	}
	if len(rr.KeyUpdates) > 0 {
		dst = append(dst, `,"keyUpdates":`...)
		dst = appendKeysJSON(dst, rr.KeyUpdates)
	}
	if len(rr.GrantChanges) > 0 || len(rr.RemovedAliases) > 0 || len(rr.Aliases) > 0 ||
		len(rr.RemovedCustomKeyStores) > 0 || len(rr.CustomKeyStores) > 0 || len(rr.LastUses) > 0 {
		v := reflect.ValueOf(rr)
		for i, n := range [...]int{len(rr.GrantChanges), len(rr.RemovedAliases), len(rr.Aliases),
			len(rr.RemovedCustomKeyStores), len(rr.CustomKeyStores), len(rr.LastUses)} {
			if n > 0 {
				dst = appendWalked(dst, v, regionRecordType, rrGrantChanges+i)
			}
		}
	}
	return append(dst, '}')
}

// appendStateRecordJSON writes rec as json.Marshal does.
func appendStateRecordJSON(dst []byte, rec *stateRecord) []byte {
	start := len(dst)
	dst = append(dst, '{')
	if len(rec.Regions) > 0 {
		dst = append(dst, `"regions":[`...)
		for i := range rec.Regions {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendRegionRecordJSON(dst, &rec.Regions[i])
		}
		dst = append(dst, ']')
	}
	if len(rec.RSAPoolUsed) > 0 || rec.SuppliedRSA != nil {
		v := reflect.ValueOf(rec)
		if len(rec.RSAPoolUsed) > 0 {
			dst = appendWalked(dst, v, stateRecordType, 1)
		}
		if rec.SuppliedRSA != nil {
			dst = appendWalked(dst, v, stateRecordType, 2)
		}
	}
	if rec.SeededDraws != 0 {
		dst = append(dst, `,"seededDraws":`...)
		dst = strconv.AppendUint(dst, rec.SeededDraws, 10)
	}
	if len(dst) > start+1 && dst[start+1] == ',' { // no regions: the first member written has no comma
		dst = append(dst[:start+1], dst[start+2:]...)
	}
	return append(dst, '}')
}
