package crypto

import (
	"crypto"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// The RSA paddings of PKCS #1 v2.2 (RFC 8017), in Go, around a host's raw private-key operation
// (Engine.rsaPrivate): the host computes m^d mod n only. Each is what crypto/rsa does (the same
// steps, reading the same randomness), so the host path and crypto/rsa give the same bytes
// (host_test.go).

// rsaSignPSS is RSASSA-PSS with MGF1 of the same hash and a salt as long as the digest, read from
// rand with io.ReadFull, as crypto/rsa reads it.
func (e *Engine) rsaSignPSS(rand io.Reader, priv *rsa.PrivateKey, h crypto.Hash, digest []byte) ([]byte, bool, error) {
	if !e.has(abi.CapRSA) {
		return nil, false, nil
	}
	salt := make([]byte, h.Size())
	if _, err := io.ReadFull(rand, salt); err != nil {
		return nil, true, err
	}
	em, err := emsaPSSEncode(digest, priv.N.BitLen()-1, salt, h.New())
	if err != nil {
		return nil, true, err
	}
	sig, ok := e.rsaPrivate(priv, leftPad(em, priv.Size()))
	if !ok { // the salt is drawn: Go's code signs the same encoding
		sig, err = rsaPrivateGo(priv, leftPad(em, priv.Size()))
		return sig, true, err
	}
	return sig, true, nil
}

// rsaSignPKCS1v15 is RSASSA-PKCS1-v1_5 of a digest of hash h (deterministic).
func (e *Engine) rsaSignPKCS1v15(priv *rsa.PrivateKey, h crypto.Hash, digest []byte) ([]byte, bool, error) {
	if !e.has(abi.CapRSA) {
		return nil, false, nil
	}
	prefix, ok := digestInfoPrefix[h]
	k := priv.Size()
	if !ok || len(digest) != h.Size() || k < len(prefix)+len(digest)+11 {
		return nil, false, nil // crypto/rsa says what is wrong
	}
	em := make([]byte, k) // 00 01 FF..FF 00 || DigestInfo || digest
	em[1] = 1
	for i := 2; i < k-len(prefix)-len(digest)-1; i++ {
		em[i] = 0xff
	}
	copy(em[k-len(prefix)-len(digest):], prefix)
	copy(em[k-len(digest):], digest)
	sig, ok := e.rsaPrivate(priv, em)
	return sig, ok, nil
}

// RSADecryptOAEP is the package's RSADecryptOAEP with the host's private-key operation where it
// has one; OAEP's decoding stays here.
func (e *Engine) RSADecryptOAEP(priv *rsa.PrivateKey, h OAEPHash, ciphertext []byte) ([]byte, error) {
	if h.size() == 0 {
		return nil, fmt.Errorf("crypto: unknown OAEP hash %d", int(h))
	}
	if len(ciphertext) != priv.Size() {
		return nil, ErrInvalidCiphertext
	}
	if e.has(abi.CapRSA) && new(big.Int).SetBytes(ciphertext).Cmp(priv.N) < 0 {
		if em, ok := e.rsaPrivate(priv, ciphertext); ok {
			hh, _ := h.new()
			return oaepDecode(hh, em)
		}
	}
	plaintext, err := priv.Decrypt(nil, ciphertext, &rsa.OAEPOptions{Hash: h.cryptoHash(), MGFHash: h.cryptoHash()})
	if err != nil {
		return nil, ErrInvalidCiphertext
	}
	return plaintext, nil
}

// RSAAESUnwrap is the package's RSAAESUnwrap with the host's private-key operation where it has one.
func (e *Engine) RSAAESUnwrap(priv *rsa.PrivateKey, h OAEPHash, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) <= priv.Size() {
		return nil, ErrInvalidCiphertext
	}
	aesKey, err := e.RSADecryptOAEP(priv, h, ciphertext[:priv.Size()])
	if err != nil {
		return nil, err
	}
	material, err := AESKeyUnwrapPad(aesKey, ciphertext[priv.Size():])
	if err != nil {
		return nil, ErrInvalidCiphertext
	}
	return material, nil
}

// oaepDecode is EME-OAEP decoding with an empty label (RFC 8017 7.1.2 step 3), in constant time
// as crypto/rsa does it; every failure is ErrInvalidCiphertext.
func oaepDecode(h hash.Hash, em []byte) ([]byte, error) {
	hLen := h.Size()
	if len(em) < 2*hLen+2 {
		return nil, ErrInvalidCiphertext
	}
	lHash := h.Sum(nil) // of the empty label
	firstByteIsZero := subtle.ConstantTimeByteEq(em[0], 0)
	seed, db := em[1:hLen+1], em[hLen+1:]
	mgf1XOR(seed, h, db)
	mgf1XOR(db, h, seed)
	lHashGood := subtle.ConstantTimeCompare(lHash, db[:hLen])
	// The rest is zero or more 0x00, then 0x01, then the message.
	lookingForIndex, index, invalid := 1, 0, 0
	rest := db[hLen:]
	for i := range rest {
		equals0 := subtle.ConstantTimeByteEq(rest[i], 0)
		equals1 := subtle.ConstantTimeByteEq(rest[i], 1)
		index = subtle.ConstantTimeSelect(lookingForIndex&equals1, i, index)
		lookingForIndex = subtle.ConstantTimeSelect(equals1, 0, lookingForIndex)
		invalid = subtle.ConstantTimeSelect(lookingForIndex&^equals0, 1, invalid)
	}
	if firstByteIsZero&lHashGood&^invalid&^lookingForIndex != 1 {
		return nil, ErrInvalidCiphertext
	}
	return rest[index+1:], nil
}

// emsaPSSEncode is RFC 8017 9.1.1 for a message hash mHash.
func emsaPSSEncode(mHash []byte, emBits int, salt []byte, h hash.Hash) ([]byte, error) {
	hLen, sLen := h.Size(), len(salt)
	emLen := (emBits + 7) / 8
	if len(mHash) != hLen {
		return nil, errors.New("crypto/rsa: input must be hashed with given hash")
	}
	if emLen < hLen+sLen+2 {
		return nil, rsa.ErrMessageTooLong
	}
	em := make([]byte, emLen)
	psLen := emLen - sLen - hLen - 2
	db := em[:psLen+1+sLen]
	hOut := em[psLen+1+sLen : emLen-1]
	// H = Hash(00 00 00 00 00 00 00 00 || mHash || salt)
	var prefix [8]byte
	h.Reset()
	h.Write(prefix[:])
	h.Write(mHash)
	h.Write(salt)
	hOut = h.Sum(hOut[:0])
	// DB = PS || 0x01 || salt, masked with MGF1(H), the leftmost 8*emLen - emBits bits cleared.
	db[psLen] = 0x01
	copy(db[psLen+1:], salt)
	mgf1XOR(db, h, hOut)
	db[0] &= 0xff >> (8*emLen - emBits)
	em[emLen-1] = 0xbc
	return em, nil
}

// mgf1XOR XORs out with MGF1(seed) (RFC 8017 B.2.1), h its hash.
func mgf1XOR(out []byte, h hash.Hash, seed []byte) {
	var counter [4]byte
	var digest []byte
	done := 0
	for done < len(out) {
		h.Reset()
		h.Write(seed)
		h.Write(counter[:])
		digest = h.Sum(digest[:0])
		for i := 0; i < len(digest) && done < len(out); i++ {
			out[done] ^= digest[i]
			done++
		}
		incCounter(&counter)
	}
}

func incCounter(c *[4]byte) {
	for i := 3; i >= 0; i-- {
		if c[i]++; c[i] != 0 {
			return
		}
	}
}

// leftPad answers b as n bytes, zeros first (EM is one byte short of the modulus when its bit
// length is one more than a multiple of 8).
func leftPad(b []byte, n int) []byte {
	if len(b) >= n {
		return b
	}
	out := make([]byte, n)
	copy(out[n-len(b):], b)
	return out
}

// rsaPrivateGo is the private-key operation in Go, for an encoding made for a host that then
// failed: crypto/rsa has no raw operation, so math/big does it (CRT), and the result is checked
// against the public key, as crypto/rsa checks its signatures.
func rsaPrivateGo(priv *rsa.PrivateKey, em []byte) ([]byte, error) {
	c := new(big.Int).SetBytes(em)
	var m *big.Int
	if pc := priv.Precomputed; len(priv.Primes) == 2 && pc.Dp != nil && pc.Dq != nil && pc.Qinv != nil {
		p, q := priv.Primes[0], priv.Primes[1]
		m1 := new(big.Int).Exp(c, pc.Dp, p)
		m2 := new(big.Int).Exp(c, pc.Dq, q)
		m1.Sub(m1, m2)
		m1.Mul(m1, pc.Qinv)
		m1.Mod(m1, p)
		m = m1.Mul(m1, q).Add(m1, m2)
	} else {
		m = new(big.Int).Exp(c, priv.D, priv.N)
	}
	if new(big.Int).Exp(m, big.NewInt(int64(priv.E)), priv.N).Cmp(c) != 0 {
		return nil, errors.New("crypto: RSA private-key operation failed its check")
	}
	return m.FillBytes(make([]byte, priv.Size())), nil
}

// digestInfoPrefix is the DER DigestInfo before the digest (RFC 8017 9.2, note 1), for the hashes of
// KMS's RSASSA_PKCS1_V1_5_SHA_* algorithms.
var digestInfoPrefix = map[crypto.Hash][]byte{
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}
