package crypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// MakeAttestation makes an attestation document as a Nitro enclave gets one from its hypervisor, but
// signed through wasmkms's test root (nitro_root.go): a fresh P-384 signing certificate issued by the
// root for three hours from now (a Nitro certificate's lifetime), the cabundle [root], and the
// COSE_Sign1 ES384 signature. It is how tests make the Recipient of an attested request.

// AttestationOptions are the fields of a test document.
type AttestationOptions struct {
	PublicKey []byte         // SubjectPublicKeyInfo, DER (the enclave's RSA key); nil leaves it out
	PCRs      map[int][]byte // nil: PCR0 to PCR15, 48 zero bytes each (a debug-mode enclave's)
	ModuleID  string         // "": a made-up enclave ID
	UserData  []byte
	Nonce     []byte
}

// nitroCertLifetime is how long a Nitro signing certificate is valid.
const nitroCertLifetime = 3 * time.Hour

var (
	oidCommonName   = asn1.ObjectIdentifier{2, 5, 4, 3}
	errAttestOption = errors.New("crypto: an attestation option is out of range")
)

// MakeAttestation makes a document at now, drawing its randomness from rand.
func MakeAttestation(rand io.Reader, opts AttestationOptions, now time.Time) ([]byte, error) {
	rootKey, err := ParsePKCS8(nitroTestRootKeyPKCS8)
	if err != nil {
		return nil, err
	}
	root, err := parseNitroCert(NitroTestRootDER)
	if err != nil {
		return nil, err
	}
	leafKey, err := GenerateECDSA(rand, elliptic.P384())
	if err != nil {
		return nil, err
	}
	leaf, err := issueNitroLeaf(rand, rootKey.(*ecdsa.PrivateKey), root.subject, &leafKey.PublicKey, now)
	if err != nil {
		return nil, err
	}
	pcrs := opts.PCRs
	if pcrs == nil {
		pcrs = map[int][]byte{}
		for i := range 16 {
			pcrs[i] = make([]byte, 48)
		}
	}
	indexes := make([]int, 0, len(pcrs))
	for i, v := range pcrs {
		if i < 0 || i >= nitroMaxPCRs || (len(v) != 32 && len(v) != 48 && len(v) != 64) {
			return nil, errAttestOption
		}
		indexes = append(indexes, i)
	}
	slices.Sort(indexes)
	moduleID := opts.ModuleID
	if moduleID == "" {
		moduleID = "i-0123456789abcdef0-enc0123456789abcdef"
	}

	payload := cborAppendHead(nil, 5, 9)
	payload = cborAppendText(payload, "module_id")
	payload = cborAppendText(payload, moduleID)
	payload = cborAppendText(payload, "digest")
	payload = cborAppendText(payload, "SHA384")
	payload = cborAppendText(payload, "timestamp")
	payload = cborAppendHead(payload, 0, uint64(now.UnixMilli()))
	payload = cborAppendText(payload, "pcrs")
	payload = cborAppendHead(payload, 5, uint64(len(indexes)))
	for _, i := range indexes {
		payload = cborAppendInt(payload, int64(i))
		payload = cborAppendBytes(payload, pcrs[i])
	}
	payload = cborAppendText(payload, "certificate")
	payload = cborAppendBytes(payload, leaf)
	payload = cborAppendText(payload, "cabundle")
	payload = cborAppendHead(payload, 4, 1)
	payload = cborAppendBytes(payload, NitroTestRootDER)
	payload = cborAppendText(payload, "public_key")
	payload = cborAppendNullableBytes(payload, opts.PublicKey)
	payload = cborAppendText(payload, "user_data")
	payload = cborAppendNullableBytes(payload, opts.UserData)
	payload = cborAppendText(payload, "nonce")
	payload = cborAppendNullableBytes(payload, opts.Nonce)

	protected := cborAppendHead(nil, 5, 1) // {1: -35}
	protected = cborAppendInt(protected, 1)
	protected = cborAppendInt(protected, coseAlgES384)
	digest := sha512.Sum384(coseSigStructure(protected, payload))
	r, s, err := ecdsa.Sign(rand, leafKey, digest[:])
	if err != nil {
		return nil, err
	}
	signature := make([]byte, 96)
	r.FillBytes(signature[:48])
	s.FillBytes(signature[48:])

	doc := cborAppendHead(nil, 4, 4)
	doc = cborAppendBytes(doc, protected)
	doc = cborAppendHead(doc, 5, 0) // unprotected: {}
	doc = cborAppendBytes(doc, payload)
	return cborAppendBytes(doc, signature), nil
}

// issueNitroLeaf issues the document's signing certificate for pub, valid from a minute before now
// for nitroCertLifetime.
func issueNitroLeaf(rand io.Reader, rootKey *ecdsa.PrivateKey, issuer []byte, pub *ecdsa.PublicKey, now time.Time) ([]byte, error) {
	spki, err := MarshalSPKI(pub)
	if err != nil {
		return nil, err
	}
	serial := make([]byte, 16)
	if _, err := io.ReadFull(rand, serial); err != nil {
		return nil, err
	}
	serial[0] &= 0x7f
	addAlgorithm := func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidECDSAWithSHA384) })
	}
	var tbs cryptobyte.Builder
	tbs.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(tagCertVersion, func(b *cryptobyte.Builder) { b.AddASN1Int64(2) }) // v3
		b.AddASN1BigInt(new(big.Int).SetBytes(serial))
		addAlgorithm(b)
		b.AddBytes(issuer)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addCertTime(b, now.Add(-time.Minute))
			addCertTime(b, now.Add(nitroCertLifetime))
		})
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // subject: CN=<enclave>
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(oidCommonName)
					b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes([]byte("wasmkms test enclave")) })
				})
			})
		})
		b.AddBytes(spki)
	})
	tbsDER, err := tbs.Bytes()
	if err != nil {
		return nil, err
	}
	digest := sha512.Sum384(tbsDER)
	sig, err := ecdsa.SignASN1(rand, rootKey, digest[:])
	if err != nil {
		return nil, err
	}
	var cert cryptobyte.Builder
	cert.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbsDER)
		addAlgorithm(b)
		b.AddASN1BitString(sig)
	})
	return cert.Bytes()
}

// addCertTime adds an RFC 5280 Time: UTCTime through 2049, GeneralizedTime after.
func addCertTime(b *cryptobyte.Builder, t time.Time) {
	t = t.UTC().Truncate(time.Second)
	if t.Year() >= 1950 && t.Year() < 2050 {
		b.AddASN1UTCTime(t)
		return
	}
	b.AddASN1GeneralizedTime(t)
}
