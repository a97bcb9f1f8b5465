package kms

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAliasRules(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	a := newKey(t, w, Caller{}, map[string]any{})
	b := newKey(t, w, Caller{}, map[string]any{})
	rsaKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	signing := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/app/one_2-x", "TargetKeyId": a["KeyId"]})

	long := "alias/" + strings.Repeat("n", 251)
	cases := []struct {
		op           string
		req          map[string]any
		errName, msg string
	}{
		{"CreateAlias", map[string]any{"AliasName": "app", "TargetKeyId": a["KeyId"]}, "ValidationException", `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`},
		{"CreateAlias", map[string]any{"AliasName": "alias/aws/s3", "TargetKeyId": a["KeyId"]}, "NotAuthorizedException", ""},
		{"CreateAlias", map[string]any{"AliasName": "alias/bad name", "TargetKeyId": a["KeyId"]}, "ValidationException", "1 validation error detected: Value 'alias/bad name' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"},
		{"CreateAlias", map[string]any{"AliasName": long, "TargetKeyId": a["KeyId"]}, "ValidationException", "1 validation error detected: Value '" + long + "' at 'aliasName' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"CreateAlias", map[string]any{}, "ValidationException", "2 validation errors detected: Value null at 'aliasName' failed to satisfy constraint: Member must not be null; Value null at 'targetKeyId' failed to satisfy constraint: Member must not be null"},
		{"CreateAlias", map[string]any{"AliasName": "alias/app/one_2-x", "TargetKeyId": b["KeyId"]}, "AlreadyExistsException", "An alias with the name arn:aws:kms:us-east-1:111122223333:alias/app/one_2-x already exists"},
		{"CreateAlias", map[string]any{"AliasName": "alias/two", "TargetKeyId": "alias/app/one_2-x"}, "ValidationException", "Aliases must refer to keys. Not aliases"},
		{"CreateAlias", map[string]any{"AliasName": "alias/two", "TargetKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}, "NotFoundException", "Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist"},
		{"UpdateAlias", map[string]any{"AliasName": "alias/missing", "TargetKeyId": b["KeyId"]}, "NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found."},
		{"UpdateAlias", map[string]any{"AliasName": "alias/app/one_2-x", "TargetKeyId": signing["KeyId"]}, "ValidationException", "Alias alias/app/one_2-x cannot be changed from a CMK with key usage ENCRYPT_DECRYPT to a CMK with key usage SIGN_VERIFY. The key usage of the current CMK and the new CMK must be the same."},
		{"UpdateAlias", map[string]any{"AliasName": "alias/app/one_2-x", "TargetKeyId": rsaKey["KeyId"]}, "ValidationException", "Alias alias/app/one_2-x cannot be changed from a CMK with key spec SYMMETRIC_DEFAULT to a CMK with key spec RSA_2048. The key spec of the current CMK and the new CMK must be the same."},
		{"DeleteAlias", map[string]any{"AliasName": "alias/missing"}, "NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found."},
		{"DeleteAlias", map[string]any{"AliasName": "alias/aws/ebs"}, "NotAuthorizedException", ""},
	}
	for _, c := range cases {
		status, out := call(t, w, c.op, c.req)
		requireError(t, status, out, c.errName, c.msg)
	}

	mustCall(t, w, Caller{}, "UpdateAlias", map[string]any{"AliasName": "alias/app/one_2-x", "TargetKeyId": b["Arn"]})
	enc := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": "alias/app/one_2-x", "Plaintext": []byte("x")})
	require.Equal(t, b["Arn"], enc["KeyId"])

	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/another", "TargetKeyId": a["KeyId"]})
	list := mustCall(t, w, Caller{}, "ListAliases", map[string]any{})
	require.Equal(t, false, list["Truncated"])
	// The account's aliases sort before the predefined alias/aws/ ones, listed without a key (managed_test.go).
	require.Len(t, list["Aliases"], len(predefinedAWSAliases)+2)
	list["Aliases"] = list["Aliases"].([]any)[:2]
	require.Equal(t, []any{
		map[string]any{"AliasName": "alias/another", "AliasArn": "arn:aws:kms:us-east-1:111122223333:alias/another", "TargetKeyId": a["KeyId"], "CreationDate": epochOf(fixedNow), "LastUpdatedDate": epochOf(fixedNow)},
		map[string]any{"AliasName": "alias/app/one_2-x", "AliasArn": "arn:aws:kms:us-east-1:111122223333:alias/app/one_2-x", "TargetKeyId": b["KeyId"], "CreationDate": epochOf(fixedNow), "LastUpdatedDate": epochOf(fixedNow)},
	}, list["Aliases"])
	filtered := mustCall(t, w, Caller{}, "ListAliases", map[string]any{"KeyId": a["Arn"]})
	require.Len(t, filtered["Aliases"], 1)

	mustCall(t, w, Caller{}, "DeleteAlias", map[string]any{"AliasName": "alias/another"})
	status, out := call(t, w, "Encrypt", map[string]any{"KeyId": "alias/another", "Plaintext": []byte("x")})
	requireError(t, status, out, "NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/another is not found.")

	// A key pending deletion takes no new alias.
	keyOf(w, Caller{}, a).state = statePendingDeletion
	status, out = call(t, w, "CreateAlias", map[string]any{"AliasName": "alias/late", "TargetKeyId": a["KeyId"]})
	requireError(t, status, out, "KMSInvalidStateException", a["Arn"].(string)+" is pending deletion.")
}
