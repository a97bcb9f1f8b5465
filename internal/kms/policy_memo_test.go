package kms

import "testing"

// authorizeRequest keeps the last request a key's unconditional policy allowed (allowedRequest): a
// changed policy, another action, or a policy with conditions must each be judged again.
func TestAllowedRequestIsJudgedAgainWhenAnythingChanges(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	keyID, arn := md["KeyId"], md["Arn"].(string)
	plain := map[string]any{"KeyId": keyID, "Plaintext": []byte("x")}
	sealed := mustCall(t, w, Caller{}, "Encrypt", plain)["CiphertextBlob"]
	mustCall(t, w, Caller{}, "Encrypt", plain) // allowed again, from the kept answer

	// Only Encrypt and PutKeyPolicy: Decrypt is refused though Encrypt was just allowed.
	encryptOnly := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Encrypt","kms:PutKeyPolicy"],"Resource":"*"}]}`
	mustCall(t, w, Caller{}, "PutKeyPolicy", map[string]any{"KeyId": keyID, "Policy": encryptOnly})
	mustCall(t, w, Caller{}, "Encrypt", plain)
	status, out := call(t, w, "Decrypt", map[string]any{"CiphertextBlob": sealed})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:Decrypt on resource: "+arn+" because no identity-based policy allows the kms:Decrypt action")

	// A condition on the encryption context: allowed with it, refused without, in either order.
	conditional := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*",` +
		`"Condition":{"StringEquals":{"kms:EncryptionContext:purpose":"test"}}}]}`
	mustCall(t, w, Caller{}, "PutKeyPolicy", map[string]any{"KeyId": keyID, "Policy": conditional, "BypassPolicyLockoutSafetyCheck": true})
	withContext := map[string]any{"KeyId": keyID, "Plaintext": []byte("x"), "EncryptionContext": map[string]string{"purpose": "test"}}
	for range 2 {
		mustCall(t, w, Caller{}, "Encrypt", withContext)
		status, out = call(t, w, "Encrypt", plain)
		requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:Encrypt on resource: "+arn+" because no identity-based policy allows the kms:Encrypt action")
	}

	// Another principal's policy: the owner, allowed a moment ago, is refused.
	lockout := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"kms:*","Resource":"*"}]}`
	w2 := NewWorld(Options{})
	md2 := newKey(t, w2, Caller{}, map[string]any{})
	plain2 := map[string]any{"KeyId": md2["KeyId"], "Plaintext": []byte("x")}
	mustCall(t, w2, Caller{}, "Encrypt", plain2)
	mustCall(t, w2, Caller{}, "PutKeyPolicy", map[string]any{"KeyId": md2["KeyId"], "Policy": lockout, "BypassPolicyLockoutSafetyCheck": true})
	// PutKeyPolicy again: the call before was allowed by the old policy, and this one is judged by the new.
	status, out = call(t, w2, "PutKeyPolicy", map[string]any{"KeyId": md2["KeyId"], "Policy": lockout, "BypassPolicyLockoutSafetyCheck": true})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:PutKeyPolicy on resource: "+md2["Arn"].(string)+" because no identity-based policy allows the kms:PutKeyPolicy action")
	status, out = call(t, w2, "Encrypt", plain2)
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:Encrypt on resource: "+md2["Arn"].(string)+" because no identity-based policy allows the kms:Encrypt action")
}
