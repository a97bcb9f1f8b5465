package kms

import "github.com/wasmkms/wasmkms/internal/abi"

// A host that keeps a world's state log in memory (the JS host's recovery after a trap: js/core/world.mjs)
// must take every change before the world's next call, yet must not pay a take after every call: an
// Encrypt changes nothing a take must write at once. StateFlags says, after a call, whether there is
// anything to take; the module keeps it where the host reads it with one load (wasm/ABI.md, "State
// flags").
const (
	// StateChanged: the world holds changes a take writes at once (statelog.go's sync: keys, grants,
	// aliases, custom key stores, supplied RSA keys, RSA pool draws), or it was replaced whole.
	StateChanged uint32 = abi.StateChanged
	// StateUsageWaiting: last uses of keys, or a seeded world's draw position, wait for a take that
	// writes them (one with usage, or with a change): a host takes them lazily.
	StateUsageWaiting uint32 = abi.StateUsageWaiting
)

// StateFlags answers what a StateLogTake would find now: 0 while the world keeps no log (no take,
// export or load began one), else StateChanged and StateUsageWaiting as they apply.
func (w *World) StateFlags() uint32 {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := &w.changes
	if !c.on {
		return 0
	}
	var flags uint32
	if c.replaced || len(c.keys) > 0 || len(c.grants) > 0 || len(c.aliases) > 0 || len(c.stores) > 0 ||
		c.supplied || w.rsaPool != nil && w.rsaPool.Drawn() != c.poolDrawn {
		flags |= StateChanged
	}
	if len(c.used) > 0 {
		flags |= StateUsageWaiting
	} else if seeded, ok := w.rand.(*seededReader); ok && seeded.drawn != c.seeded {
		flags |= StateUsageWaiting
	}
	return flags
}
