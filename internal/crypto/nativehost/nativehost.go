// Package nativehost is the host's primitives (wasm/ABI.md, "Host primitives") in native Go: what the
// wazero harness supplies to the module, and what internal/crypto's tests hold the module's own code
// to. It does the raw operation only, as every host does; the module keeps every decision.
package nativehost

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"hash"
	"math/big"
	"sync"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// Host supplies every primitive but secp256k1's base-point multiplication (crypto/ecdh has no such
// curve; the module multiplies on it itself). Its zero value is ready; it is safe for concurrent use.
type Host struct {
	mu   sync.Mutex
	keys map[int32]any // *rsa.PrivateKey or ed25519.PrivateKey by handle
	last int32
	// aeads holds the AES-GCM of each AES key seen (its key schedule and GHASH table), made once: a
	// world's calls under one key are many and small (the module sends every size, CapAnySize), and
	// making them again cost more than sealing 32 bytes. Emptied when it reaches maxAEADs keys.
	aeads map[[32]byte]cipher.AEAD
}

// maxAEADs bounds Host.aeads: a world with more AES keys in use makes some of them again.
const maxAEADs = 1024

// Capabilities is every bit Host supplies, and CapAnySize: it runs in the module's own process, so
// that a call costs about a function call.
const Capabilities = abi.CapAESGCM | abi.CapRSA | abi.CapEd25519 | abi.CapDigest | abi.CapHMAC | abi.CapAnySize |
	abi.CapCurveBase<<(abi.CurveP256-1) | abi.CapCurveBase<<(abi.CurveP384-1) | abi.CapCurveBase<<(abi.CurveP521-1)

// Capabilities answers Capabilities.
func (h *Host) Capabilities() int32 { return Capabilities }

// LoadKey parses a PKCS#8 key of the kind and answers its handle; HostUnavailable for anything else.
func (h *Host) LoadKey(kind int32, pkcs8 []byte) int32 {
	key, err := x509.ParsePKCS8PrivateKey(pkcs8)
	if err != nil {
		return abi.HostUnavailable
	}
	switch key.(type) {
	case *rsa.PrivateKey:
		if kind != abi.KeyRSA {
			return abi.HostUnavailable
		}
	case ed25519.PrivateKey:
		if kind != abi.KeyEd25519 {
			return abi.HostUnavailable
		}
	default:
		return abi.HostUnavailable
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.keys == nil {
		h.keys = map[int32]any{}
	}
	h.last++
	h.keys[h.last] = key
	return h.last
}

// DropKey forgets a handle.
func (h *Host) DropKey(handle int32) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.keys, handle)
}

// Keys answers how many keys are loaded (for tests of the module's handle cleanup).
func (h *Host) Keys() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.keys)
}

func (h *Host) key(handle int32) any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.keys[handle]
}

// gcm answers the AES-256-GCM of key (made once, Host.aeads), for a 12-byte nonce.
func (h *Host) gcm(key, nonce []byte) (cipher.AEAD, bool) {
	if len(key) != 32 || len(nonce) != 12 {
		return nil, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if aead, ok := h.aeads[[32]byte(key)]; ok {
		return aead, true
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, false
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, false
	}
	if h.aeads == nil || len(h.aeads) >= maxAEADs {
		h.aeads = map[[32]byte]cipher.AEAD{}
	}
	h.aeads[[32]byte(key)] = aead
	return aead, true
}

// SealAESGCM writes AES-256-GCM's ciphertext and tag to out.
func (h *Host) SealAESGCM(key, nonce, plaintext, aad, out []byte) int32 {
	aead, ok := h.gcm(key, nonce)
	if !ok || len(out) != len(plaintext)+aead.Overhead() {
		return abi.HostUnavailable
	}
	aead.Seal(out[:0], nonce, plaintext, aad)
	return abi.HostOK
}

// OpenAESGCM writes the plaintext of ciphertext || tag to out, or answers HostAuthFailed.
func (h *Host) OpenAESGCM(key, nonce, sealed, aad, out []byte) int32 {
	aead, ok := h.gcm(key, nonce)
	if !ok || len(sealed) < aead.Overhead() || len(out) != len(sealed)-aead.Overhead() {
		return abi.HostUnavailable
	}
	if _, err := aead.Open(out[:0], nonce, sealed, aad); err != nil {
		return abi.HostAuthFailed
	}
	return abi.HostOK
}

// RSAPrivate writes in^d mod n to out (CRT, math/big: crypto/rsa has no raw operation).
func (h *Host) RSAPrivate(handle int32, in, out []byte) int32 {
	k, ok := h.key(handle).(*rsa.PrivateKey)
	if !ok || len(in) != k.Size() || len(out) != k.Size() {
		return abi.HostUnavailable
	}
	c := new(big.Int).SetBytes(in)
	if c.Cmp(k.N) >= 0 {
		return abi.HostUnavailable
	}
	p, q, pc := k.Primes[0], k.Primes[1], k.Precomputed
	m1 := new(big.Int).Exp(c, pc.Dp, p)
	m2 := new(big.Int).Exp(c, pc.Dq, q)
	m1.Sub(m1, m2).Mul(m1, pc.Qinv).Mod(m1, p)
	m1.Mul(m1, q).Add(m1, m2)
	m1.FillBytes(out)
	return abi.HostOK
}

var curves = map[int32]ecdh.Curve{abi.CurveP256: ecdh.P256(), abi.CurveP384: ecdh.P384(), abi.CurveP521: ecdh.P521()}

// ECBaseMult writes the x-coordinate of scalar·G to x.
func (h *Host) ECBaseMult(curve int32, scalar, x []byte) int32 {
	point, ok := basePoint(curve, scalar)
	if !ok || len(point) != 1+2*len(x) {
		return abi.HostUnavailable
	}
	copy(x, point[1:1+len(x)])
	return abi.HostOK
}

// ECBasePoint writes scalar·G's affine x || y to point.
func (h *Host) ECBasePoint(curve int32, scalar, point []byte) int32 {
	uncompressed, ok := basePoint(curve, scalar)
	if !ok || len(uncompressed) != 1+len(point) || len(point) != 2*len(scalar) {
		return abi.HostUnavailable
	}
	copy(point, uncompressed[1:])
	return abi.HostOK
}

// basePoint is scalar·G uncompressed (04 || X || Y), or false for a curve the host does not have or
// a scalar it refuses.
func basePoint(curve int32, scalar []byte) ([]byte, bool) {
	c, ok := curves[curve]
	if !ok {
		return nil, false
	}
	k, err := c.NewPrivateKey(scalar)
	if err != nil {
		return nil, false
	}
	return k.PublicKey().Bytes(), true
}

// SignEd25519 writes the pure Ed25519 signature of message to sig.
func (h *Host) SignEd25519(handle int32, message, sig []byte) int32 {
	k, ok := h.key(handle).(ed25519.PrivateKey)
	if !ok || len(sig) != ed25519.SignatureSize {
		return abi.HostUnavailable
	}
	copy(sig, ed25519.Sign(k, message))
	return abi.HostOK
}

func newHash(id int32) func() hash.Hash {
	switch id {
	case abi.HashSHA224:
		return sha256.New224
	case abi.HashSHA256:
		return sha256.New
	case abi.HashSHA384:
		return sha512.New384
	case abi.HashSHA512:
		return sha512.New
	}
	return nil
}

// Digest writes the hash of in to out.
func (h *Host) Digest(id int32, in, out []byte) int32 {
	f := newHash(id)
	if f == nil {
		return abi.HostUnavailable
	}
	d := f()
	if len(out) != d.Size() {
		return abi.HostUnavailable
	}
	d.Write(in)
	d.Sum(out[:0])
	return abi.HostOK
}

// HMAC writes the HMAC of in under key to out.
func (h *Host) HMAC(id int32, key, in, out []byte) int32 {
	f := newHash(id)
	if f == nil {
		return abi.HostUnavailable
	}
	m := hmac.New(f, key)
	if len(out) != m.Size() {
		return abi.HostUnavailable
	}
	m.Write(in)
	m.Sum(out[:0])
	return abi.HostOK
}
