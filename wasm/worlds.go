package main

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// worlds holds the live worlds of this instance by handle. Handles start at 1 and are never
// reused, so a host that keeps a dropped handle gets abi.ErrUnknownWorld, never another world.
var (
	worlds          = map[int32]*kms.World{}
	lastWorldHandle int32
)

// parseWorldConfig reads a world config (ABI.md): the JSON members of kms.Options, whose tags are
// the one definition of the config's names. Empty means the defaults. Unknown members are refused so
// that a misspelt option is an error instead of a silently different world.
func parseWorldConfig(raw []byte) (kms.Options, error) {
	var opts kms.Options
	if len(bytes.TrimSpace(raw)) == 0 {
		return opts, nil
	}
	if raw = bytes.TrimSpace(raw); raw[0] != '{' {
		return kms.Options{}, errors.New("config is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&opts); err != nil {
		return kms.Options{}, err
	}
	if dec.InputOffset() != int64(len(raw)) {
		return kms.Options{}, errors.New("data after the config object")
	}
	return opts, nil
}

func addWorld(w *kms.World) int32 {
	lastWorldHandle++
	worlds[lastWorldHandle] = w
	return lastWorldHandle
}
