package kms

import (
	"crypto/rsa"
	"errors"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

type decryptResponse struct {
	KeyId                  string `json:"KeyId"`
	Plaintext              []byte `json:"Plaintext,omitempty"`
	EncryptionAlgorithm    string `json:"EncryptionAlgorithm"`
	CiphertextForRecipient []byte `json:"CiphertextForRecipient,omitempty"` // an attested request's (recipient.go)
	KeyMaterialId          string `json:"KeyMaterialId,omitempty"`          // the symmetric material that opened the blob
}

func decrypt(w *World, c caller, req *decryptRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := w.checkGrantTokens(req.GrantTokens); err != nil {
		return nil, err
	}
	attestation, err := w.attested(req.Recipient)
	if err != nil {
		return nil, err
	}
	algorithm := stringOr(req.EncryptionAlgorithm, algSymmetricDefault)
	k, plaintext, materialID, err := w.decryptWith(c, "Decrypt", "kms:Decrypt", req.KeyId, algorithm, req.EncryptionContext, req.CiphertextBlob, attestation)
	if err != nil {
		return nil, err
	}
	if isTrue(req.DryRun) {
		return nil, errDryRun()
	}
	w.noteUse(k, "Decrypt")
	out := decryptResponse{KeyId: k.arn(), Plaintext: plaintext, EncryptionAlgorithm: algorithm, KeyMaterialId: materialID}
	if attestation != nil { // the plaintext only for the enclave, and no KeyMaterialId (the model says so)
		if out.CiphertextForRecipient, err = w.sealForRecipient(attestation, plaintext); err != nil {
			return nil, err
		}
		out.Plaintext, out.KeyMaterialId = nil, ""
	}
	return out, nil
}

// decryptWith decrypts a ciphertext for caller c: a symmetric blob names its key (a given KeyId
// must name the same key), an asymmetric ciphertext needs the KeyId.
// The material ID is the version of a symmetric key that opened the blob ("" for asymmetric keys).
// attestation is the request's verified Recipient (nil when none), for the key policy's conditions.
func (w *World) decryptWith(c caller, operation, action string, keyID *string, algorithm string, context map[string]string, ciphertext []byte,
	attestation *kmscrypto.Attestation) (k *key, plaintext []byte, materialID string, apiErr *apiError) {
	cond := conditionRequest{encryptionAlgorithm: algorithm, attestation: attestation}
	var named *key
	if keyID != nil {
		k, err := w.findKey(c, *keyID, keyRef{aliases: true, action: action, crossAccount: true, scope: grantScope{context: context},
			cond: cond})
		if err != nil {
			return nil, nil, "", err
		}
		named = k
	}
	if algorithm != algSymmetricDefault {
		if named == nil {
			return nil, nil, "", errKeyIDRequiredForAsymmetric()
		}
		plaintext, err := named.decryptAsymmetric(w.crypto(), operation, algorithm, context, ciphertext)
		return named, plaintext, "", err
	}
	blob, parseErr := kmscrypto.ReadSymmetricBlob(ciphertext) // read once: the key it names, then opened
	if parseErr != nil {
		if named != nil && named.keySpec().family != familySymmetric {
			return nil, nil, "", errAlgorithmIncompatible(algorithm, named.spec)
		}
		return nil, nil, "", errInvalidCiphertext()
	}
	// A symmetric blob naming another key than KeyId is IncorrectKeyException, even when KeyId is
	// an asymmetric or HMAC key: real KMS checks the key before the usage (recorded by LocalStack).
	k = w.blobKey(c, blob.KeyID)
	if k == nil {
		return nil, nil, "", errCiphertextKeyUnknown()
	}
	if named != nil && named != k {
		return nil, nil, "", errIncorrectKey()
	}
	if named == nil { // a named key was authorized by findKey, with the alias its KeyId names
		if err := k.authorizeRequest(c, action, grantScope{context: context}, cond); err != nil {
			return nil, nil, "", err
		}
	}
	if err := k.checkUsable(); err != nil {
		return nil, nil, "", err
	}
	material := k.materialByBackingID(blob.BackingID)
	if material == nil {
		return nil, nil, "", errInvalidCiphertext()
	}
	plaintext, err := w.crypto().OpenSymmetricBlob(material.SymmetricKey, blob, context)
	if err != nil {
		if !errors.Is(err, kmscrypto.ErrInvalidCiphertext) {
			return nil, nil, "", errInternal("decrypting: " + err.Error())
		}
		return nil, nil, "", errInvalidCiphertext()
	}
	return k, plaintext, material.id, nil
}

// blobKey is keyByIDInRegion for a blob's key ID, looked up first in the caller's own account, where
// it nearly always is: one map lookup instead of a walk over the world's regions (the same key either
// way, as key IDs are unique in a region).
func (w *World) blobKey(c caller, id string) *key {
	if r := w.regions[regionID{c.account, c.region}]; r != nil {
		if k := r.keys[id]; k != nil {
			w.keyLookedUp(k)
			return k
		}
	}
	return w.keyByIDInRegion(c.region, id)
}

// keyByIDInRegion finds a key by ID in any account's view of the region: a symmetric blob names
// its key ID but not its account, and key IDs are unique in a world.
func (w *World) keyByIDInRegion(regionName, id string) *key {
	for rid, r := range w.regions {
		if rid.region != regionName {
			continue
		}
		if k := r.keys[id]; k != nil {
			w.keyLookedUp(k)
			return k
		}
	}
	return nil
}

// decryptAsymmetric decrypts an RSA-OAEP or SM2PKE ciphertext with key k, on the world's engine.
func (k *key) decryptAsymmetric(engine *kmscrypto.Engine, operation, algorithm string, context map[string]string, ciphertext []byte) ([]byte, *apiError) {
	if err := k.checkUsable(); err != nil {
		return nil, err
	}
	if err := k.checkEncryptionAlgorithm(operation, algorithm, context); err != nil {
		return nil, err
	}
	var plaintext []byte
	var err error
	switch k.keySpec().family {
	case familyRSA:
		plaintext, err = engine.RSADecryptOAEP(k.private.(*rsa.PrivateKey), oaepHashOf(algorithm), ciphertext)
	case familySM2:
		plaintext, err = kmscrypto.SM2Decrypt(k.private.(*kmscrypto.SM2PrivateKey), ciphertext)
	}
	if err != nil {
		return nil, errInvalidCiphertext()
	}
	return plaintext, nil
}
