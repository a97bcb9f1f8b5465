package kms

import (
	"crypto/rsa"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

type encryptResponse struct {
	CiphertextBlob      []byte `json:"CiphertextBlob"`
	KeyId               string `json:"KeyId"`
	EncryptionAlgorithm string `json:"EncryptionAlgorithm"`
}

func encrypt(w *World, c caller, req *encryptRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	algorithm := stringOr(req.EncryptionAlgorithm, algSymmetricDefault)
	k, err := w.keyForOperation(c, &v, req.KeyId, req.GrantTokens, keyRef{aliases: true, action: "kms:Encrypt", crossAccount: true,
		scope: grantScope{context: req.EncryptionContext}, cond: conditionRequest{encryptionAlgorithm: algorithm}})
	if err != nil {
		return nil, err
	}
	blob, err := w.encryptWith(k, "Encrypt", algorithm, req.EncryptionContext, req.Plaintext)
	if err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	w.noteUse(k, "Encrypt")
	return encryptResponse{CiphertextBlob: blob, KeyId: k.arn(), EncryptionAlgorithm: algorithm}, nil
}

// encryptWith checks that key k can encrypt plaintext with the algorithm and context, then does it.
// operation names the API operation for the key-usage message.
func (w *World) encryptWith(k *key, operation, algorithm string, context map[string]string, plaintext []byte) ([]byte, *apiError) {
	if err := k.checkUsable(); err != nil {
		return nil, err
	}
	if err := k.checkEncryptionAlgorithm(operation, algorithm, context); err != nil {
		return nil, err
	}
	if max := k.keySpec().maxPlaintext[algorithm]; len(plaintext) > max {
		return nil, errPlaintextTooLarge(algorithm, k.spec, max)
	}
	var blob []byte
	var cryptoErr error
	switch k.keySpec().family {
	case familySymmetric:
		blob, cryptoErr = w.crypto().EncryptSymmetric(w.rand, k.currentMaterial().SymmetricKey, k.id, context, plaintext)
	case familyRSA:
		blob, cryptoErr = kmscrypto.RSAEncryptOAEP(w.rand, &k.private.(*rsa.PrivateKey).PublicKey, oaepHashOf(algorithm), plaintext)
	case familySM2:
		blob, cryptoErr = kmscrypto.SM2Encrypt(w.rand, &k.private.(*kmscrypto.SM2PrivateKey).PublicKey, plaintext)
	}
	if cryptoErr != nil {
		return nil, errInternal("encrypting: " + cryptoErr.Error())
	}
	return blob, nil
}

// checkEncryptionAlgorithm answers the error of using key k with an encryption algorithm: a key
// whose usage is not ENCRYPT_DECRYPT, an algorithm outside the key spec's set, or an encryption
// context with an asymmetric key.
func (k *key) checkEncryptionAlgorithm(operation, algorithm string, context map[string]string) *apiError {
	if k.usage != usageEncryptDecrypt {
		return errKeyUsageInvalidFor(k.arn(), k.usage, operation)
	}
	if !contains(k.keySpec().algorithmsFor(usageEncryptDecrypt), algorithm) {
		return errAlgorithmIncompatible(algorithm, k.spec)
	}
	if len(context) > 0 && k.keySpec().family != familySymmetric {
		return errContextWithAsymmetricKey(k.spec)
	}
	return nil
}

func oaepHashOf(algorithm string) kmscrypto.OAEPHash {
	if algorithm == algRSAOAEPSHA1 {
		return kmscrypto.OAEPSHA1
	}
	return kmscrypto.OAEPSHA256
}

func stringOr(s *string, fallback string) string {
	if s == nil {
		return fallback
	}
	return *s
}

func isTrue(b *bool) bool { return b != nil && *b }
