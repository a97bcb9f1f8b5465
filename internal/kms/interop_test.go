package kms

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"hash"
	"math/big"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

func b64(t *testing.T, v any) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(v.(string))
	require.NoError(t, err)
	return b
}

// TestRSAInteropBothWays: Encrypt's RSA ciphertexts open with crypto/rsa and the key's private
// material, and ciphertexts made with crypto/rsa and the GetPublicKey key open through Decrypt.
func TestRSAInteropBothWays(t *testing.T) {
	w := NewWorld(Options{})
	for _, spec := range []string{"RSA_2048", "RSA_3072", "RSA_4096"} {
		for _, alg := range []struct {
			name string
			hash func() hash.Hash
		}{{"RSAES_OAEP_SHA_1", sha1.New}, {"RSAES_OAEP_SHA_256", sha256.New}} {
			t.Run(spec+"/"+alg.name, func(t *testing.T) {
				md := newKey(t, w, Caller{}, map[string]any{"KeySpec": spec, "KeyUsage": "ENCRYPT_DECRYPT"})
				priv := keyOf(w, Caller{}, md).private.(*rsa.PrivateKey)
				enc := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("to the outside"), "EncryptionAlgorithm": alg.name})
				ct := b64(t, enc["CiphertextBlob"])
				require.Len(t, ct, priv.Size())
				pt, err := rsa.DecryptOAEP(alg.hash(), nil, priv, ct, nil)
				require.NoError(t, err)
				require.Equal(t, "to the outside", string(pt))

				pubOut := mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": md["KeyId"]})
				require.Equal(t, []any{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}, pubOut["EncryptionAlgorithms"])
				require.Equal(t, spec, pubOut["KeySpec"])
				require.Equal(t, spec, pubOut["CustomerMasterKeySpec"])
				require.Equal(t, "ENCRYPT_DECRYPT", pubOut["KeyUsage"])
				pub, err := smx509.ParsePKIXPublicKey(b64(t, pubOut["PublicKey"]))
				require.NoError(t, err)
				outside, err := rsa.EncryptOAEP(alg.hash(), rand.Reader, pub.(*rsa.PublicKey), []byte("from the outside"), nil)
				require.NoError(t, err)
				dec := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"KeyId": md["Arn"], "CiphertextBlob": outside, "EncryptionAlgorithm": alg.name})
				require.Equal(t, "from the outside", string(b64(t, dec["Plaintext"])))
			})
		}
	}
}

// sm2Ciphertext is the GM/T 0003.4 DER form: SEQUENCE { x, y, C3, C2 }.
type sm2Ciphertext struct {
	X, Y   *big.Int
	C3, C2 []byte
}

func TestSM2InteropBothWays(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, china, map[string]any{"KeySpec": "SM2", "KeyUsage": "ENCRYPT_DECRYPT"})
	require.Equal(t, "arn:aws-cn:kms:cn-north-1:111122223333:key/"+md["KeyId"].(string), md["Arn"])
	enc := mustCall(t, w, china, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("国密"), "EncryptionAlgorithm": "SM2PKE"})
	ct := b64(t, enc["CiphertextBlob"])
	var parsed sm2Ciphertext
	rest, err := asn1.Unmarshal(ct, &parsed)
	require.NoError(t, err)
	require.Empty(t, rest)
	require.Len(t, parsed.C3, 32)
	require.Len(t, parsed.C2, len("国密"))
	ours := keyOf(w, china, md).private.(*kmscrypto.SM2PrivateKey)
	theirs, err := sm2.NewPrivateKey(ours.D.FillBytes(make([]byte, 32))) // gmsm's key of the same D
	require.NoError(t, err)
	pt, err := sm2.Decrypt(theirs, ct)
	require.NoError(t, err)
	require.Equal(t, "国密", string(pt))

	pubOut := mustCall(t, w, china, "GetPublicKey", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, []any{"SM2PKE"}, pubOut["EncryptionAlgorithms"])
	pub, err := smx509.ParsePKIXPublicKey(b64(t, pubOut["PublicKey"]))
	require.NoError(t, err)
	outside, err := sm2.EncryptASN1(rand.Reader, pub.(*ecdsa.PublicKey), []byte("from gmsm"))
	require.NoError(t, err)
	dec := mustCall(t, w, china, "Decrypt", map[string]any{"KeyId": md["KeyId"], "CiphertextBlob": outside, "EncryptionAlgorithm": "SM2PKE"})
	require.Equal(t, "from gmsm", string(b64(t, dec["Plaintext"])))
}

func TestGetPublicKey(t *testing.T) {
	w := NewWorld(Options{})
	sym := newKey(t, w, Caller{}, map[string]any{})
	status, out := call(t, w, "GetPublicKey", map[string]any{"KeyId": sym["KeyId"]})
	requireError(t, status, out, "UnsupportedOperationException", sym["Arn"].(string)+" key spec SYMMETRIC_DEFAULT is not supported for this operation.")

	signing := newKey(t, w, Caller{}, map[string]any{"KeySpec": "ECC_NIST_P521", "KeyUsage": "SIGN_VERIFY"})
	keyOf(w, Caller{}, signing).state = stateDisabled // the public key is still answered
	pubOut := mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": signing["KeyId"]})
	require.Equal(t, []any{"ECDSA_SHA_512"}, pubOut["SigningAlgorithms"])
	require.NotContains(t, pubOut, "EncryptionAlgorithms")
	pub, err := smx509.ParsePKIXPublicKey(b64(t, pubOut["PublicKey"]))
	require.NoError(t, err)
	require.Equal(t, "P-521", pub.(*ecdsa.PublicKey).Curve.Params().Name)

	keyOf(w, Caller{}, signing).state = statePendingDeletion
	status, out = call(t, w, "GetPublicKey", map[string]any{"KeyId": signing["KeyId"]})
	requireError(t, status, out, "KMSInvalidStateException", signing["Arn"].(string)+" is pending deletion.")
}
