package kms

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var china = Caller{Region: "cn-north-1"}

// keyOf answers the key behind a metadata's KeyId, for tests that set states directly.
func keyOf(w *World, c Caller, md map[string]any) *key {
	rc := resolveCaller(c)
	return w.regionOf(rc.account, rc.region).keys[md["KeyId"].(string)]
}

func TestEncryptPlaintextLimits(t *testing.T) {
	w := NewWorld(Options{})
	cases := []struct {
		caller    Caller
		spec, alg string
		max       int
	}{
		{Caller{}, "SYMMETRIC_DEFAULT", "SYMMETRIC_DEFAULT", 4096},
		{Caller{}, "RSA_2048", "RSAES_OAEP_SHA_1", 214},
		{Caller{}, "RSA_2048", "RSAES_OAEP_SHA_256", 190},
		{Caller{}, "RSA_3072", "RSAES_OAEP_SHA_1", 342},
		{Caller{}, "RSA_3072", "RSAES_OAEP_SHA_256", 318},
		{Caller{}, "RSA_4096", "RSAES_OAEP_SHA_1", 470},
		{Caller{}, "RSA_4096", "RSAES_OAEP_SHA_256", 446},
		{china, "SM2", "SM2PKE", 1024},
	}
	for _, tc := range cases {
		t.Run(tc.spec+"/"+tc.alg, func(t *testing.T) {
			md := newKey(t, w, tc.caller, map[string]any{"KeySpec": tc.spec, "KeyUsage": "ENCRYPT_DECRYPT"})
			at := map[string]any{"KeyId": md["KeyId"], "Plaintext": bytes.Repeat([]byte{7}, tc.max), "EncryptionAlgorithm": tc.alg}
			out := mustCall(t, w, tc.caller, "Encrypt", at)
			require.Equal(t, md["Arn"], out["KeyId"])
			require.Equal(t, tc.alg, out["EncryptionAlgorithm"])
			dec := mustCall(t, w, tc.caller, "Decrypt", map[string]any{"KeyId": md["KeyId"], "CiphertextBlob": out["CiphertextBlob"], "EncryptionAlgorithm": tc.alg})
			require.Equal(t, base64.StdEncoding.EncodeToString(at["Plaintext"].([]byte)), dec["Plaintext"])

			at["Plaintext"] = bytes.Repeat([]byte{7}, tc.max+1)
			status, errOut := callAs(t, w, tc.caller, "Encrypt", at)
			want := "Algorithm " + tc.alg + " and key spec " + tc.spec + " cannot encrypt data larger than " + itoa(tc.max) + " bytes."
			if tc.spec == "SYMMETRIC_DEFAULT" {
				want = "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"
			}
			requireError(t, status, errOut, "ValidationException", want)
		})
	}
}

func TestEncryptAlgorithmAndUsageErrors(t *testing.T) {
	w := NewWorld(Options{})
	type tc struct {
		name         string
		caller       Caller
		create       map[string]any
		alg          string // "" = omitted
		context      map[string]string
		errName, msg string // msg may contain ARN for the key ARN
	}
	cases := []tc{
		{"rsa default algorithm", Caller{}, map[string]any{"KeySpec": "RSA_4096", "KeyUsage": "ENCRYPT_DECRYPT"}, "", nil, "InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096."},
		{"symmetric with oaep", Caller{}, map[string]any{}, "RSAES_OAEP_SHA_256", nil, "InvalidKeyUsageException", "Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT."},
		{"rsa with sm2pke", Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}, "SM2PKE", nil, "InvalidKeyUsageException", "Algorithm SM2PKE is incompatible with key spec RSA_2048."},
		{"sm2 with oaep", china, map[string]any{"KeySpec": "SM2", "KeyUsage": "ENCRYPT_DECRYPT"}, "RSAES_OAEP_SHA_1", nil, "InvalidKeyUsageException", "Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SM2."},
		{"rsa signing key", Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}, "RSAES_OAEP_SHA_1", nil, "InvalidKeyUsageException", "ARN key usage is SIGN_VERIFY which is not valid for Encrypt."},
		{"ecc signing key", Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}, "", nil, "InvalidKeyUsageException", "ARN key usage is SIGN_VERIFY which is not valid for Encrypt."},
		{"ecc key agreement", Caller{}, map[string]any{"KeySpec": "ECC_NIST_P384", "KeyUsage": "KEY_AGREEMENT"}, "", nil, "InvalidKeyUsageException", "ARN key usage is KEY_AGREEMENT which is not valid for Encrypt."},
		{"hmac key", Caller{}, map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}, "", nil, "InvalidKeyUsageException", "ARN key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt."},
		{"context with rsa", Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}, "RSAES_OAEP_SHA_256", map[string]string{"a": "b"}, "ValidationException", "EncryptionContext is not supported with asymmetric KMS keys (key spec RSA_2048)."},
		{"unknown algorithm", Caller{}, map[string]any{}, "AES", nil, "ValidationException", "1 validation error detected: Value 'AES' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			md := newKey(t, w, c.caller, c.create)
			req := map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")}
			if c.alg != "" {
				req["EncryptionAlgorithm"] = c.alg
			}
			if c.context != nil {
				req["EncryptionContext"] = c.context
			}
			status, out := callAs(t, w, c.caller, "Encrypt", req)
			requireError(t, status, out, c.errName, strings.ReplaceAll(c.msg, "ARN", md["Arn"].(string)))
		})
	}
}

func TestEncryptKeyStates(t *testing.T) {
	w := NewWorld(Options{})
	cases := []struct{ state, errName, words string }{
		{stateEnabled, "", ""},
		{stateUpdating, "", ""},
		{stateDisabled, "DisabledException", "is disabled."},
		{statePendingDeletion, "KMSInvalidStateException", "is pending deletion."},
		{statePendingImport, "KMSInvalidStateException", "is pending import."},
		{stateUnavailable, "KMSInvalidStateException", "is unavailable."},
		{stateCreating, "KMSInvalidStateException", "is creating."},
	}
	for _, c := range cases {
		t.Run(c.state, func(t *testing.T) {
			md := newKey(t, w, Caller{}, map[string]any{})
			keyOf(w, Caller{}, md).state = c.state
			status, out := call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})
			if c.errName == "" {
				require.Equal(t, 200, status, "%v", out)
				return
			}
			requireError(t, status, out, c.errName, md["Arn"].(string)+" "+c.words)
		})
	}
}

func TestEncryptKeyIDForms(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	id, arn := md["KeyId"].(string), md["Arn"].(string)
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": id})
	for _, form := range []string{id, arn, "alias/app", "arn:aws:kms:us-east-1:111122223333:alias/app"} {
		out := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": form, "Plaintext": []byte("x")})
		require.Equal(t, arn, out["KeyId"], form)
	}
	missing := "1234abcd-12ab-34cd-56ef-1234567890ab"
	notFound := []struct{ given, msg string }{
		{missing, "Key 'arn:aws:kms:us-east-1:111122223333:key/" + missing + "' does not exist"},
		{"not-a-key", "Invalid keyId 'not-a-key'"},
		{"arn:aws:kms:us-west-2:111122223333:key/" + id, "Invalid arn us-west-2"},
		{"alias/nope", "Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found."},
		{"arn:aws:kms:us-east-1:111122223333:alias/nope", "Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found."},
		{"arn:aws:kms:us-east-1:111122223333:key/" + missing, "Key 'arn:aws:kms:us-east-1:111122223333:key/" + missing + "' does not exist"},
	}
	for _, c := range notFound {
		status, out := call(t, w, "Encrypt", map[string]any{"KeyId": c.given, "Plaintext": []byte("x")})
		requireError(t, status, out, "NotFoundException", c.msg)
	}
	// Another region of the same account does not see the key by its ID.
	status, out := callAs(t, w, Caller{Region: "us-west-2"}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("x")})
	requireError(t, status, out, "NotFoundException", "Key 'arn:aws:kms:us-west-2:111122223333:key/"+id+"' does not exist")
}

func TestEncryptDryRunAndValidationOrder(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	status, out := call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x"), "DryRun": true})
	requireError(t, status, out, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")
	status, out = call(t, w, "Encrypt", map[string]any{"Plaintext": []byte{}, "DryRun": true})
	requireError(t, status, out, "ValidationException", "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1")
	keyOf(w, Caller{}, md).state = stateDisabled
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x"), "DryRun": true})
	requireError(t, status, out, "DisabledException", md["Arn"].(string)+" is disabled.")
}

func TestEncryptGrantTokens(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	tooMany := make([]string, 11)
	for i := range tooMany {
		tooMany[i] = "t"
	}
	cases := []struct {
		tokens       []string
		errName, msg string
	}{
		{[]string{"unknown"}, "InvalidGrantTokenException", "Grant token is invalid."},
		{[]string{""}, "ValidationException", "1 validation error detected: Value '' at 'grantTokens.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{tooMany, "ValidationException", "1 validation error detected: Value '[t, t, t, t, t, t, t, t, t, t, t]' at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10"},
		{[]string{strings.Repeat("g", 8193)}, "ValidationException", "1 validation error detected: Value '" + strings.Repeat("g", 8193) + "' at 'grantTokens.1.member' failed to satisfy constraint: Member must have length less than or equal to 8192"},
	}
	for _, c := range cases {
		status, out := call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x"), "GrantTokens": c.tokens})
		requireError(t, status, out, c.errName, c.msg)
	}
}

func TestEncryptionContextIsExactAndUnambiguous(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	enc := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x"), "EncryptionContext": map[string]string{"a": "bc", "Z": "1"}})
	blob := enc["CiphertextBlob"]
	mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"Z": "1", "a": "bc"}})
	for _, wrong := range []map[string]string{nil, {"ab": "c", "Z": "1"}, {"a": "bc", "z": "1"}, {"a": "bc"}, {"a": "bc", "Z": "1", "x": ""}} {
		status, out := call(t, w, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": wrong})
		requireError(t, status, out, "InvalidCiphertextException", "")
	}
}
