package kms

import (
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

type getPublicKeyResponse struct {
	KeyId                   string   `json:"KeyId"`
	PublicKey               []byte   `json:"PublicKey"`
	CustomerMasterKeySpec   string   `json:"CustomerMasterKeySpec,omitempty"`
	KeySpec                 string   `json:"KeySpec"`
	KeyUsage                string   `json:"KeyUsage"`
	EncryptionAlgorithms    []string `json:"EncryptionAlgorithms,omitempty"`
	SigningAlgorithms       []string `json:"SigningAlgorithms,omitempty"`
	KeyAgreementAlgorithms  []string `json:"KeyAgreementAlgorithms,omitempty"`
	EncapsulationAlgorithms []string `json:"EncapsulationAlgorithms,omitempty"`
}

func getPublicKey(w *World, c caller, req *getPublicKeyRequest) (any, *apiError) {
	k, err := w.operationKey(c, req, "GetPublicKey", req.KeyId, req.GrantTokens, conditionRequest{})
	if err != nil {
		return nil, err
	}
	// GetPublicKey works on a Disabled key (the public key is not secret); the other states refuse.
	if k.state != stateDisabled {
		if err := k.checkUsable(); err != nil {
			return nil, err
		}
	}
	public := k.publicKey()
	if public == nil {
		// Our text: real KMS refuses symmetric and HMAC keys here with UnsupportedOperationException.
		return nil, errNoPublicKey(k.arn(), k.spec)
	}
	der, marshalErr := kmscrypto.MarshalSPKI(public)
	if marshalErr != nil {
		return nil, errInternal("encoding the public key: " + marshalErr.Error())
	}
	out := getPublicKeyResponse{KeyId: k.arn(), PublicKey: der, CustomerMasterKeySpec: k.customerMasterKeySpec(), KeySpec: k.spec, KeyUsage: k.usage}
	algs := k.keySpec().algorithmsFor(k.usage)
	switch k.usage {
	case usageEncryptDecrypt:
		out.EncryptionAlgorithms = algs
	case usageSignVerify:
		out.SigningAlgorithms = algs
	case usageKeyAgreement:
		out.KeyAgreementAlgorithms = algs
	case usageEncapsulate:
		out.EncapsulationAlgorithms = algs
	}
	return out, nil
}

// publicKey answers the key's public half, or nil for symmetric and HMAC keys.
func (k *key) publicKey() any {
	if k.private == nil {
		return nil
	}
	return k.private.Public()
}
