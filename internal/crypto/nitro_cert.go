package crypto

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// The X.509 certificates of an attestation document's chain (nitro.go), read with cryptobyte rather
// than crypto/x509 for the reason encoding.go gives (module size). A Nitro chain is ECDSA on P-384
// signed with SHA-384 from the root down; only what checking such a chain needs is read: the signed
// part, the names that link a certificate to its issuer, the validity period, the P-384 or P-256
// public key, and whether the certificate may sign others (basicConstraints).

var (
	oidECDSAWithSHA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidBasicConstraints  = asn1.ObjectIdentifier{2, 5, 29, 19}
	tagCertVersion       = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagCertExtensions    = cbasn1.Tag(3).Constructed().ContextSpecific()
	errCertificate       = errors.New("crypto: malformed certificate")
	errCertificateChain  = errors.New("crypto: the certificate chain does not verify")
	errCertificateExpiry = errors.New("crypto: a certificate of the chain is not valid at this time")
)

// nitroCert is what a chain check reads of one certificate.
type nitroCert struct {
	raw                 []byte
	tbs                 []byte // the signed TBSCertificate, with its header
	signatureAlgorithm  asn1.ObjectIdentifier
	signature           []byte // DER ECDSA-Sig-Value
	issuer, subject     []byte // the Names, DER, compared byte for byte
	notBefore, notAfter time.Time
	publicKey           *ecdsa.PublicKey
	isCA                bool
}

func parseNitroCert(der []byte) (*nitroCert, error) {
	c := &nitroCert{raw: der}
	input := cryptobyte.String(der)
	var cert, tbs, sigAlg, spki, validity cryptobyte.String
	var sig asn1.BitString
	if !input.ReadASN1(&cert, cbasn1.SEQUENCE) || !input.Empty() ||
		!cert.ReadASN1Element(&tbs, cbasn1.SEQUENCE) ||
		!cert.ReadASN1(&sigAlg, cbasn1.SEQUENCE) || !sigAlg.ReadASN1ObjectIdentifier(&c.signatureAlgorithm) ||
		!cert.ReadASN1BitString(&sig) || !cert.Empty() || sig.BitLength%8 != 0 {
		return nil, errCertificate
	}
	c.tbs, c.signature = tbs, sig.Bytes
	var body, issuer, subject cryptobyte.String
	if !tbs.ReadASN1(&body, cbasn1.SEQUENCE) ||
		!body.SkipOptionalASN1(tagCertVersion) ||
		!body.SkipASN1(cbasn1.INTEGER) || // serialNumber
		!body.SkipASN1(cbasn1.SEQUENCE) || // signature (the same as signatureAlgorithm)
		!body.ReadASN1Element(&issuer, cbasn1.SEQUENCE) ||
		!body.ReadASN1(&validity, cbasn1.SEQUENCE) ||
		!body.ReadASN1Element(&subject, cbasn1.SEQUENCE) ||
		!body.ReadASN1Element(&spki, cbasn1.SEQUENCE) {
		return nil, errCertificate
	}
	c.issuer, c.subject = issuer, subject
	var err error
	if c.notBefore, err = readCertTime(&validity); err != nil {
		return nil, err
	}
	if c.notAfter, err = readCertTime(&validity); err != nil {
		return nil, err
	}
	if c.publicKey, err = parseECDSASPKI(spki); err != nil {
		return nil, err
	}
	// issuerUniqueID [1] and subjectUniqueID [2] are not used by Nitro; extensions [3] may follow.
	var exts cryptobyte.String
	var present bool
	if !body.ReadOptionalASN1(&exts, &present, tagCertExtensions) {
		return nil, errCertificate
	}
	if present {
		if c.isCA, err = readIsCA(exts); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// readCertTime reads an RFC 5280 Time: UTCTime or GeneralizedTime.
func readCertTime(s *cryptobyte.String) (time.Time, error) {
	var t time.Time
	switch {
	case s.PeekASN1Tag(cbasn1.UTCTime):
		if !s.ReadASN1UTCTime(&t) {
			return t, errCertificate
		}
	case s.PeekASN1Tag(cbasn1.GeneralizedTime):
		if !s.ReadASN1GeneralizedTime(&t) {
			return t, errCertificate
		}
	default:
		return t, errCertificate
	}
	return t, nil
}

// readIsCA reads the extensions' basicConstraints cA flag (false when absent).
func readIsCA(exts cryptobyte.String) (bool, error) {
	var list cryptobyte.String
	if !exts.ReadASN1(&list, cbasn1.SEQUENCE) {
		return false, errCertificate
	}
	for !list.Empty() {
		var ext, value cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !list.ReadASN1(&ext, cbasn1.SEQUENCE) || !ext.ReadASN1ObjectIdentifier(&oid) ||
			!ext.SkipOptionalASN1(cbasn1.BOOLEAN) || !ext.ReadASN1(&value, cbasn1.OCTET_STRING) {
			return false, errCertificate
		}
		if !oid.Equal(oidBasicConstraints) {
			continue
		}
		var bc cryptobyte.String
		if !value.ReadASN1(&bc, cbasn1.SEQUENCE) {
			return false, errCertificate
		}
		isCA := false
		if bc.PeekASN1Tag(cbasn1.BOOLEAN) && !bc.ReadASN1Boolean(&isCA) {
			return false, errCertificate
		}
		return isCA, nil
	}
	return false, nil
}

// parseECDSASPKI reads a P-384 or P-256 SubjectPublicKeyInfo (the curves of Nitro's chains).
func parseECDSASPKI(spki []byte) (*ecdsa.PublicKey, error) {
	for _, curve := range []elliptic.Curve{elliptic.P384(), elliptic.P256()} {
		if point, err := parseECPeerSPKI(spki, curve); err == nil {
			return ecdsa.ParseUncompressedPublicKey(curve, point)
		}
	}
	return nil, errCertificate
}

// checkSignedBy answers whether c was signed by issuer's key.
func (c *nitroCert) checkSignedBy(issuer *nitroCert) bool {
	if !bytes.Equal(c.issuer, issuer.subject) {
		return false
	}
	var digest []byte
	switch {
	case c.signatureAlgorithm.Equal(oidECDSAWithSHA384):
		d := sha512.Sum384(c.tbs)
		digest = d[:]
	case c.signatureAlgorithm.Equal(oidECDSAWithSHA256):
		d := sha256.Sum256(c.tbs)
		digest = d[:]
	default:
		return false
	}
	return ecdsa.VerifyASN1(issuer.publicKey, digest, c.signature)
}

// verifyNitroChain checks that leaf chains to one of roots through bundle (root first, as the
// document's cabundle is), every certificate valid at now, every issuer a CA; it answers the leaf.
func verifyNitroChain(leafDER []byte, bundle [][]byte, roots [][]byte, now time.Time) (*nitroCert, error) {
	if len(bundle) == 0 {
		return nil, errCertificateChain
	}
	trusted := false
	for _, r := range roots {
		if bytes.Equal(r, bundle[0]) {
			trusted = true
		}
	}
	if !trusted {
		return nil, errCertificateChain
	}
	chain := make([]*nitroCert, 0, len(bundle)+1)
	for _, der := range append(bundle[:len(bundle):len(bundle)], leafDER) {
		c, err := parseNitroCert(der)
		if err != nil {
			return nil, err
		}
		chain = append(chain, c)
	}
	for i, c := range chain {
		if now.Before(c.notBefore) || now.After(c.notAfter) {
			return nil, errCertificateExpiry
		}
		issuer := c // the root signs itself
		if i > 0 {
			issuer = chain[i-1]
		}
		if !issuer.isCA || !c.checkSignedBy(issuer) {
			return nil, errCertificateChain
		}
	}
	return chain[len(chain)-1], nil
}
