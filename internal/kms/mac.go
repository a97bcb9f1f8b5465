package kms

import (
	"crypto/hmac"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// GenerateMac and VerifyMac with GENERATE_VERIFY_MAC (HMAC) keys. A MAC is HMAC over the message
// with the key's material: deterministic for the same key and message.

// The answers: structs, whose members are in the order json.Marshal wrote the maps these were (sorted),
// so the JSON answer is the same; the direct exports read their fields without boxing them.
type generateMacResponse struct {
	KeyId        string `json:"KeyId"`
	Mac          []byte `json:"Mac"`
	MacAlgorithm string `json:"MacAlgorithm"`
}

type verifyMacResponse struct {
	KeyId        string `json:"KeyId"`
	MacAlgorithm string `json:"MacAlgorithm"`
	MacValid     bool   `json:"MacValid"`
}

func generateMac(w *World, c caller, req *generateMacRequest) (any, *apiError) {
	k, err := w.operationKey(c, req, "GenerateMac", req.KeyId, req.GrantTokens, conditionRequest{})
	if err != nil {
		return nil, err
	}
	mac, err := k.mac(w.crypto(), "GenerateMac", *req.MacAlgorithm, req.Message)
	if err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	w.noteUse(k, "GenerateMac")
	return generateMacResponse{KeyId: k.arn(), Mac: mac, MacAlgorithm: *req.MacAlgorithm}, nil
}

func verifyMac(w *World, c caller, req *verifyMacRequest) (any, *apiError) {
	k, err := w.operationKey(c, req, "VerifyMac", req.KeyId, req.GrantTokens, conditionRequest{})
	if err != nil {
		return nil, err
	}
	mac, err := k.mac(w.crypto(), "VerifyMac", *req.MacAlgorithm, req.Message)
	if err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	if !hmac.Equal(mac, req.Mac) {
		return nil, errInvalidMac()
	}
	w.noteUse(k, "VerifyMac")
	return verifyMacResponse{KeyId: k.arn(), MacAlgorithm: *req.MacAlgorithm, MacValid: true}, nil
}

// mac checks that key k can MAC with the algorithm (state, usage, the key spec's algorithm, as
// LocalStack's recordings of AWS show: "Algorithm HMAC_SHA_512 is incompatible with key spec
// HMAC_256."), then answers the MAC of message, on the world's engine, with the key's material made
// ready once (kmscrypto.PreparedMAC).
func (k *key) mac(engine *kmscrypto.Engine, operation, algorithm string, message []byte) ([]byte, *apiError) {
	if err := k.checkUsable(); err != nil {
		return nil, err
	}
	if k.usage != usageGenerateVerifyMAC {
		return nil, errKeyUsageInvalidFor(k.arn(), k.usage, operation)
	}
	if !contains(k.keySpec().algorithmsFor(usageGenerateVerifyMAC), algorithm) {
		return nil, errAlgorithmIncompatible(algorithm, k.spec)
	}
	mac, err := engine.MACPrepared(&k.hmacReady, algorithm, k.hmacKey, message)
	if err != nil {
		return nil, errInternal("computing a MAC: " + err.Error())
	}
	return mac, nil
}
