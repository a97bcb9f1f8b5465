package kms_test

import (
	"testing"

	"github.com/wasmkms/wasmkms/internal/conformance"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// TestConformance runs the shared scenarios (testdata/conformance) against the core, each file in a
// fresh world: the same files every other host runs.
func TestConformance(t *testing.T) {
	conformance.RunDir(t, "../../testdata/conformance", func() conformance.CallFunc {
		return kms.NewWorld(kms.Options{}).Handle
	})
}
