package kms

import (
	"fmt"
)

// The typed entry points of Encrypt and Decrypt, for hosts that pass the members without JSON (the
// module's direct exports, wasm/ABI.md). They build the same request structs the JSON decoding
// fills and run the same operations under the same lock, so every answer (errors included) is the
// one Handle gives for the equivalent JSON body without GrantTokens and DryRun. A host falls back to
// Handle for those members.

// EncryptInput is an Encrypt request; a nil pointer or slice is an absent member.
type EncryptInput struct {
	KeyID               *string
	Plaintext           []byte
	EncryptionContext   map[string]string
	EncryptionAlgorithm *string
}

// EncryptOutput is Encrypt's answer.
type EncryptOutput struct {
	CiphertextBlob      []byte
	KeyID               string
	EncryptionAlgorithm string
}

// DecryptInput is a Decrypt request; a nil pointer or slice is an absent member.
type DecryptInput struct {
	CiphertextBlob      []byte
	EncryptionContext   map[string]string
	KeyID               *string
	EncryptionAlgorithm *string
}

// DecryptOutput is Decrypt's answer.
type DecryptOutput struct {
	KeyID               string
	Plaintext           []byte
	EncryptionAlgorithm string
	KeyMaterialID       string // "" for asymmetric keys: the member is absent
}

// Encrypt runs Encrypt. On success status is 200 and errBody nil; otherwise errBody is the JSON
// error answer Handle would give, with its status.
func (w *World) Encrypt(c Caller, in EncryptInput) (out EncryptOutput, status int, errBody []byte) {
	req := encryptRequest{KeyId: in.KeyID, Plaintext: in.Plaintext, EncryptionContext: in.EncryptionContext,
		EncryptionAlgorithm: in.EncryptionAlgorithm}
	info := callInfo{operation: "Encrypt", input: &req, keyID: func() string { return stringOr(in.KeyID, "") }}
	answer, status, errBody := w.serveTyped(info, func(w *World, c caller) (any, *apiError) { return encrypt(w, c, &req) }, c)
	if status == 200 {
		r := answer.(encryptResponse)
		out = EncryptOutput{CiphertextBlob: r.CiphertextBlob, KeyID: r.KeyId, EncryptionAlgorithm: r.EncryptionAlgorithm}
	}
	return out, status, errBody
}

// Decrypt runs Decrypt, answering as Encrypt does.
func (w *World) Decrypt(c Caller, in DecryptInput) (out DecryptOutput, status int, errBody []byte) {
	req := decryptRequest{CiphertextBlob: in.CiphertextBlob, EncryptionContext: in.EncryptionContext, KeyId: in.KeyID,
		EncryptionAlgorithm: in.EncryptionAlgorithm}
	info := callInfo{operation: "Decrypt", input: &req, keyID: func() string { return keyIDOrBlobKey(in.KeyID, in.CiphertextBlob) }}
	answer, status, errBody := w.serveTyped(info, func(w *World, c caller) (any, *apiError) { return decrypt(w, c, &req) }, c)
	if status == 200 {
		r := answer.(decryptResponse)
		out = DecryptOutput{KeyID: r.KeyId, Plaintext: r.Plaintext, EncryptionAlgorithm: r.EncryptionAlgorithm, KeyMaterialID: r.KeyMaterialId}
	}
	return out, status, errBody
}

// serveTyped runs one decoded KMS operation as Handle does (recovering a panic into the same
// KMSInternalException: the direct exports' core layer, as Handle's is wasmkms_call's), answering the
// output on success or the encoded error.
func (w *World) serveTyped(info callInfo, fn func(*World, caller) (any, *apiError), c Caller) (out any, status int, errBody []byte) {
	defer func() {
		if r := recover(); r != nil {
			out = nil
			status, errBody = errInternal(fmt.Sprintf("internal error in %s: %v", kmsTargetPrefix+info.operation, r)).encode()
		}
	}()
	out, apiErr := w.serve(c, info, fn)
	if apiErr != nil {
		status, errBody = apiErr.encode()
		return nil, status, errBody
	}
	return out, 200, nil
}
