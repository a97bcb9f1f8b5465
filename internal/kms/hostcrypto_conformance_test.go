package kms_test

import (
	"testing"

	"github.com/wasmkms/wasmkms/internal/conformance"
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
	"github.com/wasmkms/wasmkms/internal/crypto/nativehost"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// TestConformanceOnHostPrimitives runs the shared scenarios on native Go's host primitives (what the
// wazero harness supplies to the module): the same files TestConformance runs on the core's own code.
func TestConformanceOnHostPrimitives(t *testing.T) {
	engine := kmscrypto.NewEngine(&nativehost.Host{})
	conformance.RunDir(t, "../../testdata/conformance", func() conformance.CallFunc {
		return kms.NewWorld(kms.Options{Crypto: engine}).Handle
	})
	if engine.PrimitivesRun() == 0 {
		t.Fatal("the scenarios never reached the host's primitives")
	}
}
