package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"errors"

	"golang.org/x/crypto/cryptobyte"
)

// OpenForRecipient is the enclave's side of SealForRecipient (cms.go): it opens a
// CiphertextForRecipient with the private key of the attestation document's public key, as AWS's
// Nitro Enclaves SDK does, so that tests (WasmKMS.OpenForRecipient) can check what an attested request
// answered. It reads BER (definite or indefinite lengths) and accepts exactly one KeyTransRecipientInfo
// with RSAES-OAEP SHA-256 and AES-256-CBC content.

var errCMS = errors.New("crypto: not a CiphertextForRecipient this key can open")

// berElement is one BER element: its tag byte and its content (for a constructed element of
// indefinite length, the content up to its end-of-contents octets).
type berElement struct {
	tag     byte
	content []byte
}

// cmsMaxDepth bounds the nesting of indefinite-length elements.
const cmsMaxDepth = 16

// readBER reads one element from the front of b.
func readBER(b []byte, depth int) (e berElement, rest []byte, err error) {
	if len(b) < 2 || depth > cmsMaxDepth || b[0]&0x1f == 0x1f {
		return e, nil, errCMS // truncated, too deep, or a multi-byte tag (none in CMS's structures)
	}
	e.tag = b[0]
	if b[1] == 0x80 { // indefinite: children until 00 00
		if e.tag&0x20 == 0 {
			return e, nil, errCMS
		}
		body := b[2:]
		for {
			if len(body) >= 2 && body[0] == 0 && body[1] == 0 {
				end := len(b) - len(body)
				e.content = b[2:end]
				return e, body[2:], nil
			}
			if _, body, err = readBER(body, depth+1); err != nil {
				return e, nil, err
			}
		}
	}
	n, hdr := int(b[1]), 2
	if n > 0x80 {
		octets := n & 0x7f
		if octets > 3 || len(b) < 2+octets {
			return e, nil, errCMS
		}
		n = 0
		for _, o := range b[2 : 2+octets] {
			n = n<<8 | int(o)
		}
		hdr += octets
	}
	if len(b)-hdr < n {
		return e, nil, errCMS
	}
	return berElement{e.tag, b[hdr : hdr+n]}, b[hdr+n:], nil
}

// berSequence reads the children of a constructed element's content.
func berSequence(content []byte, depth int) ([]berElement, error) {
	var out []berElement
	for len(content) > 0 {
		e, rest, err := readBER(content, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		content = rest
	}
	return out, nil
}

// berOctets is the bytes of an OCTET STRING, primitive or constructed of chunks.
func berOctets(e berElement, depth int) ([]byte, error) {
	if e.tag&0x20 == 0 {
		return e.content, nil
	}
	chunks, err := berSequence(e.content, depth)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, c := range chunks {
		if c.tag != tagOctetString {
			return nil, errCMS
		}
		out = append(out, c.content...)
	}
	return out, nil
}

// berOID reads an OBJECT IDENTIFIER element, nil if it is not one. With cryptobyte, not
// asn1.Unmarshal: that one call linked encoding/asn1's reflective decoder, 55 KB of the module's code.
func berOID(e berElement) asn1.ObjectIdentifier {
	var oid asn1.ObjectIdentifier
	der := cryptobyte.String(appendDERHeader(nil, tagObjectIdentifier, len(e.content)))
	der = append(der, e.content...)
	if e.tag != tagObjectIdentifier || !der.ReadASN1ObjectIdentifier(&oid) || !der.Empty() {
		return nil
	}
	return oid
}

// OpenForRecipient opens sealed with priv.
func OpenForRecipient(priv *rsa.PrivateKey, sealed []byte) ([]byte, error) {
	top, rest, err := readBER(sealed, 0)
	if err != nil || len(rest) != 0 || top.tag != tagSequence {
		return nil, errCMS
	}
	info, err := berSequence(top.content, 0)
	if err != nil || len(info) != 2 || !berOID(info[0]).Equal(oidEnvelopedData) || info[1].tag != tagContext0 {
		return nil, errCMS
	}
	inner, err := berSequence(info[1].content, 1)
	if err != nil || len(inner) != 1 || inner[0].tag != tagSequence {
		return nil, errCMS
	}
	enveloped, err := berSequence(inner[0].content, 2)
	if err != nil || len(enveloped) != 3 || enveloped[1].tag != 0x31 || enveloped[2].tag != tagSequence {
		return nil, errCMS // version, recipientInfos, encryptedContentInfo (no originatorInfo, no attributes)
	}
	recipients, err := berSequence(enveloped[1].content, 3)
	if err != nil || len(recipients) != 1 {
		return nil, errCMS
	}
	ktri, err := berSequence(recipients[0].content, 4)
	if err != nil || len(ktri) != 4 || ktri[3].tag != tagOctetString {
		return nil, errCMS
	}
	algorithm, err := berSequence(ktri[2].content, 5)
	if err != nil || len(algorithm) == 0 || !berOID(algorithm[0]).Equal(oidRSAESOAEP) {
		return nil, errCMS
	}
	cek, err := rsa.DecryptOAEP(sha256.New(), nil, priv, ktri[3].content, nil)
	if err != nil || len(cek) != 32 {
		return nil, errCMS
	}
	content, err := berSequence(enveloped[2].content, 3)
	if err != nil || len(content) != 3 || !berOID(content[0]).Equal(oidData) {
		return nil, errCMS
	}
	cea, err := berSequence(content[1].content, 4)
	if err != nil || len(cea) != 2 || !berOID(cea[0]).Equal(oidAES256CBC) || cea[1].tag != tagOctetString || len(cea[1].content) != aes.BlockSize {
		return nil, errCMS
	}
	ciphertext, err := berOctets(content[2], 4)
	if err != nil || len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return nil, errCMS
	}
	block, _ := aes.NewCipher(cek)
	plain := bytes.Clone(ciphertext)
	cipher.NewCBCDecrypter(block, cea[1].content).CryptBlocks(plain, plain)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > aes.BlockSize || !bytes.Equal(plain[len(plain)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errCMS
	}
	return plain[:len(plain)-pad], nil
}
