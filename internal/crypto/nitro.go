package crypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Attestation documents of AWS Nitro Enclaves, as KMS reads them in a request's Recipient: a
// COSE_Sign1 (RFC 9052), ES384, over a CBOR map (AWS's "Verifying the root of trust"):
//
//	module_id text, digest "SHA384", timestamp uint (ms since the epoch), pcrs {uint: bytes},
//	certificate bytes (the signing certificate, DER), cabundle [bytes] (root first),
//	public_key bytes / null, user_data bytes / null, nonce bytes / null
//
// A document verifies when its fields have their types and sizes, its certificate chains through the
// cabundle to a trusted root with every certificate valid at the time given (the world's clock), and
// the COSE signature verifies with the certificate's key. KMS also needs the public key: the RSA key
// (SubjectPublicKeyInfo, DER) it encrypts the answer to (cms.go).

// ErrAttestation is a document that does not verify, or that KMS cannot use.
var ErrAttestation = errors.New("crypto: the attestation document is not valid")

// Attestation is what KMS uses of a verified document.
type Attestation struct {
	ModuleID     string
	Timestamp    time.Time
	PCRs         map[int][]byte
	PublicKey    *rsa.PublicKey
	PublicKeyDER []byte // the SubjectPublicKeyInfo as the document holds it
	UserData     []byte
	Nonce        []byte
}

// coseAlgES384 is COSE's algorithm number for ECDSA with SHA-384 (RFC 9053).
const coseAlgES384 = -35

// The document's field sizes (AWS's attestation document specification).
const (
	nitroMaxPCRs       = 32
	nitroMaxBundle     = 16 // cabundle: at least one certificate; Nitro's hold four
	nitroMaxUserData   = 1024
	nitroMaxNonce      = 1024
	nitroMaxPublicKey  = 1024
	nitroRSAMinBits    = 2048
	nitroRSAMaxBits    = 4096
	nitroCertMaxLength = 1024 * 16
)

// VerifyAttestation verifies doc against roots (DER certificates) at now.
func VerifyAttestation(doc []byte, roots [][]byte, now time.Time) (*Attestation, error) {
	item, err := decodeCBOR(doc)
	if err != nil {
		return nil, ErrAttestation
	}
	if t, ok := item.(cborTag); ok && t.number == 18 { // COSE_Sign1's optional tag; Nitro sends none
		item = t.value
	}
	sign1, ok := item.([]any)
	if !ok || len(sign1) != 4 {
		return nil, ErrAttestation
	}
	protected, ok1 := sign1[0].([]byte)
	payload, ok2 := sign1[2].([]byte)
	signature, ok3 := sign1[3].([]byte)
	if !ok1 || !ok2 || !ok3 || !coseProtectedIsES384(protected) {
		return nil, ErrAttestation
	}
	a, leafDER, bundle, err := parseNitroPayload(payload)
	if err != nil {
		return nil, err
	}
	leaf, err := verifyNitroChain(leafDER, bundle, roots, now)
	if err != nil || leaf.publicKey.Curve != elliptic.P384() {
		return nil, ErrAttestation
	}
	digest := sha512.Sum384(coseSigStructure(protected, payload))
	if len(signature) != 96 {
		return nil, ErrAttestation
	}
	r, s := new(big.Int).SetBytes(signature[:48]), new(big.Int).SetBytes(signature[48:])
	if !ecdsa.Verify(leaf.publicKey, digest[:], r, s) {
		return nil, ErrAttestation
	}
	return a, nil
}

// coseProtectedIsES384 answers whether the protected header is the map {1: -35} (alg ES384), as
// Nitro's is, possibly with other entries.
func coseProtectedIsES384(protected []byte) bool {
	item, err := decodeCBOR(protected)
	if err != nil {
		return false
	}
	m, ok := item.([]cborPair)
	if !ok {
		return false
	}
	for _, p := range m {
		if k, ok := p.key.(uint64); ok && k == 1 {
			v, ok := p.value.(int64)
			return ok && v == coseAlgES384
		}
	}
	return false
}

// coseSigStructure is the bytes a COSE_Sign1 signs: ["Signature1", protected, external_aad (empty), payload].
func coseSigStructure(protected, payload []byte) []byte {
	out := cborAppendHead(nil, 4, 4)
	out = cborAppendText(out, "Signature1")
	out = cborAppendBytes(out, protected)
	out = cborAppendBytes(out, nil)
	return cborAppendBytes(out, payload)
}

// parseNitroPayload reads the document's map, checking each field's type and size.
func parseNitroPayload(payload []byte) (a *Attestation, leaf []byte, bundle [][]byte, err error) {
	item, err := decodeCBOR(payload)
	if err != nil {
		return nil, nil, nil, ErrAttestation
	}
	m, ok := item.([]cborPair)
	if !ok {
		return nil, nil, nil, ErrAttestation
	}
	a = &Attestation{PCRs: map[int][]byte{}}
	moduleID, _ := cborLookup(m, "module_id")
	digest, _ := cborLookup(m, "digest")
	timestamp, _ := cborLookup(m, "timestamp")
	pcrs, _ := cborLookup(m, "pcrs")
	certificate, _ := cborLookup(m, "certificate")
	cabundle, _ := cborLookup(m, "cabundle")
	var okID, okDigest, okTime, okPCRs, okCert, okBundle bool
	a.ModuleID, okID = moduleID.(string)
	d, okDigest := digest.(string)
	ms, okTime := timestamp.(uint64)
	pcrMap, okPCRs := pcrs.([]cborPair)
	leaf, okCert = certificate.([]byte)
	list, okBundle := cabundle.([]any)
	if !okID || a.ModuleID == "" || !okDigest || d != "SHA384" || !okTime || ms == 0 || ms > 1<<53 ||
		!okPCRs || len(pcrMap) == 0 || len(pcrMap) > nitroMaxPCRs ||
		!okCert || len(leaf) == 0 || len(leaf) > nitroCertMaxLength ||
		!okBundle || len(list) == 0 || len(list) > nitroMaxBundle {
		return nil, nil, nil, ErrAttestation
	}
	a.Timestamp = time.UnixMilli(int64(ms)).UTC()
	for _, p := range pcrMap {
		index, ok1 := p.key.(uint64)
		value, ok2 := p.value.([]byte)
		if !ok1 || !ok2 || index >= nitroMaxPCRs || (len(value) != 32 && len(value) != 48 && len(value) != 64) {
			return nil, nil, nil, ErrAttestation
		}
		a.PCRs[int(index)] = value
	}
	for _, c := range list {
		der, ok := c.([]byte)
		if !ok || len(der) == 0 || len(der) > nitroCertMaxLength {
			return nil, nil, nil, ErrAttestation
		}
		bundle = append(bundle, der)
	}
	if a.UserData, err = optionalBytes(m, "user_data", nitroMaxUserData); err != nil {
		return nil, nil, nil, err
	}
	if a.Nonce, err = optionalBytes(m, "nonce", nitroMaxNonce); err != nil {
		return nil, nil, nil, err
	}
	if a.PublicKeyDER, err = optionalBytes(m, "public_key", nitroMaxPublicKey); err != nil {
		return nil, nil, nil, err
	}
	if a.PublicKeyDER != nil {
		if a.PublicKey, err = parseRSASPKI(a.PublicKeyDER); err != nil {
			return nil, nil, nil, ErrAttestation
		}
	}
	return a, leaf, bundle, nil
}

// optionalBytes reads an optional byte-string field: absent or null is nil.
func optionalBytes(m []cborPair, key string, max int) ([]byte, error) {
	v, ok := cborLookup(m, key)
	if !ok || v == nil {
		return nil, nil
	}
	b, ok := v.([]byte)
	if !ok || len(b) > max {
		return nil, ErrAttestation
	}
	return b, nil
}

// parseRSASPKI reads an RSA SubjectPublicKeyInfo (rsaEncryption, RFC 3279) of 2048 to 4096 bits.
func parseRSASPKI(der []byte) (*rsa.PublicKey, error) {
	input := cryptobyte.String(der)
	var spki, algorithm, bits, key cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !input.ReadASN1(&spki, cbasn1.SEQUENCE) || !input.Empty() ||
		!spki.ReadASN1(&algorithm, cbasn1.SEQUENCE) || !algorithm.ReadASN1ObjectIdentifier(&oid) ||
		!spki.ReadASN1(&bits, cbasn1.BIT_STRING) || !spki.Empty() {
		return nil, ErrInvalidPublicKey
	}
	if !oid.Equal(oidRSAEncryption) || !(algorithm.Empty() || algorithm.SkipASN1(cbasn1.NULL) && algorithm.Empty()) {
		return nil, ErrInvalidPublicKey
	}
	var unused uint8
	if !bits.ReadUint8(&unused) || unused != 0 || !bits.ReadASN1(&key, cbasn1.SEQUENCE) || !bits.Empty() {
		return nil, ErrInvalidPublicKey
	}
	n, e := new(big.Int), 0
	if !key.ReadASN1Integer(n) || !key.ReadASN1Integer(&e) || !key.Empty() ||
		n.Sign() <= 0 || e < 3 || e&1 == 0 {
		return nil, ErrInvalidPublicKey
	}
	if n.BitLen() < nitroRSAMinBits || n.BitLen() > nitroRSAMaxBits {
		return nil, ErrInvalidPublicKey
	}
	return &rsa.PublicKey{N: n, E: e}, nil
}
