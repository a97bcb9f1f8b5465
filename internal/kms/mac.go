package kms

import (
	"crypto/hmac"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// GenerateMac and VerifyMac with GENERATE_VERIFY_MAC (HMAC) keys. A MAC is HMAC over the message
// with the key's material: deterministic for the same key and message.

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
	return map[string]any{"Mac": mac, "MacAlgorithm": *req.MacAlgorithm, "KeyId": k.arn()}, nil
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
	return map[string]any{"KeyId": k.arn(), "MacValid": true, "MacAlgorithm": *req.MacAlgorithm}, nil
}

// mac checks that key k can MAC with the algorithm (state, usage, the key spec's algorithm, as
// LocalStack's recordings of AWS show: "Algorithm HMAC_SHA_512 is incompatible with key spec
// HMAC_256."), then answers the MAC of message, on the world's engine.
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
	mac, err := engine.MAC(algorithm, k.hmacKey, message)
	if err != nil {
		return nil, errInternal("computing a MAC: " + err.Error())
	}
	return mac, nil
}
