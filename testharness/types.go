package testharness

import "github.com/wasmkms/wasmkms/internal/kms"

// Caller and WorldOptions are the core's kms.Caller and kms.Options under names that Go code outside
// this module can write: internal/kms cannot be imported from another module, aliases of its types can.
type (
	Caller       = kms.Caller
	WorldOptions = kms.Options
)
