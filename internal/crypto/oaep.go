package crypto

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
)

// OAEPHash is the hash of an RSAES-OAEP scheme (PKCS#1 v2.2). MGF1 uses the same hash and the label
// is empty, as in KMS's RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256.
type OAEPHash int

const (
	OAEPSHA1   OAEPHash = 1
	OAEPSHA256 OAEPHash = 256
)

func (h OAEPHash) new() (hash.Hash, error) {
	switch h {
	case OAEPSHA1:
		return sha1.New(), nil
	case OAEPSHA256:
		return sha256.New(), nil
	}
	return nil, fmt.Errorf("crypto: unknown OAEP hash %d", int(h))
}

func (h OAEPHash) size() int {
	switch h {
	case OAEPSHA1:
		return sha1.Size
	case OAEPSHA256:
		return sha256.Size
	}
	return 0
}

func (h OAEPHash) cryptoHash() crypto.Hash {
	if h == OAEPSHA1 {
		return crypto.SHA1
	}
	return crypto.SHA256
}

// RSAEncryptOAEP encrypts plaintext to pub. The result is the raw RSA output, as long as the modulus.
// Plaintext longer than OAEPMaxPlaintext is an error (the kms package checks the limit first, to
// answer with KMS's own message). The OAEP seed is read from rand as it is (crypto/rsa reads it
// with io.ReadFull, not through CustomReader), so a seeded reader reproduces the ciphertext.
func RSAEncryptOAEP(rand io.Reader, pub *rsa.PublicKey, h OAEPHash, plaintext []byte) ([]byte, error) {
	hh, err := h.new()
	if err != nil {
		return nil, err
	}
	return rsa.EncryptOAEP(hh, rand, pub, plaintext, nil)
}

// RSADecryptOAEP decrypts an RSAES-OAEP ciphertext, from RSAEncryptOAEP or from any PKCS#1 v2.2
// implementation (a client encrypting offline with the GetPublicKey key). Every failure is
// ErrInvalidCiphertext.
func RSADecryptOAEP(priv *rsa.PrivateKey, h OAEPHash, ciphertext []byte) ([]byte, error) {
	return (*Engine)(nil).RSADecryptOAEP(priv, h, ciphertext)
}

// OAEPMaxPlaintext is the longest plaintext OAEP can encrypt to pub: k - 2*hLen - 2, with k the
// modulus length in bytes. RSA 2048/3072/4096: 214/342/470 bytes with SHA-1, 190/318/446 with SHA-256.
func OAEPMaxPlaintext(pub *rsa.PublicKey, h OAEPHash) int {
	return pub.Size() - 2*h.size() - 2
}
