package kms

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// outsider is a principal of another account: the default key policy does not allow it anything,
// so its grants alone decide.
var (
	outsider       = "arn:aws:iam::444455556666:role/outsider"
	outsiderCaller = Caller{Account: otherAccount, Principal: outsider}
)

func TestGrantConstraintsEncryptionContext(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	arn := md["Arn"].(string)
	allOps := []string{"Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
		"GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "DescribeKey"}
	_, equalsToken := grantOn(t, w, arn, map[string]any{"GranteePrincipal": outsider, "Operations": allOps,
		"Constraints": map[string]any{"EncryptionContextEquals": map[string]string{"Tenant": "a", "app": "x"}}})
	subsetID, _ := grantOn(t, w, arn, map[string]any{"GranteePrincipal": "arn:aws:iam::444455556666:role/subset", "Operations": allOps,
		"Constraints": map[string]any{"EncryptionContextSubset": map[string]string{"tenant": "a"}}})

	exact := map[string]string{"tenant": "a", "APP": "x"} // keys compare without case
	wider := map[string]string{"tenant": "a", "app": "x", "more": "y"}
	otherValue := map[string]string{"tenant": "A", "app": "x"} // values compare exactly
	subsetCaller := Caller{Account: otherAccount, Principal: "arn:aws:iam::444455556666:role/subset"}
	blob := func(ctx map[string]string) any {
		return mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": arn, "Plaintext": []byte("x"), "EncryptionContext": ctx})["CiphertextBlob"]
	}
	type attempt struct {
		op  string
		req func(ctx map[string]string) map[string]any
	}
	attempts := []attempt{
		{"Encrypt", func(ctx map[string]string) map[string]any {
			return map[string]any{"KeyId": arn, "Plaintext": []byte("x"), "EncryptionContext": ctx}
		}},
		{"Decrypt", func(ctx map[string]string) map[string]any {
			return map[string]any{"CiphertextBlob": blob(ctx), "EncryptionContext": ctx}
		}},
		{"Decrypt", func(ctx map[string]string) map[string]any {
			return map[string]any{"CiphertextBlob": blob(ctx), "EncryptionContext": ctx, "KeyId": arn}
		}},
		{"GenerateDataKey", func(ctx map[string]string) map[string]any {
			return map[string]any{"KeyId": arn, "KeySpec": "AES_256", "EncryptionContext": ctx}
		}},
		{"GenerateDataKeyWithoutPlaintext", func(ctx map[string]string) map[string]any {
			return map[string]any{"KeyId": arn, "NumberOfBytes": 16, "EncryptionContext": ctx}
		}},
		{"GenerateDataKeyPair", func(ctx map[string]string) map[string]any {
			return map[string]any{"KeyId": arn, "KeyPairSpec": "ECC_NIST_P256", "EncryptionContext": ctx}
		}},
		{"GenerateDataKeyPairWithoutPlaintext", func(ctx map[string]string) map[string]any {
			return map[string]any{"KeyId": arn, "KeyPairSpec": "ECC_NIST_P256", "EncryptionContext": ctx}
		}},
		{"ReEncrypt", func(ctx map[string]string) map[string]any {
			return map[string]any{"CiphertextBlob": blob(ctx), "SourceEncryptionContext": ctx, "DestinationKeyId": arn, "DestinationEncryptionContext": ctx}
		}},
	}
	denied := func(op string, c Caller) string {
		action := op
		switch op {
		case "ReEncrypt":
			action = "ReEncryptFrom"
		}
		return fmt.Sprintf("User: %s is not authorized to perform: kms:%s on resource: %s because no resource-based policy allows the kms:%s action",
			c.Principal, action, arn, action)
	}
	for _, a := range attempts {
		// EncryptionContextEquals: exactly that context, keys without case; a token does not lift it.
		mustCall(t, w, outsiderCaller, a.op, a.req(exact))
		withToken := a.req(exact)
		withToken["GrantTokens"] = []string{equalsToken}
		mustCall(t, w, outsiderCaller, a.op, withToken)
		for _, ctx := range []map[string]string{wider, otherValue, {"tenant": "a"}, nil} {
			status, out := callAs(t, w, outsiderCaller, a.op, a.req(ctx))
			requireError(t, status, out, "AccessDeniedException", denied(a.op, outsiderCaller))
			req := a.req(ctx)
			req["GrantTokens"] = []string{equalsToken}
			status, out = callAs(t, w, outsiderCaller, a.op, req)
			requireError(t, status, out, "AccessDeniedException", denied(a.op, outsiderCaller))
		}
		// EncryptionContextSubset: the context must contain the pairs.
		for _, ctx := range []map[string]string{{"TENANT": "a"}, exact, wider} {
			mustCall(t, w, subsetCaller, a.op, a.req(ctx))
		}
		for _, ctx := range []map[string]string{{"tenant": "b"}, {"app": "x"}, nil} {
			status, out := callAs(t, w, subsetCaller, a.op, a.req(ctx))
			requireError(t, status, out, "AccessDeniedException", denied(a.op, subsetCaller))
		}
	}
	// Constraints do not apply to DescribeKey.
	mustCall(t, w, outsiderCaller, "DescribeKey", map[string]any{"KeyId": arn})

	// ReEncrypt: ReEncryptFrom checks the source context, ReEncryptTo the destination's.
	src := blob(exact)
	mustCall(t, w, subsetCaller, "ReEncrypt", map[string]any{"CiphertextBlob": src, "SourceEncryptionContext": exact,
		"DestinationKeyId": arn, "DestinationEncryptionContext": map[string]string{"tenant": "a", "to": "dst"}})
	status, out := callAs(t, w, subsetCaller, "ReEncrypt", map[string]any{"CiphertextBlob": src, "SourceEncryptionContext": exact,
		"DestinationKeyId": arn, "DestinationEncryptionContext": map[string]string{"to": "dst"}})
	requireError(t, status, out, "AccessDeniedException", strings.ReplaceAll(denied("ReEncrypt", subsetCaller), "ReEncryptFrom", "ReEncryptTo"))

	// Revoking the subset grant leaves its grantee nothing.
	mustCall(t, w, Caller{}, "RevokeGrant", map[string]any{"KeyId": arn, "GrantId": subsetID})
	status, out = callAs(t, w, subsetCaller, "Encrypt", attempts[0].req(exact))
	requireError(t, status, out, "AccessDeniedException", denied("Encrypt", subsetCaller))
}

func TestGrantConstraintsAreListedAndSurviveExport(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	md := newKey(t, w, Caller{}, map[string]any{})
	equalsID, token := grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"Decrypt", "RetireGrant"},
		"Constraints": map[string]any{"EncryptionContextEquals": map[string]string{"k": "v"}}})
	emptyID, _ := grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"Encrypt"},
		"Constraints": map[string]any{"EncryptionContextEquals": map[string]string{}}})
	subsetID, _ := grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"GenerateDataKey"},
		"Constraints": map[string]any{"EncryptionContextSubset": map[string]string{"a": "1", "b": "2"}}})
	noneID, _ := grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"Encrypt"}, "Constraints": map[string]any{}})

	wantConstraints := map[string]any{
		equalsID: map[string]any{"EncryptionContextEquals": map[string]any{"k": "v"}},
		emptyID:  map[string]any{"EncryptionContextEquals": map[string]any{}},
		subsetID: map[string]any{"EncryptionContextSubset": map[string]any{"a": "1", "b": "2"}},
		noneID:   nil,
	}
	check := func(w *World) {
		t.Helper()
		list := mustCall(t, w, Caller{}, "ListGrants", map[string]any{"KeyId": md["KeyId"]})
		require.Len(t, list["Grants"], 4)
		for _, g := range list["Grants"].([]any) {
			entry := g.(map[string]any)
			want := wantConstraints[entry["GrantId"].(string)]
			if want == nil {
				require.NotContains(t, entry, "Constraints")
				continue
			}
			require.Equal(t, want, entry["Constraints"])
		}
		// The empty EncryptionContextEquals allows only requests without a context.
		mustCall(t, w, outsiderCaller, "Encrypt", map[string]any{"KeyId": md["Arn"], "Plaintext": []byte("x")})
		mustCall(t, w, outsiderCaller, "GenerateDataKey", map[string]any{"KeyId": md["Arn"], "KeySpec": "AES_128",
			"EncryptionContext": map[string]string{"A": "1", "B": "2", "c": "3"}})
	}
	check(w)
	state := exportWorld(t, w)
	require.Contains(t, string(state), `"constraints":{"encryptionContextEquals":{}}`)
	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, string(state), string(exportWorld(t, restored)))
	check(restored)
	mustCall(t, restored, outsiderCaller, "RetireGrant", map[string]any{"GrantToken": token})
}

func TestImportStateRefusesBadGrants(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"Decrypt"},
		"Constraints": map[string]any{"EncryptionContextEquals": map[string]string{"k": "v"}}})
	grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"Encrypt"}})
	good := string(exportWorld(t, w))
	before := good

	bad := []struct{ from, to, why string }{
		{`"constraints":{"encryptionContextEquals":{"k":"v"}}`, `"constraints":{"encryptionContextEquals":{"k":"v"},"encryptionContextSubset":{}}`, "exactly one of"},
		{`"constraints":{"encryptionContextEquals":{"k":"v"}}`, `"constraints":{}`, "exactly one of"},
		{`"operations":["Decrypt"]`, `"operations":["Decrypt","Sign"]`, "Grant constraints are not supported for the Sign operation"},
		{`"operations":["Encrypt"]`, `"operations":["Encrypt"],"moreGrantTokens":[""]`, "without a token or with a token used twice"},
	}
	for _, b := range bad {
		require.Contains(t, good, b.from)
		state := strings.Replace(good, b.from, b.to, 1)
		status, body := w.Handle(Caller{}, "WasmKMS.ImportState", []byte(state))
		require.Equal(t, 400, status, b.to)
		require.Contains(t, string(body), b.why)
		require.Equal(t, before, string(exportWorld(t, w)), "a refused state changes nothing")
	}
	// A grant ID twice, and a token twice.
	var first, second struct{ id, token string }
	for _, g := range keyOf(w, Caller{}, md).grants {
		if first.id == "" {
			first.id, first.token = g.id, g.tokens[0]
		} else {
			second.id, second.token = g.id, g.tokens[0]
		}
	}
	for _, twice := range []struct{ from, to, why string }{
		{second.id, first.id, "appears twice"},
		{second.token, first.token, "used twice"},
	} {
		status, body := w.Handle(Caller{}, "WasmKMS.ImportState", []byte(strings.Replace(good, twice.from, twice.to, 1)))
		require.Equal(t, 400, status)
		require.Contains(t, string(body), twice.why)
	}
}

func TestCreateGrantRefusals(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	rsaKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	hmacKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	eight := map[string]string{}
	for i := 0; i < 8; i++ {
		eight[fmt.Sprint("k", i)] = "v"
	}
	nine := map[string]string{"k8": "v"}
	for k, v := range eight {
		nine[k] = v
	}
	subset := func(m map[string]string) map[string]any { return map[string]any{"EncryptionContextSubset": m} }
	cases := []struct {
		key          any
		ops          []string
		constraints  map[string]any
		errName, msg string
	}{
		{md["KeyId"], []string{"CreateGrant"}, nil, "ValidationException", "Grants must not contain only the CreateGrant operation."},
		{md["KeyId"], []string{"CreateGrant", "CreateGrant"}, nil, "ValidationException", "Grants must not contain only the CreateGrant operation."},
		{md["KeyId"], []string{"Encrypt"}, map[string]any{"EncryptionContextSubset": map[string]string{"a": "b"}, "EncryptionContextEquals": map[string]string{}},
			"ValidationException", "More than one constraint supplied"},
		{md["KeyId"], []string{"Encrypt", "Sign"}, subset(map[string]string{"a": "b"}), "ValidationException",
			"Grant constraints are not supported for the Sign operation: it takes no encryption context."},
		{md["KeyId"], []string{"GenerateMac"}, subset(map[string]string{}), "ValidationException",
			"Grant constraints are not supported for the GenerateMac operation: it takes no encryption context."},
		{md["KeyId"], []string{"Encrypt"}, subset(nine), "ValidationException", "A grant constraint can include up to 8 encryption context pairs."},
		{md["KeyId"], []string{"Encrypt"}, subset(map[string]string{"a": strings.Repeat("v", 385)}), "ValidationException",
			"An encryption context value in a grant constraint cannot exceed 384 characters."},
		{rsaKey["KeyId"], []string{"Decrypt"}, subset(map[string]string{"a": "b"}), "ValidationException",
			"Grant constraints are not supported with asymmetric or HMAC KMS keys (key spec RSA_2048)."},
		{hmacKey["KeyId"], []string{"DescribeKey"}, map[string]any{"EncryptionContextEquals": map[string]string{}}, "ValidationException",
			"Grant constraints are not supported with asymmetric or HMAC KMS keys (key spec HMAC_256)."},
		// The request's own checks come before the key is looked up.
		{"alias/nope", []string{"CreateGrant"}, nil, "ValidationException", "Grants must not contain only the CreateGrant operation."},
		{"5e3d2c1b-0000-4000-8000-000000000000", []string{"Encrypt"}, subset(map[string]string{"a": "b"}), "NotFoundException",
			"Key 'arn:aws:kms:us-east-1:111122223333:key/5e3d2c1b-0000-4000-8000-000000000000' does not exist"},
	}
	for _, c := range cases {
		req := map[string]any{"KeyId": c.key, "GranteePrincipal": outsider, "Operations": c.ops}
		if c.constraints != nil {
			req["Constraints"] = c.constraints
		}
		status, out := call(t, w, "CreateGrant", req)
		requireError(t, status, out, c.errName, c.msg)
	}
	// Within the limits.
	grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"Encrypt", "DescribeKey", "RetireGrant", "CreateGrant"},
		"Constraints": subset(eight)})
	grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"Encrypt"},
		"Constraints": subset(map[string]string{"a": strings.Repeat("v", 384)})})
	grantOn(t, w, rsaKey["KeyId"], map[string]any{"GranteePrincipal": outsider, "Operations": []string{"Decrypt"}})
}

func TestConstrainedGrantCreatesOnlyAsStrictGrants(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	arn := md["Arn"].(string)
	grantOn(t, w, arn, map[string]any{"GranteePrincipal": outsider, "Operations": []string{"CreateGrant", "Encrypt"},
		"Constraints": map[string]any{"EncryptionContextSubset": map[string]string{"tenant": "a"}}})
	equalsHolder := "arn:aws:iam::444455556666:role/equals"
	_, equalsToken := grantOn(t, w, arn, map[string]any{"GranteePrincipal": equalsHolder, "Operations": []string{"CreateGrant", "Decrypt"},
		"Constraints": map[string]any{"EncryptionContextEquals": map[string]string{"tenant": "a"}}})
	equalsCaller := Caller{Account: otherAccount, Principal: equalsHolder}

	create := func(c Caller, constraints map[string]any, tokens ...string) (int, map[string]any) {
		req := map[string]any{"KeyId": arn, "GranteePrincipal": "arn:aws:iam::444455556666:role/child", "Operations": []string{"Encrypt"}}
		if constraints != nil {
			req["Constraints"] = constraints
		}
		if tokens != nil {
			req["GrantTokens"] = tokens
		}
		return callAs(t, w, c, "CreateGrant", req)
	}
	denied := func(c Caller) string {
		return fmt.Sprintf("User: %s is not authorized to perform: kms:CreateGrant on resource: %s because no resource-based policy allows the kms:CreateGrant action", c.Principal, arn)
	}
	subset := func(m map[string]string) map[string]any { return map[string]any{"EncryptionContextSubset": m} }
	equals := func(m map[string]string) map[string]any { return map[string]any{"EncryptionContextEquals": m} }

	for _, ok := range []map[string]any{subset(map[string]string{"tenant": "a"}), subset(map[string]string{"TENANT": "a", "app": "x"}),
		equals(map[string]string{"tenant": "a"}), equals(map[string]string{"tenant": "a", "app": "x"})} {
		status, out := create(outsiderCaller, ok)
		require.Equal(t, 200, status, "%v: %v", ok, out)
	}
	for _, looser := range []map[string]any{nil, subset(map[string]string{}), subset(map[string]string{"tenant": "b"}), equals(map[string]string{"app": "x"})} {
		status, out := create(outsiderCaller, looser)
		requireError(t, status, out, "AccessDeniedException", denied(outsiderCaller))
	}
	status, out := create(equalsCaller, equals(map[string]string{"Tenant": "a"}), equalsToken)
	require.Equal(t, 200, status, "%v", out)
	for _, other := range []map[string]any{nil, subset(map[string]string{"tenant": "a"}), equals(map[string]string{"tenant": "a", "app": "x"})} {
		status, out := create(equalsCaller, other, equalsToken)
		requireError(t, status, out, "AccessDeniedException", denied(equalsCaller))
	}
}
