package kms

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultPolicy(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, china, map[string]any{})
	out := mustCall(t, w, china, "GetKeyPolicy", map[string]any{"KeyId": md["KeyId"], "PolicyName": "default"})
	require.Equal(t, "default", out["PolicyName"])
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out["Policy"].(string)), &doc))
	stmt := doc["Statement"].([]any)[0].(map[string]any)
	require.Equal(t, "Enable IAM User Permissions", stmt["Sid"])
	require.Equal(t, map[string]any{"AWS": "arn:aws-cn:iam::111122223333:root"}, stmt["Principal"])
	require.Equal(t, "kms:*", stmt["Action"])
	status, errOut := callAs(t, w, china, "GetKeyPolicy", map[string]any{"KeyId": md["KeyId"], "PolicyName": "other"})
	requireError(t, status, errOut, "NotFoundException", "The only valid policy name is default.")
}

// Keys made with the default policy share its text and parsed document (defaultPolicyOf), each the
// policy of its own account and partition however the accounts take turns; the shared document
// answers as the key's own text parsed would.
func TestDefaultPolicyShared(t *testing.T) {
	w := NewWorld(Options{})
	other := Caller{Account: "444455556666"}
	var keys []*key
	for _, c := range []Caller{{}, {}, other, china, {}, other} {
		id := newKey(t, w, c, map[string]any{})["KeyId"].(string)
		k := w.keyByIDInRegion(resolveCaller(c).region, id)
		require.NotNil(t, k)
		cc := resolveCaller(c)
		require.Equal(t, defaultPolicy(cc.partition(), cc.account), k.policy)
		parsed, err := parsePolicy(k.policy)
		require.Nil(t, err)
		require.Equal(t, parsed, k.policyCache)
		require.Equal(t, k.policy, k.policyCacheOf)
		require.Nil(t, k.authorize(cc, "kms:Encrypt"))
		require.NotNil(t, k.authorize(caller{account: "999988887777", region: cc.region, principal: "arn:aws:iam::999988887777:root"}, "kms:Encrypt"))
		keys = append(keys, k)
	}
	require.Same(t, keys[0].policyCache, keys[1].policyCache, "two keys of one account in a row share the parsed policy")
}

func crossAccountPolicy(owner, other string, actions ...string) string {
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{"Sid": "owner", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + owner + ":root"}, "Action": "kms:*", "Resource": "*"},
			map[string]any{"Sid": "other", "Effect": "Allow", "Principal": map[string]any{"AWS": []string{other}}, "Action": actions, "Resource": "*"},
		},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

func TestCrossAccountUse(t *testing.T) {
	w := NewWorld(Options{})
	other := Caller{Account: "444455556666"}
	md := newKey(t, w, Caller{}, map[string]any{})
	arn := md["Arn"].(string)
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/shared", "TargetKeyId": md["KeyId"]})
	plain := map[string]any{"KeyId": arn, "Plaintext": []byte("x")}

	// Default policy: the other account is refused, with the real text.
	status, out := callAs(t, w, other, "Encrypt", plain)
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:Encrypt on resource: "+arn+" because no resource-based policy allows the kms:Encrypt action")
	// By key ID the other account looks in its own account.
	status, out = callAs(t, w, other, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})
	requireError(t, status, out, "NotFoundException", "Key 'arn:aws:kms:us-east-1:444455556666:key/"+md["KeyId"].(string)+"' does not exist")

	mustCall(t, w, Caller{}, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "PolicyName": "default", "Policy": crossAccountPolicy("111122223333", "444455556666", "kms:Encrypt", "kms:Decrypt")})
	enc := mustCall(t, w, other, "Encrypt", plain)
	require.Equal(t, arn, enc["KeyId"])
	enc = mustCall(t, w, other, "Encrypt", map[string]any{"KeyId": "arn:aws:kms:us-east-1:111122223333:alias/shared", "Plaintext": []byte("x")})
	require.Equal(t, arn, enc["KeyId"])
	// Decrypt without KeyId: the blob names the key, and the policy allows kms:Decrypt.
	dec := mustCall(t, w, other, "Decrypt", map[string]any{"CiphertextBlob": enc["CiphertextBlob"]})
	require.Equal(t, arn, dec["KeyId"])
	// DescribeKey is not in the statement.
	status, out = callAs(t, w, other, "DescribeKey", map[string]any{"KeyId": arn})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:DescribeKey on resource: "+arn+" because no resource-based policy allows the kms:DescribeKey action")
	// Key management is never cross-account.
	status, out = callAs(t, w, other, "DisableKey", map[string]any{"KeyId": arn})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:DisableKey on resource: "+arn+" because no resource-based policy allows the kms:DisableKey action")

	// An explicit Deny wins over the Allow.
	deny := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"},` +
		`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:*","Resource":"*"},` +
		`{"Effect":"Deny","Principal":"*","Action":"kms:Encrypt*","Resource":"*"}]}`
	mustCall(t, w, Caller{}, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "Policy": deny})
	status, out = callAs(t, w, other, "Encrypt", plain)
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:Encrypt on resource: "+arn+" with an explicit deny in a resource-based policy")
	status, out = call(t, w, "Encrypt", plain)
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:Encrypt on resource: "+arn+" with an explicit deny in a resource-based policy")
}

func TestPutKeyPolicyChecks(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	lockout := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"kms:*","Resource":"*"}]}`
	status, out := call(t, w, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "Policy": lockout})
	requireError(t, status, out, "MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.")
	status, out = call(t, w, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "Policy": "[]"})
	requireError(t, status, out, "MalformedPolicyDocumentException", "The policy is not a valid JSON object.")
	status, out = call(t, w, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"]})
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null")
	mustCall(t, w, Caller{}, "PutKeyPolicy", map[string]any{"KeyId": md["KeyId"], "Policy": lockout, "BypassPolicyLockoutSafetyCheck": true})
	// Now the owner itself is locked out, as in AWS.
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x")})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:Encrypt on resource: "+md["Arn"].(string)+" because no identity-based policy allows the kms:Encrypt action")
}
