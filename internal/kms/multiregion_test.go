package kms

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	euWest1   = Caller{Region: "eu-west-1"}
	apSouth1  = Caller{Region: "ap-southeast-1"}
	mrkIDForm = regexp.MustCompile(`^mrk-[0-9a-f]{32}$`)
)

// mrkConfig is the MultiRegionConfiguration a key of a multi-Region key must show.
func mrkConfig(keyType, id, primary string, replicas ...string) map[string]any {
	list := []any{}
	for _, r := range replicas {
		list = append(list, map[string]any{"Arn": keyARN(r, DefaultAccount, id), "Region": r})
	}
	return map[string]any{
		"MultiRegionKeyType": keyType,
		"PrimaryKey":         map[string]any{"Arn": keyARN(primary, DefaultAccount, id), "Region": primary},
		"ReplicaKeys":        list,
	}
}

func describe(t *testing.T, w *World, c Caller, keyID any) map[string]any {
	t.Helper()
	return mustCall(t, w, c, "DescribeKey", map[string]any{"KeyId": keyID})["KeyMetadata"].(map[string]any)
}

func TestCreateMultiRegionKey(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	md := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Description": "test multi region key"})
	id := md["KeyId"].(string)
	require.Regexp(t, mrkIDForm, id)
	require.Equal(t, true, md["MultiRegion"])
	require.Equal(t, mrkConfig("PRIMARY", id, "us-east-1"), md["MultiRegionConfiguration"])
	require.Equal(t, "Enabled", md["KeyState"])
	require.NotEmpty(t, md["CurrentKeyMaterialId"])
	require.Equal(t, md, describe(t, w, Caller{}, id))

	// Not in another Region until it is replicated (LocalStack's recording: the key ARN of that Region).
	status, out := callAs(t, w, euWest1, "DescribeKey", map[string]any{"KeyId": id})
	requireError(t, status, out, "NotFoundException", "Key 'arn:aws:kms:eu-west-1:111122223333:key/"+id+"' does not exist")

	single := newKey(t, w, Caller{}, map[string]any{"MultiRegion": false})
	require.Equal(t, false, single["MultiRegion"])
	require.NotContains(t, single, "MultiRegionConfiguration")
	require.NotRegexp(t, mrkIDForm, single["KeyId"])

	// Every kind of key can be multi-Region.
	for _, req := range []map[string]any{
		{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
		{"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"},
		{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"},
		{"KeySpec": "ML_DSA_44", "KeyUsage": "SIGN_VERIFY"},
	} {
		req["MultiRegion"] = true
		md := newKey(t, w, Caller{}, req)
		require.Regexp(t, mrkIDForm, md["KeyId"])
		require.Equal(t, req["KeySpec"], md["KeySpec"])
	}

	// With imported key material too (multiregion_import_test.go): a primary waiting for its material.
	external := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL"})
	require.Regexp(t, mrkIDForm, external["KeyId"])
	require.Equal(t, "PendingImport", external["KeyState"])
	require.Equal(t, mrkConfig("PRIMARY", external["KeyId"].(string), "us-east-1"), external["MultiRegionConfiguration"])
	status, out = call(t, w, "CreateKey", map[string]any{"MultiRegion": true, "Origin": "AWS_CLOUDHSM", "CustomKeyStoreId": "cks-1234567890abcdef0"})
	requireError(t, status, out, "UnsupportedOperationException", "Multi-Region keys cannot be created in a custom key store.")
}

func TestReplicateKey(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	primary := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Description": "test replicated key"})
	id := primary["KeyId"].(string)

	tags := []any{map[string]any{"TagKey": "team", "TagValue": "blue"}}
	out := mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1", "Tags": tags})
	require.Equal(t, defaultPolicy("aws", DefaultAccount), out["ReplicaPolicy"])
	require.Equal(t, tags, out["ReplicaTags"])
	replica := out["ReplicaKeyMetadata"].(map[string]any)
	require.Equal(t, map[string]any{
		"AWSAccountId": DefaultAccount, "KeyId": id, "Arn": keyARN("eu-west-1", DefaultAccount, id),
		"CreationDate": epochOf(fixedNow), "Enabled": false, "Description": "", "KeyUsage": "ENCRYPT_DECRYPT",
		"KeyState": "Creating", "Origin": "AWS_KMS", "KeyManager": "CUSTOMER", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
		"KeySpec": "SYMMETRIC_DEFAULT", "EncryptionAlgorithms": []any{"SYMMETRIC_DEFAULT"}, "MultiRegion": true,
		"MultiRegionConfiguration": mrkConfig("REPLICA", id, "us-east-1", "eu-west-1"),
	}, replica)
	// The answer shows the replica Creating, as AWS's does; from the next request on it is Enabled,
	// with the primary's material.
	replica["Enabled"], replica["KeyState"], replica["CurrentKeyMaterialId"] = true, "Enabled", primary["CurrentKeyMaterialId"]
	require.Equal(t, replica, describe(t, w, euWest1, id))
	require.Equal(t, mrkConfig("PRIMARY", id, "us-east-1", "eu-west-1"), describe(t, w, Caller{}, id)["MultiRegionConfiguration"])

	// Without tags, the answer has no ReplicaTags (as recorded); a given policy and description are the replica's.
	policy := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"}]}`
	out = mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": primary["Arn"], "ReplicaRegion": "ap-southeast-1", "Policy": policy, "Description": "apac"})
	require.NotContains(t, out, "ReplicaTags")
	require.Equal(t, policy, out["ReplicaPolicy"])
	require.Equal(t, "apac", out["ReplicaKeyMetadata"].(map[string]any)["Description"])
	for _, c := range []Caller{{}, euWest1, apSouth1} {
		keyType := "REPLICA"
		if c.Region == "" {
			keyType = "PRIMARY"
		}
		require.Equal(t, mrkConfig(keyType, id, "us-east-1", "eu-west-1", "ap-southeast-1"), describe(t, w, c, id)["MultiRegionConfiguration"])
	}
	require.Equal(t, policy, mustCall(t, w, apSouth1, "GetKeyPolicy", map[string]any{"KeyId": id, "PolicyName": "default"})["Policy"])
	keys := mustCall(t, w, apSouth1, "ListKeys", map[string]any{})["Keys"].([]any)
	require.Equal(t, []any{map[string]any{"KeyId": id, "KeyArn": keyARN("ap-southeast-1", DefaultAccount, id)}}, keys)

	// A blob sealed in one Region opens in the others, and names the key of the Region that opens it.
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("across"), "EncryptionContext": map[string]string{"a": "b"}})["CiphertextBlob"]
	for _, c := range []Caller{euWest1, apSouth1} {
		opened := mustCall(t, w, c, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"a": "b"}})
		require.Equal(t, "across", string(b64(t, opened["Plaintext"])))
		require.Equal(t, keyARN(resolveCaller(c).region, DefaultAccount, id), opened["KeyId"])
	}
	back := mustCall(t, w, euWest1, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("back")})["CiphertextBlob"]
	require.Equal(t, "back", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": back, "KeyId": primary["Arn"]})["Plaintext"])))
	// Another Region's key ARN is still refused (the caller's Region decides).
	status, errOut := callAs(t, w, euWest1, "Decrypt", map[string]any{"CiphertextBlob": back, "KeyId": primary["Arn"]})
	requireError(t, status, errOut, "NotFoundException", "Invalid arn us-east-1")
}

func TestReplicatedAsymmetricAndHMACKeys(t *testing.T) {
	w := NewWorld(Options{})
	signing := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": signing["KeyId"], "ReplicaRegion": "eu-west-1"})
	pub := mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": signing["KeyId"]})["PublicKey"]
	require.Equal(t, pub, mustCall(t, w, euWest1, "GetPublicKey", map[string]any{"KeyId": signing["KeyId"]})["PublicKey"])
	sig := mustCall(t, w, Caller{}, "Sign", map[string]any{"KeyId": signing["KeyId"], "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"})["Signature"]
	verified := mustCall(t, w, euWest1, "Verify", map[string]any{"KeyId": signing["KeyId"], "Message": []byte("m"), "Signature": sig, "SigningAlgorithm": "ECDSA_SHA_256"})
	require.Equal(t, true, verified["SignatureValid"])

	mac := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "KeySpec": "HMAC_384", "KeyUsage": "GENERATE_VERIFY_MAC"})
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": mac["KeyId"], "ReplicaRegion": "eu-west-1"})
	tag := mustCall(t, w, euWest1, "GenerateMac", map[string]any{"KeyId": mac["KeyId"], "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_384"})["Mac"]
	ok := mustCall(t, w, Caller{}, "VerifyMac", map[string]any{"KeyId": mac["KeyId"], "Message": []byte("m"), "Mac": tag, "MacAlgorithm": "HMAC_SHA_384"})
	require.Equal(t, true, ok["MacValid"])
}

func TestReplicateKeyErrors(t *testing.T) {
	w := NewWorld(Options{})
	primary := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})
	id := primary["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	replicaARN := keyARN("eu-west-1", DefaultAccount, id)
	single := newKey(t, w, Caller{}, map[string]any{})

	cases := []struct {
		name, errName, message string
		caller                 Caller
		req                    map[string]any
	}{
		{"a replica (LocalStack's recording)", "UnsupportedOperationException", replicaARN + " is not a multi-region primary key.", euWest1,
			map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"}},
		{"a single-Region key", "UnsupportedOperationException", single["Arn"].(string) + " is not a multi-region primary key.", Caller{},
			map[string]any{"KeyId": single["KeyId"], "ReplicaRegion": "eu-west-2"}},
		{"the primary's own Region", "AlreadyExistsException", primary["Arn"].(string) + " already exists.", Caller{},
			map[string]any{"KeyId": id, "ReplicaRegion": "us-east-1"}},
		{"a Region with a replica", "AlreadyExistsException", replicaARN + " already exists.", Caller{},
			map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"}},
		{"another partition", "UnsupportedOperationException", "ReplicaRegion cn-north-1 is not in the partition of the primary key's Region us-east-1.", Caller{},
			map[string]any{"KeyId": id, "ReplicaRegion": "cn-north-1"}},
		{"no such Region", "ValidationException", "ReplicaRegion xx-west-9 is not an AWS Region.", Caller{},
			map[string]any{"KeyId": id, "ReplicaRegion": "xx-west-9"}},
		{"not a Region name", "ValidationException", "1 validation error detected: Value 'moon' at 'replicaRegion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$", Caller{},
			map[string]any{"KeyId": id, "ReplicaRegion": "moon"}},
		{"an alias", "NotFoundException", "Invalid keyId 'alias/x'", Caller{},
			map[string]any{"KeyId": "alias/x", "ReplicaRegion": "eu-west-2"}},
		{"a malformed policy", "MalformedPolicyDocumentException", "The policy is not a valid JSON object.", Caller{},
			map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-2", "Policy": "nope"}},
		{"a policy that locks the caller out", "MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.", Caller{},
			map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-2", "Policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:*"}]}`}},
		{"a reserved tag", "TagException", "Tags beginning with aws: are reserved", Caller{},
			map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-2", "Tags": []any{map[string]any{"TagKey": "aws:x", "TagValue": ""}}}},
		{"another account", "AccessDeniedException", "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:ReplicateKey on resource: " + primary["Arn"].(string) + " because no resource-based policy allows the kms:ReplicateKey action", Caller{Account: "444455556666"},
			map[string]any{"KeyId": primary["Arn"], "ReplicaRegion": "eu-west-2"}},
	}
	for _, tc := range cases {
		status, out := callAs(t, w, tc.caller, "ReplicateKey", tc.req)
		requireError(t, status, out, tc.errName, tc.message)
	}
	// Nothing was made by the refused requests.
	require.Equal(t, mrkConfig("PRIMARY", id, "us-east-1", "eu-west-1"), describe(t, w, Caller{}, id)["MultiRegionConfiguration"])

	// The policy lockout check can be bypassed; a disabled primary can be replicated; a China primary
	// replicates within aws-cn.
	mustCall(t, w, Caller{}, "DisableKey", map[string]any{"KeyId": id})
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-2", "BypassPolicyLockoutSafetyCheck": true,
		"Policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:*"}]}`})
	require.Equal(t, stateEnabled, w.keyIn(DefaultAccount, "eu-west-2", id).state)
	cn := newKey(t, w, china, map[string]any{"MultiRegion": true})
	out := mustCall(t, w, china, "ReplicateKey", map[string]any{"KeyId": cn["KeyId"], "ReplicaRegion": "cn-northwest-1"})
	require.Equal(t, "arn:aws-cn:kms:cn-northwest-1:111122223333:key/"+cn["KeyId"].(string), out["ReplicaKeyMetadata"].(map[string]any)["Arn"])
	require.Contains(t, out["ReplicaPolicy"], "arn:aws-cn:iam::111122223333:root")

	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": single["KeyId"]})
	pending := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": pending["KeyId"]})
	status, errOut := call(t, w, "ReplicateKey", map[string]any{"KeyId": pending["KeyId"], "ReplicaRegion": "eu-west-1"})
	requireError(t, status, errOut, "KMSInvalidStateException", pending["Arn"].(string)+" is pending deletion.")
}

// Policy, tags, description, aliases and the key state are each key's own.
func TestReplicaPropertiesAreTheirOwn(t *testing.T) {
	w := NewWorld(Options{})
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Description": "p", "Tags": []any{map[string]any{"TagKey": "a", "TagValue": "1"}}})["KeyId"]
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1", "Description": "r"})

	mustCall(t, w, euWest1, "DisableKey", map[string]any{"KeyId": id})
	mustCall(t, w, Caller{}, "UpdateKeyDescription", map[string]any{"KeyId": id, "Description": "p2"})
	mustCall(t, w, euWest1, "TagResource", map[string]any{"KeyId": id, "Tags": []any{map[string]any{"TagKey": "b", "TagValue": "2"}}})
	mustCall(t, w, euWest1, "CreateAlias", map[string]any{"AliasName": "alias/eu", "TargetKeyId": id})

	p, r := describe(t, w, Caller{}, id), describe(t, w, euWest1, id)
	require.Equal(t, []any{"Enabled", "p2"}, []any{p["KeyState"], p["Description"]})
	require.Equal(t, []any{"Disabled", "r"}, []any{r["KeyState"], r["Description"]})
	require.Equal(t, []any{map[string]any{"TagKey": "a", "TagValue": "1"}}, mustCall(t, w, Caller{}, "ListResourceTags", map[string]any{"KeyId": id})["Tags"])
	require.Equal(t, []any{map[string]any{"TagKey": "b", "TagValue": "2"}}, mustCall(t, w, euWest1, "ListResourceTags", map[string]any{"KeyId": id})["Tags"])
	status, out := call(t, w, "DescribeKey", map[string]any{"KeyId": "alias/eu"})
	requireError(t, status, out, "NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/eu is not found.")
	status, out = callAs(t, w, euWest1, "Encrypt", map[string]any{"KeyId": "alias/eu", "Plaintext": []byte("x")})
	requireError(t, status, out, "DisabledException", keyARN("eu-west-1", DefaultAccount, id.(string))+" is disabled.")
	mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("x")})
}

func TestUpdatePrimaryRegion(t *testing.T) {
	w := NewWorld(Options{})
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "ap-southeast-1"})

	status, out := callAs(t, w, euWest1, "UpdatePrimaryRegion", map[string]any{"KeyId": id, "PrimaryRegion": "ap-southeast-1"})
	requireError(t, status, out, "UnsupportedOperationException", keyARN("eu-west-1", DefaultAccount, id)+" is not a multi-region primary key.")
	status, out = call(t, w, "UpdatePrimaryRegion", map[string]any{"KeyId": id, "PrimaryRegion": "us-west-2"})
	requireError(t, status, out, "NotFoundException", "Key '"+keyARN("us-west-2", DefaultAccount, id)+"' does not exist")
	status, out = call(t, w, "UpdatePrimaryRegion", map[string]any{"KeyId": id, "PrimaryRegion": "us-east-1"})
	requireError(t, status, out, "UnsupportedOperationException", keyARN("us-east-1", DefaultAccount, id)+" is already the primary key.")
	status, out = call(t, w, "UpdatePrimaryRegion", map[string]any{"KeyId": id})
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value null at 'primaryRegion' failed to satisfy constraint: Member must not be null")
	mustCall(t, w, euWest1, "DisableKey", map[string]any{"KeyId": id})
	status, out = call(t, w, "UpdatePrimaryRegion", map[string]any{"KeyId": id, "PrimaryRegion": "eu-west-1"})
	requireError(t, status, out, "DisabledException", keyARN("eu-west-1", DefaultAccount, id)+" is disabled.")
	mustCall(t, w, euWest1, "EnableKey", map[string]any{"KeyId": id})

	require.Equal(t, map[string]any{}, mustCall(t, w, Caller{}, "UpdatePrimaryRegion", map[string]any{"KeyId": id, "PrimaryRegion": "eu-west-1"}))
	require.Equal(t, mrkConfig("PRIMARY", id, "eu-west-1", "ap-southeast-1", "us-east-1"), describe(t, w, euWest1, id)["MultiRegionConfiguration"])
	for _, c := range []Caller{{}, apSouth1} {
		require.Equal(t, mrkConfig("REPLICA", id, "eu-west-1", "ap-southeast-1", "us-east-1"), describe(t, w, c, id)["MultiRegionConfiguration"])
	}
	// The new primary replicates; the old one does not.
	status, out = call(t, w, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "us-west-2"})
	requireError(t, status, out, "UnsupportedOperationException", keyARN("us-east-1", DefaultAccount, id)+" is not a multi-region primary key.")
	mustCall(t, w, euWest1, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "us-west-2"})
	require.Equal(t, mrkConfig("REPLICA", id, "eu-west-1", "ap-southeast-1", "us-east-1", "us-west-2"), describe(t, w, Caller{Region: "us-west-2"}, id)["MultiRegionConfiguration"])

	// The replica's key policy must allow it too.
	other := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})["KeyId"].(string)
	locked := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"},{"Effect":"Deny","Principal":"*","Action":"kms:UpdatePrimaryRegion"}]}`
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": other, "ReplicaRegion": "eu-west-1", "Policy": locked})
	status, out = call(t, w, "UpdatePrimaryRegion", map[string]any{"KeyId": other, "PrimaryRegion": "eu-west-1"})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:UpdatePrimaryRegion on resource: "+keyARN("eu-west-1", DefaultAccount, other)+" with an explicit deny in a resource-based policy")
}

func TestMultiRegionDeletion(t *testing.T) {
	now := fixedNow
	w := NewWorld(Options{Now: func() time.Time { return now }})
	primary := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})
	id, arn := primary["KeyId"].(string), primary["Arn"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "ap-southeast-1"})

	// A primary with replicas waits for them: PendingReplicaDeletion, no deletion date yet.
	sched := mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 10})
	require.Equal(t, map[string]any{"KeyId": arn, "KeyState": "PendingReplicaDeletion", "PendingWindowInDays": 10.0}, sched)
	md := describe(t, w, Caller{}, id)
	require.Equal(t, []any{"PendingReplicaDeletion", false, 10.0}, []any{md["KeyState"], md["Enabled"], md["PendingDeletionWindowInDays"]})
	require.NotContains(t, md, "DeletionDate")
	status, out := call(t, w, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("x")})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending replica deletion.")
	status, out = call(t, w, "ScheduleKeyDeletion", map[string]any{"KeyId": id})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending replica deletion.")
	status, out = call(t, w, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "us-west-2"})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is pending replica deletion.")
	require.NotContains(t, describe(t, w, euWest1, id), "PendingDeletionWindowInDays")

	// Cancelling brings it back Disabled, as for any key.
	require.Equal(t, map[string]any{"KeyId": arn}, mustCall(t, w, Caller{}, "CancelKeyDeletion", map[string]any{"KeyId": id}))
	md = describe(t, w, Caller{}, id)
	require.Equal(t, "Disabled", md["KeyState"])
	require.NotContains(t, md, "PendingDeletionWindowInDays")

	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 10})
	mustCall(t, w, euWest1, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 7})
	mustCall(t, w, apSouth1, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 8})

	now = fixedNow.Add(7 * 24 * time.Hour)
	status, out = callAs(t, w, euWest1, "DescribeKey", map[string]any{"KeyId": id})
	requireError(t, status, out, "NotFoundException", "Key '"+keyARN("eu-west-1", DefaultAccount, id)+"' does not exist")
	require.Equal(t, mrkConfig("PRIMARY", id, "us-east-1", "ap-southeast-1"), describe(t, w, Caller{}, id)["MultiRegionConfiguration"])
	require.Equal(t, "PendingReplicaDeletion", describe(t, w, Caller{}, id)["KeyState"])

	// When the last replica is deleted, the primary's waiting period begins.
	now = fixedNow.Add(8 * 24 * time.Hour)
	md = describe(t, w, Caller{}, id)
	require.Equal(t, "PendingDeletion", md["KeyState"])
	require.Equal(t, epochOf(fixedNow.Add(18*24*time.Hour)), md["DeletionDate"])
	require.Equal(t, mrkConfig("PRIMARY", id, "us-east-1"), md["MultiRegionConfiguration"])
	require.NotContains(t, md, "PendingDeletionWindowInDays")

	now = fixedNow.Add(18 * 24 * time.Hour)
	status, out = call(t, w, "DescribeKey", map[string]any{"KeyId": id})
	requireError(t, status, out, "NotFoundException", "Key '"+arn+"' does not exist")
}

// A clock moved past the replicas' deletion and the primary's waiting period deletes all at once.
func TestMultiRegionDeletionInOneStep(t *testing.T) {
	now := fixedNow
	w := NewWorld(Options{Now: func() time.Time { return now }})
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 7})
	mustCall(t, w, euWest1, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 7})
	now = fixedNow.Add(14 * 24 * time.Hour)
	require.Empty(t, mustCall(t, w, Caller{}, "ListKeys", map[string]any{})["Keys"])
	require.Empty(t, mustCall(t, w, euWest1, "ListKeys", map[string]any{})["Keys"])
}

// After its replica is deleted, a primary can be replicated into that Region again.
func TestReplicateAgainAfterDeletion(t *testing.T) {
	now := fixedNow
	w := NewWorld(Options{Now: func() time.Time { return now }})
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	blob := mustCall(t, w, euWest1, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("kept")})["CiphertextBlob"]
	mustCall(t, w, euWest1, "ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 7})
	status, out := call(t, w, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	requireError(t, status, out, "AlreadyExistsException", keyARN("eu-west-1", DefaultAccount, id)+" already exists.")
	now = fixedNow.Add(7 * 24 * time.Hour)
	require.Equal(t, mrkConfig("PRIMARY", id, "us-east-1"), describe(t, w, Caller{}, id)["MultiRegionConfiguration"])
	// The deleted replica's blob still opens with the primary.
	require.Equal(t, "kept", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	require.Equal(t, "kept", string(b64(t, mustCall(t, w, euWest1, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
}

func TestMultiRegionState(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	sym := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": sym, "ReplicaRegion": "eu-west-1", "Description": "eu"})
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": sym, "ReplicaRegion": "ap-southeast-1"})
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": sym, "PendingWindowInDays": 9})
	ecc := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "KeySpec": "ECC_NIST_P384", "KeyUsage": "SIGN_VERIFY"})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": ecc, "ReplicaRegion": "eu-west-1"})
	mustCall(t, w, Caller{}, "UpdatePrimaryRegion", map[string]any{"KeyId": ecc, "PrimaryRegion": "eu-west-1"})
	blob := mustCall(t, w, apSouth1, "Encrypt", map[string]any{"KeyId": sym, "Plaintext": []byte("kept")})["CiphertextBlob"]
	state := exportWorld(t, w)

	restored := NewWorld(Options{Now: fixedClock()})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, string(state), string(exportWorld(t, restored)))
	for _, c := range []Caller{{}, euWest1, apSouth1} {
		require.Equal(t, describe(t, w, c, sym), describe(t, restored, c, sym))
	}
	require.Equal(t, describe(t, w, euWest1, ecc), describe(t, restored, euWest1, ecc))
	require.Equal(t, "kept", string(b64(t, mustCall(t, restored, euWest1, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))

	// The imported keys share one set again: a change through one shows in the others.
	mustCall(t, restored, euWest1, "ScheduleKeyDeletion", map[string]any{"KeyId": sym})
	mustCall(t, restored, euWest1, "ReplicateKey", map[string]any{"KeyId": ecc, "ReplicaRegion": "us-west-2"})
	require.Equal(t, mrkConfig("PRIMARY", ecc, "eu-west-1", "us-east-1", "us-west-2"), describe(t, restored, euWest1, ecc)["MultiRegionConfiguration"])
}

func TestMultiRegionStateRefusesInconsistentSets(t *testing.T) {
	w := NewWorld(Options{})
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	good := exportWorld(t, w)

	// mutate edits a fresh copy of the good state: regions[i].keys[0].
	mutate := func(fn func(regions []any)) []byte {
		var st map[string]any
		require.NoError(t, json.Unmarshal(good, &st))
		fn(st["regions"].([]any))
		b, err := json.Marshal(st)
		require.NoError(t, err)
		return b
	}
	keyAt := func(regions []any, region string) map[string]any {
		for _, r := range regions {
			if r.(map[string]any)["region"] == region {
				return r.(map[string]any)["keys"].([]any)[0].(map[string]any)
			}
		}
		t.Fatalf("no region %s", region)
		return nil
	}
	bad := map[string][]byte{
		"material differs": mutate(func(rs []any) {
			keyAt(rs, "eu-west-1")["symmetricMaterial"].([]any)[0].(map[string]any)["material"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
		}),
		"sets disagree": mutate(func(rs []any) {
			keyAt(rs, "eu-west-1")["multiRegion"].(map[string]any)["replicaRegions"] = []any{"eu-west-1", "eu-west-2"}
		}),
		"a replica without its key": mutate(func(rs []any) {
			for _, r := range rs {
				if r.(map[string]any)["region"] == "eu-west-1" {
					r.(map[string]any)["keys"] = []any{}
				}
			}
		}),
		"an mrk ID on a single-Region key": mutate(func(rs []any) { delete(keyAt(rs, "eu-west-1"), "multiRegion") }),
		"a replica pending replica deletion": mutate(func(rs []any) {
			k := keyAt(rs, "eu-west-1")
			k["keyState"], k["pendingWindowInDays"] = "PendingReplicaDeletion", 7
		}),
		"a replica Region that is not one": mutate(func(rs []any) {
			for _, r := range rs {
				keys := r.(map[string]any)["keys"].([]any)
				keys[0].(map[string]any)["multiRegion"].(map[string]any)["replicaRegions"] = []any{"eu-west-1", "xx-west-9"}
			}
		}),
	}
	for name, state := range bad {
		status, body := w.Handle(Caller{}, "WasmKMS.ImportState", state)
		require.Equal(t, 400, status, name)
		require.Contains(t, string(body), "Invalid state:", name)
		require.JSONEq(t, string(good), string(exportWorld(t, w)), name)
	}
}

// Only the primary rotates; its new material and its rotation status reach every replica.
func TestMultiRegionRotation(t *testing.T) {
	now := fixedNow
	w := NewWorld(Options{Now: func() time.Time { return now }})
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	old := mustCall(t, w, euWest1, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("old")})["CiphertextBlob"]

	replicaARN := keyARN("eu-west-1", DefaultAccount, id)
	for _, op := range []string{"RotateKeyOnDemand", "EnableKeyRotation", "DisableKeyRotation"} {
		status, out := callAs(t, w, euWest1, op, map[string]any{"KeyId": id})
		requireError(t, status, out, "UnsupportedOperationException", replicaARN+" is not a multi-region primary key.")
	}

	mustCall(t, w, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	current := describe(t, w, Caller{}, id)["CurrentKeyMaterialId"]
	require.Equal(t, current, describe(t, w, euWest1, id)["CurrentKeyMaterialId"])
	fresh := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("new")})
	opened := mustCall(t, w, euWest1, "Decrypt", map[string]any{"CiphertextBlob": fresh["CiphertextBlob"]})
	require.Equal(t, "new", string(b64(t, opened["Plaintext"])))
	require.Equal(t, "old", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": old})["Plaintext"])))
	require.Equal(t, mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": id})["Rotations"].([]any)[0].(map[string]any)["KeyMaterialId"],
		mustCall(t, w, euWest1, "ListKeyRotations", map[string]any{"KeyId": id})["Rotations"].([]any)[0].(map[string]any)["KeyMaterialId"])

	// Automatic rotation: set on the primary, shown by every key, done once for all.
	mustCall(t, w, Caller{}, "EnableKeyRotation", map[string]any{"KeyId": id, "RotationPeriodInDays": 90})
	status := mustCall(t, w, euWest1, "GetKeyRotationStatus", map[string]any{"KeyId": id})
	require.Equal(t, true, status["KeyRotationEnabled"])
	require.Equal(t, 90.0, status["RotationPeriodInDays"])
	require.Equal(t, mustCall(t, w, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": id})["NextRotationDate"], status["NextRotationDate"])
	now = fixedNow.Add(91 * 24 * time.Hour)
	rotated := describe(t, w, euWest1, id)["CurrentKeyMaterialId"]
	require.NotEqual(t, current, rotated)
	require.Equal(t, rotated, describe(t, w, Caller{}, id)["CurrentKeyMaterialId"])
	require.Len(t, mustCall(t, w, euWest1, "ListKeyRotations", map[string]any{"KeyId": id})["Rotations"], 2)

	mustCall(t, w, Caller{}, "DisableKeyRotation", map[string]any{"KeyId": id})
	require.Equal(t, false, mustCall(t, w, euWest1, "GetKeyRotationStatus", map[string]any{"KeyId": id})["KeyRotationEnabled"])

	// After UpdatePrimaryRegion the new primary rotates, the old one no longer does.
	mustCall(t, w, Caller{}, "UpdatePrimaryRegion", map[string]any{"KeyId": id, "PrimaryRegion": "eu-west-1"})
	mustCall(t, w, euWest1, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	require.Equal(t, describe(t, w, euWest1, id)["CurrentKeyMaterialId"], describe(t, w, Caller{}, id)["CurrentKeyMaterialId"])
	statusCode, out := call(t, w, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	requireError(t, statusCode, out, "UnsupportedOperationException", keyARN("us-east-1", DefaultAccount, id)+" is not a multi-region primary key.")

	// The state keeps them together.
	restored := NewWorld(Options{Now: func() time.Time { return now }})
	code, body := restored.Handle(Caller{}, "WasmKMS.ImportState", exportWorld(t, w))
	require.Equal(t, 200, code, string(body))
	mustCall(t, restored, euWest1, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	require.Equal(t, describe(t, restored, euWest1, id)["CurrentKeyMaterialId"], describe(t, restored, Caller{}, id)["CurrentKeyMaterialId"])
}
