package kms

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"hash"
	"testing"

	"github.com/stretchr/testify/require"
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// The tests of LocalStack's tests/aws/services/kms/test_kms.py that LocalStack validated against AWS
// (test_kms.validation.json) and that need a client's own cryptography: material wrapped with the
// import public key, a signature checked outside KMS, a key pair made outside KMS, a blob cut or
// extended. Each subtest makes the test's requests and holds the answers to AWS's, as LocalStack's
// snapshot (test_kms.snapshot.json) recorded them. The rest of the validated tests are conformance
// scenarios (testdata/conformance/270-278), which every host runs.

// wantMetadata holds a KeyMetadata to AWS's: exactly the members of want, CreationDate a number,
// CurrentKeyMaterialId (when wanted as "") 64 hex digits.
func wantMetadata(t *testing.T, got map[string]any, want map[string]any) {
	t.Helper()
	require.IsType(t, float64(0), got["CreationDate"])
	want["CreationDate"] = got["CreationDate"]
	if id, ok := want["CurrentKeyMaterialId"]; ok && id == "" {
		require.Regexp(t, "^[0-9a-f]{64}$", got["CurrentKeyMaterialId"])
		want["CurrentKeyMaterialId"] = got["CurrentKeyMaterialId"]
	}
	require.Equal(t, want, got)
}

// externalMetadata is an EXTERNAL key's metadata as AWS answers it before an import: PendingImport,
// disabled; algorithms holds the usage's member (EncryptionAlgorithms, SigningAlgorithms, ...).
func externalMetadata(md map[string]any, spec, usage, description string, algorithms map[string]any) map[string]any {
	m := map[string]any{
		"AWSAccountId": "111122223333", "Arn": md["Arn"], "CustomerMasterKeySpec": spec, "Description": description,
		"Enabled": false, "KeyId": md["KeyId"], "KeyManager": "CUSTOMER", "KeySpec": spec, "KeyState": "PendingImport",
		"KeyUsage": usage, "MultiRegion": false, "Origin": "EXTERNAL",
	}
	for k, v := range algorithms {
		m[k] = v
	}
	return m
}

// imported is the metadata after an import that does not expire: Enabled, with ExpirationModel.
func imported(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	out["Enabled"], out["KeyState"], out["ExpirationModel"] = true, "Enabled", "KEY_MATERIAL_DOES_NOT_EXPIRE"
	return out
}

func withMember(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

// pkcs8 and spki encode a key as a client does (kmscrypto's encoders, held to crypto/x509's by their
// tests, also know secp256k1).
func pkcs8(t *testing.T, key any) []byte {
	t.Helper()
	der, err := kmscrypto.MarshalPKCS8(key)
	require.NoError(t, err)
	return der
}

func spki(t *testing.T, key any) []byte {
	t.Helper()
	der, err := kmscrypto.MarshalSPKI(key)
	require.NoError(t, err)
	return der
}

// test_verify_salt_length: signatures of RAW messages and of digests verify outside KMS with the
// public key (RSASSA-PSS with a salt as long as the hash).
func TestLocalStackVerifySaltLength(t *testing.T) {
	w := NewWorld(Options{})
	plaintext := []byte("test message !%$@ 1234567890")
	for _, tc := range [][2]string{
		{"RSA_2048", "RSASSA_PSS_SHA_256"}, {"RSA_2048", "RSASSA_PSS_SHA_384"}, {"RSA_2048", "RSASSA_PSS_SHA_512"},
		{"RSA_4096", "RSASSA_PKCS1_V1_5_SHA_256"}, {"RSA_4096", "RSASSA_PKCS1_V1_5_SHA_512"},
		{"ECC_NIST_P256", "ECDSA_SHA_256"}, {"ECC_NIST_P384", "ECDSA_SHA_384"}, {"ECC_SECG_P256K1", "ECDSA_SHA_256"},
	} {
		spec, alg := tc[0], tc[1]
		t.Run(spec+"-"+alg, func(t *testing.T) {
			keyID := newKey(t, w, Caller{}, map[string]any{"KeyUsage": "SIGN_VERIFY", "KeySpec": spec})["KeyId"]
			pub := b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": keyID})["PublicKey"])
			for _, messageType := range []string{"RAW", "DIGEST"} {
				message := plaintext
				if messageType == "DIGEST" {
					message = digestOf(alg, plaintext)
				}
				sig := mustCall(t, w, Caller{}, "Sign", map[string]any{"KeyId": keyID, "SigningAlgorithm": alg, "MessageType": messageType, "Message": message})["Signature"]
				require.True(t, independentVerify(t, pub, spec, alg, plaintext, b64(t, sig)), messageType)
			}
		})
	}
}

// test_key_rotations_encryption_decryption's last step, and test_encrypt_decrypt_encryption_context's:
// a blob with bytes appended, or with its first 64 bytes (LocalStack's HEADER_LEN) cut, is refused
// with InvalidCiphertextException and no message.
func TestLocalStackBadCiphertext(t *testing.T) {
	w := NewWorld(Options{})
	keyID := newKey(t, w, Caller{}, map[string]any{"KeyUsage": "ENCRYPT_DECRYPT", "KeySpec": "SYMMETRIC_DEFAULT"})["KeyId"]
	ctx := map[string]string{"context-key": "context-value"}
	blob := b64(t, mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("dGVzdCBtZXNzYWdl"), "EncryptionContext": ctx})["CiphertextBlob"])
	mustCall(t, w, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": keyID})
	for name, bad := range map[string]map[string]any{
		"bad-ciphertext": {"KeyId": keyID, "CiphertextBlob": append(append([]byte(nil), blob...), "bad_data"...), "EncryptionAlgorithm": "SYMMETRIC_DEFAULT", "EncryptionContext": ctx},
		"decrypt_response_with_invalid_ciphertext": {"KeyId": keyID, "CiphertextBlob": blob[64:], "EncryptionAlgorithm": "SYMMETRIC_DEFAULT", "EncryptionContext": ctx},
	} {
		t.Run(name, func(t *testing.T) {
			status, out := call(t, w, "Decrypt", bad)
			requireError(t, status, out, "InvalidCiphertextException", "")
		})
	}
}

// test_derive_shared_secret_matches_openssl: the secret KMS derives with a public key made outside
// KMS is the one the other side computes (the raw ECDH X coordinate).
func TestLocalStackDeriveSharedSecretMatchesOpenSSL(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"})
	kmsPub, err := x509.ParsePKIXPublicKey(b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": md["KeyId"]})["PublicKey"]))
	require.NoError(t, err)
	local, err := ecdh.P256().GenerateKey(rand.Reader)
	require.NoError(t, err)
	peer, err := kmsPub.(*ecdsa.PublicKey).ECDH()
	require.NoError(t, err)
	localSecret, err := local.ECDH(peer)
	require.NoError(t, err)
	localSPKI, err := x509.MarshalPKIXPublicKey(local.PublicKey())
	require.NoError(t, err)
	out := mustCall(t, w, Caller{}, "DeriveSharedSecret", map[string]any{"KeyId": md["KeyId"], "KeyAgreementAlgorithm": "ECDH", "PublicKey": localSPKI})
	require.Equal(t, localSecret, b64(t, out["SharedSecret"]))
	delete(out, "SharedSecret")
	require.Equal(t, map[string]any{"KeyAgreementAlgorithm": "ECDH", "KeyId": md["Arn"], "KeyOrigin": "AWS_KMS"}, out) // derived-shared-key-resp
}

// test_import_key_symmetric.
func TestLocalStackImportKeySymmetric(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "Description": "test description - 1f2e"})
	keyID, arn := md["KeyId"].(string), md["Arn"].(string)
	before := externalMetadata(md, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "test description - 1f2e", map[string]any{"EncryptionAlgorithms": []any{"SYMMETRIC_DEFAULT"}})
	wantMetadata(t, md, before) // created-key
	plaintext := []byte("test content 123 !#")
	status, out := call(t, w, "Encrypt", map[string]any{"Plaintext": plaintext, "KeyId": keyID})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending import.") // encrypt-before-import-error

	params := mustCall(t, w, Caller{}, "GetParametersForImport", map[string]any{"KeyId": keyID, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"})
	require.Equal(t, arn, params["KeyId"])
	require.IsType(t, float64(0), params["ParametersValidTo"])
	pub, err := x509.ParsePKIXPublicKey(b64(t, params["PublicKey"]))
	require.NoError(t, err)
	wrapped := wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", importRandom(32))
	wantMetadata(t, importDescribe(t, w, keyID), before) // describe-key-before-import

	req := map[string]any{"KeyId": keyID, "ImportToken": b64(t, params["ImportToken"]), "EncryptedKeyMaterial": wrapped}
	status, out = call(t, w, "ImportKeyMaterial", req)
	requireError(t, status, out, "ValidationException", "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES") // import-expiring-key-without-valid-to
	req["ExpirationModel"] = "KEY_MATERIAL_DOES_NOT_EXPIRE"
	mustCall(t, w, Caller{}, "ImportKeyMaterial", req)
	after := withMember(imported(before), "CurrentKeyMaterialId", "")
	wantMetadata(t, importDescribe(t, w, keyID), after) // describe-key-after-import

	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"Plaintext": plaintext, "KeyId": keyID})["CiphertextBlob"]
	require.Equal(t, plaintext, b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob, "KeyId": keyID})["Plaintext"]))

	mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID})
	wantMetadata(t, importDescribe(t, w, keyID), withMember(before, "CurrentKeyMaterialId", "")) // describe-key-after-deleted-import
	status, out = call(t, w, "Encrypt", map[string]any{"Plaintext": plaintext, "KeyId": keyID})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending import.") // encrypt-after-delete-error
}

// test_import_key_asymmetric and test_import_key_ecc_keys: a PKCS#8 private key imported into an
// EXTERNAL signing key; GetPublicKey answers its public key; Sign and Verify work.
func TestLocalStackImportKeyECC(t *testing.T) {
	type eccCase struct {
		name, spec, signing, wrapSpec, wrapAlg string
		private                                any
		public                                 any
	}
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p256b, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	k1, err := kmscrypto.GenerateSecp256k1(rand.Reader)
	require.NoError(t, err)
	cases := []eccCase{
		{"test_import_key_asymmetric", "ECC_NIST_P256", "ECDSA_SHA_256", "RSA_2048", "RSAES_OAEP_SHA_256", p256, &p256.PublicKey},
		{"test_import_key_ecc_keys[ECC_NIST_P256]", "ECC_NIST_P256", "ECDSA_SHA_256", "RSA_2048", "RSAES_OAEP_SHA_1", p256b, &p256b.PublicKey},
		{"test_import_key_ecc_keys[ECC_NIST_P384]", "ECC_NIST_P384", "ECDSA_SHA_384", "RSA_2048", "RSAES_OAEP_SHA_1", p384, &p384.PublicKey},
		{"test_import_key_ecc_keys[ECC_NIST_P521]", "ECC_NIST_P521", "ECDSA_SHA_512", "RSA_4096", "RSAES_OAEP_SHA_256", p521, &p521.PublicKey},
		{"test_import_key_ecc_keys[ECC_SECG_P256K1]", "ECC_SECG_P256K1", "ECDSA_SHA_256", "RSA_2048", "RSAES_OAEP_SHA_1", k1, &k1.PublicKey},
	}
	w := NewWorld(Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			description := "test ecc key import"
			der, pubDER := pkcs8(t, tc.private), spki(t, tc.public)
			md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": tc.spec, "KeyUsage": "SIGN_VERIFY", "Description": description})
			keyID, arn := md["KeyId"].(string), md["Arn"].(string)
			before := externalMetadata(md, tc.spec, "SIGN_VERIFY", description, map[string]any{"SigningAlgorithms": []any{tc.signing}})
			wantMetadata(t, md, before) // created-key
			pub, token := importParams(t, w, Caller{}, keyID, tc.wrapAlg, tc.wrapSpec)
			wantMetadata(t, importDescribe(t, w, keyID), before) // describe-key-before-import
			mustCall(t, w, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token,
				"EncryptedKeyMaterial": wrapMaterial(t, pub, tc.wrapAlg, der), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
			wantMetadata(t, importDescribe(t, w, keyID), imported(before)) // describe-key-after-import
			require.Equal(t, pubDER, b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": keyID})["PublicKey"]))

			message := []byte("test sign verify 123 !%$@ 1234567890")
			signed := mustCall(t, w, Caller{}, "Sign", map[string]any{"KeyId": keyID, "Message": message, "MessageType": "RAW", "SigningAlgorithm": tc.signing})
			sig := signed["Signature"]
			delete(signed, "Signature")
			require.Equal(t, map[string]any{"KeyId": arn, "SigningAlgorithm": tc.signing}, signed) // sign-result
			require.True(t, independentVerify(t, pubDER, tc.spec, tc.signing, message, b64(t, sig)))
			verified := mustCall(t, w, Caller{}, "Verify", map[string]any{"KeyId": keyID, "Message": message, "MessageType": "RAW", "SigningAlgorithm": tc.signing, "Signature": sig})
			require.Equal(t, map[string]any{"KeyId": arn, "SignatureValid": true, "SigningAlgorithm": tc.signing}, verified) // verify-result

			mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID})
			wantMetadata(t, importDescribe(t, w, keyID), before) // describe-key-after-deleted-import
		})
	}
}

// test_import_key_hmac_keys: HMAC material of the key spec's length.
func TestLocalStackImportKeyHMAC(t *testing.T) {
	w := NewWorld(Options{})
	for _, tc := range []struct {
		spec, alg string
		length    int
		h         func() hash.Hash
	}{{"HMAC_224", "HMAC_SHA_224", 28, sha256.New224}, {"HMAC_256", "HMAC_SHA_256", 32, sha256.New}, {"HMAC_384", "HMAC_SHA_384", 48, sha512.New384}, {"HMAC_512", "HMAC_SHA_512", 64, sha512.New}} {
		t.Run(tc.spec, func(t *testing.T) {
			description := "test import hmac key"
			md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": tc.spec, "KeyUsage": "GENERATE_VERIFY_MAC", "Description": description})
			keyID, arn := md["KeyId"].(string), md["Arn"].(string)
			material := importRandom(tc.length)
			pub, token := importParams(t, w, Caller{}, keyID, "RSAES_OAEP_SHA_256", "RSA_4096")
			before := externalMetadata(md, tc.spec, "GENERATE_VERIFY_MAC", description, map[string]any{"MacAlgorithms": []any{tc.alg}})
			wantMetadata(t, importDescribe(t, w, keyID), before) // describe-key-before-import
			mustCall(t, w, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token,
				"EncryptedKeyMaterial": wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
			wantMetadata(t, importDescribe(t, w, keyID), imported(before)) // describe-key-after-import

			message := []byte("test-mac-message")
			generated := mustCall(t, w, Caller{}, "GenerateMac", map[string]any{"KeyId": keyID, "Message": message, "MacAlgorithm": tc.alg})
			mac := hmac.New(tc.h, material)
			mac.Write(message)
			require.Equal(t, mac.Sum(nil), b64(t, generated["Mac"]))
			require.Equal(t, map[string]any{"KeyId": arn, "Mac": generated["Mac"], "MacAlgorithm": tc.alg}, generated) // generate-mac-response
			verified := mustCall(t, w, Caller{}, "VerifyMac", map[string]any{"KeyId": keyID, "Message": message, "Mac": generated["Mac"], "MacAlgorithm": tc.alg})
			require.Equal(t, map[string]any{"KeyId": arn, "MacAlgorithm": tc.alg, "MacValid": true}, verified) // verify-mac-response

			mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID})
			wantMetadata(t, importDescribe(t, w, keyID), before) // describe-key-after-deleted-import
		})
	}
}

// test_import_key_rsa_aes_wrap_sha256: an RSA_4096 private key wrapped with RSA_AES_KEY_WRAP_SHA_256.
func TestLocalStackImportKeyRSAAESWrap(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeySpec": "RSA_4096", "KeyUsage": "ENCRYPT_DECRYPT", "Description": "test-key"})
	keyID := md["KeyId"].(string)
	private, err := rsa.GenerateKey(rand.Reader, 4096)
	require.NoError(t, err)
	pub, token := importParams(t, w, Caller{}, keyID, "RSA_AES_KEY_WRAP_SHA_256", "RSA_4096")
	before := externalMetadata(md, "RSA_4096", "ENCRYPT_DECRYPT", "test-key", map[string]any{"EncryptionAlgorithms": []any{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}})
	wantMetadata(t, importDescribe(t, w, keyID), before) // describe-before-import
	mustCall(t, w, Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": keyID, "ImportToken": token,
		"EncryptedKeyMaterial": wrapMaterial(t, pub, "RSA_AES_KEY_WRAP_SHA_256", pkcs8(t, private)), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	wantMetadata(t, importDescribe(t, w, keyID), imported(before)) // import-key-material-response
	require.Equal(t, spki(t, &private.PublicKey), b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": keyID})["PublicKey"]))
	mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": keyID})
	wantMetadata(t, importDescribe(t, w, keyID), before) // describe-key-after-deleted-import
}

// externalSymmetric makes test-key, an EXTERNAL symmetric key, and answers its ID and ARN.
func externalSymmetric(t *testing.T, w *World) (md map[string]any, keyID, arn string) {
	t.Helper()
	md = newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL", "KeyUsage": "ENCRYPT_DECRYPT", "Description": "test-key"})
	return md, md["KeyId"].(string), md["Arn"].(string)
}

// importSymmetric imports 32 random bytes the way the tests do (RSAES_OAEP_SHA_256, RSA_2048); extra
// members go into ImportKeyMaterial.
func importSymmetric(t *testing.T, w *World, keyID string, extra map[string]any) (map[string]any, []byte) {
	t.Helper()
	material := importRandom(32)
	pub, token := importParams(t, w, Caller{}, keyID, "RSAES_OAEP_SHA_256", "RSA_2048")
	req := map[string]any{"KeyId": keyID, "ImportToken": token, "EncryptedKeyMaterial": wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material),
		"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}
	for k, v := range extra {
		req[k] = v
	}
	_, out := call(t, w, "ImportKeyMaterial", req)
	return out, material
}

// test_import_key_material_raises_if_there_is_already_key_material_pending.
func TestLocalStackImportWhileMaterialPending(t *testing.T) {
	w := NewWorld(Options{})
	_, keyID, arn := externalSymmetric(t, w)
	first, _ := importSymmetric(t, w, keyID, nil)
	require.Regexp(t, "^[0-9a-f]{64}$", first["KeyMaterialId"])
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": first["KeyMaterialId"]}, first) // import-initial-material-response
	pending, _ := importSymmetric(t, w, keyID, map[string]any{"ImportType": "NEW_KEY_MATERIAL"})
	require.Regexp(t, "^[0-9a-f]{64}$", pending["KeyMaterialId"])
	require.NotEqual(t, first["KeyMaterialId"], pending["KeyMaterialId"])
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": pending["KeyMaterialId"]}, pending) // import-pending-material-response
	refused, material := importSymmetric(t, w, keyID, map[string]any{"ImportType": "NEW_KEY_MATERIAL"})
	id := importedMaterialID(keyID, material)
	require.Equal(t, map[string]any{"__type": "KMSInvalidStateException", "message": fmt.Sprintf( // existing-pending-material-error
		"New key material (id: %s) cannot be imported into KMS key %s, because another key material (id: %s) is pending rotation.",
		hex.EncodeToString(id[:]), arn, pending["KeyMaterialId"])}, refused)
}

// test_rotate_key_on_demand_raises_for_no_pending_key_material.
func TestLocalStackRotateWithoutPendingMaterial(t *testing.T) {
	w := NewWorld(Options{})
	_, keyID, arn := externalSymmetric(t, w)
	importSymmetric(t, w, keyID, nil)
	status, out := call(t, w, "RotateKeyOnDemand", map[string]any{"KeyId": keyID})
	requireError(t, status, out, "KMSInvalidStateException", "No available key material pending rotation for the key: "+arn+".") // rotate-key-on-demand-invalid-state-error
}

// test_rotate_key_on_demand_updates_current_key_material_for_external_keys and
// test_rotate_key_on_demand_for_external_keys_decrypts_with_previous_material: material imported as
// NEW_KEY_MATERIAL becomes current with RotateKeyOnDemand; blobs of the first material still open.
func TestLocalStackRotateImportedMaterial(t *testing.T) {
	w := NewWorld(Options{})
	md, keyID, arn := externalSymmetric(t, w)
	empty := externalMetadata(md, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "test-key", map[string]any{"EncryptionAlgorithms": []any{"SYMMETRIC_DEFAULT"}})
	wantMetadata(t, md, empty)                          // create-kms-external-key
	wantMetadata(t, importDescribe(t, w, keyID), empty) // describe-empty-key-response
	first, _ := importSymmetric(t, w, keyID, nil)
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": first["KeyMaterialId"]}, first) // import-key-material-response
	withFirst := withMember(imported(empty), "CurrentKeyMaterialId", first["KeyMaterialId"])
	wantMetadata(t, importDescribe(t, w, keyID), withFirst) // describe-key-with-material-response

	plaintext := []byte("Hello World!1/?")
	encrypted := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"Plaintext": plaintext, "KeyId": keyID, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
	initial := encrypted["CiphertextBlob"]
	require.Equal(t, map[string]any{"CiphertextBlob": initial, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT", "KeyId": arn}, encrypted) // kms-encrypt-initial-response
	require.Equal(t, plaintext, b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": initial, "KeyId": keyID})["Plaintext"]))

	second, _ := importSymmetric(t, w, keyID, map[string]any{"ImportType": "NEW_KEY_MATERIAL"})
	require.Equal(t, map[string]any{"KeyId": arn, "KeyMaterialId": second["KeyMaterialId"]}, second) // import-new-key-material-response
	require.NotEqual(t, first["KeyMaterialId"], second["KeyMaterialId"])
	wantMetadata(t, importDescribe(t, w, keyID), withFirst) // describe-key-with-new-material-response

	require.Equal(t, map[string]any{"KeyId": arn}, mustCall(t, w, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": keyID})) // rotate-key-on-demand-response
	wantMetadata(t, importDescribe(t, w, keyID), withMember(withFirst, "CurrentKeyMaterialId", second["KeyMaterialId"]))          // describe-key-after-rotation

	encrypted = mustCall(t, w, Caller{}, "Encrypt", map[string]any{"Plaintext": plaintext, "KeyId": keyID, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
	require.Equal(t, map[string]any{"CiphertextBlob": encrypted["CiphertextBlob"], "EncryptionAlgorithm": "SYMMETRIC_DEFAULT", "KeyId": arn}, encrypted) // kms-encrypt-rotated-key-response
	require.NotEqual(t, initial, encrypted["CiphertextBlob"])
	require.Equal(t, plaintext, b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": encrypted["CiphertextBlob"], "KeyId": keyID, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})["Plaintext"]))
	require.Equal(t, plaintext, b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": initial, "KeyId": keyID})["Plaintext"]))
}
