package kms

type reEncryptResponse struct {
	CiphertextBlob                 []byte `json:"CiphertextBlob"`
	SourceKeyId                    string `json:"SourceKeyId"`
	KeyId                          string `json:"KeyId"`
	SourceEncryptionAlgorithm      string `json:"SourceEncryptionAlgorithm"`
	DestinationEncryptionAlgorithm string `json:"DestinationEncryptionAlgorithm"`
	SourceKeyMaterialId            string `json:"SourceKeyMaterialId,omitempty"`
	DestinationKeyMaterialId       string `json:"DestinationKeyMaterialId,omitempty"`
}

// reEncrypt decrypts with the source key (kms:ReEncryptFrom) and encrypts under the destination
// key (kms:ReEncryptTo); the plaintext never leaves the service.
func reEncrypt(w *World, c caller, req *reEncryptRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := w.checkGrantTokens(req.GrantTokens); err != nil {
		return nil, err
	}
	srcAlg := stringOr(req.SourceEncryptionAlgorithm, algSymmetricDefault)
	dstAlg := stringOr(req.DestinationEncryptionAlgorithm, algSymmetricDefault)
	src, plaintext, srcMaterial, err := w.decryptWith(c, "ReEncrypt", "kms:ReEncryptFrom", req.SourceKeyId, srcAlg, req.SourceEncryptionContext, req.CiphertextBlob, nil)
	if err != nil {
		return nil, err
	}
	dst, err := w.findKey(c, *req.DestinationKeyId, keyRef{aliases: true, action: "kms:ReEncryptTo", crossAccount: true,
		scope: grantScope{context: req.DestinationEncryptionContext}, cond: conditionRequest{encryptionAlgorithm: dstAlg}})
	if err != nil {
		return nil, err
	}
	blob, err := w.encryptWith(dst, "ReEncrypt", dstAlg, req.DestinationEncryptionContext, plaintext)
	if err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	w.noteUse(src, "ReEncrypt")
	w.noteUse(dst, "ReEncrypt")
	return reEncryptResponse{CiphertextBlob: blob, SourceKeyId: src.arn(), KeyId: dst.arn(),
		SourceEncryptionAlgorithm: srcAlg, DestinationEncryptionAlgorithm: dstAlg,
		SourceKeyMaterialId: srcMaterial, DestinationKeyMaterialId: dst.currentMaterialID()}, nil
}
