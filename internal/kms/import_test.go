package kms

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"hash"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// importClock is a world whose clock the test moves.
type importClock struct{ now time.Time }

func newImportWorld() (*World, *importClock) {
	clock := &importClock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	return NewWorld(Options{Now: func() time.Time { return clock.now }}), clock
}

// importParams calls GetParametersForImport and answers the wrapping public key and the token.
func importParams(t *testing.T, w *World, c Caller, keyID, algorithm, spec string) (pub any, token []byte) {
	t.Helper()
	out := mustCall(t, w, c, "GetParametersForImport", map[string]any{"KeyId": keyID, "WrappingAlgorithm": algorithm, "WrappingKeySpec": spec})
	der := b64(t, out["PublicKey"])
	var err error
	if spec == "SM2" {
		pub, err = smx509.ParsePKIXPublicKey(der)
	} else {
		pub, err = x509.ParsePKIXPublicKey(der)
	}
	require.NoError(t, err)
	return pub, b64(t, out["ImportToken"])
}

// wrapMaterial wraps key material the way a KMS client does for the wrapping algorithm.
func wrapMaterial(t *testing.T, pub any, algorithm string, material []byte) []byte {
	t.Helper()
	var (
		out []byte
		err error
	)
	switch algorithm {
	case "RSAES_OAEP_SHA_1":
		out, err = rsa.EncryptOAEP(sha1.New(), rand.Reader, pub.(*rsa.PublicKey), material, nil)
	case "RSAES_OAEP_SHA_256":
		out, err = rsa.EncryptOAEP(sha256.New(), rand.Reader, pub.(*rsa.PublicKey), material, nil)
	case "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256":
		h := kmscrypto.OAEPSHA256
		if algorithm == "RSA_AES_KEY_WRAP_SHA_1" {
			h = kmscrypto.OAEPSHA1
		}
		aesKey := make([]byte, 32)
		_, _ = rand.Read(aesKey)
		out, err = kmscrypto.RSAAESWrap(rand.Reader, pub.(*rsa.PublicKey), h, aesKey, material)
	case "SM2PKE":
		out, err = sm2.EncryptASN1(rand.Reader, pub.(*ecdsa.PublicKey), material) // smx509 parsed pub: gmsm's curve
	}
	require.NoError(t, err)
	return out
}

// importFor runs GetParametersForImport and ImportKeyMaterial; extra members go into the import.
func importFor(t *testing.T, w *World, c Caller, keyID string, material []byte, extra map[string]any) map[string]any {
	t.Helper()
	pub, token := importParams(t, w, c, keyID, "RSAES_OAEP_SHA_256", "RSA_4096")
	req := map[string]any{"KeyId": keyID, "ImportToken": token, "EncryptedKeyMaterial": wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material),
		"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}
	for k, v := range extra {
		if v == nil {
			delete(req, k)
		} else {
			req[k] = v
		}
	}
	return mustCall(t, w, c, "ImportKeyMaterial", req)
}

func importDescribe(t *testing.T, w *World, keyID string) map[string]any {
	t.Helper()
	return mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": keyID})["KeyMetadata"].(map[string]any)
}

func importRandom(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// The flow of LocalStack's test_import_key_symmetric, recorded against AWS: PendingImport until the
// import, the recorded refusals, then Enabled with the imported material; DeleteImportedKeyMaterial
// makes it PendingImport again (CurrentKeyMaterialId stays, ExpirationModel goes); reimporting the
// same material brings the key and its old blobs back.
func TestImportSymmetricKeyMaterial(t *testing.T) {
	w, clock := newImportWorld()
	md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "Description": "imported"})
	keyID, arn := md["KeyId"].(string), md["Arn"].(string)
	require.Equal(t, "PendingImport", md["KeyState"])
	require.NotContains(t, md, "CurrentKeyMaterialId")
	require.NotContains(t, md, "ExpirationModel")

	status, out := call(t, w, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("x")})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending import.")

	params := mustCall(t, w, Caller{}, "GetParametersForImport", map[string]any{"KeyId": keyID, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"})
	require.Equal(t, arn, params["KeyId"])
	require.Equal(t, float64(clock.now.Add(24*time.Hour).Unix()), params["ParametersValidTo"])
	pub, err := x509.ParsePKIXPublicKey(b64(t, params["PublicKey"]))
	require.NoError(t, err)
	require.Equal(t, 2048, pub.(*rsa.PublicKey).N.BitLen())
	material := importRandom(32)
	wrapped := wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material)
	importReq := map[string]any{"KeyId": keyID, "ImportToken": b64(t, params["ImportToken"]), "EncryptedKeyMaterial": wrapped}

	status, out = call(t, w, "ImportKeyMaterial", importReq)
	requireError(t, status, out, "ValidationException", "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES")
	require.Equal(t, "PendingImport", importDescribe(t, w, keyID)["KeyState"])

	importReq["ExpirationModel"] = "KEY_MATERIAL_DOES_NOT_EXPIRE"
	imported := mustCall(t, w, Caller{}, "ImportKeyMaterial", importReq)
	require.Equal(t, arn, imported["KeyId"])
	materialID := imported["KeyMaterialId"].(string)
	require.Regexp(t, "^[0-9a-f]{64}$", materialID)
	after := importDescribe(t, w, keyID)
	require.Equal(t, "Enabled", after["KeyState"])
	require.Equal(t, true, after["Enabled"])
	require.Equal(t, "KEY_MATERIAL_DOES_NOT_EXPIRE", after["ExpirationModel"])
	require.NotContains(t, after, "ValidTo")
	require.Equal(t, materialID, after["CurrentKeyMaterialId"])

	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("under imported material")})["CiphertextBlob"]
	require.Equal(t, "under imported material", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
	// The blob is sealed with the imported bytes: AES-256-GCM under exactly that key opens it.
	plain, err := kmscrypto.DecryptSymmetric(kmscrypto.SymmetricKey{BackingID: importedMaterialID(keyID, material), Material: material}, b64(t, blob), nil)
	require.NoError(t, err)
	require.Equal(t, "under imported material", string(plain))

	deleted := mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID})
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": materialID}, deleted)
	gone := importDescribe(t, w, keyID)
	require.Equal(t, "PendingImport", gone["KeyState"])
	require.Equal(t, materialID, gone["CurrentKeyMaterialId"])
	require.NotContains(t, gone, "ExpirationModel")
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("x")})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending import.")

	// Other material is not this key's: the default import type is EXISTING_KEY_MATERIAL now.
	pub2, token2 := importParams(t, w, Caller{}, keyID, "RSAES_OAEP_SHA_1", "RSA_3072")
	_, out = call(t, w, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token2,
		"EncryptedKeyMaterial": wrapMaterial(t, pub2, "RSAES_OAEP_SHA_1", importRandom(32)), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	require.Equal(t, "IncorrectKeyMaterialException", out["__type"], "%v", out)

	again := mustCall(t, w, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token2,
		"EncryptedKeyMaterial": wrapMaterial(t, pub2, "RSAES_OAEP_SHA_1", material), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE", "KeyMaterialId": materialID})
	require.Equal(t, materialID, again["KeyMaterialId"])
	require.Equal(t, "Enabled", importDescribe(t, w, keyID)["KeyState"])
	require.Equal(t, "under imported material", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
}

// Every RSA wrapping key size and wrapping algorithm opens what a client wrapped with it.
func TestImportWrappingAlgorithms(t *testing.T) {
	w, _ := newImportWorld()
	for _, spec := range []string{"RSA_2048", "RSA_3072", "RSA_4096"} {
		for _, algorithm := range []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"} {
			md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
			pub, token := importParams(t, w, Caller{}, md["KeyId"].(string), algorithm, spec)
			material := importRandom(32)
			mustCall(t, w, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": md["KeyId"], "ImportToken": token,
				"EncryptedKeyMaterial": wrapMaterial(t, pub, algorithm, material), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
			mac := mustCall(t, w, Caller{}, "GenerateMac", map[string]any{"KeyId": md["KeyId"], "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_256"})["Mac"]
			want := hmac.New(sha256.New, material)
			want.Write([]byte("m"))
			require.Equal(t, want.Sum(nil), b64(t, mac), "%s %s", spec, algorithm)
		}
	}
}

// SM2 wrapping keys exist in the China Regions, with SM2PKE.
func TestImportWithSM2Wrapping(t *testing.T) {
	w, _ := newImportWorld()
	cn := Caller{Region: "cn-north-1"}
	md := newKey(t, w, cn, map[string]any{"Origin": "EXTERNAL"})
	pub, token := importParams(t, w, cn, md["KeyId"].(string), "SM2PKE", "SM2")
	mustCall(t, w, cn, "ImportKeyMaterial", map[string]any{"KeyId": md["KeyId"], "ImportToken": token,
		"EncryptedKeyMaterial": wrapMaterial(t, pub, "SM2PKE", importRandom(32)), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	blob := mustCall(t, w, cn, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("sm2")})["CiphertextBlob"]
	require.Equal(t, "sm2", string(b64(t, mustCall(t, w, cn, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))

	other := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	status, out := call(t, w, "GetParametersForImport", map[string]any{"KeyId": other["KeyId"], "WrappingAlgorithm": "SM2PKE", "WrappingKeySpec": "SM2"})
	requireError(t, status, out, "ValidationException", "WrappingKeySpec SM2 is not supported in region us-east-1. SM2 keys are available only in the China Regions.")
	status, out = call(t, w, "GetParametersForImport", map[string]any{"KeyId": other["KeyId"], "WrappingAlgorithm": "SM2PKE", "WrappingKeySpec": "RSA_2048"})
	requireError(t, status, out, "ValidationException", "WrappingAlgorithm SM2PKE is not compatible with WrappingKeySpec RSA_2048.")
	status, out = call(t, w, "GetParametersForImport", map[string]any{"KeyId": other["KeyId"], "WrappingAlgorithm": "RSAES_PKCS1_V1_5", "WrappingKeySpec": "RSA_2048"})
	requireError(t, status, out, "UnsupportedOperationException", "WrappingAlgorithm RSAES_PKCS1_V1_5 is no longer supported.")
}

// Asymmetric keys take a PKCS#8 private key of their spec (LocalStack's test_import_key_ecc_keys and
// test_import_key_rsa_aes_wrap_sha256): GetPublicKey answers its public key, the key signs and
// decrypts with it, and only that key can be imported again.
func TestImportAsymmetricKeyMaterial(t *testing.T) {
	w, _ := newImportWorld()
	ecKey := func(curve elliptic.Curve) *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(curve, rand.Reader)
		require.NoError(t, err)
		return k
	}
	secp, err := kmscrypto.GenerateSecp256k1(rand.Reader)
	require.NoError(t, err)
	cases := []struct {
		spec, algorithm string
		priv            *ecdsa.PrivateKey
		hash            func() hash.Hash
		wrapping        string
	}{
		{"ECC_NIST_P256", "ECDSA_SHA_256", ecKey(elliptic.P256()), sha256.New, "RSAES_OAEP_SHA_1"},
		{"ECC_NIST_P384", "ECDSA_SHA_384", ecKey(elliptic.P384()), sha512.New384, "RSAES_OAEP_SHA_256"},
		{"ECC_NIST_P521", "ECDSA_SHA_512", ecKey(elliptic.P521()), sha512.New, "RSA_AES_KEY_WRAP_SHA_256"},
		{"ECC_SECG_P256K1", "ECDSA_SHA_256", secp, sha256.New, "RSAES_OAEP_SHA_1"},
	}
	for _, c := range cases {
		md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": c.spec, "KeyUsage": "SIGN_VERIFY"})
		keyID := md["KeyId"].(string)
		require.Equal(t, "PendingImport", md["KeyState"])
		der, err := kmscrypto.MarshalPKCS8(c.priv)
		require.NoError(t, err)
		pub, token := importParams(t, w, Caller{}, keyID, c.wrapping, "RSA_4096")
		out := mustCall(t, w, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token,
			"EncryptedKeyMaterial": wrapMaterial(t, pub, c.wrapping, der), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
		require.Equal(t, map[string]any{"KeyId": md["Arn"]}, out, c.spec)
		after := importDescribe(t, w, keyID)
		require.Equal(t, "Enabled", after["KeyState"])
		require.Equal(t, "KEY_MATERIAL_DOES_NOT_EXPIRE", after["ExpirationModel"])
		require.NotContains(t, after, "CurrentKeyMaterialId")

		spki, err := kmscrypto.MarshalSPKI(&c.priv.PublicKey)
		require.NoError(t, err)
		require.Equal(t, spki, b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": keyID})["PublicKey"]))
		message := []byte("imported signing key")
		sig := b64(t, mustCall(t, w, Caller{}, "Sign", map[string]any{"KeyId": keyID, "Message": message, "SigningAlgorithm": c.algorithm})["Signature"])
		h := c.hash()
		h.Write(message)
		require.True(t, kmscrypto.Verify(&c.priv.PublicKey, c.algorithm, "DIGEST", h.Sum(nil), sig), c.spec)

		// Another key of the same spec is not this key's material.
		otherDER, err := kmscrypto.MarshalPKCS8(ecKey(elliptic.P256()))
		require.NoError(t, err)
		if c.spec != "ECC_NIST_P256" {
			status, out := call(t, w, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token,
				"EncryptedKeyMaterial": wrapMaterial(t, pub, c.wrapping, otherDER), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
			requireError(t, status, out, "IncorrectKeyMaterialException", "The key material must be a DER-encoded PKCS #8 private key of key spec "+c.spec+".")
		}
		mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID})
		gone := importDescribe(t, w, keyID)
		require.Equal(t, "PendingImport", gone["KeyState"])
		require.NotContains(t, gone, "ExpirationModel")
		status, out := call(t, w, "GetPublicKey", map[string]any{"KeyId": keyID})
		requireError(t, status, out, "KMSInvalidStateException", md["Arn"].(string)+" is pending import.")
		if c.spec == "ECC_NIST_P256" {
			otherDER, err = kmscrypto.MarshalPKCS8(ecKey(elliptic.P256()))
			require.NoError(t, err)
			status, out := call(t, w, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token,
				"EncryptedKeyMaterial": wrapMaterial(t, pub, c.wrapping, otherDER), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
			requireError(t, status, out, "IncorrectKeyMaterialException", "The key material is not the key material previously imported into "+md["Arn"].(string)+".")
		}
		mustCall(t, w, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token,
			"EncryptedKeyMaterial": wrapMaterial(t, pub, c.wrapping, der), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
		require.Equal(t, "Enabled", importDescribe(t, w, keyID)["KeyState"])
	}

	// An RSA private key needs an RSA_AES wrapping algorithm; KMS decrypts what the client encrypts.
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	require.NoError(t, err)
	md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	pub, token := importParams(t, w, Caller{}, md["KeyId"].(string), "RSA_AES_KEY_WRAP_SHA_1", "RSA_3072")
	mustCall(t, w, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": md["KeyId"], "ImportToken": token,
		"EncryptedKeyMaterial": wrapMaterial(t, pub, "RSA_AES_KEY_WRAP_SHA_1", der), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &rsaKey.PublicKey, []byte("to the imported key"), nil)
	require.NoError(t, err)
	out := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"KeyId": md["KeyId"], "CiphertextBlob": ct, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	require.Equal(t, "to the imported key", string(b64(t, out["Plaintext"])))
	// An RSA key of another size is not RSA_2048 material.
	small, err := rsa.GenerateKey(rand.Reader, 3072)
	require.NoError(t, err)
	smallDER, err := x509.MarshalPKCS8PrivateKey(small)
	require.NoError(t, err)
	other := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})
	pub, token = importParams(t, w, Caller{}, other["KeyId"].(string), "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048")
	status, errOut := call(t, w, "ImportKeyMaterial", map[string]any{"KeyId": other["KeyId"], "ImportToken": token,
		"EncryptedKeyMaterial": wrapMaterial(t, pub, "RSA_AES_KEY_WRAP_SHA_256", smallDER), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	requireError(t, status, errOut, "IncorrectKeyMaterialException", "The key material must be a DER-encoded PKCS #8 private key of key spec RSA_2048.")
}

// HMAC key material is as long as the Developer Guide allows per key spec; the MAC is HMAC with it.
func TestImportHMACKeyMaterialSizes(t *testing.T) {
	w, _ := newImportWorld()
	for spec, sizes := range hmacImportSizes {
		for _, n := range []int{sizes[0] - 1, sizes[0], sizes[1], sizes[1] + 1} {
			md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": spec, "KeyUsage": "GENERATE_VERIFY_MAC"})
			pub, token := importParams(t, w, Caller{}, md["KeyId"].(string), "RSAES_OAEP_SHA_256", "RSA_4096")
			material := importRandom(n)
			status, out := call(t, w, "ImportKeyMaterial", map[string]any{"KeyId": md["KeyId"], "ImportToken": token,
				"EncryptedKeyMaterial": wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
			if n < sizes[0] || n > sizes[1] {
				requireError(t, status, out, "IncorrectKeyMaterialException", "The key material for key spec "+spec+" must be "+itoa(sizes[0])+" to "+itoa(sizes[1])+" bytes long.")
				continue
			}
			require.Equal(t, 200, status, "%s %d: %v", spec, n, out)
			alg := "HMAC_SHA_" + spec[len("HMAC_"):]
			mac := b64(t, mustCall(t, w, Caller{}, "GenerateMac", map[string]any{"KeyId": md["KeyId"], "Message": []byte("m"), "MacAlgorithm": alg})["Mac"])
			want, err := kmscrypto.MAC(alg, material, []byte("m"))
			require.NoError(t, err)
			require.Equal(t, want, mac)
		}
	}
}

// Tokens belong to their key and live 24 hours; material that does not open is
// InvalidCiphertextException; the import options of symmetric keys are refused elsewhere.
func TestImportRefusals(t *testing.T) {
	w, clock := newImportWorld()
	a := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	b := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	aws := newKey(t, w, Caller{}, map[string]any{})
	pubA, tokenA := importParams(t, w, Caller{}, a["KeyId"].(string), "RSAES_OAEP_SHA_256", "RSA_2048")
	material := importRandom(32)
	req := func(keyID any, token []byte, wrapped []byte) map[string]any {
		return map[string]any{"KeyId": keyID, "ImportToken": token, "EncryptedKeyMaterial": wrapped, "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}
	}
	wrapped := wrapMaterial(t, pubA, "RSAES_OAEP_SHA_256", material)

	status, out := call(t, w, "GetParametersForImport", map[string]any{"KeyId": aws["KeyId"], "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"})
	requireError(t, status, out, "UnsupportedOperationException", aws["Arn"].(string)+" origin is AWS_KMS which is not valid for this operation.")
	status, out = call(t, w, "ImportKeyMaterial", req(aws["KeyId"], tokenA, wrapped))
	requireError(t, status, out, "UnsupportedOperationException", aws["Arn"].(string)+" origin is AWS_KMS which is not valid for this operation.")
	status, out = call(t, w, "DeleteImportedKeyMaterial", map[string]any{"KeyId": aws["KeyId"]})
	requireError(t, status, out, "UnsupportedOperationException", aws["Arn"].(string)+" origin is AWS_KMS which is not valid for this operation.")

	status, out = call(t, w, "ImportKeyMaterial", req(b["KeyId"], tokenA, wrapped))
	requireError(t, status, out, "InvalidImportTokenException", "The import token is invalid or is associated with a different KMS key.")
	status, out = call(t, w, "ImportKeyMaterial", req(a["KeyId"], importRandom(64), wrapped))
	requireError(t, status, out, "InvalidImportTokenException", "The import token is invalid or is associated with a different KMS key.")
	status, out = call(t, w, "ImportKeyMaterial", req(a["KeyId"], tokenA, importRandom(256)))
	requireError(t, status, out, "InvalidCiphertextException", "")
	status, out = call(t, w, "ImportKeyMaterial", req(a["KeyId"], tokenA, wrapMaterial(t, pubA, "RSAES_OAEP_SHA_256", importRandom(16))))
	requireError(t, status, out, "IncorrectKeyMaterialException", "The key material must be a 256-bit (32-byte) symmetric key, not 16 bytes.")
	withID := req(a["KeyId"], tokenA, wrapped)
	withID["ImportType"], withID["KeyMaterialId"] = "NEW_KEY_MATERIAL", hex.EncodeToString(make([]byte, 32))
	status, out = call(t, w, "ImportKeyMaterial", withID)
	requireError(t, status, out, "ValidationException", "You cannot specify a KeyMaterialId when the ImportType is NEW_KEY_MATERIAL.")
	wrongID := req(a["KeyId"], tokenA, wrapped)
	wrongID["ImportType"], wrongID["KeyMaterialId"] = "EXISTING_KEY_MATERIAL", hex.EncodeToString(make([]byte, 32))
	status, out = call(t, w, "ImportKeyMaterial", wrongID)
	requireError(t, status, out, "IncorrectKeyMaterialException", "The key material does not match the KeyMaterialId "+hex.EncodeToString(make([]byte, 32))+".")
	existing := req(a["KeyId"], tokenA, wrapped)
	existing["ImportType"] = "EXISTING_KEY_MATERIAL"
	status, out = call(t, w, "ImportKeyMaterial", existing)
	requireError(t, status, out, "IncorrectKeyMaterialException", "The key material is not associated with KMS key "+a["Arn"].(string)+". To import new key material, set ImportType to NEW_KEY_MATERIAL.")

	// ExpirationModel and ValidTo.
	expiring := req(a["KeyId"], tokenA, wrapped)
	expiring["ValidTo"] = float64(clock.now.Add(time.Hour).Unix())
	status, out = call(t, w, "ImportKeyMaterial", expiring)
	requireError(t, status, out, "ValidationException", "A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE")
	for _, validTo := range []time.Time{clock.now.Add(-time.Second), clock.now.Add(366 * 24 * time.Hour)} {
		expiring["ExpirationModel"], expiring["ValidTo"] = "KEY_MATERIAL_EXPIRES", float64(validTo.Unix())
		status, out = call(t, w, "ImportKeyMaterial", expiring)
		requireError(t, status, out, "ValidationException", "The validTo date must be in the future and at most 365 days from now.")
	}

	// HMAC and asymmetric keys take no symmetric-only options.
	hmacKey := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	hmacReq := req(hmacKey["KeyId"], tokenA, wrapped)
	hmacReq["ImportType"] = "NEW_KEY_MATERIAL"
	status, out = call(t, w, "ImportKeyMaterial", hmacReq)
	requireError(t, status, out, "ValidationException", "ImportType is only valid for symmetric encryption KMS keys.")
	status, out = call(t, w, "DeleteImportedKeyMaterial", map[string]any{"KeyId": hmacKey["KeyId"], "KeyMaterialId": hex.EncodeToString(make([]byte, 32))})
	requireError(t, status, out, "ValidationException", "KeyMaterialId is only valid for symmetric encryption KMS keys.")

	// A key ID or key ARN of the caller's account only; aliases are not accepted.
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/ext", "TargetKeyId": a["KeyId"]})
	status, out = call(t, w, "GetParametersForImport", map[string]any{"KeyId": "alias/ext", "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"})
	requireError(t, status, out, "NotFoundException", "Invalid keyId 'alias/ext'")
	_, out = callAs(t, w, Caller{Account: "444455556666"}, "GetParametersForImport", map[string]any{"KeyId": a["Arn"], "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"})
	require.Equal(t, "AccessDeniedException", out["__type"], "%v", out)
	status, out = call(t, w, "GetParametersForImport", map[string]any{"KeyId": a["KeyId"]})
	requireError(t, status, out, "ValidationException", "2 validation errors detected: Value null at 'wrappingAlgorithm' failed to satisfy constraint: Member must not be null; Value null at 'wrappingKeySpec' failed to satisfy constraint: Member must not be null")

	// The token expires after 24 hours; a fresh one works.
	clock.now = clock.now.Add(24 * time.Hour)
	status, out = call(t, w, "ImportKeyMaterial", req(a["KeyId"], tokenA, wrapped))
	requireError(t, status, out, "ExpiredImportTokenException", "The import token has expired. Use GetParametersForImport to get a new import token and public key.")
	importFor(t, w, Caller{}, a["KeyId"].(string), material, nil)
	require.Equal(t, "Enabled", importDescribe(t, w, a["KeyId"].(string))["KeyState"])

	// Disabled and pending-deletion keys take no import; a key pending deletion loses its material
	// and stays pending deletion, and cancelling the deletion leaves it PendingImport.
	mustCall(t, w, Caller{}, "DisableKey", map[string]any{"KeyId": a["KeyId"]})
	pub, token := importParams(t, w, Caller{}, a["KeyId"].(string), "RSAES_OAEP_SHA_256", "RSA_2048")
	status, out = call(t, w, "ImportKeyMaterial", req(a["KeyId"], token, wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material)))
	requireError(t, status, out, "KMSInvalidStateException", a["Arn"].(string)+" is disabled.")
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": a["KeyId"], "PendingWindowInDays": 7})
	status, out = call(t, w, "GetParametersForImport", map[string]any{"KeyId": a["KeyId"], "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"})
	requireError(t, status, out, "KMSInvalidStateException", a["Arn"].(string)+" is pending deletion.")
	mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": a["KeyId"]})
	require.Equal(t, "PendingDeletion", importDescribe(t, w, a["KeyId"].(string))["KeyState"])
	mustCall(t, w, Caller{}, "CancelKeyDeletion", map[string]any{"KeyId": a["KeyId"]})
	require.Equal(t, "PendingImport", importDescribe(t, w, a["KeyId"].(string))["KeyState"])
	// A key that never had material: nothing to delete, and it stays PendingImport.
	require.Equal(t, map[string]any{"KeyId": b["Arn"]}, mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": b["KeyId"]}))
	require.Equal(t, "PendingImport", importDescribe(t, w, b["KeyId"].(string))["KeyState"])
}

// Material with ValidTo expires on the world's clock: KMS deletes it, the key is PendingImport.
func TestImportedMaterialExpires(t *testing.T) {
	w, clock := newImportWorld()
	sym := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	mac := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": "HMAC_512", "KeyUsage": "GENERATE_VERIFY_MAC"})
	validTo := clock.now.Add(2 * time.Hour)
	expiring := map[string]any{"ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": float64(validTo.Unix())}
	material := importRandom(32)
	importFor(t, w, Caller{}, sym["KeyId"].(string), material, expiring)
	importFor(t, w, Caller{}, mac["KeyId"].(string), importRandom(64), map[string]any{"ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": float64(clock.now.Add(time.Hour).Unix())})
	md := importDescribe(t, w, sym["KeyId"].(string))
	require.Equal(t, "KEY_MATERIAL_EXPIRES", md["ExpirationModel"])
	require.Equal(t, float64(validTo.Unix()), md["ValidTo"])
	all := mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": sym["KeyId"], "IncludeKeyMaterial": "ALL_KEY_MATERIAL"})["Rotations"].([]any)
	require.Len(t, all, 1)
	require.Equal(t, "IMPORTED", all[0].(map[string]any)["ImportState"])
	require.Equal(t, "KEY_MATERIAL_EXPIRES", all[0].(map[string]any)["ExpirationModel"])
	require.Equal(t, float64(validTo.Unix()), all[0].(map[string]any)["ValidTo"])

	clock.now = clock.now.Add(time.Hour)
	require.Equal(t, "PendingImport", importDescribe(t, w, mac["KeyId"].(string))["KeyState"])
	require.Equal(t, "Enabled", importDescribe(t, w, sym["KeyId"].(string))["KeyState"])
	clock.now = validTo
	gone := importDescribe(t, w, sym["KeyId"].(string))
	require.Equal(t, "PendingImport", gone["KeyState"])
	require.NotContains(t, gone, "ExpirationModel")
	require.NotContains(t, gone, "ValidTo")
	// Reimporting the same material, now without expiry, brings the key back.
	importFor(t, w, Caller{}, sym["KeyId"].(string), material, nil)
	require.Equal(t, "KEY_MATERIAL_DOES_NOT_EXPIRE", importDescribe(t, w, sym["KeyId"].(string))["ExpirationModel"])
	clock.now = clock.now.Add(400 * 24 * time.Hour)
	require.Equal(t, "Enabled", importDescribe(t, w, sym["KeyId"].(string))["KeyState"])
}

// New symmetric material waits (PENDING_ROTATION) until RotateKeyOnDemand makes it current, one at a
// time; older blobs keep decrypting (LocalStack's recordings of AWS:
// test_rotate_key_on_demand_updates_current_key_material_for_external_keys,
// test_import_key_material_raises_if_there_is_already_key_material_pending,
// test_rotate_key_on_demand_raises_for_no_pending_key_material,
// test_rotate_key_on_demand_on_external_key_with_no_key_material).
func TestImportNewMaterialAndRotate(t *testing.T) {
	w, clock := newImportWorld()
	md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	keyID, arn := md["KeyId"].(string), md["Arn"].(string)
	status, out := call(t, w, "RotateKeyOnDemand", map[string]any{"KeyId": keyID})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending import.")

	firstMaterial, secondMaterial := importRandom(32), importRandom(32)
	first := importFor(t, w, Caller{}, keyID, firstMaterial, nil)["KeyMaterialId"].(string)
	status, out = call(t, w, "RotateKeyOnDemand", map[string]any{"KeyId": keyID})
	requireError(t, status, out, "KMSInvalidStateException", "No available key material pending rotation for the key: "+arn+".")
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("first")})["CiphertextBlob"]

	second := importFor(t, w, Caller{}, keyID, secondMaterial, map[string]any{"ImportType": "NEW_KEY_MATERIAL", "KeyMaterialDescription": "second one"})["KeyMaterialId"].(string)
	require.NotEqual(t, first, second)
	require.Equal(t, first, importDescribe(t, w, keyID)["CurrentKeyMaterialId"])
	all := mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": keyID, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"})["Rotations"].([]any)
	require.Len(t, all, 2)
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": first, "KeyMaterialState": "CURRENT", "ImportState": "IMPORTED",
		"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}, all[0])
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": second, "KeyMaterialState": "PENDING_ROTATION", "ImportState": "IMPORTED",
		"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE", "KeyMaterialDescription": "second one"}, all[1])
	require.Empty(t, mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": keyID})["Rotations"])

	third := importRandom(32)
	pub, token := importParams(t, w, Caller{}, keyID, "RSAES_OAEP_SHA_256", "RSA_2048")
	newImport := func(material []byte) (int, map[string]any) {
		return call(t, w, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token, "ImportType": "NEW_KEY_MATERIAL",
			"EncryptedKeyMaterial": wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	}
	status, out = newImport(third)
	thirdID := importedMaterialID(keyID, third)
	requireError(t, status, out, "KMSInvalidStateException", "New key material (id: "+hex.EncodeToString(thirdID[:])+") cannot be imported into KMS key "+arn+", because another key material (id: "+second+") is pending rotation.")
	status, out = newImport(firstMaterial)
	requireError(t, status, out, "IncorrectKeyMaterialException", "Key material (id: "+first+") is already associated with KMS key "+arn+". To reimport it, set ImportType to EXISTING_KEY_MATERIAL.")

	clock.now = clock.now.Add(time.Minute)
	require.Equal(t, map[string]any{"KeyId": arn}, mustCall(t, w, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": keyID}))
	require.Equal(t, second, importDescribe(t, w, keyID)["CurrentKeyMaterialId"])
	rotations := mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": keyID})["Rotations"].([]any)
	require.Len(t, rotations, 1)
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": second, "KeyMaterialState": "CURRENT", "ImportState": "IMPORTED",
		"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE", "KeyMaterialDescription": "second one", "RotationType": "ON_DEMAND",
		"RotationDate": float64(clock.now.Unix())}, rotations[0])
	newBlob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("second")})["CiphertextBlob"]
	require.Equal(t, "first", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
	require.Equal(t, "second", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": newBlob})["Plaintext"])))

	// Material pending rotation that is deleted goes altogether, and the key stays usable.
	status, out = newImport(third)
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": hex.EncodeToString(thirdID[:])},
		mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID, "KeyMaterialId": hex.EncodeToString(thirdID[:])}))
	require.Equal(t, "Enabled", importDescribe(t, w, keyID)["KeyState"])
	require.Len(t, mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": keyID, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"})["Rotations"], 2)
	status, out = call(t, w, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID, "KeyMaterialId": hex.EncodeToString(thirdID[:])})
	requireError(t, status, out, "NotFoundException", "Key material "+hex.EncodeToString(thirdID[:])+" is not associated with "+arn+".")

	// Deleting the non-current material makes the key PendingImport until that material is back.
	mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID, "KeyMaterialId": first})
	require.Equal(t, "PendingImport", importDescribe(t, w, keyID)["KeyState"])
	require.Equal(t, second, importDescribe(t, w, keyID)["CurrentKeyMaterialId"])
	listed := mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": keyID, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"})["Rotations"].([]any)
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": first, "KeyMaterialState": "NON_CURRENT", "ImportState": "PENDING_IMPORT"}, listed[0])
	require.Equal(t, "IMPORTED", listed[1].(map[string]any)["ImportState"])
	status, out = call(t, w, "Decrypt", map[string]any{"CiphertextBlob": newBlob})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending import.")
	importFor(t, w, Caller{}, keyID, firstMaterial, map[string]any{"KeyMaterialId": first})
	require.Equal(t, "Enabled", importDescribe(t, w, keyID)["KeyState"])
	require.Equal(t, "first", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
}

// Imports survive WasmKMS.ExportState/ImportState: material, deleted material, material pending
// rotation, outstanding import parameters and expiry; a state that contradicts itself is refused.
func TestImportStateRoundTrip(t *testing.T) {
	w, clock := newImportWorld()
	sym := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	symID := sym["KeyId"].(string)
	material := importRandom(32)
	importFor(t, w, Caller{}, symID, material, nil)
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": symID, "Plaintext": []byte("kept")})["CiphertextBlob"]
	importFor(t, w, Caller{}, symID, importRandom(32), map[string]any{"ImportType": "NEW_KEY_MATERIAL", "KeyMaterialDescription": "next"})
	ec := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	require.NoError(t, err)
	importFor(t, w, Caller{}, ec["KeyId"].(string), der, map[string]any{"ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": float64(clock.now.Add(48 * time.Hour).Unix())})
	gone := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": "HMAC_224", "KeyUsage": "GENERATE_VERIFY_MAC"})
	importFor(t, w, Caller{}, gone["KeyId"].(string), importRandom(40), nil)
	mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": gone["KeyId"]})
	pub, token := importParams(t, w, Caller{}, gone["KeyId"].(string), "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048")

	status, state := w.Handle(Caller{}, "WasmKMS.ExportState", nil)
	require.Equal(t, 200, status, string(state))
	w2 := NewWorld(Options{Now: func() time.Time { return clock.now }})
	status, resp := w2.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(resp))
	_, state2 := w2.Handle(Caller{}, "WasmKMS.ExportState", nil)
	require.JSONEq(t, string(state), string(state2))

	require.Equal(t, "kept", string(b64(t, mustCall(t, w2, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
	mustCall(t, w2, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": symID})
	require.Equal(t, "KEY_MATERIAL_EXPIRES", importDescribe(t, w2, ec["KeyId"].(string))["ExpirationModel"])
	mustCall(t, w2, Caller{}, "Sign", map[string]any{"KeyId": ec["KeyId"], "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"})
	// The outstanding token works in the new world; other material than the deleted one does not.
	status, out := callAs(t, w2, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": gone["KeyId"], "ImportToken": token,
		"EncryptedKeyMaterial": wrapMaterial(t, pub, "RSA_AES_KEY_WRAP_SHA_256", importRandom(40)), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	require.Equal(t, "IncorrectKeyMaterialException", out["__type"], "%d %v", status, out)
	// The expiry is on the new world's clock too.
	clock.now = clock.now.Add(48 * time.Hour)
	require.Equal(t, "PendingImport", importDescribe(t, w2, ec["KeyId"].(string))["KeyState"])

	// Contradictions are refused and change nothing.
	var doc map[string]any
	require.NoError(t, json.Unmarshal(state, &doc))
	keys := doc["regions"].([]any)[0].(map[string]any)["keys"].([]any)
	for _, tamper := range []func(k map[string]any){
		func(k map[string]any) { k["keyState"] = "PendingImport" },
		func(k map[string]any) { k["imports"].(map[string]any)["materials"] = map[string]any{} },
		func(k map[string]any) { k["origin"] = "AWS_KMS" },
		func(k map[string]any) {
			k["symmetricMaterial"].([]any)[0].(map[string]any)["material"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
		},
		func(k map[string]any) {
			k["imports"].(map[string]any)["pendingMaterial"].(map[string]any)["rotationType"] = "ON_DEMAND"
		},
	} {
		var copyDoc map[string]any
		require.NoError(t, json.Unmarshal(state, &copyDoc))
		ckeys := copyDoc["regions"].([]any)[0].(map[string]any)["keys"].([]any)
		for i, k := range keys {
			if k.(map[string]any)["keyId"] == symID {
				tamper(ckeys[i].(map[string]any))
			}
		}
		bad, err := json.Marshal(copyDoc)
		require.NoError(t, err)
		w3 := NewWorld(Options{})
		before := newKey(t, w3, Caller{}, map[string]any{})
		status, resp := w3.Handle(Caller{}, "WasmKMS.ImportState", bad)
		require.Equal(t, 400, status, string(resp))
		require.Equal(t, "Enabled", importDescribe(t, w3, before["KeyId"].(string))["KeyState"])
	}
	for _, k := range keys {
		if k.(map[string]any)["keyId"] == ec["KeyId"] {
			k.(map[string]any)["imports"].(map[string]any)["materialDigest"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
		}
	}
	bad, err := json.Marshal(doc)
	require.NoError(t, err)
	status, resp = NewWorld(Options{}).Handle(Caller{}, "WasmKMS.ImportState", bad)
	require.Equal(t, 400, status, string(resp))
}
