package crypto

import (
	"crypto/aes"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"io"
)

// Key wrapping for imported key material (KMS's ImportKeyMaterial): AES Key Wrap with Padding
// (RFC 5649, NIST SP 800-38F KWP), and KMS's RSA_AES_KEY_WRAP_SHA_1/_SHA_256, the concatenation of
// an RSAES-OAEP encryption of a fresh AES key under the wrapping public key and the KWP wrapping of
// the key material under that AES key (what OpenSSL's CKM_RSA_AES_KEY_WRAP and the KMS Developer
// Guide's instructions produce).

// kwpAIV is RFC 5649's alternative initial value: these 4 bytes, then the plaintext length.
var kwpAIV = [4]byte{0xa6, 0x59, 0x59, 0xa6}

var errKEKSize = errors.New("crypto: an AES key wrapping key is 16, 24 or 32 bytes")

// AESKeyWrapPad wraps plaintext (1 byte or more) under kek (an AES-128, -192 or -256 key) with
// RFC 5649's AES Key Wrap with Padding. The result is the plaintext padded to 8 bytes, plus 8.
func AESKeyWrapPad(kek, plaintext []byte) ([]byte, error) {
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, errKEKSize
	}
	if len(plaintext) == 0 || uint64(len(plaintext)) > 0xffffffff {
		return nil, errors.New("crypto: key wrap plaintext must be 1 to 2^32-1 bytes")
	}
	padded := (len(plaintext) + 7) / 8 * 8
	out := make([]byte, 8+padded)
	copy(out[:4], kwpAIV[:])
	binary.BigEndian.PutUint32(out[4:8], uint32(len(plaintext)))
	copy(out[8:], plaintext)
	if padded == 8 {
		// One semiblock: a single AES encryption of AIV || P.
		block.Encrypt(out, out)
		return out, nil
	}
	n := padded / 8
	var b [16]byte
	for j := 0; j < 6; j++ {
		for i := 1; i <= n; i++ {
			copy(b[:8], out[:8])
			copy(b[8:], out[8*i:8*i+8])
			block.Encrypt(b[:], b[:])
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(out[:8], binary.BigEndian.Uint64(b[:8])^t)
			copy(out[8*i:8*i+8], b[8:])
		}
	}
	return out, nil
}

// AESKeyUnwrapPad opens an RFC 5649 wrapping made under kek. Every failure of a well-sized kek (a
// wrong key, a tampered or truncated wrapping, bad padding) is ErrInvalidCiphertext.
func AESKeyUnwrapPad(kek, wrapped []byte) ([]byte, error) {
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, errKEKSize
	}
	if len(wrapped) < 16 || len(wrapped)%8 != 0 {
		return nil, ErrInvalidCiphertext
	}
	out := append([]byte(nil), wrapped...)
	n := len(out)/8 - 1
	if n == 1 {
		block.Decrypt(out, out)
	} else {
		var b [16]byte
		for j := 5; j >= 0; j-- {
			for i := n; i >= 1; i-- {
				t := uint64(n*j + i)
				binary.BigEndian.PutUint64(b[:8], binary.BigEndian.Uint64(out[:8])^t)
				copy(b[8:], out[8*i:8*i+8])
				block.Decrypt(b[:], b[:])
				copy(out[:8], b[:8])
				copy(out[8*i:8*i+8], b[8:])
			}
		}
	}
	if subtle.ConstantTimeCompare(out[:4], kwpAIV[:]) != 1 {
		return nil, ErrInvalidCiphertext
	}
	length := int(binary.BigEndian.Uint32(out[4:8]))
	if length <= 8*(n-1) || length > 8*n {
		return nil, ErrInvalidCiphertext
	}
	var pad byte
	for _, c := range out[8+length:] {
		pad |= c
	}
	if pad != 0 {
		return nil, ErrInvalidCiphertext
	}
	return out[8 : 8+length], nil
}

// RSAAESUnwrap opens a KMS RSA_AES_KEY_WRAP ciphertext: the first priv.Size() bytes are the AES key
// encrypted with RSAES-OAEP (hash h), the rest the key material wrapped under that AES key with
// RFC 5649. Every failure is ErrInvalidCiphertext.
func RSAAESUnwrap(priv *rsa.PrivateKey, h OAEPHash, ciphertext []byte) ([]byte, error) {
	return (*Engine)(nil).RSAAESUnwrap(priv, h, ciphertext)
}

// RSAAESWrap is RSAAESUnwrap's inverse, as a client of ImportKeyMaterial makes it: aesKey (16, 24 or
// 32 bytes; KMS's instructions use 32) encrypted to pub with RSAES-OAEP, then the material wrapped
// under it.
func RSAAESWrap(rand io.Reader, pub *rsa.PublicKey, h OAEPHash, aesKey, material []byte) ([]byte, error) {
	wrapped, err := AESKeyWrapPad(aesKey, material)
	if err != nil {
		return nil, err
	}
	encryptedKey, err := RSAEncryptOAEP(rand, pub, h, aesKey)
	if err != nil {
		return nil, err
	}
	return append(encryptedKey, wrapped...), nil
}
