package main

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// worlds holds the live worlds of this instance by handle. Handles start at 1 and are never
// reused, so a host that keeps a dropped handle gets errUnknownWorld, never another world.
var (
	worlds          = map[int32]*kms.World{}
	lastWorldHandle int32
)

// worldConfig is the JSON a host passes to wasmkms_world_new (ABI.md): the host-settable members
// of kms.Options.
type worldConfig struct {
	FreshRSAKeys bool `json:"freshRSAKeys"`
	TestHooks    bool `json:"testHooks"`
}

// parseWorldConfig reads a world config; empty means the defaults. Unknown members are refused so
// that a misspelt option is an error instead of a silently different world.
func parseWorldConfig(raw []byte) (kms.Options, error) {
	var cfg worldConfig
	if len(bytes.TrimSpace(raw)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return kms.Options{}, err
		}
		if dec.More() {
			return kms.Options{}, errors.New("trailing data after the config object")
		}
		if raw = bytes.TrimSpace(raw); raw[0] != '{' {
			return kms.Options{}, errors.New("config is not a JSON object")
		}
	}
	return kms.Options{FreshRSAKeys: cfg.FreshRSAKeys, TestHooks: cfg.TestHooks}, nil
}

func addWorld(w *kms.World) int32 {
	lastWorldHandle++
	worlds[lastWorldHandle] = w
	return lastWorldHandle
}
