package kms

import (
	"reflect"
	"strconv"
)

// A key, a region's record and a state record written without the tables' walk. Every change of a
// world that keeps a state log is written as a record (the JS host's recovery copy takes one after
// each CreateKey), and every key of a whole writing goes through here: in the module the walk (a
// reflect.Value and an empty test per member, a closure and an interface per typed member) was two
// thirds of a record's time, more than exporting the key. These writers write the members of the
// common records (keys with their materials, removed keys) and leave a struct with any other member
// set (grants, tags, imports, multi-Region, stores, a last use; a region's grant changes, aliases,
// stores and last uses; the RSA pool's draws, supplied RSA keys) to the walk, whole. The bytes are
// json.Marshal's, as the walk's are (state_json_test.go and state_json_write_test.go hold them to it),
// and TestWrittenMembers holds the members written here to the structs' own: a member added to one
// of them must be added to its writer too.

// The walk's tables of the records' structs, set at init.
var regionRecordType, stateRecordType *stateType

// The writers' members: the name as JSON writes it (with its comma and colon), then the value. One call
// each, so that the writers are small: an append of a name and a value at each place was half of the
// module's growth (so not inlined either). A string member is answer_json.go's appendJSONMember, which
// the answers (a hot path) keep inlined.
//
//go:noinline
func appendStringMember(dst []byte, name, s string) []byte {
	return appendJSONMember(dst, name, s)
}

//go:noinline
func appendEpochMember(dst []byte, name string, t epochTime) []byte {
	return appendEpoch(append(dst, name...), t)
}

//go:noinline
func appendBlobMember(dst []byte, name string, b []byte) []byte {
	return appendJSONBlob(append(dst, name...), b)
}

//go:noinline
func appendIntMember(dst []byte, name string, n int) []byte {
	return strconv.AppendInt(append(dst, name...), int64(n), 10)
}

// appendKeyStateJSON writes ks as json.Marshal does.
func appendKeyStateJSON(dst []byte, ks *keyState) []byte {
	if len(ks.Tags) > 0 || len(ks.Grants) > 0 || ks.LastUse != nil || ks.Imports != nil || ks.MultiRegion != nil ||
		ks.CustomKeyStore != nil {
		return appendStateFields(dst, reflect.ValueOf(ks).Elem(), ks, keyStateType)
	}
	dst = appendStringMember(dst, `{"keyId":`, ks.KeyID)
	dst = appendStringMember(dst, `,"keySpec":`, ks.KeySpec)
	dst = appendStringMember(dst, `,"keyUsage":`, ks.KeyUsage)
	dst = appendStringMember(dst, `,"description":`, ks.Description)
	dst = appendStringMember(dst, `,"origin":`, ks.Origin)
	dst = appendStringMember(dst, `,"keyState":`, ks.KeyState)
	dst = appendEpochMember(dst, `,"creationDate":`, ks.CreationDate)
	if ks.DeletionDate != nil {
		dst = appendEpochMember(dst, `,"deletionDate":`, *ks.DeletionDate)
	}
	if ks.Policy != "" {
		dst = appendStringMember(dst, `,"policy":`, ks.Policy)
	}
	if len(ks.Symmetric) > 0 {
		dst = append(dst, `,"symmetricMaterial":[`...)
		for i := range ks.Symmetric {
			if i > 0 {
				dst = append(dst, ',')
			}
			p := &ks.Symmetric[i]
			dst = appendBlobMember(dst, `{"backingId":`, p.BackingID)
			dst = appendBlobMember(dst, `,"material":`, p.Material)
			if p.RotationDate != nil {
				dst = appendEpochMember(dst, `,"rotationDate":`, *p.RotationDate)
			}
			if p.RotationType != "" {
				dst = appendStringMember(dst, `,"rotationType":`, p.RotationType)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if len(ks.PrivateKey) > 0 {
		dst = appendBlobMember(dst, `,"privateKey":`, ks.PrivateKey)
	}
	if len(ks.HMACKey) > 0 {
		dst = appendBlobMember(dst, `,"hmacKey":`, ks.HMACKey)
	}
	if ks.RotationDays != 0 {
		dst = appendIntMember(dst, `,"rotationPeriodInDays":`, ks.RotationDays)
	}
	if ks.NextRotation != nil {
		dst = appendEpochMember(dst, `,"nextRotationDate":`, *ks.NextRotation)
	}
	if ks.PendingWindow != 0 {
		dst = appendIntMember(dst, `,"pendingWindowInDays":`, ks.PendingWindow)
	}
	if ks.KeyManager != "" {
		dst = appendStringMember(dst, `,"keyManager":`, ks.KeyManager)
	}
	return append(dst, '}')
}

// appendKeysJSON writes a slice of keys as a member, as json.Marshal does.
func appendKeysJSON(dst []byte, name string, keys []keyState) []byte {
	dst = append(dst, name...)
	dst = append(dst, '[')
	for i := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendKeyStateJSON(dst, &keys[i])
	}
	return append(dst, ']')
}

// appendRegionRecordJSON writes rr as json.Marshal does.
func appendRegionRecordJSON(dst []byte, rr *regionRecord) []byte {
	if len(rr.GrantChanges) > 0 || len(rr.RemovedAliases) > 0 || len(rr.Aliases) > 0 ||
		len(rr.RemovedCustomKeyStores) > 0 || len(rr.CustomKeyStores) > 0 || len(rr.LastUses) > 0 {
		return appendStateFields(dst, reflect.ValueOf(rr).Elem(), rr, regionRecordType)
	}
	dst = appendStringMember(dst, `{"account":`, rr.Account)
	dst = appendStringMember(dst, `,"region":`, rr.Region)
	if rr.KeyCount != 0 {
		dst = appendIntMember(dst, `,"keyCount":`, rr.KeyCount)
	}
	for i, id := range rr.RemovedKeys {
		name := ","
		if i == 0 {
			name = `,"removedKeys":[`
		}
		dst = appendStringMember(dst, name, id)
	}
	if len(rr.RemovedKeys) > 0 {
		dst = append(dst, ']')
	}
	if len(rr.Keys) > 0 {
		dst = appendKeysJSON(dst, `,"keys":`, rr.Keys)
	}
	if len(rr.KeyUpdates) > 0 {
		dst = appendKeysJSON(dst, `,"keyUpdates":`, rr.KeyUpdates)
	}
	return append(dst, '}')
}

// appendStateRecordJSON writes rec as json.Marshal does.
func appendStateRecordJSON(dst []byte, rec *stateRecord) []byte {
	if len(rec.RSAPoolUsed) > 0 || rec.SuppliedRSA != nil || len(rec.Regions) == 0 {
		return appendStateFields(dst, reflect.ValueOf(rec).Elem(), rec, stateRecordType)
	}
	dst = append(dst, `{"regions":[`...)
	for i := range rec.Regions {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendRegionRecordJSON(dst, &rec.Regions[i])
	}
	dst = append(dst, ']')
	if rec.SeededDraws != 0 {
		dst = append(dst, `,"seededDraws":`...)
		dst = strconv.AppendUint(dst, rec.SeededDraws, 10)
	}
	return append(dst, '}')
}
