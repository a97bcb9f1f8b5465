package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"io"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SealForRecipient is KMS's CiphertextForRecipient: the secret of an attested request as CMS
// EnvelopedData (RFC 5652) to the RSA key of the attestation document. What KMS sends, as AWS's Nitro
// Enclaves SDK reads it (its cms.c, which requires each of these):
//   - a ContentInfo of type envelopedData, EnvelopedData version 2, in BER with indefinite lengths for
//     the ContentInfo, its [0], the EnvelopedData and its EncryptedContentInfo (the SDK's reader steps
//     over those headers and reads the fields inside them in order; a definite-length encoding would
//     make it skip them whole);
//   - one KeyTransRecipientInfo, version 2, so identified by subjectKeyIdentifier (the SHA-1 of the
//     key's bits, RFC 5280 4.2.1.2 method 1), whose key is RSAES-OAEP with SHA-256 and MGF1-SHA-256
//     (RFC 4055; the Recipient's KeyEncryptionAlgorithm RSAES_OAEP_SHA_256);
//   - content of type data under AES-256-CBC with a random IV and PKCS#7 padding (RFC 3565), the
//     encrypted content a constructed [0] of OCTET STRING chunks.
//
// OpenSSL's `cms -decrypt` reads it too (the tests check both readers).

var (
	oidEnvelopedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 3}
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidRSAESOAEP     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 7}
	oidMGF1          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidAES256CBC     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

// cmsChunk is the size of the encrypted content's OCTET STRING chunks.
const cmsChunk = 1024

// berIndefinite opens a constructed element of indefinite length; berEnd closes one.
func berIndefinite(dst []byte, tag byte) []byte { return append(dst, tag, 0x80) }
func berEnd(dst []byte) []byte                  { return append(dst, 0, 0) }

// SealForRecipient encrypts plaintext to pub, whose SubjectPublicKeyInfo is spki.
func SealForRecipient(rand io.Reader, pub *rsa.PublicKey, spki, plaintext []byte) ([]byte, error) {
	cek := make([]byte, 32)
	iv := make([]byte, aes.BlockSize)
	if _, err := io.ReadFull(rand, cek); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(rand, iv); err != nil {
		return nil, err
	}
	encryptedKey, err := rsa.EncryptOAEP(sha256.New(), rand, pub, cek, nil)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(plaintext)%aes.BlockSize
	content := make([]byte, len(plaintext)+pad)
	copy(content, plaintext)
	for i := len(plaintext); i < len(content); i++ {
		content[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(content, content)

	ski, err := subjectKeyID(spki)
	if err != nil {
		return nil, err
	}
	var recipients cryptobyte.Builder
	recipients.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // KeyTransRecipientInfo
			b.AddASN1Int64(2)
			b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(ski) })
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(oidRSAESOAEP)
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // RSAES-OAEP-params
					b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), addSHA256AlgorithmID)
					b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1ObjectIdentifier(oidMGF1)
							addSHA256AlgorithmID(b)
						})
					})
				})
			})
			b.AddASN1OctetString(encryptedKey)
		})
	})
	var algorithm cryptobyte.Builder
	algorithm.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oidAES256CBC)
		b.AddASN1OctetString(iv)
	})
	var oids cryptobyte.Builder
	oids.AddASN1ObjectIdentifier(oidEnvelopedData)
	envelopedOID, err := oids.Bytes()
	if err != nil {
		return nil, err
	}
	var dataOIDBuilder cryptobyte.Builder
	dataOIDBuilder.AddASN1ObjectIdentifier(oidData)
	dataOID, err := dataOIDBuilder.Bytes()
	if err != nil {
		return nil, err
	}
	recipientInfos, err := recipients.Bytes()
	if err != nil {
		return nil, err
	}
	algorithmID, err := algorithm.Bytes()
	if err != nil {
		return nil, err
	}

	out := berIndefinite(nil, tagSequence) // ContentInfo
	out = append(out, envelopedOID...)
	out = berIndefinite(out, tagContext0)
	out = berIndefinite(out, tagSequence) // EnvelopedData
	out = append(out, tagInteger, 1, 2)   // version 2
	out = append(out, recipientInfos...)
	out = berIndefinite(out, tagSequence) // EncryptedContentInfo
	out = append(out, dataOID...)
	out = append(out, algorithmID...)
	out = berIndefinite(out, tagContext0) // encryptedContent [0] IMPLICIT OCTET STRING, constructed
	for len(content) > 0 {
		n := min(len(content), cmsChunk)
		out = appendDERHeader(out, tagOctetString, n)
		out = append(out, content[:n]...)
		content = content[n:]
	}
	for range 4 { // encryptedContent, EncryptedContentInfo, EnvelopedData, [0]
		out = berEnd(out)
	}
	return berEnd(out), nil // ContentInfo
}

func addSHA256AlgorithmID(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oidSHA256)
		b.AddASN1NULL()
	})
}

// subjectKeyID is RFC 5280's key identifier of a SubjectPublicKeyInfo: the SHA-1 of its BIT STRING's bits.
func subjectKeyID(spki []byte) ([]byte, error) {
	input := cryptobyte.String(spki)
	var inner cryptobyte.String
	var bits asn1.BitString
	if !input.ReadASN1(&inner, cbasn1.SEQUENCE) || !inner.SkipASN1(cbasn1.SEQUENCE) || !inner.ReadASN1BitString(&bits) {
		return nil, ErrInvalidPublicKey
	}
	sum := sha1.Sum(bits.Bytes)
	return sum[:], nil
}
