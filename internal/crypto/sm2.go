package crypto

import (
	"crypto/ecdsa"
	"io"

	"github.com/emmansun/gmsm/sm2"
)

// SM2 ciphertexts (GM/T 0003.4, KMS's SM2PKE) are ASN.1 DER:
//
//	SEQUENCE { INTEGER x, INTEGER y, OCTET STRING C3 (SM3 hash, 32 bytes), OCTET STRING C2 }
//
// the C1C3C2 order, with (x, y) the ephemeral point C1.

// SM2Encrypt encrypts plaintext to pub (a point on the SM2 curve) in the DER form above.
func SM2Encrypt(rand io.Reader, pub *ecdsa.PublicKey, plaintext []byte) ([]byte, error) {
	if len(plaintext) == 0 {
		return nil, errEmptyPlaintext // gmsm would answer nil, nil
	}
	return sm2.EncryptASN1(rand, pub, plaintext)
}

// SM2Decrypt decrypts a DER SM2 ciphertext. gmsm also accepts the raw concatenated encodings (a
// leading 0x02/0x03/0x04); KMS only speaks DER, so anything that is not a DER SEQUENCE is refused
// here. Every failure is ErrInvalidCiphertext.
func SM2Decrypt(priv *sm2.PrivateKey, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) == 0 || ciphertext[0] != tagSequence {
		return nil, ErrInvalidCiphertext
	}
	plaintext, err := sm2.Decrypt(priv, ciphertext)
	if err != nil {
		return nil, ErrInvalidCiphertext
	}
	return plaintext, nil
}
