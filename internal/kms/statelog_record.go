package kms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"reflect"
	"strconv"
)

// The state log (SNAPSHOT.md, "The state log"): a world kept as a sequence of records, each one line
// of a file. A record is a part of a snapshot document, entry by entry in the snapshot's own
// encoding: the keys, aliases, grants and custom key stores one change made or removed, and the
// world's draws. A log starts with a header line, then a snapshot of the world as records, then the
// records of the changes since; loading applies them in order. Compaction writes the world as
// records again, so the log never grows much past twice the world.
const (
	stateLogFormat  = "wasmkms-state-log"
	stateLogVersion = 1
)

// stateLogHeader is the log's first record.
type stateLogHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
}

// stateRecord is one record: what changed in each region, and the world's own members when they
// changed. Within a region a record applies its removals first, then its additions and updates.
type stateRecord struct {
	Regions []regionRecord `json:"regions,omitempty"`
	// RSAPoolUsed: pairs newly drawn from the RSA prime pool (a log's pairs add up).
	RSAPoolUsed map[string][][2]int `json:"rsaPoolUsedPairs,omitempty"`
	// SuppliedRSA: the whole queue of supplied RSA keys, when it changed (present and empty: none left).
	SuppliedRSA *map[string][][]byte `json:"suppliedRSAKeys,omitempty"`
	// SeededDraws: a seeded world's draw position, when it moved.
	SeededDraws uint64 `json:"seededDraws,omitempty"`
}

// regionRecord is one account's changes in one Region, its members in the order they apply (a
// loader applies keys as it reads them: the account and Region, then the removals, come first).
type regionRecord struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	// KeyCount: how many keys the region holds, on a snapshot's first record of each region (a
	// loader makes room for them at once).
	KeyCount    int      `json:"keyCount,omitempty"`
	RemovedKeys []string `json:"removedKeys,omitempty"`
	// Keys are whole keys, their grants included: keys the change created (a snapshot's keys).
	Keys []keyState `json:"keys,omitempty"`
	// KeyUpdates are keys whose own members changed, without their grants, which stay as they are.
	KeyUpdates []keyState `json:"keyUpdates,omitempty"`
	// GrantChanges are the grants the change made, changed or removed, per key.
	GrantChanges []grantChange `json:"grantChanges,omitempty"`
	// RemovedAliases are alias names.
	RemovedAliases         []string              `json:"removedAliases,omitempty"`
	Aliases                []aliasState          `json:"aliases,omitempty"`
	RemovedCustomKeyStores []string              `json:"removedCustomKeyStores,omitempty"`
	CustomKeyStores        []customKeyStoreState `json:"customKeyStores,omitempty"`
	// LastUses are keys' last cryptographic use (GetKeyLastUsage), written after the use, lazily.
	LastUses []keyLastUse `json:"lastUses,omitempty"`
}

// recordKeysMember codes a region record's keys (or key updates): as any slice of keys, or, when the
// decoder has a key sink (a loader), each key handed to the sink as it is read, none kept: a record
// of 256 keys then needs no slice of them, nor a first pass to count them.
func recordKeysMember(update bool) *stateMember {
	slice := func(p any) *[]keyState { return &p.(*regionRecord).Keys }
	if update {
		slice = func(p any) *[]keyState { return &p.(*regionRecord).KeyUpdates }
	}
	plain := structSliceMember(slice, &keyStateType, 2)
	return &stateMember{empty: plain.empty, enc: plain.enc, dec: func(d *stateDecoder, p any) bool {
		if d.keySink == nil {
			return plain.dec(d, p)
		}
		if d.peek() == 'n' {
			return d.literal("null")
		}
		var ks keyState
		return d.array(func() bool {
			ks = keyState{}
			if !d.object(&ks, keyStateType, 2) {
				return false
			}
			if err := d.keySink(p, &ks, update); err != nil {
				d.sinkErr = err
				return false
			}
			d.transient = d.transient[:0]
			d.sunk++
			return true
		}, func() {})
	}}
}

type grantChange struct {
	KeyID   string       `json:"keyId"`
	Grants  []grantState `json:"grants,omitempty"`
	Removed []string     `json:"removedGrants,omitempty"` // grant IDs
}

type keyLastUse struct {
	KeyID   string       `json:"keyId"`
	LastUse lastUseState `json:"lastUse"`
}

// ---- Framing ----
//
// A record is a line: eight lowercase hex digits of the CRC-32C of the JSON, a space, the JSON (which
// has no raw line break), a line feed. A process killed while appending leaves at most a torn last
// line, which the checksum or the missing line feed tells apart from a whole one.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const recordPrefixLen = 9 // "xxxxxxxx "

// appendRecordLine appends the line of a record whose JSON appendJSON writes.
func appendRecordLine(dst []byte, appendJSON func([]byte) []byte) []byte {
	start := len(dst)
	dst = append(dst, "00000000 "...)
	dst = appendJSON(dst)
	sum := crc32.Checksum(dst[start+recordPrefixLen:], castagnoli)
	const hexDigits = "0123456789abcdef"
	for i := 7; i >= 0; i-- {
		dst[start+i] = hexDigits[sum&0xf]
		sum >>= 4
	}
	return append(dst, '\n')
}

// errTornRecord: a line whose checksum does not match, or too short to have one.
var errTornRecord = errors.New("its checksum does not match")

// recordJSON checks one line (without its line feed) and answers its JSON.
func recordJSON(line []byte) ([]byte, error) {
	if len(line) < recordPrefixLen+2 || line[recordPrefixLen-1] != ' ' {
		return nil, errTornRecord
	}
	want, err := strconv.ParseUint(string(line[:recordPrefixLen-1]), 16, 32)
	if err != nil {
		return nil, errTornRecord
	}
	body := line[recordPrefixLen:]
	if crc32.Checksum(body, castagnoli) != uint32(want) {
		return nil, errTornRecord
	}
	return body, nil
}

// appendStateJSON writes v (a pointer to a state struct) as json.Marshal does, through the state's
// own coding (state_json.go; a record by its own writer, state_json_write.go).
func appendStateJSON(dst []byte, v any) []byte {
	if rec, ok := v.(*stateRecord); ok {
		return appendStateRecordJSON(dst, rec)
	}
	rv := reflect.ValueOf(v).Elem()
	return appendStateValue(dst, rv, stateTypeOf(rv.Type()))
}

// decodeStateRecord reads one record's JSON into v (a pointer to a zero state struct). The state's
// own decoder reads what it can; anything else goes through encoding/json, which refuses a member it
// does not know: a record of a later version is refused rather than read in part.
//
// With keySink, a record's keys go to it as they are read (recordKeysMember); a record the state's
// decoder cannot read to its end once it has handed keys on is refused, not read again.
//
// With arena (a load's), the strings and kept bytes read are the arena's.
func decodeStateRecord(data []byte, v any, strs *stateStrings, keySink func(any, *keyState, bool) error, arena *loadArena) error {
	rv := reflect.ValueOf(v).Elem()
	d := stateDecoder{data: data, strs: strs, keySink: keySink, arena: arena}
	d.space()
	if d.value(rv, stateTypeOf(rv.Type()), 0) {
		d.space()
		if d.pos == len(d.data) {
			return nil
		}
	}
	if d.sinkErr != nil {
		return d.sinkErr
	}
	if d.sunk > 0 {
		return fmt.Errorf("its JSON is not as a state log writes it (at byte %d)", d.pos)
	}
	rv.SetZero()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}
