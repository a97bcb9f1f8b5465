package abi

import (
	"encoding/json"
	"os"
	"testing"
)

// hostVectorsFile is the host primitives' numbers (host.go) as data, for the JS host
// (js/core/host-crypto.mjs, held to it by test/node/host-crypto-abi.test.mjs). `go test ./internal/abi
// -update` rewrites it.
const hostVectorsFile = "testdata/host-vectors.json"

type hostVectors struct {
	Comment      string         `json:"comment"`
	Module       string         `json:"module"`
	Imports      map[string]int `json:"imports"`
	Results      map[string]int `json:"results"`
	Capabilities map[string]int `json:"capabilities"`
	KeyKinds     map[string]int `json:"keyKinds"`
	Curves       map[string]int `json:"curves"`
	Hashes       map[string]int `json:"hashes"`
	CurveSizes   map[string]int `json:"curveSizes"`
	HashSizes    map[string]int `json:"hashSizes"`
	AESGCM       map[string]int `json:"aesGcm"`
}

func currentHostVectors() hostVectors {
	v := hostVectors{
		Comment: "Written by `go test ./internal/abi -update` from internal/abi/host.go (wasm/ABI.md, \"Host primitives\"); do not edit by hand.",
		Module:  HostModule,
		Imports: map[string]int{},
		Results: map[string]int{"ok": HostOK, "authFailed": HostAuthFailed, "unavailable": HostUnavailable},
		Capabilities: map[string]int{"aesGcm": CapAESGCM, "rsa": CapRSA, "ed25519": CapEd25519, "digest": CapDigest,
			"hmac": CapHMAC, "anySize": CapAnySize, "curveBase": CapCurveBase},
		KeyKinds: map[string]int{"rsa": KeyRSA, "ed25519": KeyEd25519},
		Curves:   map[string]int{"P-256": CurveP256, "P-384": CurveP384, "P-521": CurveP521, "secp256k1": CurveSecp256k1},
		Hashes:   map[string]int{"SHA-224": HashSHA224, "SHA-256": HashSHA256, "SHA-384": HashSHA384, "SHA-512": HashSHA512},
		// The byte lengths a host reads and writes: a curve's scalar and x-coordinate, a digest, AES-GCM's.
		CurveSizes: map[string]int{"P-256": 32, "P-384": 48, "P-521": 66, "secp256k1": 32},
		HashSizes:  map[string]int{"SHA-224": 28, "SHA-256": 32, "SHA-384": 48, "SHA-512": 64},
		AESGCM:     map[string]int{"key": 32, "nonce": 12, "tag": 16},
	}
	for _, imp := range HostImports {
		v.Imports[imp.Name] = imp.Params
	}
	return v
}

func TestHostVectorsFileIsThePackage(t *testing.T) {
	want, err := json.MarshalIndent(currentHostVectors(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile(hostVectorsFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(hostVectorsFile)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/abi -update)", err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s differs from internal/abi; run go test ./internal/abi -update\ngot:\n%s\nwant:\n%s", hostVectorsFile, got, want)
	}
}

func TestHostImports(t *testing.T) {
	seen := map[string]bool{}
	for _, imp := range HostImports {
		if seen[imp.Name] || imp.Name == "" || imp.Params < 0 {
			t.Errorf("%+v: each import once, named", imp)
		}
		seen[imp.Name] = true
	}
	for _, curve := range []int{CurveP256, CurveP384, CurveP521, CurveSecp256k1} {
		if bit := CapCurve(curve); bit < CapCurveBase || bit&(CapAESGCM|CapRSA|CapEd25519|CapDigest|CapHMAC|CapAnySize) != 0 {
			t.Errorf("curve %d's capability bit %#x overlaps another", curve, bit)
		}
	}
}
