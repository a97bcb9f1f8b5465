package kms

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// checkCallerText answers WasmKMS.CheckCaller's refusal text for c, or "" when the world accepts c.
func checkCallerText(t *testing.T, w *World, c Caller) string {
	t.Helper()
	status, resp := w.Handle(c, "WasmKMS.CheckCaller", nil)
	if status == 200 {
		require.JSONEq(t, `{}`, string(resp))
		return ""
	}
	var refusal struct{ Type, Message string }
	require.NoError(t, json.Unmarshal(resp, &struct {
		Type    *string `json:"__type"`
		Message *string `json:"message"`
	}{&refusal.Type, &refusal.Message}))
	require.Equal(t, "ValidationException", refusal.Type)
	return refusal.Message
}

func TestEveryRegionOfEveryPartitionIsAccepted(t *testing.T) {
	w := NewWorld(Options{})
	for _, p := range awsPartitions {
		for _, region := range p.regions {
			c := Caller{Region: region}
			require.Empty(t, checkCallerText(t, w, c), region)
			md := newKey(t, w, c, map[string]any{})
			require.Equal(t, "arn:"+p.id+":kms:"+region+":111122223333:key/"+md["KeyId"].(string), md["Arn"])
		}
	}
}

func TestRegionsAWSWouldNotServeAreRefused(t *testing.T) {
	for _, tc := range []struct{ region, text string }{
		{"mars-1", `Region not accepted: region="mars-1" is not an AWS Region (partition aws), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`},
		{"us-east", `Region not accepted: region="us-east" is not an AWS Region (partition aws), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`},
		{"us-east-9", `Region not accepted: region="us-east-9" is not an AWS Region (partition aws), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`},
		{"cn-south-1", `Region not accepted: region="cn-south-1" is not an AWS Region (partition aws-cn: cn-north-1, cn-northwest-1), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`},
		{"us-gov-north-1", `Region not accepted: region="us-gov-north-1" is not an AWS Region (partition aws-us-gov: us-gov-east-1, us-gov-west-1), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`},
		{"aws-global", `Region not accepted: region="aws-global" is not an AWS Region (partition aws), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`},
		{"US-EAST-1", `Region not accepted: region="US-EAST-1" is not an AWS Region (partition aws), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`},
		{"us east 1", `Region not accepted: region="us east 1" is not a valid hostname component.`},
		{"us-east-1-", `Region not accepted: region="us-east-1-" is not a valid hostname component.`},
		{"eu-west-1.evil", `Region not accepted: region="eu-west-1.evil" is not a valid hostname component.`},
	} {
		t.Run(tc.region, func(t *testing.T) {
			w := NewWorld(Options{})
			c := Caller{Region: tc.region}
			require.Equal(t, tc.text, checkCallerText(t, w, c))
			// On the wire, AWS's answer to a credential scoped to that Region.
			status, out := callAs(t, w, c, "ListKeys", map[string]any{})
			require.Equal(t, 400, status)
			requireError(t, status, out, "InvalidSignatureException", "Credential should be scoped to a valid region, not '"+tc.region+"'. ")
			// The direct path refuses alike.
			_, status, body := w.Encrypt(c, EncryptInput{KeyID: new("alias/x"), Plaintext: []byte("x")})
			require.Equal(t, 400, status)
			require.Contains(t, string(body), `"InvalidSignatureException"`)
		})
	}
}

func TestAllowAnyRegionTakesAnyHostLabel(t *testing.T) {
	w := NewWorld(Options{AllowAnyRegion: true})
	for _, region := range []string{"mars-1", "local", "us-east", "cn-south-1"} {
		c := Caller{Region: region}
		require.Empty(t, checkCallerText(t, w, c), region)
		md := newKey(t, w, c, map[string]any{})
		require.Equal(t, "arn:"+partitionOf(region)+":kms:"+region+":111122223333:key/"+md["KeyId"].(string), md["Arn"])
	}
	// cn-south-1 follows the aws-cn pattern: its keys have aws-cn ARNs and SM2, as the China Regions'.
	require.Equal(t, "aws-cn", partitionOf("cn-south-1"))
	newKey(t, w, Caller{Region: "cn-south-1"}, map[string]any{"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"})
	// Fixtures too may be in any such Region.
	status, resp := w.Handle(Caller{}, "WasmKMS.LoadFixtures", []byte(`{"keys":[{"region":"local-1","aliases":["alias/here"]}]}`))
	require.Equal(t, 200, status, "%s", resp)
	mustCall(t, w, Caller{Region: "local-1"}, "DescribeKey", map[string]any{"KeyId": "alias/here"})
	// A name no SDK would put in a host name is refused even so.
	require.Equal(t, `Region not accepted: region="a:b" is not a valid hostname component.`, checkCallerText(t, w, Caller{Region: "a:b"}))
}

func TestAccountsThatAreNot12DigitsAreRefused(t *testing.T) {
	w := NewWorld(Options{AllowAnyRegion: true})
	for _, account := range []string{"1234", "1111222233334", "11112222333a", "１１１１２２２２３３３３", " 111122223333"} {
		c := Caller{Account: account}
		require.Equal(t, fmt.Sprintf("Account not accepted: accountId=%q is not an AWS account ID (12 digits).", account), checkCallerText(t, w, c))
		status, out := callAs(t, w, c, "ListKeys", map[string]any{})
		requireError(t, status, out, "UnrecognizedClientException", "The security token included in the request is invalid.")
	}
	require.Empty(t, checkCallerText(t, w, Caller{Account: "000000000000"}))
}

// A refused call never reaches KMS: no fault fires for it, and the journal does not keep it.
func TestRefusedCallersReachNoFaultNorJournal(t *testing.T) {
	w := NewWorld(Options{})
	status, resp := w.Handle(Caller{}, "WasmKMS.AddFault", []byte(`{"error":"ThrottlingException","times":1}`))
	require.Equal(t, 200, status, "%s", resp)
	status, out := callAs(t, w, Caller{Region: "mars-1"}, "ListKeys", map[string]any{})
	requireError(t, status, out, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'mars-1'. ")
	status, out = call(t, w, "ListKeys", map[string]any{})
	requireError(t, status, out, "ThrottlingException", "Rate exceeded")
	_, resp = w.Handle(Caller{}, "WasmKMS.Calls", nil)
	var journal struct{ Calls []struct{ Region string } }
	require.NoError(t, json.Unmarshal(resp, &journal))
	require.Len(t, journal.Calls, 1)
	require.Equal(t, "us-east-1", journal.Calls[0].Region)
}

// Requests that change nothing (reads, and refusals of every kind) leave nothing behind, whatever
// account and Region they name: the world holds no region for them afterwards.
func TestReadsAndRefusalsInUnknownRegionsMaterialiseNothing(t *testing.T) {
	w := NewWorld(Options{AllowAnyRegion: true})
	home := Caller{}
	keyID := newKey(t, w, home, map[string]any{})["KeyId"].(string)
	mustCall(t, w, home, "CreateAlias", map[string]any{"AliasName": "alias/home", "TargetKeyId": keyID})
	blob := mustCall(t, w, home, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("x")})["CiphertextBlob"]
	// A fault that names a key makes every call look its key up, and the fault's (an AWS managed key's
	// alias, which a KMS call naming it would create): those looks must create nothing either.
	status, resp := w.Handle(home, "WasmKMS.AddFault", []byte(`{"keyId":"alias/aws/ebs","error":"ThrottlingException"}`))
	require.Equal(t, 200, status, "%s", resp)
	regionsBefore := len(w.regions)

	blobBytes, err := base64.StdEncoding.DecodeString(blob.(string))
	require.NoError(t, err)
	type request struct {
		op  string
		req map[string]any
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const requests = 500
	for i := range requests {
		c := Caller{Account: fmt.Sprintf("%012d", rng.Int64N(1e12)), Region: fmt.Sprintf("r%d-%d", rng.IntN(1e6), i)}
		if i%3 == 0 {
			c.Account = "" // the default account, in a Region it has never used
		}
		reads := []request{
			{"DescribeKey", map[string]any{"KeyId": keyID}},
			{"DescribeKey", map[string]any{"KeyId": "alias/home"}},
			{"DescribeKey", map[string]any{"KeyId": "arn:aws:kms:" + c.Region + ":111122223333:key/" + keyID}},
			{"DescribeKey", map[string]any{"KeyId": "arn:aws:kms:" + c.Region + ":444455556666:alias/elsewhere"}},
			{"Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("x")}},
			{"ListKeys", map[string]any{}},
			{"ListAliases", map[string]any{}},
			{"ListAliases", map[string]any{"KeyId": keyID}},
			{"GetKeyPolicy", map[string]any{"KeyId": keyID, "PolicyName": "default"}},
			{"ListGrants", map[string]any{"KeyId": keyID}},
			{"ListRetirableGrants", map[string]any{"RetiringPrincipal": "arn:aws:iam::111122223333:root"}},
			{"DescribeCustomKeyStores", map[string]any{}},
			{"Decrypt", map[string]any{"CiphertextBlob": blob}},
			{"GenerateRandom", map[string]any{"NumberOfBytes": 8}},
		}
		for _, r := range reads {
			status, out := callAs(t, w, c, r.op, r.req)
			require.Equal(t, regionsBefore, len(w.regions), "%s %v", r.op, r.req)
			require.Less(t, status, 500, "%s in %+v answered %v", r.op, c, out)
		}
		refusedChanges := []request{
			{"CreateKey", map[string]any{"KeySpec": "NOT_A_SPEC"}},
			{"CreateKey", map[string]any{"KeySpec": "SM2"}}, // China Regions only
			{"CreateAlias", map[string]any{"AliasName": "alias/new", "TargetKeyId": keyID}},
			{"CreateAlias", map[string]any{"AliasName": "alias/aws/x", "TargetKeyId": keyID}},
			{"DeleteAlias", map[string]any{"AliasName": "alias/home"}},
			{"UpdateAlias", map[string]any{"AliasName": "alias/home", "TargetKeyId": keyID}},
			{"ReplicateKey", map[string]any{"KeyId": keyID, "ReplicaRegion": "us-west-2"}},
			{"ScheduleKeyDeletion", map[string]any{"KeyId": keyID}},
			{"CreateGrant", map[string]any{"KeyId": keyID, "GranteePrincipal": "arn:aws:iam::111122223333:root", "Operations": []string{"Decrypt"}}},
			{"TagResource", map[string]any{"KeyId": keyID, "Tags": []map[string]string{{"TagKey": "k", "TagValue": "v"}}}},
			{"DeleteCustomKeyStore", map[string]any{"CustomKeyStoreId": "cks-1234567890abcdef0"}},
		}
		for _, r := range refusedChanges {
			status, out := callAs(t, w, c, r.op, r.req)
			require.Equal(t, 400, status, "%s in %+v answered %v", r.op, c, out)
		}
		_, status, body := w.Decrypt(c, DecryptInput{CiphertextBlob: blobBytes})
		require.Equal(t, 400, status, "%s", body)
		// Another account in the key's Region, naming the key by its ARN: the fault's alias is looked
		// up in that account, which holds nothing.
		other := Caller{Account: fmt.Sprintf("%012d", rng.Int64N(1e12))}
		for _, op := range []string{"DescribeKey", "Encrypt"} {
			status, out := callAs(t, w, other, op, map[string]any{"KeyId": "arn:aws:kms:us-east-1:111122223333:key/" + keyID, "Plaintext": []byte("x")})
			require.Equal(t, 400, status, "%s answered %v", op, out)
		}
	}
	require.Equal(t, regionsBefore, len(w.regions), "requests that changed nothing created regions")
	// Nor did the fault's look make the AWS managed key in the home Region.
	aliases := mustCall(t, w, home, "ListAliases", map[string]any{})["Aliases"].([]any)
	for _, a := range aliases {
		if a := a.(map[string]any); a["AliasName"] == "alias/aws/ebs" {
			require.NotContains(t, a, "TargetKeyId")
		}
	}
	require.Equal(t, region{}, noRegion, "a write reached the shared empty region")
}

// A client configured with a FIPS pseudo-Region calls its Region through the FIPS endpoint, as the JS
// SDK resolves it (getRealRegion): WasmKMS.CheckCaller answers that Region, which the in-process hosts
// call as, so the client sees the Region's keys. On the wire, a credential scoped to the pseudo-Region
// itself (as aws-sdk-go-v2 signs) is refused as AWS refuses it.
func TestFIPSPseudoRegionsCallTheirRegion(t *testing.T) {
	for name, want := range map[string]string{
		"us-east-1-fips": "us-east-1", "fips-us-east-1": "us-east-1", "fips-dkr-us-east-2": "us-east-2",
		"fips-prod-us-west-2": "us-west-2", "us-gov-west-1-fips": "us-gov-west-1", "fips-ca-central-1": "ca-central-1",
		"fips-aws-global": "us-east-1", "aws-fips": "us-east-1", "us-east-1": "us-east-1", "fips": "fips",
		"us-fips-east-1": "us-fips-east-1",
	} {
		got, fips := fipsPseudoRegion(name)
		require.Equal(t, want, got, name)
		require.Equal(t, name != want, fips, name)
	}

	w := NewWorld(Options{})
	key := newKey(t, w, Caller{}, map[string]any{})
	for _, name := range []string{"us-east-1-fips", "fips-us-east-1"} {
		status, resp := w.Handle(Caller{Region: name}, "WasmKMS.CheckCaller", nil)
		require.Equal(t, 200, status, "%s", resp)
		require.JSONEq(t, `{"Region":"us-east-1","UseFipsEndpoint":true}`, string(resp))
		// The host calls as the Region it was answered: the same keys.
		require.Equal(t, key, describe(t, w, Caller{Region: "us-east-1"}, key["KeyId"]))
		// A credential scoped to the pseudo-Region is AWS's refusal on the wire.
		status, out := callAs(t, w, Caller{Region: name}, "DescribeKey", map[string]any{"KeyId": key["KeyId"]})
		requireError(t, status, out, "InvalidSignatureException", "Credential should be scoped to a valid region, not '"+name+"'. ")
	}
	status, resp := w.Handle(Caller{Region: "us-gov-west-1-fips"}, "WasmKMS.CheckCaller", nil)
	require.Equal(t, 200, status, "%s", resp)
	require.JSONEq(t, `{"Region":"us-gov-west-1","UseFipsEndpoint":true}`, string(resp))

	// The pseudo-Region of a Region the world refuses is refused, naming both; an account is checked too.
	require.Equal(t, `Region not accepted: region="fips-mars-1" is the FIPS pseudo-Region of mars-1, which is not an AWS Region (partition aws), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`,
		checkCallerText(t, w, Caller{Region: "fips-mars-1"}))
	require.Equal(t, `Account not accepted: accountId="1234" is not an AWS account ID (12 digits).`,
		checkCallerText(t, w, Caller{Region: "us-east-1-fips", Account: "1234"}))
	status, resp = NewWorld(Options{AllowAnyRegion: true}).Handle(Caller{Region: "fips-mars-1"}, "WasmKMS.CheckCaller", nil)
	require.Equal(t, 200, status, "%s", resp)
	require.JSONEq(t, `{"Region":"mars-1","UseFipsEndpoint":true}`, string(resp))
}
