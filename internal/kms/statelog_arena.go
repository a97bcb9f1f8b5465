package kms

import (
	"encoding/hex"
	"time"
	"unsafe"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// loadArena hands out what a load builds for each key (the key, its materials, the bytes of its
// material and its strings) from large blocks instead of one allocation each. In the wasm module a
// state log of 100,000 keys made 800,000 allocations, and the Go runtime, which grows linear memory
// 512 KB at a time, grew it some 300 times for them, each of which V8 answers with a collection of
// its own (BENCHMARKS.md, "The state file (issue 14, part 3)"). Blocks double from a small first one,
// so a world of ten keys takes little more than it did.
//
// A block lives as long as any of what it holds does: a key removed later keeps its block's memory
// until the other keys of the block go too. The bytes and strings handed out are never written again
// (a key's material and strings never change in place; a rotation adds a material, and the slice
// handed out has no room to append into).
type loadArena struct {
	keys      []key
	materials []keyMaterial
	bytes     []byte // key material
	text      []byte // the bytes of strings
}

// The blocks' sizes, in elements: the first, and the most a block doubles to (a block of keys is
// then some 30 MB, of bytes 16 MB). The part of a block not handed out is never written: it takes
// room in linear memory, but no memory of the machine's.
const (
	arenaFirstKeys, arenaMostKeys   = 64, 64 << 10
	arenaFirstBytes, arenaMostBytes = 4 << 10, 16 << 20
)

// What a symmetric key takes of the arena's bytes (its material) and text (its ID and its material's).
const arenaKeyBytes, arenaKeyText = 32, 36 + 64

// expect makes room for n keys more at once (a snapshot says how many keys a region holds): blocks
// made at their size, not doubled up to it, sized for symmetric keys (others take less; a key that
// takes more gets it from the next block).
func (a *loadArena) expect(n int) {
	if n <= cap(a.keys)-len(a.keys) {
		return
	}
	a.keys = make([]key, 0, n)
	a.materials = make([]keyMaterial, 0, n)
	a.bytes = make([]byte, 0, n*arenaKeyBytes)
	a.text = make([]byte, 0, n*arenaKeyText)
}

// arenaTake answers n elements of *block (length and capacity n), from a new block when the one
// there has no room for them.
func arenaTake[T any](block *[]T, n, first, most int) []T {
	b := *block
	if cap(b)-len(b) < n {
		b = make([]T, 0, max(n, min(most, max(first, 2*cap(b)))))
	}
	*block = b[:len(b)+n]
	return b[len(b) : len(b)+n : len(b)+n]
}

// key answers a zero key. A nil arena allocates what it answers, as do keyMaterials and keyMaterial.
func (a *loadArena) key() *key {
	if a == nil {
		return new(key)
	}
	return &arenaTake(&a.keys, 1, arenaFirstKeys, arenaMostKeys)[0]
}

// keyMaterials answers room for n materials (length 0, capacity n: appending past it copies).
func (a *loadArena) keyMaterials(n int) []keyMaterial {
	if a == nil {
		return make([]keyMaterial, 0, n)
	}
	return arenaTake(&a.materials, n, arenaFirstKeys, arenaMostKeys)[:0]
}

// bytesOf answers n bytes to fill (length and capacity n).
func (a *loadArena) bytesOf(n int) []byte {
	return arenaTake(&a.bytes, n, arenaFirstBytes, arenaMostBytes)
}

// string answers b as a string; its bytes are the arena's, never written again.
func (a *loadArena) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	t := arenaTake(&a.text, len(b), arenaFirstBytes, arenaMostBytes)
	copy(t, b)
	return unsafe.String(&t[0], len(t))
}

// keyMaterial is newKeyMaterial (material.go) with its ID's text in the arena.
func (a *loadArena) keyMaterial(s kmscrypto.SymmetricKey, rotated time.Time, rotationType string) keyMaterial {
	if a == nil {
		return newKeyMaterial(s, rotated, rotationType)
	}
	id := arenaTake(&a.text, hex.EncodedLen(len(s.BackingID)), arenaFirstBytes, arenaMostBytes)
	hex.Encode(id, s.BackingID[:])
	return keyMaterial{SymmetricKey: s, id: unsafe.String(&id[0], len(id)), rotated: rotated, rotationType: rotationType}
}
