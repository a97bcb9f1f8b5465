package kms

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	otherAccount   = "444455556666"
	appRole        = "arn:aws:iam::111122223333:role/app"
	retirerRole    = "arn:aws:iam::444455556666:role/retirer"
	strangerRole   = "arn:aws:iam::111122223333:role/stranger"
	defaultRootARN = "arn:aws:iam::111122223333:root"
)

var (
	appCaller      = Caller{Principal: appRole}
	retirerCaller  = Caller{Account: otherAccount, Principal: retirerRole}
	strangerCaller = Caller{Principal: strangerRole}
)

// grantOn creates a grant on the key and answers its ID and token.
func grantOn(t *testing.T, w *World, keyID any, req map[string]any) (id, token string) {
	t.Helper()
	req["KeyId"] = keyID
	out := mustCall(t, w, Caller{}, "CreateGrant", req)
	return out["GrantId"].(string), out["GrantToken"].(string)
}

func grantIDs(t *testing.T, list map[string]any) []string {
	t.Helper()
	ids := []string{}
	for _, g := range list["Grants"].([]any) {
		ids = append(ids, g.(map[string]any)["GrantId"].(string))
	}
	return ids
}

func TestRetireGrantByTokenAndByKeyAndGrantID(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	md := newKey(t, w, Caller{}, map[string]any{})
	byToken, token := grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": appRole, "RetiringPrincipal": retirerRole, "Operations": []string{"Encrypt"}})
	byARN, _ := grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": appRole, "RetiringPrincipal": retirerRole, "Operations": []string{"Decrypt"}})
	byID, _ := grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": appRole, "Operations": []string{"Decrypt"}})

	// The retiring principal, from another account, by token; the key's account by key ID.
	status, out := callAs(t, w, retirerCaller, "RetireGrant", map[string]any{"GrantToken": token, "DryRun": true})
	requireError(t, status, out, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")
	mustCall(t, w, retirerCaller, "RetireGrant", map[string]any{"GrantToken": token})
	mustCall(t, w, retirerCaller, "RetireGrant", map[string]any{"KeyId": md["Arn"], "GrantId": byARN})
	mustCall(t, w, Caller{}, "RetireGrant", map[string]any{"KeyId": md["KeyId"], "GrantId": byID})
	list := mustCall(t, w, Caller{}, "ListGrants", map[string]any{"KeyId": md["KeyId"]})
	require.Empty(t, list["Grants"])

	// A retired grant's token names nothing any more, anywhere.
	status, out = callAs(t, w, retirerCaller, "RetireGrant", map[string]any{"GrantToken": token})
	requireError(t, status, out, "InvalidGrantTokenException", "Grant token is invalid.")
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": md["KeyId"], "Plaintext": []byte("x"), "GrantTokens": []string{token}})
	requireError(t, status, out, "InvalidGrantTokenException", "Grant token is invalid.")
	status, out = call(t, w, "RetireGrant", map[string]any{"KeyId": md["KeyId"], "GrantId": byToken})
	requireError(t, status, out, "NotFoundException", "Grant ID "+byToken+" not found")
}

func TestRetireGrantWhoMay(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	arn := md["Arn"].(string)
	cases := []struct {
		name      string
		grant     map[string]any
		caller    Caller
		principal string
		allowed   bool
	}{
		{"the retiring principal", map[string]any{"RetiringPrincipal": retirerRole, "Operations": []string{"Encrypt"}}, retirerCaller, retirerRole, true},
		{"the grantee when the grant allows RetireGrant", map[string]any{"Operations": []string{"Encrypt", "RetireGrant"}}, appCaller, appRole, true},
		{"the grantee when the grant does not allow RetireGrant", map[string]any{"RetiringPrincipal": retirerRole, "Operations": []string{"Encrypt"}}, appCaller, appRole, false},
		{"the key's account", map[string]any{"Operations": []string{"Encrypt"}}, Caller{}, defaultRootARN, true},
		{"another principal of the key's account", map[string]any{"RetiringPrincipal": retirerRole, "Operations": []string{"Encrypt", "RetireGrant"}}, strangerCaller, strangerRole, false},
		{"another account's root", map[string]any{"RetiringPrincipal": retirerRole, "Operations": []string{"Encrypt"}}, Caller{Account: otherAccount}, "arn:aws:iam::444455556666:root", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.grant["GranteePrincipal"] = appRole
			for _, byToken := range []bool{true, false} {
				id, token := grantOn(t, w, md["KeyId"], c.grant)
				req := map[string]any{"KeyId": arn, "GrantId": id}
				if byToken {
					req = map[string]any{"GrantToken": token}
				}
				status, out := callAs(t, w, c.caller, "RetireGrant", req)
				left := grantIDs(t, mustCall(t, w, Caller{}, "ListGrants", map[string]any{"KeyId": arn, "GrantId": id}))
				if c.allowed {
					require.Equal(t, 200, status, "%v", out)
					require.Empty(t, left)
					continue
				}
				kind := "identity-based"
				if c.caller.Account == otherAccount {
					kind = "resource-based"
				}
				requireError(t, status, out, "AccessDeniedException", fmt.Sprintf(
					"User: %s is not authorized to perform: kms:RetireGrant on resource: %s because no %s policy allows the kms:RetireGrant action", c.principal, arn, kind))
				require.Equal(t, []string{id}, left)
			}
		})
	}
}

func TestRetireGrantErrors(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	other := newKey(t, w, Caller{}, map[string]any{})
	id, token := grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": appRole, "Operations": []string{"Encrypt"}})
	west := Caller{Region: "us-west-2"}
	missingID := "0000000000000000000000000000000000000000000000000000000000000000"
	cases := []struct {
		caller       Caller
		req          map[string]any
		errName, msg string
	}{
		{Caller{}, map[string]any{}, "ValidationException", "RetireGrant needs a GrantToken, or both KeyId and GrantId."},
		{Caller{}, map[string]any{"KeyId": md["KeyId"]}, "ValidationException", "RetireGrant needs a GrantToken, or both KeyId and GrantId."},
		{Caller{}, map[string]any{"GrantId": id}, "ValidationException", "RetireGrant needs a GrantToken, or both KeyId and GrantId."},
		{Caller{}, map[string]any{"GrantToken": ""}, "ValidationException", "1 validation error detected: Value '' at 'grantToken' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{Caller{}, map[string]any{"KeyId": md["KeyId"], "GrantId": fmt.Sprintf("%0129d", 0)}, "ValidationException", "1 validation error detected: Value '" + fmt.Sprintf("%0129d", 0) + "' at 'grantId' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{Caller{}, map[string]any{"GrantToken": "not-a-token"}, "InvalidGrantTokenException", "Grant token is invalid."},
		{west, map[string]any{"GrantToken": token}, "InvalidGrantTokenException", "Grant token is invalid."},
		{Caller{}, map[string]any{"KeyId": md["KeyId"], "GrantId": missingID}, "NotFoundException", "Grant ID " + missingID + " not found"},
		{Caller{}, map[string]any{"KeyId": other["KeyId"], "GrantId": id}, "NotFoundException", "Grant ID " + id + " not found"},
		{Caller{}, map[string]any{"KeyId": "alias/nope", "GrantId": id}, "NotFoundException", "Invalid keyId 'alias/nope'"},
		{Caller{}, map[string]any{"KeyId": "5e3d2c1b-0000-4000-8000-000000000000", "GrantId": id}, "NotFoundException", "Key 'arn:aws:kms:us-east-1:111122223333:key/5e3d2c1b-0000-4000-8000-000000000000' does not exist"},
		{Caller{}, map[string]any{"GrantToken": token, "GrantId": missingID}, "ValidationException", "The KeyId and GrantId do not name the grant of the GrantToken."},
		{Caller{}, map[string]any{"GrantToken": token, "KeyId": other["KeyId"]}, "ValidationException", "The KeyId and GrantId do not name the grant of the GrantToken."},
	}
	for _, c := range cases {
		status, out := callAs(t, w, c.caller, "RetireGrant", c.req)
		requireError(t, status, out, c.errName, c.msg)
	}
	// Still there after all that; a token with its own key and grant ID is fine.
	mustCall(t, w, Caller{}, "RetireGrant", map[string]any{"GrantToken": token, "KeyId": md["Arn"], "GrantId": id})
}

func TestCreateGrantWithNameIsIdempotent(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	req := func() map[string]any {
		return map[string]any{"GranteePrincipal": appRole, "RetiringPrincipal": retirerRole, "Name": "app", "Operations": []string{"Encrypt", "Decrypt"},
			"Constraints": map[string]any{"EncryptionContextSubset": map[string]string{"tenant": "a"}}}
	}
	id, first := grantOn(t, w, md["KeyId"], req())
	again := req()
	again["Operations"] = []string{"Decrypt", "Encrypt"} // the same set
	sameID, second := grantOn(t, w, md["KeyId"], again)
	require.Equal(t, id, sameID)
	require.NotEqual(t, first, second)
	require.Len(t, mustCall(t, w, Caller{}, "ListGrants", map[string]any{"KeyId": md["KeyId"]})["Grants"], 1)

	// Both tokens work, and survive an export; retiring by one forgets both.
	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", exportWorld(t, w))
	require.Equal(t, 200, status, string(body))
	for _, tok := range []string{first, second} {
		mustCall(t, restored, appCaller, "Encrypt", map[string]any{"KeyId": md["Arn"], "Plaintext": []byte("x"),
			"EncryptionContext": map[string]string{"tenant": "a"}, "GrantTokens": []string{tok}})
	}
	mustCall(t, restored, retirerCaller, "RetireGrant", map[string]any{"GrantToken": first})
	status, out := callAs(t, restored, appCaller, "DescribeKey", map[string]any{"KeyId": md["Arn"], "GrantTokens": []string{second}})
	requireError(t, status, out, "InvalidGrantTokenException", "Grant token is invalid.")

	// Any other parameter makes another grant; so does no Name at all.
	changes := []func(map[string]any){
		func(r map[string]any) { r["Name"] = "other" },
		func(r map[string]any) { r["GranteePrincipal"] = strangerRole },
		func(r map[string]any) { delete(r, "RetiringPrincipal") },
		func(r map[string]any) { r["Operations"] = []string{"Encrypt"} },
		func(r map[string]any) {
			r["Constraints"] = map[string]any{"EncryptionContextSubset": map[string]string{"tenant": "b"}}
		},
		func(r map[string]any) {
			r["Constraints"] = map[string]any{"EncryptionContextEquals": map[string]string{"tenant": "a"}}
		},
		func(r map[string]any) { delete(r, "Constraints") },
	}
	seen := map[string]bool{id: true}
	for i, change := range changes {
		r := req()
		change(r)
		newID, _ := grantOn(t, w, md["KeyId"], r)
		require.False(t, seen[newID], "change %d answered an existing grant", i)
		seen[newID] = true
	}
	plain := map[string]any{"GranteePrincipal": appRole, "Operations": []string{"Encrypt"}}
	a, _ := grantOn(t, w, md["KeyId"], plain)
	b, _ := grantOn(t, w, md["KeyId"], plain)
	require.NotEqual(t, a, b)
	// The same name on another key is another grant.
	otherKey := newKey(t, w, Caller{}, map[string]any{})
	elsewhere, _ := grantOn(t, w, otherKey["KeyId"], req())
	require.NotEqual(t, id, elsewhere)
}

func TestListRetirableGrants(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	mine := newKey(t, w, Caller{}, map[string]any{})
	theirs := newKey(t, w, Caller{Account: otherAccount}, map[string]any{})
	west := newKey(t, w, Caller{Region: "us-west-2"}, map[string]any{})
	var want []string
	for i := 0; i < 3; i++ {
		id, _ := grantOn(t, w, mine["KeyId"], map[string]any{"GranteePrincipal": appRole, "RetiringPrincipal": retirerRole, "Operations": []string{"Encrypt"}})
		want = append(want, id)
	}
	theirGrant := mustCall(t, w, Caller{Account: otherAccount}, "CreateGrant", map[string]any{"KeyId": theirs["KeyId"], "GranteePrincipal": appRole,
		"RetiringPrincipal": retirerRole, "Operations": []string{"Decrypt"}, "Constraints": map[string]any{"EncryptionContextEquals": map[string]string{}}})
	want = append(want, theirGrant["GrantId"].(string))
	mustCall(t, w, Caller{Region: "us-west-2"}, "CreateGrant", map[string]any{"KeyId": west["KeyId"], "GranteePrincipal": appRole,
		"RetiringPrincipal": retirerRole, "Operations": []string{"Encrypt"}})
	grantOn(t, w, mine["KeyId"], map[string]any{"GranteePrincipal": appRole, "RetiringPrincipal": strangerRole, "Operations": []string{"Encrypt"}})
	grantOn(t, w, mine["KeyId"], map[string]any{"GranteePrincipal": retirerRole, "Operations": []string{"Encrypt"}})

	// Every account's keys in the caller's region; the entries are ListGrants's.
	all := mustCall(t, w, retirerCaller, "ListRetirableGrants", map[string]any{"RetiringPrincipal": retirerRole})
	require.Equal(t, want, grantIDs(t, all))
	require.Equal(t, false, all["Truncated"])
	require.Equal(t, map[string]any{"KeyId": theirs["Arn"], "GrantId": want[3], "CreationDate": epochOf(fixedNow), "GranteePrincipal": appRole,
		"RetiringPrincipal": retirerRole, "IssuingAccount": "arn:aws:iam::444455556666:root", "Operations": []any{"Decrypt"},
		"Constraints": map[string]any{"EncryptionContextEquals": map[string]any{}}}, all["Grants"].([]any)[3])

	page := mustCall(t, w, Caller{}, "ListRetirableGrants", map[string]any{"RetiringPrincipal": retirerRole, "Limit": 3})
	require.Equal(t, want[:3], grantIDs(t, page))
	require.Equal(t, true, page["Truncated"])
	rest := mustCall(t, w, Caller{}, "ListRetirableGrants", map[string]any{"RetiringPrincipal": retirerRole, "Limit": 3, "Marker": page["NextMarker"]})
	require.Equal(t, want[3:], grantIDs(t, rest))
	require.NotContains(t, rest, "NextMarker")

	none := mustCall(t, w, Caller{}, "ListRetirableGrants", map[string]any{"RetiringPrincipal": "arn:aws:iam::111122223333:role/nobody"})
	require.Equal(t, map[string]any{"Grants": []any{}, "Truncated": false}, none)

	status, out := call(t, w, "ListRetirableGrants", map[string]any{})
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value null at 'retiringPrincipal' failed to satisfy constraint: Member must not be null")
	status, out = call(t, w, "ListRetirableGrants", map[string]any{"RetiringPrincipal": retirerRole, "Marker": "bogus"})
	requireError(t, status, out, "InvalidMarkerException", "Invalid marker.")
}

func TestGrantListsAnswerFiftyWithoutLimit(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	for i := 0; i < 51; i++ {
		grantOn(t, w, md["KeyId"], map[string]any{"GranteePrincipal": appRole, "RetiringPrincipal": retirerRole, "Operations": []string{"Encrypt"}})
	}
	for op, req := range map[string]map[string]any{"ListGrants": {"KeyId": md["KeyId"]}, "ListRetirableGrants": {"RetiringPrincipal": retirerRole}} {
		first := mustCall(t, w, Caller{}, op, req)
		require.Len(t, first["Grants"], 50, op)
		require.Equal(t, true, first["Truncated"], op)
		req["Marker"] = first["NextMarker"]
		require.Len(t, mustCall(t, w, Caller{}, op, req)["Grants"], 1, op)
	}
}
