package kms

import (
	"errors"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// DeriveSharedSecret: ECDH between a KEY_AGREEMENT key (NIST curves, SM2 in the China Regions) and
// the caller's public key (SubjectPublicKeyInfo DER). The secret is the raw shared x-coordinate.

func deriveSharedSecret(w *World, c caller, req *deriveSharedSecretRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	attestation, err := w.attested(req.Recipient)
	if err != nil {
		return nil, err
	}
	k, err := w.keyForOperation(c, &v, req.KeyId, req.GrantTokens, keyRef{aliases: true, action: "kms:DeriveSharedSecret", crossAccount: true,
		cond: conditionRequest{attestation: attestation}})
	if err != nil {
		return nil, err
	}
	if err := k.checkUsable(); err != nil {
		return nil, err
	}
	if k.usage != usageKeyAgreement {
		return nil, errKeyUsageInvalidFor(k.arn(), k.usage, "DeriveSharedSecret")
	}
	if !contains(k.keySpec().algorithmsFor(usageKeyAgreement), *req.KeyAgreementAlgorithm) {
		return nil, errAlgorithmIncompatible(*req.KeyAgreementAlgorithm, k.spec)
	}
	secret, cryptoErr := kmscrypto.DeriveSharedSecret(k.private, req.PublicKey)
	switch {
	case errors.Is(cryptoErr, kmscrypto.ErrInvalidPublicKey):
		return nil, errInvalidPeerPublicKey()
	case cryptoErr != nil:
		return nil, errInternal("deriving a shared secret: " + cryptoErr.Error())
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	w.noteUse(k, "DeriveSharedSecret")
	out := map[string]any{"KeyId": k.arn(), "KeyAgreementAlgorithm": *req.KeyAgreementAlgorithm, "KeyOrigin": k.origin}
	if attestation == nil {
		out["SharedSecret"] = secret
		return out, nil
	}
	if out["CiphertextForRecipient"], err = w.sealForRecipient(attestation, secret); err != nil { // only for the enclave
		return nil, err
	}
	return out, nil
}
