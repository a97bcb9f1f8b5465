package kms

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	condOwner = "111122223333"
	condRoot  = "arn:aws:iam::111122223333:root"
)

// conditionPolicy is a key policy that keeps the owner able to manage the key and allows action to
// every principal under the Condition block (a JSON object), or with effect Deny when deny is set
// (then kms:* is allowed to the account first).
func conditionPolicy(t *testing.T, action, condition string, deny bool) string {
	t.Helper()
	var cond any
	require.NoError(t, json.Unmarshal([]byte(condition), &cond))
	admin := []string{"kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:DescribeKey", "kms:CreateAlias"}
	if deny {
		admin = []string{"kms:*"}
	}
	effect := "Allow"
	if deny {
		effect = "Deny"
	}
	doc := map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": "admin", "Effect": "Allow", "Principal": map[string]any{"AWS": condRoot}, "Action": admin, "Resource": "*"},
		map[string]any{"Sid": "cond", "Effect": effect, "Principal": map[string]any{"AWS": "*"}, "Action": action, "Resource": "*", "Condition": cond},
	}}
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return string(b)
}

func keyWithPolicy(t *testing.T, w *World, req map[string]any, policy string) map[string]any {
	t.Helper()
	md := newKey(t, w, Caller{}, req)
	mustCall(t, w, Caller{}, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "Policy": policy})
	return md
}

func TestConditionEncryptionContext(t *testing.T) {
	cases := []struct {
		name      string
		condition string
		context   map[string]string // nil: no EncryptionContext member
		allowed   bool
	}{
		{"StringEquals pair", `{"StringEquals":{"kms:EncryptionContext:Project":"alpha"}}`, map[string]string{"Project": "alpha"}, true},
		{"the pair's key in another case", `{"StringEquals":{"kms:EncryptionContext:Project":"alpha"}}`, map[string]string{"project": "alpha"}, true},
		{"the value in another case", `{"StringEquals":{"kms:EncryptionContext:Project":"alpha"}}`, map[string]string{"Project": "Alpha"}, false},
		{"no context", `{"StringEquals":{"kms:EncryptionContext:Project":"alpha"}}`, nil, false},
		{"one of several values", `{"StringEquals":{"kms:EncryptionContext:Project":["beta","alpha"]}}`, map[string]string{"Project": "alpha"}, true},
		{"two keys AND-ed", `{"StringEquals":{"kms:EncryptionContext:Project":"alpha","kms:EncryptionContext:Team":"red"}}`, map[string]string{"Project": "alpha"}, false},
		{"two operators AND-ed", `{"StringEquals":{"kms:EncryptionContext:Project":"alpha"},"StringLike":{"kms:EncryptionContext:Team":"r*"}}`, map[string]string{"Project": "alpha", "Team": "red"}, true},
		{"IfExists, absent", `{"StringEqualsIfExists":{"kms:EncryptionContext:Project":"alpha"}}`, nil, true},
		{"IfExists, present and different", `{"StringEqualsIfExists":{"kms:EncryptionContext:Project":"alpha"}}`, map[string]string{"Project": "beta"}, false},
		{"StringNotEquals, absent", `{"StringNotEquals":{"kms:EncryptionContext:Project":"alpha"}}`, nil, true},
		{"StringNotEquals, equal", `{"StringNotEquals":{"kms:EncryptionContext:Project":"alpha"}}`, map[string]string{"Project": "alpha"}, false},
		{"StringLike *", `{"StringLike":{"kms:EncryptionContext:Project":"al*"}}`, map[string]string{"Project": "alpha"}, true},
		{"StringLike ?", `{"StringLike":{"kms:EncryptionContext:Project":"?eta"}}`, map[string]string{"Project": "beta"}, true},
		{"StringLike is case sensitive", `{"StringLike":{"kms:EncryptionContext:Project":"AL*"}}`, map[string]string{"Project": "alpha"}, false},
		{"StringNotLike, matching", `{"StringNotLike":{"kms:EncryptionContext:Project":"al*"}}`, map[string]string{"Project": "alpha"}, false},
		{"StringNotLike, absent", `{"StringNotLike":{"kms:EncryptionContext:Project":"al*"}}`, nil, true},
		{"ForAnyValue keys, present", `{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"Project"}}`, map[string]string{"Project": "x", "Other": "y"}, true},
		{"ForAnyValue keys, no context", `{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"Project"}}`, nil, false},
		{"ForAnyValue keys are case sensitive", `{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"Project"}}`, map[string]string{"project": "x"}, false},
		{"ForAllValues keys, all allowed", `{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["Project","Team"]}}`, map[string]string{"Project": "x"}, true},
		{"ForAllValues keys, one other", `{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["Project","Team"]}}`, map[string]string{"Project": "x", "Other": "y"}, false},
		{"ForAllValues keys, no context (vacuous)", `{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["Project","Team"]}}`, nil, true},
		{"ForAllValues StringLike", `{"ForAllValues:StringLike":{"kms:EncryptionContextKeys":"app-*"}}`, map[string]string{"app-1": "x", "app-2": "y"}, true},
		{"ForAnyValue StringNotEquals", `{"ForAnyValue:StringNotEquals":{"kms:EncryptionContextKeys":"Project"}}`, map[string]string{"Project": "x"}, false},
		{"Null false requires a context", `{"Null":{"kms:EncryptionContextKeys":"false"}}`, nil, false},
		{"Null false with a context", `{"Null":{"kms:EncryptionContextKeys":false}}`, map[string]string{"a": "b"}, true},
		{"Null true without a context", `{"Null":{"kms:EncryptionContextKeys":"true"}}`, nil, true},
		{"Null true with the pair", `{"Null":{"kms:EncryptionContext:a":"true"}}`, map[string]string{"a": "b"}, false},
		{"condition key name in another case", `{"StringEquals":{"KMS:encryptioncontext:Project":"alpha"}}`, map[string]string{"Project": "alpha"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWorld(Options{})
			md := keyWithPolicy(t, w, map[string]any{}, conditionPolicy(t, "kms:Encrypt", tc.condition, false))
			req := map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")}
			if tc.context != nil {
				req["EncryptionContext"] = tc.context
			}
			status, out := call(t, w, "Encrypt", req)
			if tc.allowed {
				require.Equal(t, 200, status, "%v", out)
				return
			}
			requireError(t, status, out, "AccessDeniedException", "User: "+condRoot+" is not authorized to perform: kms:Encrypt on resource: "+md["Arn"].(string)+" because no identity-based policy allows the kms:Encrypt action")
		})
	}
}

func TestConditionDenyWins(t *testing.T) {
	w := NewWorld(Options{})
	md := keyWithPolicy(t, w, map[string]any{}, conditionPolicy(t, "kms:Encrypt", `{"StringNotEquals":{"kms:EncryptionContext:Project":"alpha"}}`, true))
	arn := md["Arn"].(string)
	status, out := call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})
	requireError(t, status, out, "AccessDeniedException", "User: "+condRoot+" is not authorized to perform: kms:Encrypt on resource: "+arn+" with an explicit deny in a resource-based policy")
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x"), "EncryptionContext": map[string]string{"Project": "alpha"}})
	// The Deny's condition does not hold: the Allow of kms:* applies to the other actions.
	mustCall(t, w, Caller{}, "GenerateDataKey", map[string]any{"KeyId": md["KeyId"], "KeySpec": "AES_256"})
}

func TestConditionCallerAndPrincipal(t *testing.T) {
	other := Caller{Account: "444455556666"}
	appRole := Caller{Principal: "arn:aws:iam::111122223333:role/app-1"}
	otherRole := Caller{Principal: "arn:aws:iam::111122223333:role/batch"}
	cases := []struct {
		name      string
		condition string
		caller    Caller
		allowed   bool
	}{
		{"kms:CallerAccount, the owner", `{"StringEquals":{"kms:CallerAccount":"111122223333"}}`, Caller{}, true},
		{"kms:CallerAccount, another account", `{"StringEquals":{"kms:CallerAccount":"111122223333"}}`, other, false},
		{"kms:CallerAccount, that account", `{"StringEquals":{"kms:CallerAccount":"444455556666"}}`, other, true},
		{"aws:PrincipalArn StringLike", `{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app-*"}}`, appRole, true},
		{"aws:PrincipalArn StringLike, another role", `{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app-*"}}`, otherRole, false},
		{"kms:ViaService is absent: StringEquals fails", `{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}`, Caller{}, false},
		{"kms:ViaService is absent: IfExists holds", `{"StringEqualsIfExists":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}`, Caller{}, true},
		{"kms:ViaService is absent: Null true", `{"Null":{"kms:ViaService":"true"}}`, Caller{}, true},
		{"kms:ViaService is absent: StringNotLike holds", `{"StringNotLike":{"kms:ViaService":"*.amazonaws.com"}}`, Caller{}, true},
		{"aws:SourceAccount is absent", `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`, Caller{}, false},
		{"aws:SourceAccount is absent: Null true", `{"Null":{"aws:SourceAccount":true}}`, Caller{}, true},
		{"kms:EncryptionAlgorithm defaults to SYMMETRIC_DEFAULT", `{"StringEquals":{"kms:EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}}`, Caller{}, true},
		{"kms:EncryptionAlgorithm, another", `{"StringEquals":{"kms:EncryptionAlgorithm":"RSAES_OAEP_SHA_256"}}`, Caller{}, false},
		{"kms:SigningAlgorithm is absent for Encrypt", `{"Null":{"kms:SigningAlgorithm":"true"}}`, Caller{}, true},
		{"kms:GrantIsForAWSResource is absent for Encrypt", `{"Null":{"kms:GrantIsForAWSResource":"true"}}`, Caller{}, true},
		{"kms:RequestAlias is absent by key ARN", `{"Null":{"kms:RequestAlias":"true"}}`, Caller{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWorld(Options{})
			md := keyWithPolicy(t, w, map[string]any{}, conditionPolicy(t, "kms:Encrypt", tc.condition, false))
			status, out := callAs(t, w, tc.caller, "Encrypt", map[string]any{"KeyId": md["Arn"], "Plaintext": []byte("x")})
			if tc.allowed {
				require.Equal(t, 200, status, "%v", out)
			} else {
				require.Equal(t, "AccessDeniedException", out["__type"], "%v", out)
			}
		})
	}
}

func TestConditionRequestAlias(t *testing.T) {
	w := NewWorld(Options{})
	md := keyWithPolicy(t, w, map[string]any{}, conditionPolicy(t, "kms:*crypt", `{"StringEquals":{"kms:RequestAlias":"alias/good"}}`, false))
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/good", "TargetKeyId": md["KeyId"]})
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/other", "TargetKeyId": md["KeyId"]})
	enc := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": "alias/good", "Plaintext": []byte("x")})
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": "arn:aws:kms:us-east-1:111122223333:alias/good", "Plaintext": []byte("x")})
	for _, keyID := range []any{"alias/other", md["KeyId"], md["Arn"]} {
		status, out := call(t, w, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("x")})
		require.Equal(t, "AccessDeniedException", out["__type"], "%v %d", keyID, status)
	}
	// Decrypt names the key by the alias: allowed; without KeyId there is no alias.
	mustCall(t, w, Caller{}, "Decrypt", map[string]any{"KeyId": "alias/good", "CiphertextBlob": enc["CiphertextBlob"]})
	status, out := call(t, w, "Decrypt", map[string]any{"CiphertextBlob": enc["CiphertextBlob"]})
	requireError(t, status, out, "AccessDeniedException", "User: "+condRoot+" is not authorized to perform: kms:Decrypt on resource: "+md["Arn"].(string)+" because no identity-based policy allows the kms:Decrypt action")
}

func TestConditionAlgorithms(t *testing.T) {
	w := NewWorld(Options{})
	signing := keyWithPolicy(t, w, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
		conditionPolicy(t, "kms:Sign", `{"StringEquals":{"kms:SigningAlgorithm":"RSASSA_PSS_SHA_256"}}`, false))
	mustCall(t, w, Caller{}, "Sign", map[string]any{"KeyId": signing["KeyId"], "Message": []byte("m"), "SigningAlgorithm": "RSASSA_PSS_SHA_256"})
	status, out := call(t, w, "Sign", map[string]any{"KeyId": signing["KeyId"], "Message": []byte("m"), "SigningAlgorithm": "RSASSA_PKCS1_V1_5_SHA_256"})
	require.Equal(t, "AccessDeniedException", out["__type"], "%d %v", status, out)
	// A missing SigningAlgorithm is still the ValidationException, before the key.
	status, out = call(t, w, "Sign", map[string]any{"KeyId": signing["KeyId"], "Message": []byte("m")})
	require.Equal(t, "ValidationException", out["__type"], "%d %v", status, out)

	rsa := keyWithPolicy(t, w, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"},
		conditionPolicy(t, "kms:Encrypt", `{"StringEquals":{"kms:EncryptionAlgorithm":"RSAES_OAEP_SHA_256"}}`, false))
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": rsa["KeyId"], "Plaintext": []byte("x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": rsa["KeyId"], "Plaintext": []byte("x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"})
	require.Equal(t, "AccessDeniedException", out["__type"], "%d %v", status, out)

	// The GenerateDataKey family is SYMMETRIC_DEFAULT.
	sym := keyWithPolicy(t, w, map[string]any{}, conditionPolicy(t, "kms:GenerateDataKey*", `{"StringEquals":{"kms:EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}}`, false))
	mustCall(t, w, Caller{}, "GenerateDataKey", map[string]any{"KeyId": sym["KeyId"], "KeySpec": "AES_256"})
	mustCall(t, w, Caller{}, "GenerateDataKeyPairWithoutPlaintext", map[string]any{"KeyId": sym["KeyId"], "KeyPairSpec": "ECC_NIST_P256"})
}

func TestConditionGrantIsForAWSResource(t *testing.T) {
	w := NewWorld(Options{})
	grant := map[string]any{"GranteePrincipal": "arn:aws:iam::111122223333:role/app", "Operations": []string{"Encrypt"}}
	md := keyWithPolicy(t, w, map[string]any{}, conditionPolicy(t, "kms:CreateGrant", `{"Bool":{"kms:GrantIsForAWSResource":"true"}}`, false))
	grant["KeyId"] = md["KeyId"]
	status, out := call(t, w, "CreateGrant", grant)
	require.Equal(t, "AccessDeniedException", out["__type"], "%d %v", status, out)

	md = keyWithPolicy(t, w, map[string]any{}, conditionPolicy(t, "kms:CreateGrant", `{"Bool":{"kms:GrantIsForAWSResource":false}}`, false))
	grant["KeyId"] = md["KeyId"]
	mustCall(t, w, Caller{}, "CreateGrant", grant)
}

func TestConditionRefusedWhenPut(t *testing.T) {
	cases := []struct{ condition, message string }{
		{`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, "The policy's condition operator IpAddress is not supported by wasmkms: it evaluates StringEquals, StringNotEquals, StringLike, StringNotLike, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, Bool and Null, with the ForAnyValue: and ForAllValues: prefixes and the IfExists suffix (not on Null)."},
		{`{"NumericLessThan":{"kms:CallerAccount":"1"}}`, "The policy's condition operator NumericLessThan is not supported by wasmkms: it evaluates StringEquals, StringNotEquals, StringLike, StringNotLike, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, Bool and Null, with the ForAnyValue: and ForAllValues: prefixes and the IfExists suffix (not on Null)."},
		{`{"NullIfExists":{"kms:CallerAccount":"true"}}`, "The policy's condition operator NullIfExists is not supported by wasmkms: it evaluates StringEquals, StringNotEquals, StringLike, StringNotLike, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, Bool and Null, with the ForAnyValue: and ForAllValues: prefixes and the IfExists suffix (not on Null)."},
		{`{"StringEquals":{"aws:SourceIp":"10.0.0.1"}}`, "The policy's condition key aws:SourceIp is not supported by wasmkms: it evaluates kms:EncryptionContext:<key>, kms:EncryptionContextKeys, kms:CallerAccount, kms:ViaService, kms:GrantIsForAWSResource, kms:RequestAlias, kms:EncryptionAlgorithm, kms:SigningAlgorithm, kms:RecipientAttestation:ImageSha384, kms:RecipientAttestation:PCR<n>, aws:PrincipalArn and aws:SourceAccount."},
		{`{"StringEquals":{"kms:EncryptionContext:":"x"}}`, "The policy's condition key kms:EncryptionContext: is not supported by wasmkms: it evaluates kms:EncryptionContext:<key>, kms:EncryptionContextKeys, kms:CallerAccount, kms:ViaService, kms:GrantIsForAWSResource, kms:RequestAlias, kms:EncryptionAlgorithm, kms:SigningAlgorithm, kms:RecipientAttestation:ImageSha384, kms:RecipientAttestation:PCR<n>, aws:PrincipalArn and aws:SourceAccount."},
		{`{"StringEquals":{"kms:EncryptionContextKeys":"Project"}}`, "The policy's condition key kms:EncryptionContextKeys has several values: use it with ForAnyValue: or ForAllValues: (the condition says StringEquals)."},
		{`{"StringEquals":{"kms:CallerAccount":{"a":"b"}}}`, "The policy's condition StringEquals on kms:CallerAccount must have a string, a Boolean, a number or a non-empty list of them as its value."},
		{`{"StringEquals":{"kms:CallerAccount":[]}}`, "The policy's condition StringEquals on kms:CallerAccount must have a string, a Boolean, a number or a non-empty list of them as its value."},
		{`{"Null":{"kms:CallerAccount":"maybe"}}`, "The policy's Null condition on kms:CallerAccount must be true or false."},
		{`{"StringEquals":"kms:CallerAccount"}`, "The policy has a Condition that is not an object of operators, each an object of condition keys."},
		{`["StringEquals"]`, "The policy has a Condition that is not an object of operators, each an object of condition keys."},
	}
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	for _, tc := range cases {
		policy := conditionPolicy(t, "kms:Encrypt", tc.condition, false)
		status, out := call(t, w, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "Policy": policy})
		requireError(t, status, out, "MalformedPolicyDocumentException", tc.message)
		status, out = call(t, w, "CreateKey", map[string]any{"Policy": policy})
		requireError(t, status, out, "MalformedPolicyDocumentException", tc.message)
	}
	// Nothing changed: the key keeps its default policy, and no key was created.
	keys := mustCall(t, w, Caller{}, "ListKeys", map[string]any{})
	require.Len(t, keys["Keys"], 1)
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})
}

// A stored policy naming an unmodelled key (as an older state may hold) fails closed: an Allow with
// it never applies, a Deny with it always does.
func TestConditionUnmodelledStoredFailsClosed(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	k := keyOf(w, Caller{}, md)
	arn := md["Arn"].(string)
	k.policy = `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"` + condRoot + `"},"Action":"kms:DescribeKey","Resource":"*"},` +
		`{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]}`
	status, out := call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})
	requireError(t, status, out, "AccessDeniedException", "User: "+condRoot+" is not authorized to perform: kms:Encrypt on resource: "+arn+" because no identity-based policy allows the kms:Encrypt action")

	k.policy = `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"` + condRoot + `"},"Action":"kms:*","Resource":"*"},` +
		`{"Effect":"Deny","Principal":"*","Action":"kms:Encrypt","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}`
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})
	requireError(t, status, out, "AccessDeniedException", "User: "+condRoot+" is not authorized to perform: kms:Encrypt on resource: "+arn+" with an explicit deny in a resource-based policy")
	mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})
}

// The lockout check evaluates the new policy's conditions for the PutKeyPolicy request itself.
func TestConditionLockoutCheck(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	locked := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"` + condRoot + `"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}`
	status, out := call(t, w, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "Policy": locked})
	requireError(t, status, out, "MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.")
	open := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"` + condRoot + `"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}]}`
	mustCall(t, w, Caller{}, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "Policy": open})
}

func TestWildcardMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true}, {"", "a", false}, {"*", "", true}, {"*", "anything", true},
		{"a*c", "abbbc", true}, {"a*c", "abbb", false}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"*.amazonaws.com", "s3.us-east-1.amazonaws.com", true}, {"secretsmanager.*.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com", true},
		{"secretsmanager.*.amazonaws.com", "ssm.eu-west-1.amazonaws.com", false}, {"a*b*c", "aXbYbZc", true}, {"a*b*c", "aXcYb", false},
		{"??", "é!", true}, {"abc", "ABC", false}, {"**a", "ba", true},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, wildcardMatch(tc.pattern, tc.s), "%q %q", tc.pattern, tc.s)
	}
}
