package crypto

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
)

// The peer is made by crypto/ecdh (gmsm's sm2 for SM2) and encoded by crypto/x509 (smx509): both
// sides must get the same secret.
func TestDeriveSharedSecretAgreesWithCryptoECDH(t *testing.T) {
	for name, c := range map[string]struct {
		curve elliptic.Curve
		ecdh  ecdh.Curve
		size  int
	}{
		"P256": {elliptic.P256(), ecdh.P256(), 32},
		"P384": {elliptic.P384(), ecdh.P384(), 48},
		"P521": {elliptic.P521(), ecdh.P521(), 66},
	} {
		t.Run(name, func(t *testing.T) {
			priv, err := GenerateECDSA(rand.Reader, c.curve)
			require.NoError(t, err)
			peer, err := c.ecdh.GenerateKey(rand.Reader)
			require.NoError(t, err)
			peerSPKI, err := x509.MarshalPKIXPublicKey(peer.PublicKey())
			require.NoError(t, err)

			ours, err := DeriveSharedSecret(priv, peerSPKI)
			require.NoError(t, err)
			require.Len(t, ours, c.size, "the x-coordinate, as long as the field")
			ownPublic, err := priv.PublicKey.ECDH()
			require.NoError(t, err)
			theirs, err := peer.ECDH(ownPublic)
			require.NoError(t, err)
			require.Equal(t, theirs, ours)

			// Our own SPKI encoding of the peer works the same.
			peerECDSA, err := x509.ParsePKIXPublicKey(peerSPKI)
			require.NoError(t, err)
			again, err := MarshalSPKI(peerECDSA)
			require.NoError(t, err)
			ours, err = DeriveSharedSecret(priv, again)
			require.NoError(t, err)
			require.Equal(t, theirs, ours)
		})
	}
	t.Run("SM2", func(t *testing.T) {
		priv, err := GenerateSM2(rand.Reader)
		require.NoError(t, err)
		peer, err := sm2.GenerateKey(rand.Reader)
		require.NoError(t, err)
		peerSPKI, err := smx509.MarshalPKIXPublicKey(&peer.PublicKey)
		require.NoError(t, err)
		ours, err := DeriveSharedSecret(priv, peerSPKI)
		require.NoError(t, err)
		require.Len(t, ours, 32)

		peerECDH, err := peer.ECDH()
		require.NoError(t, err)
		ownPublic, err := sm2.PublicKeyToECDH(gmsmPublic(&priv.PublicKey))
		require.NoError(t, err)
		theirs, err := peerECDH.ECDH(ownPublic)
		require.NoError(t, err)
		require.Equal(t, theirs, ours)

		// SM2 named as the algorithm itself, as some SM2 tools write it.
		var info struct {
			Algorithm struct{ Algorithm, Curve asn1.ObjectIdentifier }
			PublicKey asn1.BitString
		}
		_, err = asn1.Unmarshal(peerSPKI, &info)
		require.NoError(t, err)
		alt, err := asn1.Marshal(struct {
			Algorithm struct{ Algorithm asn1.ObjectIdentifier }
			PublicKey asn1.BitString
		}{struct{ Algorithm asn1.ObjectIdentifier }{oidSM2}, info.PublicKey})
		require.NoError(t, err)
		ours, err = DeriveSharedSecret(priv, alt)
		require.NoError(t, err)
		require.Equal(t, theirs, ours)
	})
}

// spkiOf encodes an EC SubjectPublicKeyInfo by hand, with any curve OID and point bytes.
func spkiOf(t *testing.T, curve asn1.ObjectIdentifier, point []byte) []byte {
	t.Helper()
	der, err := asn1.Marshal(struct {
		Algorithm struct{ Algorithm, Curve asn1.ObjectIdentifier }
		PublicKey asn1.BitString
	}{struct{ Algorithm, Curve asn1.ObjectIdentifier }{oidECPublicKey, curve},
		asn1.BitString{Bytes: point, BitLength: 8 * len(point)}})
	require.NoError(t, err)
	return der
}

func TestDeriveSharedSecretInvalidPublicKeys(t *testing.T) {
	p256, err := GenerateECDSA(rand.Reader, elliptic.P256())
	require.NoError(t, err)
	p384Peer, err := ecdh.P384().GenerateKey(rand.Reader)
	require.NoError(t, err)
	p384SPKI, err := x509.MarshalPKIXPublicKey(p384Peer.PublicKey())
	require.NoError(t, err)
	p256Peer, err := ecdh.P256().GenerateKey(rand.Reader)
	require.NoError(t, err)
	good, err := x509.MarshalPKIXPublicKey(p256Peer.PublicKey())
	require.NoError(t, err)
	point := p256Peer.PublicKey().Bytes()
	offCurve := bytes.Clone(point)
	offCurve[len(offCurve)-1] ^= 1 // y+-1 is not on the curve with the same x
	rsaKey, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	rsaSPKI, err := MarshalSPKI(&rsaKey.PublicKey)
	require.NoError(t, err)
	sm2Key, err := GenerateSM2(rand.Reader)
	require.NoError(t, err)
	sm2SPKI, err := MarshalSPKI(&sm2Key.PublicKey)
	require.NoError(t, err)
	k1, err := GenerateSecp256k1(rand.Reader)
	require.NoError(t, err)
	k1SPKI, err := MarshalSPKI(&k1.PublicKey)
	require.NoError(t, err)
	compressed := append([]byte{2 + point[64]&1}, point[1:33]...)

	_, err = DeriveSharedSecret(p256, good)
	require.NoError(t, err, "the good key the cases below spoil")
	for name, spki := range map[string][]byte{
		"garbage":                []byte("not a public key"),
		"empty":                  nil,
		"P-384 key":              p384SPKI,
		"SM2 key":                sm2SPKI,
		"secp256k1 key":          k1SPKI,
		"RSA key":                rsaSPKI,
		"point off the curve":    spkiOf(t, oidP256, offCurve),
		"P-256 OID, P-384 point": spkiOf(t, oidP256, p384Peer.PublicKey().Bytes()),
		"P-384 OID, P-256 point": spkiOf(t, oidP384, point),
		"point at infinity":      spkiOf(t, oidP256, []byte{0}),
		"compressed point":       spkiOf(t, oidP256, compressed),
		"truncated point":        spkiOf(t, oidP256, point[:64]),
		"no point":               spkiOf(t, oidP256, nil),
		"trailing data":          append(bytes.Clone(good), 0),
		"truncated":              good[:len(good)-1],
	} {
		_, err := DeriveSharedSecret(p256, spki)
		require.ErrorIs(t, err, ErrInvalidPublicKey, name)
	}

	// An SM2 private key refuses a P-256 peer, and its own curve's point off the curve.
	_, err = DeriveSharedSecret(sm2Key, good)
	require.ErrorIs(t, err, ErrInvalidPublicKey)
	sm2Point := bytes.Clone(sm2SPKI[len(sm2SPKI)-65:])
	sm2Point[64] ^= 1
	_, err = DeriveSharedSecret(sm2Key, spkiOf(t, oidSM2, sm2Point))
	require.ErrorIs(t, err, ErrInvalidPublicKey)
}

// Keys without key agreement in KMS (RSA, secp256k1, Ed25519) are an error, but not the peer's.
func TestDeriveSharedSecretRefusesOtherPrivateKeys(t *testing.T) {
	peer, err := ecdh.P256().GenerateKey(rand.Reader)
	require.NoError(t, err)
	spki, err := x509.MarshalPKIXPublicKey(peer.PublicKey())
	require.NoError(t, err)
	rsaKey, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	k1, err := GenerateSecp256k1(rand.Reader)
	require.NoError(t, err)
	ed, err := GenerateEd25519(rand.Reader)
	require.NoError(t, err)
	for _, priv := range []any{rsaKey, k1, ed, &ecdsa.PrivateKey{}, (*ecdsa.PrivateKey)(nil), (*SM2PrivateKey)(nil), nil} {
		_, err := DeriveSharedSecret(priv, spki)
		require.Error(t, err, "%T", priv)
		require.NotErrorIs(t, err, ErrInvalidPublicKey, "%T", priv)
	}
}
