package kms

import "testing"

// BenchmarkValidate is the validation's cost per call, by the tables (validate.go) and by the
// methods of code they replaced (model_gen_legacy_test.go): on requests as clients send them (no
// violation), and on one that breaks several constraints, nested members included.
//
//	go test ./internal/kms -run '^$' -bench Validate -count 6 | benchstat -col /by -
func BenchmarkValidate(b *testing.B) {
	keyID := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	cases := []struct {
		name string
		req  legacyRequest
	}{
		{"Encrypt", &encryptRequest{KeyId: &keyID, Plaintext: make([]byte, 32), EncryptionContext: map[string]string{"k": "v"}}},
		{"CreateGrant", &createGrantRequest{KeyId: &keyID, GranteePrincipal: new("arn:aws:iam::111122223333:role/Grantee"),
			Operations: []string{"Encrypt", "Decrypt", "GenerateDataKey"}, GrantTokens: []string{"token-a", "token-b"}, Name: new("grant-name")}},
		{"CreateKeyTags", &createKeyRequest{Description: new("a key"), KeyUsage: new("ENCRYPT_DECRYPT"), KeySpec: new("SYMMETRIC_DEFAULT"),
			Tags: []tag{{TagKey: new("k1"), TagValue: new("v1")}, {TagKey: new("k2"), TagValue: new("v2")}}}},
		{"Invalid", &createCustomKeyStoreRequest{CloudHsmClusterId: new("cluster-1"), KeyStorePassword: new("short"),
			CustomKeyStoreType: new("NOPE"), XksProxyAuthenticationCredential: &xksProxyAuthenticationCredentialType{AccessKeyId: new("x")}}},
	}
	for _, c := range cases {
		b.Run(c.name+"/by=tables", func(b *testing.B) {
			b.ReportAllocs()
			var v violations
			for b.Loop() {
				v.list = v.list[:0]
				c.req.validate(&v)
			}
		})
		b.Run(c.name+"/by=code", func(b *testing.B) {
			b.ReportAllocs()
			var v violations
			for b.Loop() {
				v.list = v.list[:0]
				c.req.legacyValidate(&v)
			}
		})
	}
}
