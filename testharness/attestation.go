package testharness

import (
	"context"
	"encoding/hex"
	"strconv"
)

// Attestation is the content of a test attestation document (World.AttestationDocument): the
// enclave's RSA public key (DER SubjectPublicKeyInfo), its PCRs by index (nil: PCR0 to PCR15 of 48
// zero bytes), and the optional module ID, user data and nonce.
type Attestation struct {
	PublicKey []byte
	PCRs      map[int][]byte
	ModuleID  string
	UserData  []byte
	Nonce     []byte
}

// AttestationDocument makes an attestation document for a request's Recipient (Decrypt,
// GenerateDataKey, GenerateDataKeyPair, DeriveSharedSecret, GenerateRandom), as a Nitro enclave gets
// one but signed through wasmkms's test root, at the world's clock (valid three hours).
func (w *World) AttestationDocument(ctx context.Context, a Attestation) ([]byte, error) {
	var pcrs map[string]string
	if a.PCRs != nil {
		pcrs = map[string]string{}
		for i, v := range a.PCRs {
			pcrs[strconv.Itoa(i)] = hex.EncodeToString(v)
		}
	}
	req := map[string]any{"PublicKey": a.PublicKey, "PCRs": pcrs, "ModuleId": a.ModuleID, "UserData": a.UserData, "Nonce": a.Nonce}
	var out struct{ AttestationDocument []byte }
	if err := w.admin(ctx, "AttestationDocument", req, &out); err != nil {
		return nil, err
	}
	return out.AttestationDocument, nil
}

// OpenForRecipient opens a CiphertextForRecipient with the enclave's private key (DER PKCS#8), as
// the enclave would.
func (w *World) OpenForRecipient(ctx context.Context, privateKey, ciphertextForRecipient []byte) ([]byte, error) {
	var out struct{ Plaintext []byte }
	err := w.admin(ctx, "OpenForRecipient", map[string][]byte{"PrivateKey": privateKey, "CiphertextForRecipient": ciphertextForRecipient}, &out)
	return out.Plaintext, err
}
