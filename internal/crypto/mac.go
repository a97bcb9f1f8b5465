package crypto

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
)

// MAC answers the HMAC (RFC 2104) of message under key for a KMS MAC algorithm: HMAC_SHA_224,
// HMAC_SHA_256, HMAC_SHA_384 or HMAC_SHA_512. Which key spec allows which algorithm is the kms
// package's business; any key length works here. VerifyMac compares with hmac.Equal.
func MAC(algorithm string, key, message []byte) ([]byte, error) {
	var h func() hash.Hash
	switch algorithm {
	case "HMAC_SHA_224":
		h = sha256.New224
	case "HMAC_SHA_256":
		h = sha256.New
	case "HMAC_SHA_384":
		h = sha512.New384
	case "HMAC_SHA_512":
		h = sha512.New
	default:
		return nil, fmt.Errorf("crypto: unknown MAC algorithm %q", algorithm)
	}
	m := hmac.New(h, key)
	m.Write(message)
	return m.Sum(nil), nil
}
