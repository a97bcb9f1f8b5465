package kms

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 123_000_000, time.UTC)

func fixedClock() func() time.Time { return func() time.Time { return fixedNow } }

// epochOf is a time as the wire shows it: epoch seconds with milliseconds.
func epochOf(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func TestCreateKeySpecsAndUsages(t *testing.T) {
	w := NewWorld(Options{})
	valid := []struct {
		caller     Caller
		spec       string
		usage      string // "" = omitted
		wantUsage  string
		algMember  string
		algorithms []any
	}{
		{Caller{}, "SYMMETRIC_DEFAULT", "", "ENCRYPT_DECRYPT", "EncryptionAlgorithms", []any{"SYMMETRIC_DEFAULT"}},
		{Caller{}, "RSA_2048", "ENCRYPT_DECRYPT", "ENCRYPT_DECRYPT", "EncryptionAlgorithms", []any{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}},
		{Caller{}, "RSA_3072", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"}},
		{Caller{}, "RSA_4096", "ENCRYPT_DECRYPT", "ENCRYPT_DECRYPT", "EncryptionAlgorithms", []any{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}},
		{Caller{}, "ECC_NIST_P256", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"ECDSA_SHA_256"}},
		{Caller{}, "ECC_NIST_P384", "KEY_AGREEMENT", "KEY_AGREEMENT", "KeyAgreementAlgorithms", []any{"ECDH"}},
		{Caller{}, "ECC_NIST_P521", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"ECDSA_SHA_512"}},
		{Caller{}, "HMAC_224", "GENERATE_VERIFY_MAC", "GENERATE_VERIFY_MAC", "MacAlgorithms", []any{"HMAC_SHA_224"}},
		{Caller{}, "HMAC_512", "GENERATE_VERIFY_MAC", "GENERATE_VERIFY_MAC", "MacAlgorithms", []any{"HMAC_SHA_512"}},
		{china, "SM2", "ENCRYPT_DECRYPT", "ENCRYPT_DECRYPT", "EncryptionAlgorithms", []any{"SM2PKE"}},
		{china, "SM2", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"SM2DSA"}},
		{china, "SM2", "KEY_AGREEMENT", "KEY_AGREEMENT", "KeyAgreementAlgorithms", []any{"ECDH"}},
		{Caller{}, "ECC_SECG_P256K1", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"ECDSA_SHA_256"}},
		{Caller{}, "ECC_NIST_EDWARDS25519", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"ED25519_SHA_512", "ED25519_PH_SHA_512"}},
		{Caller{}, "ML_DSA_44", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"ML_DSA_SHAKE_256"}},
		{Caller{}, "ML_DSA_65", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"ML_DSA_SHAKE_256"}},
		{Caller{}, "ML_DSA_87", "SIGN_VERIFY", "SIGN_VERIFY", "SigningAlgorithms", []any{"ML_DSA_SHAKE_256"}},
		{Caller{}, "ML_KEM_512", "ENCAPSULATE_DECAPSULATE", "ENCAPSULATE_DECAPSULATE", "EncapsulationAlgorithms", []any{"ML_KEM"}},
		{Caller{}, "ML_KEM_768", "ENCAPSULATE_DECAPSULATE", "ENCAPSULATE_DECAPSULATE", "EncapsulationAlgorithms", []any{"ML_KEM"}},
		{Caller{}, "ML_KEM_1024", "ENCAPSULATE_DECAPSULATE", "ENCAPSULATE_DECAPSULATE", "EncapsulationAlgorithms", []any{"ML_KEM"}},
	}
	for _, c := range valid {
		t.Run(c.spec+"/"+c.wantUsage, func(t *testing.T) {
			req := map[string]any{"KeySpec": c.spec}
			if c.usage != "" {
				req["KeyUsage"] = c.usage
			}
			md := newKey(t, w, c.caller, req)
			require.Equal(t, c.spec, md["KeySpec"])
			require.Equal(t, c.wantUsage, md["KeyUsage"])
			require.Equal(t, c.algorithms, md[c.algMember])
			if !contains(enumCustomerMasterKeySpec, c.spec) {
				// The deprecated member's enum cannot name the newer specs.
				require.NotContains(t, md, "CustomerMasterKeySpec")
				return
			}
			require.Equal(t, c.spec, md["CustomerMasterKeySpec"])
			// The deprecated CustomerMasterKeySpec creates the same key.
			req = map[string]any{"CustomerMasterKeySpec": c.spec, "KeyUsage": c.wantUsage}
			require.Equal(t, c.spec, newKey(t, w, c.caller, req)["KeySpec"])
		})
	}
	invalid := []struct {
		caller       Caller
		req          map[string]any
		errName, msg string
	}{
		{Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256"}, "ValidationException", "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."},
		{Caller{}, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "ENCRYPT_DECRYPT"}, "ValidationException", "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256"},
		{Caller{}, map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "ENCRYPT_DECRYPT"}, "ValidationException", "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_256"},
		{Caller{}, map[string]any{"KeyUsage": "SIGN_VERIFY"}, "ValidationException", "KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT"},
		{Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "GENERATE_VERIFY_MAC"}, "ValidationException", "KeyUsage GENERATE_VERIFY_MAC is not compatible with KeySpec RSA_2048"},
		{Caller{}, map[string]any{"KeySpec": "SM2", "KeyUsage": "ENCRYPT_DECRYPT"}, "ValidationException", "KeySpec SM2 is not supported in region us-east-1. SM2 keys are available only in the China Regions."},
		{Caller{}, map[string]any{"KeySpec": "RSA_1024", "KeyUsage": "ENCRYPT_DECRYPT"}, "ValidationException", "1 validation error detected: Value 'RSA_1024' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [" + strings.Join(enumKeySpec, ", ") + "]"},
		{Caller{}, map[string]any{"KeySpec": "RSA_2048", "CustomerMasterKeySpec": "RSA_2048"}, "ValidationException", "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated."},
		{Caller{}, map[string]any{"Description": strings.Repeat("d", 8193)}, "ValidationException", "1 validation error detected: Value '" + strings.Repeat("d", 8193) + "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192"},
		{Caller{}, map[string]any{"Tags": []map[string]string{{"TagValue": "v"}}}, "ValidationException", "1 validation error detected: Value null at 'tags.1.member.tagKey' failed to satisfy constraint: Member must not be null"},
		{Caller{}, map[string]any{"Policy": "{not json"}, "MalformedPolicyDocumentException", "The policy is not a valid JSON object."},
		{Caller{}, map[string]any{"Policy": `{"Version":"2012-10-17","Statement":[]}`}, "MalformedPolicyDocumentException", "The policy has no Statement."},
		{Caller{}, map[string]any{"Policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:*","Resource":"*"}]}`}, "MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future."},
		{Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "KEY_AGREEMENT"}, "ValidationException", "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048"},
		{Caller{}, map[string]any{"KeySpec": "ECC_SECG_P256K1", "KeyUsage": "KEY_AGREEMENT"}, "ValidationException", "KeyUsage KEY_AGREEMENT is not compatible with KeySpec ECC_SECG_P256K1"},
		{Caller{}, map[string]any{"KeySpec": "ML_KEM_768", "KeyUsage": "ENCRYPT_DECRYPT"}, "ValidationException", "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ML_KEM_768"},
	}
	for _, c := range invalid {
		status, out := callAs(t, w, c.caller, "CreateKey", c.req)
		requireError(t, status, out, c.errName, c.msg)
	}
}

func TestDescribeKeyMembers(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	md := newKey(t, w, Caller{Account: "123456789012", Region: "us-gov-west-1"}, map[string]any{"Description": "d"})
	id := md["KeyId"].(string)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	require.Regexp(t, `^[0-9a-f]{64}$`, md["CurrentKeyMaterialId"])
	require.Equal(t, map[string]any{
		"CurrentKeyMaterialId": md["CurrentKeyMaterialId"], "AWSAccountId": "123456789012", "KeyId": id, "Arn": "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/" + id,
		"CreationDate": epochOf(fixedNow), "Enabled": true, "Description": "d", "KeyUsage": "ENCRYPT_DECRYPT",
		"KeyState": "Enabled", "Origin": "AWS_KMS", "KeyManager": "CUSTOMER", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
		"KeySpec": "SYMMETRIC_DEFAULT", "EncryptionAlgorithms": []any{"SYMMETRIC_DEFAULT"}, "MultiRegion": false,
	}, md)
	desc := mustCall(t, w, Caller{Account: "123456789012", Region: "us-gov-west-1"}, "DescribeKey", map[string]any{"KeyId": md["Arn"]})
	require.Equal(t, md, desc["KeyMetadata"])
}

func TestKeyLifecycle(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	md := newKey(t, w, Caller{}, map[string]any{})
	id, arn := md["KeyId"], md["Arn"].(string)
	state := func() string {
		return mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)["KeyState"].(string)
	}
	mustCall(t, w, Caller{}, "DisableKey", map[string]any{"KeyId": id})
	require.Equal(t, "Disabled", state())
	mustCall(t, w, Caller{}, "EnableKey", map[string]any{"KeyId": arn})
	require.Equal(t, "Enabled", state())

	status, out := call(t, w, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 6})
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7")
	status, out = call(t, w, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 31})
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value '31' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30")
	status, out = call(t, w, "CancelKeyDeletion", map[string]any{"KeyId": id})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is not pending deletion.")

	sched := mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": id})
	require.Equal(t, map[string]any{"KeyId": arn, "DeletionDate": epochOf(fixedNow.Add(30 * 24 * time.Hour)), "KeyState": "PendingDeletion", "PendingWindowInDays": 30.0}, sched)
	require.Equal(t, "PendingDeletion", state())
	for _, op := range []string{"EnableKey", "DisableKey", "ScheduleKeyDeletion"} {
		status, out = call(t, w, op, map[string]any{"KeyId": id})
		requireError(t, status, out, "KMSInvalidStateException", arn+" is pending deletion.")
	}
	cancel := mustCall(t, w, Caller{}, "CancelKeyDeletion", map[string]any{"KeyId": id})
	require.Equal(t, map[string]any{"KeyId": arn}, cancel)
	require.Equal(t, "Disabled", state())
	desc := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)
	require.NotContains(t, desc, "DeletionDate")

	// Key-management operations take a key ID or key ARN, not an alias.
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/k", "TargetKeyId": id})
	status, out = call(t, w, "EnableKey", map[string]any{"KeyId": "alias/k"})
	requireError(t, status, out, "NotFoundException", "Invalid keyId 'alias/k'")

	// Origin EXTERNAL makes a key that waits for its material.
	ext := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	require.Equal(t, "PendingImport", ext["KeyState"])
	require.Equal(t, false, ext["Enabled"])
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": ext["KeyId"], "Plaintext": []byte("x")})
	requireError(t, status, out, "KMSInvalidStateException", ext["Arn"].(string)+" is pending import.")
}

func TestListKeysPagination(t *testing.T) {
	w := NewWorld(Options{})
	var created []any
	for i := 0; i < 5; i++ {
		created = append(created, newKey(t, w, Caller{}, map[string]any{})["KeyId"])
	}
	newKey(t, w, Caller{Account: "444455556666"}, map[string]any{}) // another account: not listed
	var seen []any
	var marker any
	for pages := 0; ; pages++ {
		req := map[string]any{"Limit": 2}
		if marker != nil {
			req["Marker"] = marker
		}
		out := mustCall(t, w, Caller{}, "ListKeys", req)
		for _, k := range out["Keys"].([]any) {
			entry := k.(map[string]any)
			require.Equal(t, "arn:aws:kms:us-east-1:111122223333:key/"+entry["KeyId"].(string), entry["KeyArn"])
			seen = append(seen, entry["KeyId"])
		}
		if out["Truncated"] == false {
			require.NotContains(t, out, "NextMarker")
			require.Equal(t, 2, pages)
			break
		}
		marker = out["NextMarker"]
	}
	require.Equal(t, created, seen)
	status, out := call(t, w, "ListKeys", map[string]any{"Marker": "garbage"})
	requireError(t, status, out, "InvalidMarkerException", "Invalid marker.")
	status, out = call(t, w, "ListKeys", map[string]any{"Limit": 0})
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
}

func TestKeysAreDeletedAtTheEndOfTheWaitingPeriod(t *testing.T) {
	now := fixedNow
	w := NewWorld(Options{Now: func() time.Time { return now }})
	md := newKey(t, w, Caller{}, map[string]any{})
	keep := newKey(t, w, Caller{}, map[string]any{})
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/doomed", "TargetKeyId": md["KeyId"]})
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})["CiphertextBlob"]
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": md["KeyId"], "PendingWindowInDays": 7})

	now = fixedNow.Add(7*24*time.Hour - time.Second)
	status, out := call(t, w, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, 200, status, "%v", out)

	now = fixedNow.Add(7 * 24 * time.Hour)
	status, out = call(t, w, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})
	requireError(t, status, out, "NotFoundException", "Key '"+md["Arn"].(string)+"' does not exist")
	status, out = call(t, w, "Decrypt", map[string]any{"CiphertextBlob": blob})
	requireError(t, status, out, "AccessDeniedException", "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.")
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": "alias/doomed", "Plaintext": []byte("x")})
	requireError(t, status, out, "NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/doomed is not found.")
	list := mustCall(t, w, Caller{}, "ListKeys", map[string]any{})
	require.Equal(t, []any{map[string]any{"KeyId": keep["KeyId"], "KeyArn": keep["Arn"]}}, list["Keys"])
}
