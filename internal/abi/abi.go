// Package abi holds the numbers of the module's ABI (wasm/ABI.md) that both sides use: the version,
// the negative result codes of the exports, the largest allocation, the direct exports' "absent
// member" field length, the state flags, and the direct exports with their fields (direct.go). The
// module (wasm/) answers with them and the wazero host (testharness/) reads them from here; the JS
// host (js/core/module.mjs, js/core/operations.mjs) is held to the same values by
// testdata/abi-vectors.json, which a test of this package writes (with ABI.md's table of the direct
// exports) and test/node/abi-vectors.test.mjs and direct-path.test.mjs read.
package abi

// Version is the answer of wasmkms_abi_version. Hosts refuse a module whose version they do not
// know, so it changes whenever ABI.md changes incompatibly.
const Version = 1

// The negative results of the exports: the module refused the arguments and wrote no answer.
const (
	ErrBadPointer   = -1 // a pointer/length that is not inside a live allocation
	ErrBadConfig    = -2 // a world config that is not valid JSON for kms.Options
	ErrUnknownWorld = -3 // a world handle that is not live
	ErrBadHeader    = -4 // a malformed request: a wasmkms_call header, or direct fields that do not add up
)

// MaxAllocation is the largest buffer wasmkms_alloc hands out (it answers 0 above it, instead of
// letting the Go runtime die of an out-of-memory error). KMS requests and answers are kilobytes; an
// exported world state is the largest buffer. A host refuses a larger request before allocating.
const MaxAllocation = 128 << 20

// The state flags: bits of the u32 that wasmkms_state_flags points to, which every wasmkms_call and
// direct export rewrites with the StateFlags of its world (ABI.md, "State flags"; internal/kms,
// changeflags.go).
const (
	// StateChanged: the world has changes a WasmKMS.StateLogTake writes at once (or it was replaced).
	StateChanged = 1
	// StateUsageWaiting: last uses of keys (or a seeded world's draws) wait for a take with usage.
	StateUsageWaiting = 2
	// StateRecordTaken: the call's changes were taken at its end (the world's host asked for each
	// change so: StateLogTake {"eachCall": true}), and their record is at the address and of the
	// length that follow the flags (StateRecordAt, StateRecordLength), until the next call.
	StateRecordTaken = 4
	// StateLogOutgrown: the records of the world's log since it was last written whole replace or
	// remove more of what it held than three times the world's keys, aliases and custom key stores: a
	// host that keeps the log in memory writes it whole now. A log of records that only add keys (a
	// world that only grows) never outgrows the world.
	StateLogOutgrown = 8
)

// The state area: the flags' u32, then (byte offsets from it) the record's address and length, u32s.
const (
	StateRecordAt     = 4
	StateRecordLength = 8
)

// AbsentField as the length of a direct request's field means the member is absent (JSON null): no
// bytes follow. It is not the same as a length of 0, an empty member.
const AbsentField = 0xFFFFFFFF

// Code is one negative result, with its name (the constant's, without "Err") and what it means.
type Code struct {
	Name    string
	Value   int32
	Meaning string
}

// Codes lists every negative result, in order of value from -1 down.
var Codes = []Code{
	{"BadPointer", ErrBadPointer, "a pointer/length outside any live allocation"},
	{"BadConfig", ErrBadConfig, "an invalid world config"},
	{"UnknownWorld", ErrUnknownWorld, "an unknown world"},
	{"BadHeader", ErrBadHeader, "a malformed request header"},
}

// Meaning says what a negative result means, for error messages; "" for a value that is no code.
func Meaning(code int32) string {
	for _, c := range Codes {
		if c.Value == code {
			return c.Meaning
		}
	}
	return ""
}
