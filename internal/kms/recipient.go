package kms

import (
	"crypto/rsa"
	"encoding/hex"
	"strconv"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Attested requests: the Recipient parameter of Decrypt, DeriveSharedSecret, GenerateDataKey,
// GenerateDataKeyPair and GenerateRandom (AWS's "Cryptographic attestation support in KMS"). With a
// Recipient whose attestation document verifies, the operation answers its secret (the plaintext, the
// data key, the private key, the shared secret, the random bytes) only as CiphertextForRecipient, CMS
// EnvelopedData to the document's public key (internal/crypto/cms.go), and leaves the plaintext member
// out; the document's measurements are the kms:RecipientAttestation:* condition keys of the key policy.
//
// Documents verify against wasmkms's test root (internal/crypto/nitro_root.go), never AWS's Nitro root:
// a test makes them with WasmKMS.AttestationDocument (attestationDocument below). NitroTPM documents are
// not modelled: they are refused as not valid.

// nitroRoots are the roots an attestation document may chain to.
var nitroRoots = [][]byte{kmscrypto.NitroTestRootDER}

// attested verifies a request's Recipient: nil when the request has none. The model has checked the
// algorithm (RSAES_OAEP_SHA_256, the one value) and the document's size.
func (w *World) attested(r *recipientInfo) (*kmscrypto.Attestation, *apiError) {
	if r == nil {
		return nil, nil
	}
	if r.AttestationDocument == nil {
		return nil, errAttestationMissing()
	}
	a, err := kmscrypto.VerifyAttestation(r.AttestationDocument, nitroRoots, w.now())
	if err != nil {
		return nil, errAttestationInvalid()
	}
	if a.PublicKey == nil {
		return nil, errAttestationNoPublicKey()
	}
	return a, nil
}

// sealForRecipient is the CiphertextForRecipient of secret.
func (w *World) sealForRecipient(a *kmscrypto.Attestation, secret []byte) ([]byte, *apiError) {
	sealed, err := kmscrypto.SealForRecipient(w.rand, a.PublicKey, a.PublicKeyDER, secret)
	if err != nil {
		return nil, errInternal("encrypting for the recipient: " + err.Error())
	}
	return sealed, nil
}

// recipientConditionValues answers the kms:RecipientAttestation:<name> condition key's value for an
// attested request: ImageSha384 is PCR0, PCR<n> the n-th PCR, both lower-case hex as AWS compares
// them; none when the request has no Recipient or the document no such PCR.
func recipientConditionValues(a *kmscrypto.Attestation, name string) []string {
	if a == nil {
		return nil
	}
	index := 0
	if name != "imagesha384" {
		n, ok := cutPCRName(name)
		if !ok {
			return nil
		}
		index = n
	}
	if pcr, ok := a.PCRs[index]; ok {
		return []string{hex.EncodeToString(pcr)}
	}
	return nil
}

// cutPCRName reads "pcr<n>", n from 0 to 31.
func cutPCRName(name string) (int, bool) {
	if len(name) < 4 || name[:3] != "pcr" {
		return 0, false
	}
	n, err := strconv.Atoi(name[3:])
	if err != nil || n < 0 || n > 31 || strconv.Itoa(n) != name[3:] {
		return 0, false
	}
	return n, true
}

// attestationDocumentRequest is WasmKMS.AttestationDocument's request: the document's fields, blobs
// in base64 as the wire has them, PCRs by index ("0" to "31") in hex.
type attestationDocumentRequest struct {
	PublicKey []byte            `json:"PublicKey"`
	PCRs      map[string]string `json:"PCRs"`
	ModuleId  string            `json:"ModuleId"`
	UserData  []byte            `json:"UserData"`
	Nonce     []byte            `json:"Nonce"`
}

type attestationDocumentAnswer struct {
	AttestationDocument []byte `json:"AttestationDocument"`
	RootCertificate     []byte `json:"RootCertificate"` // DER: the root a document chains to
}

// attestationDocument (WasmKMS.AttestationDocument) makes a test attestation document at the world's
// clock, from the world's randomness (reproducible in a seeded world).
func attestationDocument(w *World, _ caller, req *attestationDocumentRequest) (any, *apiError) {
	opts := kmscrypto.AttestationOptions{PublicKey: req.PublicKey, ModuleID: req.ModuleId, UserData: req.UserData, Nonce: req.Nonce}
	if req.PCRs != nil {
		opts.PCRs = map[int][]byte{}
		for name, value := range req.PCRs {
			index, ok := cutPCRName("pcr" + name)
			pcr, err := hex.DecodeString(value)
			if !ok || err != nil {
				return nil, errBadAttestationOption("PCRs." + name + " must be an index from 0 to 31 with a hex value")
			}
			opts.PCRs[index] = pcr
		}
	}
	doc, err := kmscrypto.MakeAttestation(w.rand, opts, w.now())
	if err != nil {
		return nil, errBadAttestationOption(err.Error())
	}
	return attestationDocumentAnswer{AttestationDocument: doc, RootCertificate: kmscrypto.NitroTestRootDER}, nil
}

// validPCRName answers whether name is "pcr<n>" with n from 0 to 31.
func validPCRName(name string) bool {
	_, ok := cutPCRName(name)
	return ok
}

// openForRecipientRequest is WasmKMS.OpenForRecipient's request: the enclave's private key (DER
// PKCS#8, the key whose public half the document held) and a CiphertextForRecipient.
type openForRecipientRequest struct {
	PrivateKey             []byte `json:"PrivateKey"`
	CiphertextForRecipient []byte `json:"CiphertextForRecipient"`
}

// openForRecipient (WasmKMS.OpenForRecipient) opens a CiphertextForRecipient as the enclave would,
// so that a test can check what an attested request answered.
func openForRecipient(_ *World, _ caller, req *openForRecipientRequest) (any, *apiError) {
	priv, err := kmscrypto.ParsePKCS8(req.PrivateKey)
	rsaKey, isRSA := priv.(*rsa.PrivateKey)
	if err != nil || !isRSA {
		return nil, errBadAttestationOption("PrivateKey must be an RSA private key, DER PKCS#8")
	}
	plaintext, err := kmscrypto.OpenForRecipient(rsaKey, req.CiphertextForRecipient)
	if err != nil {
		return nil, errBadAttestationOption("CiphertextForRecipient does not open with this private key")
	}
	return map[string][]byte{"Plaintext": plaintext}, nil
}
