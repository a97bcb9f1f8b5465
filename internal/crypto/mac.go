package crypto

import (
	"bytes"
	"crypto"
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
	return (*Engine)(nil).MAC(algorithm, key, message)
}

// MAC is the package's MAC, with the host's HMAC for a large message.
func (e *Engine) MAC(algorithm string, key, message []byte) ([]byte, error) {
	return e.MACPrepared(nil, algorithm, key, message)
}

// PreparedMAC is an HMAC key made ready for one algorithm: the hash's states after the key's inner and
// outer pads, computed once. A MAC of a short message then costs two compressions of the hash instead
// of four, and no allocation but the answer's (in the module, where the hash has no assembly, the four
// compressions and hmac.New's allocations were most of a 32-byte GenerateMac's own work).
type PreparedMAC struct {
	algorithm string
	key       []byte    // a copy of the key it was made from
	mac       hash.Hash // crypto/hmac's, whose Reset restores the two states
}

// MACPrepared is MAC, through *prepared: made (or made again) when it is nil or was made for another
// key or algorithm, so a caller keeps one beside each key; a nil prepared is MAC's, for one MAC. Calls
// with the same *prepared must not run at the same time (the kms package calls it under its world's
// lock).
func (e *Engine) MACPrepared(prepared **PreparedMAC, algorithm string, key, message []byte) ([]byte, error) {
	var h crypto.Hash
	switch algorithm {
	case "HMAC_SHA_224":
		h = crypto.SHA224
	case "HMAC_SHA_256":
		h = crypto.SHA256
	case "HMAC_SHA_384":
		h = crypto.SHA384
	case "HMAC_SHA_512":
		h = crypto.SHA512
	default:
		return nil, fmt.Errorf("crypto: unknown MAC algorithm %q", algorithm)
	}
	if mac, ok := e.hmac(h, key, message); ok {
		return mac, nil
	}
	if prepared == nil {
		m := hmac.New(newHash(h), key)
		m.Write(message)
		return m.Sum(nil), nil
	}
	p := *prepared
	if p == nil || p.algorithm != algorithm || !bytes.Equal(p.key, key) {
		p = &PreparedMAC{algorithm: algorithm, key: bytes.Clone(key), mac: hmac.New(newHash(h), key)}
		*prepared = p
	}
	p.mac.Reset() // the first Reset computes and keeps the two states; later ones restore them
	p.mac.Write(message)
	return p.mac.Sum(nil), nil
}

// newHash is the constructor of a SHA-2 hash of the MAC algorithms, from the packages the module
// links anyway (crypto.Hash.New would need them registered, which importing them does).
func newHash(h crypto.Hash) func() hash.Hash {
	switch h {
	case crypto.SHA224:
		return sha256.New224
	case crypto.SHA256:
		return sha256.New
	case crypto.SHA384:
		return sha512.New384
	}
	return sha512.New
}
