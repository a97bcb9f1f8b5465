package kms

import (
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

type dataKeyPairResponse struct {
	PrivateKeyCiphertextBlob []byte `json:"PrivateKeyCiphertextBlob"`
	PrivateKeyPlaintext      []byte `json:"PrivateKeyPlaintext,omitempty"`
	PublicKey                []byte `json:"PublicKey"`
	KeyId                    string `json:"KeyId"`
	KeyPairSpec              string `json:"KeyPairSpec"`
	CiphertextForRecipient   []byte `json:"CiphertextForRecipient,omitempty"` // an attested request's (recipient.go)
	KeyMaterialId            string `json:"KeyMaterialId,omitempty"`
}

func generateDataKeyPair(w *World, c caller, req *generateDataKeyPairRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	return w.generateDataKeyPair(c, &v, req, "GenerateDataKeyPair", true)
}

func generateDataKeyPairWithoutPlaintext(w *World, c caller, req *generateDataKeyPairWithoutPlaintextRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	same := generateDataKeyPairRequest{EncryptionContext: req.EncryptionContext, KeyId: req.KeyId, KeyPairSpec: req.KeyPairSpec,
		GrantTokens: req.GrantTokens, DryRun: req.DryRun}
	return w.generateDataKeyPair(c, &v, &same, "GenerateDataKeyPairWithoutPlaintext", false)
}

// generateDataKeyPair makes an asymmetric key pair of a key spec from the key spec table and seals
// its PKCS#8 private key under a symmetric key. RSA pairs come from the same sources as CreateKey
// (supplied keys, fresh generation or the test-only prime pool).
// v holds the request's violations.
func (w *World) generateDataKeyPair(c caller, v *violations, req *generateDataKeyPairRequest, operation string, withPlaintext bool) (any, *apiError) {
	if err := v.err(); err != nil {
		return nil, err
	}
	attestation, err := w.attested(req.Recipient) // GenerateDataKeyPairWithoutPlaintext has none
	if err != nil {
		return nil, err
	}
	if err := w.checkGrantTokens(req.GrantTokens); err != nil {
		return nil, err
	}
	// Not keyForOperation: the key pair spec is checked between the grant tokens and the key.
	specName := *req.KeyPairSpec
	spec, known := keySpecs[specName]
	if !known || spec.family == familySymmetric || spec.family == familyHMAC {
		return nil, errSpecUnsupported("KeyPairSpec", specName)
	}
	if spec.chinaOnly && !isChinaRegion(c.region) {
		return nil, errChinaOnly("KeyPairSpec", specName, c.region)
	}
	k, err := w.findKey(c, *req.KeyId, keyRef{aliases: true, action: "kms:" + operation, crossAccount: true,
		scope: grantScope{context: req.EncryptionContext}, cond: conditionRequest{attestation: attestation}})
	if err != nil {
		return nil, err
	}
	if err := k.checkUsable(); err != nil {
		return nil, err
	}
	if err := k.checkNotInCustomKeyStore(); err != nil { // the model: not a key in a custom key store
		return nil, err
	}
	if err := k.checkEncryptionAlgorithm(operation, algSymmetricDefault, req.EncryptionContext); err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	pair := &key{}
	if genErr := w.generateMaterial(pair, spec); genErr != nil {
		return nil, errInternal("generating a key pair: " + genErr.Error())
	}
	der, encErr := kmscrypto.MarshalPKCS8(pair.private)
	public, pubErr := kmscrypto.MarshalSPKI(pair.private.Public())
	if encErr != nil || pubErr != nil {
		return nil, errInternal("encoding a key pair")
	}
	blob, err := w.encryptWith(k, operation, algSymmetricDefault, req.EncryptionContext, der)
	if err != nil {
		return nil, err
	}
	w.noteUse(k, operation)
	out := dataKeyPairResponse{PrivateKeyCiphertextBlob: blob, PublicKey: public, KeyId: k.arn(), KeyPairSpec: specName,
		KeyMaterialId: k.currentMaterialID()}
	switch {
	case attestation != nil: // the private key only for the enclave
		if out.CiphertextForRecipient, err = w.sealForRecipient(attestation, der); err != nil {
			return nil, err
		}
	case withPlaintext:
		out.PrivateKeyPlaintext = der
	}
	return out, nil
}
