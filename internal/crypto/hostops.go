package crypto

import (
	"crypto"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"math/big"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// The engine's use of each host primitive. Each answers ok=false when the host does not supply it
// (or it does not pay for this input, or the host failed): the caller then runs Go's own code.

// sealAESGCM appends AES-256-GCM's ciphertext and tag of plaintext to dst.
func (e *Engine) sealAESGCM(dst, key, nonce, plaintext, aad []byte) ([]byte, bool) {
	if len(plaintext) < e.minBytes(hostAESGCMMinBytes) || !e.has(abi.CapAESGCM) {
		return nil, false
	}
	n := len(dst)
	out := append(dst, make([]byte, len(plaintext)+gcmTagLen)...)
	if !e.answered(abi.CapAESGCM, e.host.SealAESGCM(key, nonce, plaintext, aad, out[n:]), abi.HostOK) {
		return nil, false
	}
	return out, true
}

// openAESGCM opens ciphertext || tag: opened is false for a tag that does not match.
func (e *Engine) openAESGCM(key, nonce, sealed, aad []byte) (plaintext []byte, opened, ok bool) {
	if len(sealed)-gcmTagLen < e.minBytes(hostAESGCMMinBytes) || !e.has(abi.CapAESGCM) {
		return nil, false, false
	}
	out := make([]byte, len(sealed)-gcmTagLen)
	result := e.host.OpenAESGCM(key, nonce, sealed, aad, out)
	if !e.answered(abi.CapAESGCM, result, abi.HostOK, abi.HostAuthFailed) {
		return nil, false, false
	}
	if result == abi.HostAuthFailed {
		return nil, false, true
	}
	return out, true, true
}

// hostHash is the abi.Hash* of a SHA-2 hash, 0 for any other.
func hostHash(h crypto.Hash) int32 {
	switch h {
	case crypto.SHA224:
		return abi.HashSHA224
	case crypto.SHA256:
		return abi.HashSHA256
	case crypto.SHA384:
		return abi.HashSHA384
	case crypto.SHA512:
		return abi.HashSHA512
	}
	return 0
}

// digest is the hash h of message, from the host for a large message.
func (e *Engine) digest(h crypto.Hash, message []byte) []byte {
	if id := hostHash(h); id != 0 && len(message) >= e.minBytes(hostDigestMinBytes) && e.has(abi.CapDigest) {
		out := make([]byte, h.Size())
		if e.answered(abi.CapDigest, e.host.Digest(id, message, out), abi.HostOK) {
			return out
		}
	}
	return hashMessage(h, message)
}

// hmac is HMAC with the hash h, from the host for a large message.
func (e *Engine) hmac(h crypto.Hash, key, message []byte) ([]byte, bool) {
	id := hostHash(h)
	if id == 0 || len(message) < e.minBytes(hostDigestMinBytes) || !e.has(abi.CapHMAC) {
		return nil, false
	}
	out := make([]byte, h.Size())
	if !e.answered(abi.CapHMAC, e.host.HMAC(id, key, message, out), abi.HostOK) {
		return nil, false
	}
	return out, true
}

// rsaPrivate is the RSA private-key operation in^d mod n, for in < n (the callers make sure: the
// paddings' leading zero bits, OAEP's check of the ciphertext).
func (e *Engine) rsaPrivate(priv *rsa.PrivateKey, in []byte) ([]byte, bool) {
	if !e.has(abi.CapRSA) || len(in) != priv.Size() {
		return nil, false
	}
	h, ok := e.rsaHandle(priv)
	if !ok {
		return nil, false
	}
	out := make([]byte, priv.Size())
	if !e.answered(abi.CapRSA, e.host.RSAPrivate(h, in, out), abi.HostOK) {
		return nil, false
	}
	return out, true
}

// hostCurve is the abi.Curve* of an ECDSA curve, 0 for any other.
func hostCurve(c elliptic.Curve) int32 {
	switch c {
	case elliptic.P256():
		return abi.CurveP256
	case elliptic.P384():
		return abi.CurveP384
	case elliptic.P521():
		return abi.CurveP521
	case Secp256k1():
		return abi.CurveSecp256k1
	}
	return 0
}

// baseMultX answers a function giving the x-coordinate of k·G on curve from the host, or on P-521
// from the module's own code where that is the faster (ownP521), or nil where neither applies (Go's
// crypto/ecdsa or the curve's ScalarBaseMult then makes the signature).
func (e *Engine) baseMultX(curve elliptic.Curve) func(k []byte) (*big.Int, bool) {
	if curve == elliptic.P521() && e.ownP521() {
		return p521BaseX
	}
	id := hostCurve(curve)
	if id == 0 || !e.has(abi.CapCurve(int(id))) {
		return nil
	}
	size := (curve.Params().BitSize + 7) / 8
	return func(k []byte) (*big.Int, bool) {
		x := make([]byte, size)
		if !e.answered(abi.CapCurve(int(id)), e.host.ECBaseMult(id, k, x), abi.HostOK) {
			return nil, false
		}
		return new(big.Int).SetBytes(x), true
	}
}

// publicPoint answers scalar·G on curve, x || y, for a new key's public point: on P-521 the module's
// own where that is the faster (ownP521), else the host's, else on P-521 the module's own again (a
// host that failed); ok is false where neither applies (Go's code then makes the key).
func (e *Engine) publicPoint(curve elliptic.Curve, scalar []byte) ([]byte, bool) {
	p521 := curve == elliptic.P521()
	if p521 && e.ownP521() {
		return p521BasePoint((*[66]byte)(scalar)), true
	}
	if point, ok := e.basePoint(curve, scalar); ok {
		return point, true
	}
	if p521 {
		return p521BasePoint((*[66]byte)(scalar)), true
	}
	return nil, false
}

// ownP521 says whether P-521's base-point multiplication is the module's own (p521_base.go) rather
// than the host's: always but on a host whose calls cost about a native call (abi.CapAnySize: the
// wazero harness's native Go, which makes a P-521 key in some 0.6 ms against 1.4 on the module's own
// code in wazero). A JS host's P-521 is OpenSSL's (BoringSSL's in workerd), generic code slower than
// the module's own in V8: a CreateKey in Node took 1.41 ms of CPU with it, 0.56 ms on the module's own.
func (e *Engine) ownP521() bool { return e == nil || !e.anySize }

// p521BaseX is the x-coordinate of k·G on P-521 (k 66 bytes in [1, n−1]), the module's own.
func p521BaseX(k []byte) (*big.Int, bool) {
	return new(big.Int).SetBytes(p521BasePoint((*[66]byte)(k))[:66]), true
}

// basePoint answers scalar·G on curve from the host, the affine x || y, each as long as scalar
// (a key's public point: ok is false where the host does not supply the curve, or failed).
func (e *Engine) basePoint(curve elliptic.Curve, scalar []byte) ([]byte, bool) {
	id := hostCurve(curve)
	if id == 0 || !e.has(abi.CapCurve(int(id))) {
		return nil, false
	}
	point := make([]byte, 2*len(scalar))
	if !e.answered(abi.CapCurve(int(id)), e.host.ECBasePoint(id, scalar, point), abi.HostOK) {
		return nil, false
	}
	return point, true
}

// signEd25519 is pure Ed25519 (deterministic: the same signature Go's code makes).
func (e *Engine) signEd25519(priv ed25519.PrivateKey, message []byte) ([]byte, bool) {
	if !e.has(abi.CapEd25519) {
		return nil, false
	}
	h, ok := e.ed25519Handle(priv)
	if !ok {
		return nil, false
	}
	sig := make([]byte, ed25519.SignatureSize)
	if !e.answered(abi.CapEd25519, e.host.SignEd25519(h, message, sig), abi.HostOK) {
		return nil, false
	}
	return sig, true
}
