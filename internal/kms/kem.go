package kms

import (
	"errors"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Encapsulate and Decapsulate with ENCAPSULATE_DECAPSULATE (ML-KEM) keys: Encapsulate makes a fresh
// shared secret and its ciphertext under the key's public half, Decapsulate recovers the secret.

func encapsulate(w *World, c caller, req *encapsulateRequest) (any, *apiError) {
	k, err := w.operationKey(c, req, "Encapsulate", req.KeyId, req.GrantTokens, conditionRequest{})
	if err != nil {
		return nil, err
	}
	if err := k.checkEncapsulation("Encapsulate", *req.EncapsulationAlgorithm); err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	pub := k.private.Public().(*kmscrypto.MLKEMPublicKey)
	secret, ciphertext, cryptoErr := kmscrypto.MLKEMEncapsulate(w.rand, pub)
	if cryptoErr != nil {
		return nil, errInternal("encapsulating: " + cryptoErr.Error())
	}
	w.noteUse(k, "Encapsulate")
	return map[string]any{"KeyId": k.arn(), "SharedSecret": secret, "SharedSecretCiphertextBlob": ciphertext,
		"EncapsulationAlgorithm": *req.EncapsulationAlgorithm}, nil
}

func decapsulate(w *World, c caller, req *decapsulateRequest) (any, *apiError) {
	k, err := w.operationKey(c, req, "Decapsulate", req.KeyId, req.GrantTokens, conditionRequest{})
	if err != nil {
		return nil, err
	}
	if err := k.checkEncapsulation("Decapsulate", *req.EncapsulationAlgorithm); err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	secret, cryptoErr := kmscrypto.MLKEMDecapsulate(k.private.(*kmscrypto.MLKEMPrivateKey), req.SharedSecretCiphertextBlob)
	switch {
	case errors.Is(cryptoErr, kmscrypto.ErrInvalidCiphertext):
		// A ciphertext of the wrong length. (ML-KEM's implicit rejection answers a wrong secret, not
		// an error, for a ciphertext of the right length that was not made for this key.)
		return nil, errInvalidCiphertext()
	case cryptoErr != nil:
		return nil, errInternal("decapsulating: " + cryptoErr.Error())
	}
	w.noteUse(k, "Decapsulate")
	return map[string]any{"KeyId": k.arn(), "SharedSecret": secret, "EncapsulationAlgorithm": *req.EncapsulationAlgorithm}, nil
}

// checkEncapsulation answers the error of using key k with an encapsulation algorithm.
func (k *key) checkEncapsulation(operation, algorithm string) *apiError {
	if err := k.checkUsable(); err != nil {
		return err
	}
	if k.usage != usageEncapsulate {
		return errKeyUsageInvalidFor(k.arn(), k.usage, operation)
	}
	if !contains(k.keySpec().algorithmsFor(usageEncapsulate), algorithm) {
		return errAlgorithmIncompatible(algorithm, k.spec)
	}
	return nil
}
