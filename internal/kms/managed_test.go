package kms

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestAWSManagedKeyCreatedOnFirstUse(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	require.Empty(t, mustCall(t, w, Caller{}, "ListKeys", map[string]any{})["Keys"])

	md := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": "alias/aws/s3"})["KeyMetadata"].(map[string]any)
	id := md["KeyId"].(string)
	arn := "arn:aws:kms:us-east-1:111122223333:key/" + id
	require.Equal(t, map[string]any{
		"AWSAccountId": "111122223333", "KeyId": id, "Arn": arn, "CreationDate": epochOf(fixedNow), "Enabled": true,
		"Description": "Default key that protects my S3 objects when no other key is defined", "KeyUsage": "ENCRYPT_DECRYPT",
		"KeyState": "Enabled", "Origin": "AWS_KMS", "KeyManager": "AWS", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
		"KeySpec": "SYMMETRIC_DEFAULT", "EncryptionAlgorithms": []any{"SYMMETRIC_DEFAULT"}, "CurrentKeyMaterialId": md["CurrentKeyMaterialId"],
		"MultiRegion": false,
	}, md)

	// The same key by the alias, the alias ARN and the key ID; one key only.
	for _, keyID := range []string{"alias/aws/s3", "arn:aws:kms:us-east-1:111122223333:alias/aws/s3", id, arn} {
		again := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": keyID})["KeyMetadata"].(map[string]any)
		require.Equal(t, id, again["KeyId"])
	}
	require.Equal(t, []any{map[string]any{"KeyId": id, "KeyArn": arn}}, mustCall(t, w, Caller{}, "ListKeys", map[string]any{})["Keys"])
	require.Equal(t, []any{map[string]any{"AliasName": "alias/aws/s3", "AliasArn": "arn:aws:kms:us-east-1:111122223333:alias/aws/s3",
		"TargetKeyId": id, "CreationDate": epochOf(fixedNow), "LastUpdatedDate": epochOf(fixedNow)}},
		mustCall(t, w, Caller{}, "ListAliases", map[string]any{"KeyId": id})["Aliases"])

	// Automatic rotation every year, reported as AWS reports it.
	require.Equal(t, map[string]any{"KeyId": arn, "KeyRotationEnabled": true, "RotationPeriodInDays": 365.0,
		"NextRotationDate": epochOf(fixedNow.Add(365 * 24 * time.Hour))},
		mustCall(t, w, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": id}))

	// Its key policy is the service's, for this account and Region.
	policy := mustCall(t, w, Caller{}, "GetKeyPolicy", map[string]any{"KeyId": id})["Policy"].(string)
	require.Equal(t, s3ManagedPolicy, policy)

	// A cryptographic operation creates the key too, and is refused like every direct call AWS's
	// policy does not allow.
	status, out := call(t, w, "Encrypt", map[string]any{"KeyId": "alias/aws/ebs", "Plaintext": []byte("x")})
	require.Equal(t, "AccessDeniedException", out["__type"], "%d %v", status, out)
	ebs := mustCall(t, w, Caller{}, "ListAliases", map[string]any{})["Aliases"].([]any)
	found := false
	for _, a := range ebs {
		if entry := a.(map[string]any); entry["AliasName"] == "alias/aws/ebs" {
			found = entry["TargetKeyId"] != nil
		}
	}
	require.True(t, found, "alias/aws/ebs has its key after the Encrypt: %v", ebs)
}

// s3ManagedPolicy is the aws/s3 key policy of the reference account (FogSecurity/aws-managed-kms-keys,
// reference_key_policies/s3.json), in account 111122223333 and us-east-1.
const s3ManagedPolicy = `{
  "Version" : "2012-10-17",
  "Id" : "auto-s3-2",
  "Statement" : [ {
    "Sid" : "Allow access through S3 for all principals in the account that are authorized to use S3",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "111122223333",
        "kms:ViaService" : "s3.us-east-1.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::111122223333:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`

// The reference account's secretsmanager key policy (reference_key_policies/secretsmanager.json).
const secretsManagerManagedPolicy = `{
  "Version" : "2012-10-17",
  "Id" : "auto-secretsmanager-2",
  "Statement" : [ {
    "Sid" : "Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:ViaService" : "secretsmanager.us-east-1.amazonaws.com",
        "kms:CallerAccount" : "123412341234"
      }
    }
  }, {
    "Sid" : "Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:GenerateDataKey*",
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "123412341234"
      },
      "StringLike" : {
        "kms:ViaService" : "secretsmanager.*.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::123412341234:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`

// The reference account's dynamodb key policy (reference_key_policies/dynamodb.json).
const dynamoDBManagedPolicy = `{
  "Version" : "2012-10-17",
  "Id" : "auto-dynamodb-3",
  "Statement" : [ {
    "Sid" : "Allow access through Amazon DynamoDB for all principals in the account that are authorized to use Amazon DynamoDB",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "123412341234"
      },
      "StringLike" : {
        "kms:ViaService" : "dynamodb.*.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::123412341234:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  }, {
    "Sid" : "Allow DynamoDB to directly describe the key",
    "Effect" : "Allow",
    "Principal" : {
      "Service" : "dynamodb.amazonaws.com"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`

func TestAWSManagedPolicies(t *testing.T) {
	require.Equal(t, secretsManagerManagedPolicy, awsManagedPolicy(awsManagedServices()["secretsmanager"], "123412341234", "us-east-1"))
	require.Equal(t, dynamoDBManagedPolicy, awsManagedPolicy(awsManagedServices()["dynamodb"], "123412341234", "us-east-1"))
	// Every policy is valid JSON, parses, names only the partition, account and Region given, and
	// every predefined alias has a service.
	for name, svc := range awsManagedServices() {
		text := awsManagedPolicy(svc, "444455556666", "cn-north-1")
		require.True(t, json.Valid([]byte(text)), name)
		_, err := parsePolicy(text)
		require.Nil(t, err, name)
		for _, placeholder := range []string{"{account}", "{region}", "{partition}", "{dns}", "123412341234", "us-east-1"} {
			require.NotContains(t, text, placeholder, name)
		}
		require.Contains(t, text, `"kms:CallerAccount" : "444455556666"`, name)
		if name != "acm" {
			require.Contains(t, text, `"AWS" : "arn:aws-cn:iam::444455556666:root"`, name)
		}
		require.True(t, strings.HasPrefix(svc.description, "Default key that protects my "), name)
	}
	for _, alias := range predefinedAWSAliases {
		_, ok := awsManagedServiceOf(alias)
		require.True(t, ok, alias)
	}
}

func TestAWSManagedKeyRules(t *testing.T) {
	w := NewWorld(Options{})
	md := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": "alias/aws/secretsmanager"})["KeyMetadata"].(map[string]any)
	id, arn := md["KeyId"], md["Arn"].(string)
	customer := newKey(t, w, Caller{}, map[string]any{})
	denied := func(action string) string {
		return "User: arn:aws:iam::111122223333:root is not authorized to perform: " + action + " on resource: " + arn + " because no resource-based policy allows the " + action + " action"
	}
	cases := []struct {
		op  string
		req map[string]any
	}{
		{"Encrypt", map[string]any{"KeyId": "alias/aws/secretsmanager", "Plaintext": []byte("x")}},
		{"GenerateDataKey", map[string]any{"KeyId": id, "KeySpec": "AES_256"}},
		{"DisableKey", map[string]any{"KeyId": id}},
		{"EnableKey", map[string]any{"KeyId": id}},
		{"ScheduleKeyDeletion", map[string]any{"KeyId": id}},
		{"PutKeyPolicy", map[string]any{"KeyId": id, "Policy": defaultPolicy("aws", "111122223333")}},
		{"TagResource", map[string]any{"KeyId": id, "Tags": []map[string]string{{"TagKey": "k", "TagValue": "v"}}}},
		{"UntagResource", map[string]any{"KeyId": id, "TagKeys": []string{"k"}}},
		{"EnableKeyRotation", map[string]any{"KeyId": id}},
		{"DisableKeyRotation", map[string]any{"KeyId": id}},
		{"RotateKeyOnDemand", map[string]any{"KeyId": id}},
		{"UpdateKeyDescription", map[string]any{"KeyId": id, "Description": "mine"}},
		{"CreateGrant", map[string]any{"KeyId": id, "GranteePrincipal": "arn:aws:iam::111122223333:role/app", "Operations": []string{"Decrypt"}}},
		{"CreateAlias", map[string]any{"AliasName": "alias/mine", "TargetKeyId": id}},
	}
	for _, c := range cases {
		status, out := call(t, w, c.op, c.req)
		requireError(t, status, out, "AccessDeniedException", denied("kms:"+c.op))
	}
	// The aws/ alias itself can be neither changed nor deleted (the reserved names, as today).
	status, out := call(t, w, "UpdateAlias", map[string]any{"AliasName": "alias/aws/secretsmanager", "TargetKeyId": customer["KeyId"]})
	requireError(t, status, out, "NotAuthorizedException", "")
	status, out = call(t, w, "DeleteAlias", map[string]any{"AliasName": "alias/aws/secretsmanager"})
	requireError(t, status, out, "NotAuthorizedException", "")
	status, out = call(t, w, "CreateAlias", map[string]any{"AliasName": "alias/aws/secretsmanager", "TargetKeyId": customer["KeyId"]})
	requireError(t, status, out, "NotAuthorizedException", "")

	// Nothing changed; what the metadata statement allows works.
	again := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)
	require.Equal(t, md, again)
	require.Empty(t, mustCall(t, w, Caller{}, "ListResourceTags", map[string]any{"KeyId": id})["Tags"])
	mustCall(t, w, Caller{}, "ListGrants", map[string]any{"KeyId": id})
	mustCall(t, w, Caller{}, "ListKeyPolicies", map[string]any{"KeyId": id})
	require.Equal(t, true, mustCall(t, w, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": id})["KeyRotationEnabled"])

	// Another account reaches neither the key (its policy names only the owner) nor a key of its own
	// by the owner's alias ARN; by its own alias it gets its own key.
	other := Caller{Account: "444455556666"}
	status, out = callAs(t, w, other, "DescribeKey", map[string]any{"KeyId": "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager"})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:DescribeKey on resource: "+arn+" because no resource-based policy allows the kms:DescribeKey action")
	status, out = callAs(t, w, other, "DescribeKey", map[string]any{"KeyId": "arn:aws:kms:us-east-1:111122223333:alias/aws/ssm"})
	requireError(t, status, out, "NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/aws/ssm is not found.")
	theirs := mustCall(t, w, other, "DescribeKey", map[string]any{"KeyId": "alias/aws/secretsmanager"})["KeyMetadata"].(map[string]any)
	require.Equal(t, "444455556666", theirs["AWSAccountId"])
	require.NotEqual(t, id, theirs["KeyId"])

	// An unknown service, and key-management operations (no alias accepted), create nothing.
	status, out = call(t, w, "DescribeKey", map[string]any{"KeyId": "alias/aws/nosuchservice"})
	requireError(t, status, out, "NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/aws/nosuchservice is not found.")
	status, out = call(t, w, "GetKeyRotationStatus", map[string]any{"KeyId": "alias/aws/lambda"})
	requireError(t, status, out, "NotFoundException", "Invalid keyId 'alias/aws/lambda'")
	require.Len(t, mustCall(t, w, Caller{}, "ListKeys", map[string]any{})["Keys"], 2)
}

// The aws/acm policy allows the account only DescribeKey, ListGrants, RevokeGrant and GetKeyPolicy
// directly: GetKeyRotationStatus is refused, as AWS answered it (elastic/cloudbeat issue 1749).
func TestAWSManagedACMKey(t *testing.T) {
	w := NewWorld(Options{})
	md := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": "alias/aws/acm"})["KeyMetadata"].(map[string]any)
	require.Equal(t, "Default key that protects my ACM private keys when no other key is defined", md["Description"])
	mustCall(t, w, Caller{}, "GetKeyPolicy", map[string]any{"KeyId": md["KeyId"]})
	status, out := call(t, w, "GetKeyRotationStatus", map[string]any{"KeyId": md["KeyId"]})
	requireError(t, status, out, "AccessDeniedException", "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:GetKeyRotationStatus on resource: "+md["Arn"].(string)+" because no resource-based policy allows the kms:GetKeyRotationStatus action")
}

func TestAWSManagedKeyRotatesEveryYear(t *testing.T) {
	now := fixedNow
	w := NewWorld(Options{Now: func() time.Time { return now }})
	md := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": "alias/aws/lambda"})["KeyMetadata"].(map[string]any)
	now = now.Add(366 * 24 * time.Hour)
	rotations := mustCall(t, w, Caller{}, "ListKeyRotations", map[string]any{"KeyId": md["KeyId"]})["Rotations"].([]any)
	require.Len(t, rotations, 1)
	require.Equal(t, "AUTOMATIC", rotations[0].(map[string]any)["RotationType"])
}

func TestListAliasesPredefined(t *testing.T) {
	w := NewWorld(Options{})
	list := mustCall(t, w, Caller{Region: "eu-west-1"}, "ListAliases", map[string]any{})["Aliases"].([]any)
	require.Len(t, list, len(predefinedAWSAliases))
	for i, name := range predefinedAWSAliases {
		require.Equal(t, map[string]any{"AliasName": name, "AliasArn": "arn:aws:kms:eu-west-1:111122223333:" + name}, list[i])
	}
	// Pages go through them like any other aliases.
	page := mustCall(t, w, Caller{}, "ListAliases", map[string]any{"Limit": 10})
	require.Len(t, page["Aliases"], 10)
	rest := mustCall(t, w, Caller{}, "ListAliases", map[string]any{"Limit": 10, "Marker": page["NextMarker"]})
	require.Len(t, rest["Aliases"], len(predefinedAWSAliases)-10)
	// An AWS managed key of a service that is not predefined gets its alias listed once it exists.
	mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": "alias/aws/sqs"})
	require.Len(t, mustCall(t, w, Caller{}, "ListAliases", map[string]any{})["Aliases"], len(predefinedAWSAliases)+1)
	// A key filter lists no predefined alias.
	customer := newKey(t, w, Caller{}, map[string]any{})
	require.Empty(t, mustCall(t, w, Caller{}, "ListAliases", map[string]any{"KeyId": customer["KeyId"]})["Aliases"])
}

func TestAWSManagedKeyState(t *testing.T) {
	w := NewWorld(Options{})
	md := mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": "alias/aws/ebs"})["KeyMetadata"].(map[string]any)
	state := exportWorld(t, w)
	require.Contains(t, string(state), `"keyManager":"AWS"`)

	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, string(state), string(exportWorld(t, restored)))
	again := mustCall(t, restored, Caller{}, "DescribeKey", map[string]any{"KeyId": "alias/aws/ebs"})["KeyMetadata"].(map[string]any)
	require.Equal(t, md, again)
	require.Len(t, mustCall(t, restored, Caller{}, "ListKeys", map[string]any{})["Keys"], 1)

	// Bad states are refused and change nothing.
	customer := newKey(t, restored, Caller{}, map[string]any{})
	before := exportWorld(t, restored)
	mutate := func(f func(region map[string]any)) []byte {
		var doc map[string]any
		require.NoError(t, json.Unmarshal(before, &doc))
		f(doc["regions"].([]any)[0].(map[string]any))
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		return b
	}
	keyNamed := func(region map[string]any, id any) map[string]any {
		for _, k := range region["keys"].([]any) {
			if k.(map[string]any)["keyId"] == id {
				return k.(map[string]any)
			}
		}
		t.Fatalf("no key %v", id)
		return nil
	}
	bad := [][]byte{
		mutate(func(r map[string]any) { keyNamed(r, md["KeyId"])["keyManager"] = "SOMEONE" }),
		mutate(func(r map[string]any) { keyNamed(r, md["KeyId"])["keyState"] = "Disabled" }),
		mutate(func(r map[string]any) { delete(keyNamed(r, md["KeyId"]), "rotationPeriodInDays") }),
		mutate(func(r map[string]any) {
			keyNamed(r, md["KeyId"])["tags"] = []any{map[string]any{"TagKey": "k", "TagValue": "v"}}
		}),
		// alias/aws/ebs to a customer managed key, a customer alias to the AWS managed key, an unknown service.
		mutate(func(r map[string]any) { r["aliases"].([]any)[0].(map[string]any)["targetKeyId"] = customer["KeyId"] }),
		mutate(func(r map[string]any) {
			r["aliases"] = append(r["aliases"].([]any), map[string]any{"aliasName": "alias/mine", "targetKeyId": md["KeyId"], "creationDate": 1, "lastUpdatedDate": 1})
		}),
		mutate(func(r map[string]any) {
			r["aliases"].([]any)[0].(map[string]any)["aliasName"] = "alias/aws/nosuchservice"
		}),
		mutate(func(r map[string]any) { r["aliases"].([]any)[0].(map[string]any)["aliasName"] = "alias/aws/s3" }), // the EBS key
	}
	for i, b := range bad {
		status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", b)
		require.Equal(t, 400, status, "bad state %d: %s", i, body)
		require.JSONEq(t, string(before), string(exportWorld(t, restored)), "bad state %d changed the world", i)
	}
}
