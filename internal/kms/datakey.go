package kms

import "io"

type generateDataKeyRequest struct {
	KeyId             *string           `json:"KeyId"`
	EncryptionContext map[string]string `json:"EncryptionContext"`
	NumberOfBytes     *int              `json:"NumberOfBytes"`
	KeySpec           *string           `json:"KeySpec"`
	GrantTokens       []string          `json:"GrantTokens"`
	DryRun            *bool             `json:"DryRun"`
}

type dataKeyResponse struct {
	CiphertextBlob []byte `json:"CiphertextBlob"`
	Plaintext      []byte `json:"Plaintext,omitempty"`
	KeyId          string `json:"KeyId"`
}

// dataKeyBytes is the size of each data key spec.
var dataKeyBytes = map[string]int{"AES_256": 32, "AES_128": 16}

func generateDataKey(w *World, c caller, req *generateDataKeyRequest) (any, *apiError) {
	return w.generateDataKey(c, req, "GenerateDataKey", true)
}

func generateDataKeyWithoutPlaintext(w *World, c caller, req *generateDataKeyRequest) (any, *apiError) {
	return w.generateDataKey(c, req, "GenerateDataKeyWithoutPlaintext", false)
}

// generateDataKey makes random bytes and encrypts them under a symmetric key, answering the
// plaintext too when withPlaintext.
func (w *World) generateDataKey(c caller, req *generateDataKeyRequest, operation string, withPlaintext bool) (any, *apiError) {
	var v violations
	v.requiredStr("keyId", req.KeyId, 1, 2048)
	v.intRange("numberOfBytes", req.NumberOfBytes, 1, 1024)
	v.enum("keySpec", req.KeySpec, dataKeySpecValues)
	v.grantTokens(req.GrantTokens)
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
	if err := w.checkGrantTokens(req.GrantTokens); err != nil {
		return nil, err
	}
	k, err := w.findKey(c, *req.KeyId, keyRef{aliases: true, action: "kms:" + operation, crossAccount: true})
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
	out := dataKeyResponse{CiphertextBlob: blob, KeyId: k.arn()}
	if withPlaintext {
		out.Plaintext = dataKey
	}
	return out, nil
}
