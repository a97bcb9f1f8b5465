package kms

import "io"

type dataKeyResponse struct {
	CiphertextBlob         []byte `json:"CiphertextBlob"`
	Plaintext              []byte `json:"Plaintext,omitempty"`
	KeyId                  string `json:"KeyId"`
	CiphertextForRecipient []byte `json:"CiphertextForRecipient,omitempty"` // an attested request's (recipient.go)
	KeyMaterialId          string `json:"KeyMaterialId,omitempty"`
}

// dataKeyBytes is the size of each data key spec.
var dataKeyBytes = map[string]int{"AES_256": 32, "AES_128": 16}

func generateDataKey(w *World, c caller, req *generateDataKeyRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	return w.generateDataKey(c, &v, req, "GenerateDataKey", true)
}

// generateDataKeyWithoutPlaintext validates its own request (its members come in another order),
// then does what GenerateDataKey does without answering the plaintext.
func generateDataKeyWithoutPlaintext(w *World, c caller, req *generateDataKeyWithoutPlaintextRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	same := generateDataKeyRequest{KeyId: req.KeyId, EncryptionContext: req.EncryptionContext, NumberOfBytes: req.NumberOfBytes,
		KeySpec: req.KeySpec, GrantTokens: req.GrantTokens, DryRun: req.DryRun}
	return w.generateDataKey(c, &v, &same, "GenerateDataKeyWithoutPlaintext", false)
}

// generateDataKey makes random bytes and encrypts them under a symmetric key, answering the
// plaintext too when withPlaintext.
// v holds the request's violations.
func (w *World) generateDataKey(c caller, v *violations, req *generateDataKeyRequest, operation string, withPlaintext bool) (any, *apiError) {
	if err := v.err(); err != nil {
		return nil, err
	}
	// Not keyForOperation: this check comes between validation and the grant tokens.
	if (req.NumberOfBytes == nil) == (req.KeySpec == nil) {
		return nil, errBytesOrKeySpec()
	}
	size := 0
	if req.NumberOfBytes != nil {
		size = *req.NumberOfBytes
	} else {
		size = dataKeyBytes[*req.KeySpec]
	}
	attestation, err := w.attested(req.Recipient) // GenerateDataKeyWithoutPlaintext has none
	if err != nil {
		return nil, err
	}
	if err := w.checkGrantTokens(req.GrantTokens); err != nil {
		return nil, err
	}
	k, err := w.findKey(c, *req.KeyId, keyRef{aliases: true, action: "kms:" + operation, crossAccount: true,
		scope: grantScope{context: req.EncryptionContext}, cond: conditionRequest{attestation: attestation}})
	if err != nil {
		return nil, err
	}
	dataKey := make([]byte, size)
	if _, readErr := io.ReadFull(w.rand, dataKey); readErr != nil {
		return nil, errInternal("generating a data key: " + readErr.Error())
	}
	// A data key is sealed under a symmetric key only: SYMMETRIC_DEFAULT is the one algorithm, so an
	// asymmetric key answers the same InvalidKeyUsageException as Encrypt without an algorithm.
	blob, err := w.encryptWith(k, operation, algSymmetricDefault, req.EncryptionContext, dataKey)
	if err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	w.noteUse(k, operation)
	out := dataKeyResponse{CiphertextBlob: blob, KeyId: k.arn(), KeyMaterialId: k.currentMaterialID()}
	switch {
	case attestation != nil: // the data key only for the enclave
		if out.CiphertextForRecipient, err = w.sealForRecipient(attestation, dataKey); err != nil {
			return nil, err
		}
	case withPlaintext:
		out.Plaintext = dataKey
	}
	return out, nil
}
