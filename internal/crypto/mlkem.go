package crypto

import (
	"crypto"
	"crypto/subtle"
	"encoding/asn1"
	"fmt"
	"io"

	"github.com/cloudflare/circl/kem"
	"github.com/cloudflare/circl/kem/mlkem/mlkem1024"
	"github.com/cloudflare/circl/kem/mlkem/mlkem512"
	"github.com/cloudflare/circl/kem/mlkem/mlkem768"
)

// ML-KEM (FIPS 203), KMS's ML_KEM_512/768/1024 key specs (Encapsulate, Decapsulate), with circl's
// kem/mlkem. Not the standard library's crypto/mlkem: it has no ML-KEM-512 and its Encapsulate
// takes no randomness. Everything here draws from the caller's reader, so keys, ciphertexts and
// secrets are reproducible from a seeded reader.

// mlkemParams is one FIPS 203 parameter set and its names.
type mlkemParams struct {
	paramSet int // 512, 768 or 1024
	scheme   kem.Scheme
	oid      asn1.ObjectIdentifier
}

var (
	mlkem512Params  = &mlkemParams{512, mlkem512.Scheme(), asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 4, 1}}
	mlkem768Params  = &mlkemParams{768, mlkem768.Scheme(), asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 4, 2}}
	mlkem1024Params = &mlkemParams{1024, mlkem1024.Scheme(), asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 4, 3}}
)

// mlkemSeed is the size of the seed form d ‖ z.
const mlkemSeed = 64

func mlkemParamsFor(paramSet int) *mlkemParams {
	switch paramSet {
	case 512:
		return mlkem512Params
	case 768:
		return mlkem768Params
	case 1024:
		return mlkem1024Params
	}
	return nil
}

// mlkemParamsForOID answers the parameter set named id-alg-ml-kem-512/768/1024
// (2.16.840.1.101.3.4.4.1/2/3), or nil.
func mlkemParamsForOID(oid asn1.ObjectIdentifier) *mlkemParams {
	for _, p := range []*mlkemParams{mlkem512Params, mlkem768Params, mlkem1024Params} {
		if oid.Equal(p.oid) {
			return p
		}
	}
	return nil
}

// MLKEMPrivateKey is an ML-KEM (FIPS 203) decapsulation key; it keeps its 64-byte seed (d ‖ z).
type MLKEMPrivateKey struct {
	params *mlkemParams
	seed   [mlkemSeed]byte
	key    kem.PrivateKey
	pub    *MLKEMPublicKey
}

// MLKEMPublicKey is an ML-KEM encapsulation key.
type MLKEMPublicKey struct {
	params *mlkemParams
	key    kem.PublicKey
	raw    []byte // FIPS 203's ek: 800, 1184 or 1568 bytes
}

// GenerateMLKEM makes an ML-KEM key of paramSet 512, 768 or 1024 from 64 bytes of rand (FIPS 203's
// ML-KEM.KeyGen: d, then z).
func GenerateMLKEM(rand io.Reader, paramSet int) (*MLKEMPrivateKey, error) {
	p := mlkemParamsFor(paramSet)
	if p == nil {
		return nil, fmt.Errorf("crypto: unknown ML-KEM parameter set %d", paramSet)
	}
	var seed [mlkemSeed]byte
	if _, err := io.ReadFull(rand, seed[:]); err != nil {
		return nil, err
	}
	return newMLKEMPrivateKey(p, seed[:])
}

// newMLKEMPrivateKey is ML-KEM.KeyGen_internal(d, z) for seed = d ‖ z.
func newMLKEMPrivateKey(p *mlkemParams, seed []byte) (*MLKEMPrivateKey, error) {
	if len(seed) != mlkemSeed {
		return nil, fmt.Errorf("crypto: ML-KEM seed must be %d bytes", mlkemSeed)
	}
	pk, sk := p.scheme.DeriveKeyPair(seed)
	raw, err := pk.MarshalBinary()
	if err != nil {
		return nil, err
	}
	priv := &MLKEMPrivateKey{params: p, key: sk, pub: &MLKEMPublicKey{params: p, key: pk, raw: raw}}
	copy(priv.seed[:], seed)
	return priv, nil
}

// Public answers the *MLKEMPublicKey.
func (k *MLKEMPrivateKey) Public() crypto.PublicKey { return k.pub }

// ParamSet is 512, 768 or 1024.
func (k *MLKEMPrivateKey) ParamSet() int { return k.params.paramSet }

// Equal reports whether x is an *MLKEMPrivateKey of the same parameter set and seed.
func (k *MLKEMPrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*MLKEMPrivateKey)
	return ok && o.params == k.params && subtle.ConstantTimeCompare(o.seed[:], k.seed[:]) == 1
}

// Bytes is the FIPS 203 encapsulation key (800, 1184 or 1568 bytes).
func (k *MLKEMPublicKey) Bytes() []byte { return append([]byte(nil), k.raw...) }

// ParamSet is 512, 768 or 1024.
func (k *MLKEMPublicKey) ParamSet() int { return k.params.paramSet }

// Equal reports whether x is an *MLKEMPublicKey of the same parameter set and encoding.
func (k *MLKEMPublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*MLKEMPublicKey)
	return ok && o.params == k.params && string(o.raw) == string(k.raw)
}

// MLKEMCiphertextSize is the ciphertext size of paramSet: 768, 1088 or 1568 bytes (0 for an
// unknown parameter set).
func MLKEMCiphertextSize(paramSet int) int {
	if p := mlkemParamsFor(paramSet); p != nil {
		return p.scheme.CiphertextSize()
	}
	return 0
}

// MLKEMEncapsulate is ML-KEM.Encaps (FIPS 203 Algorithm 20) with the 32-byte m read from rand: a
// 32-byte shared secret and its ciphertext.
func MLKEMEncapsulate(rand io.Reader, pub *MLKEMPublicKey) (sharedSecret, ciphertext []byte, err error) {
	m := make([]byte, pub.params.scheme.EncapsulationSeedSize())
	if _, err := io.ReadFull(rand, m); err != nil {
		return nil, nil, err
	}
	ciphertext, sharedSecret, err = pub.params.scheme.EncapsulateDeterministically(pub.key, m)
	if err != nil {
		return nil, nil, err
	}
	return sharedSecret, ciphertext, nil
}

// MLKEMDecapsulate is ML-KEM.Decaps (FIPS 203 Algorithm 21). A ciphertext of the wrong length is
// ErrInvalidCiphertext; one of the right length always decapsulates, a tampered one to FIPS 203's
// implicit-rejection secret (unrelated to the encapsulated one), never to an error.
func MLKEMDecapsulate(priv *MLKEMPrivateKey, ciphertext []byte) (sharedSecret []byte, err error) {
	if len(ciphertext) != priv.params.scheme.CiphertextSize() {
		return nil, ErrInvalidCiphertext
	}
	sharedSecret, err = priv.params.scheme.Decapsulate(priv.key, ciphertext)
	if err != nil {
		return nil, ErrInvalidCiphertext
	}
	return sharedSecret, nil
}

// parseMLKEMPKCS8 rebuilds the key of parameter set p from a PKCS#8 privateKey's contents.
func parseMLKEMPKCS8(p *mlkemParams, key []byte) (*MLKEMPrivateKey, error) {
	seed, err := parseSeed(key, mlkemSeed)
	if err != nil {
		return nil, err
	}
	return newMLKEMPrivateKey(p, seed)
}
