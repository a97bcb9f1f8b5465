package crypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/subtle"
	"errors"
	"io"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SM2 (GB/T 32918) on the curve of sm2curve.go: signatures (SM2DSA), public-key encryption
// (SM2PKE) and key agreement (DeriveSharedSecret: plain ECDH, the x-coordinate of d·Q). Each does
// what gmsm's sm2 package, which this replaces, does with the same input, the bytes drawn from a
// reader included; the tests hold them to it.

// SM2PrivateKey is a private key on the SM2 curve: D in [1, N−2] (GB/T 32918.1's range: signing
// needs d + 1 invertible) and its public point, an *ecdsa.PublicKey on SM2P256().
type SM2PrivateKey struct {
	ecdsa.PublicKey
	D *big.Int
}

// Public answers the *ecdsa.PublicKey.
func (k *SM2PrivateKey) Public() crypto.PublicKey { return &k.PublicKey }

// Equal reports whether x is an *SM2PrivateKey with the same D and public point.
func (k *SM2PrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*SM2PrivateKey)
	return ok && k.PublicKey.Equal(&o.PublicKey) && subtle.ConstantTimeCompare(k.D.Bytes(), o.D.Bytes()) == 1
}

// ecdsa is the key as an *ecdsa.PrivateKey (for the SEC 1 encoding, which is the same).
func (k *SM2PrivateKey) ecdsa() *ecdsa.PrivateKey {
	return &ecdsa.PrivateKey{PublicKey: k.PublicKey, D: k.D}
}

// scalar answers the curve and D as 32 bytes, false unless D is in [1, N−2].
func (k *SM2PrivateKey) scalar() (*sm2Curve, [32]byte, bool) {
	var d [32]byte
	curve, ok := k.Curve.(*sm2Curve)
	if !ok || k.D == nil || k.D.Sign() <= 0 || k.D.Cmp(sm2NMinus1()) >= 0 {
		return nil, d, false
	}
	k.D.FillBytes(d[:])
	return curve, d, true
}

// NewSM2PrivateKey makes the key of the 32-byte big-endian scalar d, refusing 0, N−1 and N or
// more, as gmsm's NewPrivateKey.
func NewSM2PrivateKey(d []byte) (*SM2PrivateKey, error) {
	if len(d) != 32 {
		return nil, errors.New("crypto: an SM2 private key must be 32 bytes")
	}
	curve := SM2P256().(*sm2Curve)
	v := new(big.Int).SetBytes(d)
	if v.Sign() == 0 || v.Cmp(sm2NMinus1()) >= 0 {
		return nil, errInvalidSM2Key
	}
	q := curve.baseMult([32]byte(d))
	x, y := q.affine()
	return &SM2PrivateKey{PublicKey: ecdsa.PublicKey{Curve: curve, X: x, Y: y}, D: v}, nil
}

var errInvalidSM2Key = errors.New("crypto: invalid SM2 private key")

func sm2NMinus1() *big.Int { return new(big.Int).Sub(SM2P256().Params().N, big.NewInt(1)) }

// sm2PublicPoint answers pub's point, false if pub is not a point of the SM2 curve (nor the
// point at infinity, which is no public key).
func sm2PublicPoint(pub *ecdsa.PublicKey) (sm2Point, bool) {
	curve, ok := pub.Curve.(*sm2Curve)
	if !ok {
		return sm2Point{}, false
	}
	p, ok := curve.load(pub.X, pub.Y)
	return p, ok && !p.isInfinity()
}

// sm2DefaultID is the signer ID KMS uses (GM/T 0009's default): "1234567812345678".
var sm2DefaultID = []byte("1234567812345678")

// sm2Hash is what SM2DSA signs for a RAW message (GB/T 32918.2 6.1): SM3(Z ‖ M), where
// Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) with the default ID.
func sm2Hash(pub *ecdsa.PublicKey, message []byte) ([]byte, error) {
	if _, ok := sm2PublicPoint(pub); !ok {
		return nil, errors.New("crypto: not a public key on the SM2 curve")
	}
	params := pub.Curve.Params()
	var a, b, gx, gy, x, y [32]byte
	new(big.Int).Sub(params.P, big.NewInt(3)).FillBytes(a[:])
	params.B.FillBytes(b[:])
	params.Gx.FillBytes(gx[:])
	params.Gy.FillBytes(gy[:])
	pub.X.FillBytes(x[:])
	pub.Y.FillBytes(y[:])
	entl := []byte{byte(len(sm2DefaultID) * 8 >> 8), byte(len(sm2DefaultID) * 8)}
	z := sm3Sum(entl, sm2DefaultID, a[:], b[:], gx[:], gy[:], x[:], y[:])
	return sm3Sum(z, message), nil
}

// sm2Sign signs the hash e (GB/T 32918.2 6.1, from step A3), DER SEQUENCE { r, s }. With det, the
// nonces k are RFC 6979's with HMAC-SM3, the key and e (gmsm's SignDeterministic: the same
// signatures); otherwise k is drawn uniformly from rand.
func sm2Sign(rand io.Reader, det bool, priv *SM2PrivateKey, e []byte) ([]byte, error) {
	curve, _, ok := priv.scalar()
	if !ok {
		return nil, errInvalidSM2Key
	}
	if len(e) == 0 {
		return nil, errors.New("crypto: nothing to sign")
	}
	n := curve.params.N
	dPlus1Inv := new(big.Int).Add(priv.D, big.NewInt(1))
	dPlus1Inv.ModInverse(dPlus1Inv, n)
	ev := bits2int(e, n.BitLen())
	ev.Mod(ev, n)
	var nonces *rfc6979
	if det {
		nonces = newRFC6979(n, newSM3, priv.D, e)
	}
	var scalar [32]byte
	for {
		var k *big.Int
		if det {
			k = nonces.next()
		} else {
			var err error
			if k, err = randomScalar(rand, n, scalar[:]); err != nil {
				return nil, err
			}
		}
		k.FillBytes(scalar[:])
		point := curve.baseMult(scalar)
		x1, _ := point.affine()
		r := x1.Add(x1, ev)
		r.Mod(r, n) // r = (e + x1) mod n
		if t := new(big.Int).Add(r, k); r.Sign() == 0 || t.Cmp(n) == 0 {
			continue
		}
		s := new(big.Int).Mul(r, priv.D)
		s.Sub(k, s)
		s.Mul(s, dPlus1Inv)
		s.Mod(s, n) // s = (1 + d)⁻¹·(k − r·d) mod n
		if s.Sign() == 0 {
			continue
		}
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1BigInt(r)
			b.AddASN1BigInt(s)
		})
		return b.Bytes()
	}
}

// sm2Verify reports whether sig (DER SEQUENCE { r, s }) is pub's signature of the hash e
// (GB/T 32918.2 7.1, from step B3).
func sm2Verify(pub *ecdsa.PublicKey, e, sig []byte) bool {
	q, ok := sm2PublicPoint(pub)
	if !ok {
		return false
	}
	curve := pub.Curve.(*sm2Curve)
	n := curve.params.N
	r, s := new(big.Int), new(big.Int)
	input, inner := cryptobyte.String(sig), cryptobyte.String(nil)
	if !input.ReadASN1(&inner, cbasn1.SEQUENCE) || !input.Empty() ||
		!inner.ReadASN1Integer(r) || !inner.ReadASN1Integer(s) || !inner.Empty() ||
		r.Sign() <= 0 || r.Cmp(n) >= 0 || s.Sign() <= 0 || s.Cmp(n) >= 0 {
		return false
	}
	t := new(big.Int).Add(r, s)
	t.Mod(t, n)
	if t.Sign() == 0 {
		return false
	}
	var sb, tb [32]byte
	s.FillBytes(sb[:])
	t.FillBytes(tb[:])
	p := curve.baseMult(sb)
	tq := curve.mult(&q, tb)
	p.add(&p, &tq) // s·G + t·Q
	if p.isInfinity() {
		return false
	}
	x1, _ := p.affine()
	ev := bits2int(e, n.BitLen())
	x1.Add(x1, ev)
	return x1.Mod(x1, n).Cmp(r) == 0
}

// SM2 ciphertexts (GM/T 0003.4, KMS's SM2PKE) are ASN.1 DER:
//
//	SEQUENCE { INTEGER x, INTEGER y, OCTET STRING C3 (SM3 hash, 32 bytes), OCTET STRING C2 }
//
// the C1C3C2 order, with (x, y) the ephemeral point C1.

// sm2MaxRetries bounds the draws of k whose key stream is all zeros (gmsm's limit; never reached).
const sm2MaxRetries = 100

// SM2Encrypt encrypts plaintext to pub (a point on the SM2 curve) in the DER form above
// (GB/T 32918.4 6.1), k read from rand as gmsm reads it: 32 bytes per try, until 0 < k < N.
func SM2Encrypt(rand io.Reader, pub *ecdsa.PublicKey, plaintext []byte) ([]byte, error) {
	if len(plaintext) == 0 {
		return nil, errEmptyPlaintext
	}
	q, ok := sm2PublicPoint(pub)
	if !ok {
		return nil, errors.New("crypto: not a public key on the SM2 curve")
	}
	curve := pub.Curve.(*sm2Curve)
	var scalar [32]byte
	for range sm2MaxRetries + 1 {
		k, err := randomScalar(rand, curve.params.N, scalar[:])
		if err != nil {
			return nil, err
		}
		k.FillBytes(scalar[:])
		c1 := curve.baseMult(scalar)
		shared := curve.mult(&q, scalar)
		x1, y1 := c1.affine()
		x2, y2, _ := shared.affineBytes()
		c2 := sm3KDF(append(x2[:], y2[:]...), len(plaintext))
		if allZero(c2) {
			continue
		}
		subtle.XORBytes(c2, c2, plaintext)
		c3 := sm3Sum(x2[:], plaintext, y2[:])
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1BigInt(x1)
			b.AddASN1BigInt(y1)
			b.AddASN1OctetString(c3)
			b.AddASN1OctetString(c2)
		})
		return b.Bytes()
	}
	return nil, errors.New("crypto: SM2 encryption found no usable k")
}

// SM2Decrypt decrypts a DER SM2 ciphertext (GB/T 32918.4 7.1). gmsm also accepts the raw
// concatenated encodings (a leading 0x02/0x03/0x04); KMS only speaks DER, so anything that is not
// a DER SEQUENCE is refused. Every failure is ErrInvalidCiphertext.
func SM2Decrypt(priv *SM2PrivateKey, ciphertext []byte) ([]byte, error) {
	// 65 bytes or fewer cannot hold C1, C3 and any C2 (gmsm's bound, kept).
	if len(ciphertext) <= 1+32+sm3Size || ciphertext[0] != tagSequence {
		return nil, ErrInvalidCiphertext
	}
	curve, d, ok := priv.scalar()
	if !ok {
		return nil, ErrInvalidCiphertext
	}
	x, y := new(big.Int), new(big.Int)
	var c2, c3 []byte
	input, inner := cryptobyte.String(ciphertext), cryptobyte.String(nil)
	if !input.ReadASN1(&inner, cbasn1.SEQUENCE) || !input.Empty() ||
		!inner.ReadASN1Integer(x) || !inner.ReadASN1Integer(y) ||
		!inner.ReadASN1Bytes(&c3, cbasn1.OCTET_STRING) || !inner.ReadASN1Bytes(&c2, cbasn1.OCTET_STRING) ||
		!inner.Empty() {
		return nil, ErrInvalidCiphertext
	}
	c1, ok := curve.load(x, y)
	if !ok || c1.isInfinity() {
		return nil, ErrInvalidCiphertext
	}
	shared := curve.mult(&c1, d)
	x2, y2, ok := shared.affineBytes()
	if !ok {
		return nil, ErrInvalidCiphertext
	}
	plaintext := sm3KDF(append(x2[:], y2[:]...), len(c2))
	if allZero(plaintext) { // an empty C2 too
		return nil, ErrInvalidCiphertext
	}
	subtle.XORBytes(plaintext, plaintext, c2)
	if subtle.ConstantTimeCompare(sm3Sum(x2[:], plaintext, y2[:]), c3) != 1 {
		return nil, ErrInvalidCiphertext
	}
	return plaintext, nil
}

// sm2ECDH answers the x-coordinate of d·Q for the uncompressed point encoding of Q (SEC 1 2.3.3),
// ErrInvalidPublicKey if that is not a point of the curve.
func sm2ECDH(priv *SM2PrivateKey, point []byte) ([]byte, error) {
	if len(point) != 65 || point[0] != 4 {
		return nil, ErrInvalidPublicKey
	}
	q, ok := sm2PointFromBytes((*[32]byte)(point[1:33]), (*[32]byte)(point[33:]))
	if !ok {
		return nil, ErrInvalidPublicKey
	}
	curve, d, ok := priv.scalar()
	if !ok {
		return nil, errInvalidSM2Key
	}
	shared := curve.mult(&q, d)
	x, _, ok := shared.affineBytes()
	if !ok {
		return nil, errors.New("crypto: the shared point is the point at infinity")
	}
	return x[:], nil
}

func allZero(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return acc == 0
}
