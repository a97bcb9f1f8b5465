package kms

import (
	"encoding/hex"
	"time"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Symmetric keys keep every version of their material: the first, and one more per rotation. A blob
// names the version that sealed it (kmscrypto's backing ID), so older blobs keep decrypting, and AWS's
// KeyMaterialId is that version's ID.

// Rotation types, as ListKeyRotations names them.
const (
	rotationAutomatic = "AUTOMATIC"
	rotationOnDemand  = "ON_DEMAND"
)

// keyMaterial is one version of a symmetric key's material.
type keyMaterial struct {
	kmscrypto.SymmetricKey
	id           string    // KeyMaterialId: the backing ID in lower-case hex (64 digits, as AWS's)
	rotated      time.Time // when this version became current; zero for the key's first material
	rotationType string    // rotationAutomatic or rotationOnDemand; "" for the first material
}

func newKeyMaterial(s kmscrypto.SymmetricKey, rotated time.Time, rotationType string) keyMaterial {
	return keyMaterial{SymmetricKey: s, id: hex.EncodeToString(s.BackingID[:]), rotated: rotated, rotationType: rotationType}
}

// currentMaterial is the version that encrypts, or nil for a key without symmetric material.
func (k *key) currentMaterial() *keyMaterial {
	if len(k.materials) == 0 {
		return nil
	}
	return &k.materials[len(k.materials)-1]
}

// currentMaterialID is CurrentKeyMaterialId: "" (absent) for keys without symmetric material.
func (k *key) currentMaterialID() string {
	if m := k.currentMaterial(); m != nil {
		return m.id
	}
	return ""
}

// materialByBackingID finds the version that sealed a blob.
func (k *key) materialByBackingID(id [32]byte) *keyMaterial {
	for i := range k.materials {
		if k.materials[i].BackingID == id {
			return &k.materials[i]
		}
	}
	return nil
}
