package crypto

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/asn1"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// ErrInvalidPublicKey reports a peer public key DeriveSharedSecret cannot use: SubjectPublicKeyInfo
// that does not parse, a point that is not on its curve, or a key on another curve than the private
// key's.
var ErrInvalidPublicKey = errors.New("invalid public key")

// DeriveSharedSecret answers the raw ECDH shared secret (SEC 1 3.3.1: the x-coordinate of d * Q, as
// long as the field, which is what KMS's DeriveSharedSecret answers) between priv (a P-256, P-384
// or P-521 *ecdsa.PrivateKey, or an *SM2PrivateKey) and the peer's public key, given as DER
// SubjectPublicKeyInfo. The peer key is id-ecPublicKey with the named curve of priv (an SM2 key may
// also name SM2 as the algorithm) and an uncompressed point, as crypto/x509 and Java's SunEC read it;
// anything else is ErrInvalidPublicKey. Other private key types are a different error.
func DeriveSharedSecret(priv crypto.PrivateKey, peerSPKI []byte) ([]byte, error) {
	switch k := priv.(type) {
	case *ecdsa.PrivateKey:
		if k == nil {
			break
		}
		var curve ecdh.Curve
		switch k.Curve {
		case elliptic.P256():
			curve = ecdh.P256()
		case elliptic.P384():
			curve = ecdh.P384()
		case elliptic.P521():
			curve = ecdh.P521()
		default:
			return nil, errors.New("crypto: no key agreement on this curve")
		}
		return agree(peerSPKI, k.Curve, curve, k.ECDH)
	case *SM2PrivateKey:
		if k == nil {
			break
		}
		point, err := parseECPeerSPKI(peerSPKI, SM2P256())
		if err != nil {
			return nil, err
		}
		return sm2ECDH(k, point)
	}
	return nil, fmt.Errorf("crypto: no key agreement with a key of type %T", priv)
}

// agree reads the peer's point on curve from peerSPKI, makes it a public key of ecdhCurve (which
// checks the point is on the curve: ErrInvalidPublicKey if not) and answers the shared secret of the
// private key own makes with it.
func agree(peerSPKI []byte, curve elliptic.Curve, ecdhCurve ecdh.Curve, own func() (*ecdh.PrivateKey, error)) ([]byte, error) {
	point, err := parseECPeerSPKI(peerSPKI, curve)
	if err != nil {
		return nil, err
	}
	peer, err := ecdhCurve.NewPublicKey(point)
	if err != nil {
		return nil, ErrInvalidPublicKey
	}
	priv, err := own()
	if err != nil {
		return nil, err
	}
	return priv.ECDH(peer)
}

// parseECPeerSPKI reads an EC SubjectPublicKeyInfo, DER with no trailing data, whose named curve is
// curve, and answers its point encoding (not yet checked).
func parseECPeerSPKI(der []byte, curve elliptic.Curve) ([]byte, error) {
	input := cryptobyte.String(der)
	var spki, algorithm cryptobyte.String
	var oid, named asn1.ObjectIdentifier
	var point asn1.BitString
	if !input.ReadASN1(&spki, cbasn1.SEQUENCE) || !input.Empty() ||
		!spki.ReadASN1(&algorithm, cbasn1.SEQUENCE) || !algorithm.ReadASN1ObjectIdentifier(&oid) ||
		!spki.ReadASN1BitString(&point) || !spki.Empty() || point.BitLength%8 != 0 {
		return nil, ErrInvalidPublicKey
	}
	switch {
	case oid.Equal(oidECPublicKey):
		if !algorithm.ReadASN1ObjectIdentifier(&named) {
			return nil, ErrInvalidPublicKey
		}
	case oid.Equal(oidSM2):
		named = oidSM2
		if !algorithm.Empty() && (!algorithm.ReadASN1ObjectIdentifier(&named) || !named.Equal(oidSM2)) {
			return nil, ErrInvalidPublicKey
		}
	default:
		return nil, ErrInvalidPublicKey
	}
	if !algorithm.Empty() || curveFromOID(named) != curve {
		return nil, ErrInvalidPublicKey
	}
	return point.Bytes, nil
}
