package kms

import (
	"fmt"
	"strings"
	"sync"
)

// AWS managed keys. An alias alias/aws/<service> named in a cryptographic operation, DescribeKey or
// GetPublicKey (an alias name or an alias ARN of the caller's own account and region) stands for the
// service's AWS managed key, which AWS creates on first use in that account and region (the model's
// DescribeKey documentation: "Amazon Web Services services use DescribeKey to create Amazon Web
// Services managed keys from a predefined Amazon Web Services alias with no key ID"). wasmkms does the
// same: the key is made on the first such lookup, with the alias pointing at it.
//
// The key is a symmetric encryption key with KeyManager AWS, the service's description and its AWS
// managed key policy, and automatic rotation every year (365 days, the model's EnableKeyRotation
// documentation). Its rules follow from that key policy, which is evaluated like any other
// (policy_condition.go): its first statement allows the use of the key to every principal of the
// account only through the service (kms:ViaService, which a direct call never has), the second allows
// kms:Describe*, kms:Get* and kms:List* (and for most services kms:RevokeGrant) to the account. So a
// direct Encrypt, DisableKey, ScheduleKeyDeletion, PutKeyPolicy, TagResource, UntagResource,
// Enable/DisableKeyRotation, RotateKeyOnDemand, UpdateKeyDescription or CreateGrant is refused with
// AccessDeniedException "... because no resource-based policy allows the <action> action" (the form AWS
// answers for an AWS managed key: a recorded GetKeyRotationStatus on aws/acm, elastic/cloudbeat issue
// 1749), while DescribeKey, GetKeyPolicy, GetKeyRotationStatus and the List operations work. Alias
// names under alias/aws/ stay refused to CreateAlias, UpdateAlias and DeleteAlias (aliases.go,
// NotAuthorizedException).
//
// Which services: the table below, each with the description and key policy an AWS account shows for
// it (policies as GetKeyPolicy prints them, from a reference account's export,
// github.com/FogSecurity/aws-managed-kms-keys, with its account, Region and partition filled in;
// descriptions as DescribeKey answers them in public exports, except those marked below). Any other
// alias/aws/<name> is not found, as an alias that does not exist. ListAliases lists the predefined
// aliases a fresh account shows, without TargetKeyId until their key exists (the model's ListAliases
// documentation; the names as a fresh account lists them, getmoto/moto's RESERVED_ALIASES).

// awsManagedService is one service's AWS managed key.
type awsManagedService struct {
	description string
	// policy is AWS's key policy text with {account}, {region}, {partition} and {dns} (amazonaws.com,
	// amazonaws.com.cn in the China Regions) to fill in.
	policy string
}

const awsAliasPrefix = "alias/aws/"

// predefinedAWSAliases are listed by ListAliases in every account and Region, with their key or
// without a TargetKeyId.
var predefinedAWSAliases = []string{
	"alias/aws/acm", "alias/aws/dynamodb", "alias/aws/ebs", "alias/aws/elasticfilesystem", "alias/aws/es",
	"alias/aws/glue", "alias/aws/kinesisvideo", "alias/aws/lambda", "alias/aws/rds", "alias/aws/redshift",
	"alias/aws/s3", "alias/aws/secretsmanager", "alias/aws/ssm", "alias/aws/xray",
}

// awsMetadataStatement is the statement most AWS managed key policies end with; withRevoke adds
// kms:RevokeGrant to it.
//
//go:noinline
func awsMetadataStatement(withRevoke bool) string {
	revoke := ""
	if withRevoke {
		revoke = `, "kms:RevokeGrant"`
	}
	return `{
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:{partition}:iam::{account}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*"` + revoke + ` ],
    "Resource" : "*"
  }`
}

// awsViaServicePolicy is the common form: statement one allows actions through the service to the
// account's principals (the condition keys in the order AWS prints them), then the metadata statement,
// then any extra statements.
//
//go:noinline
func awsViaServicePolicy(id, sid, actions, condition string, withRevoke bool, extra string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "` + id + `",
  "Statement" : [ ` + viaServiceStatement(sid, actions, condition) + `, ` + awsMetadataStatement(withRevoke) + extra + ` ]
}`
}

// viaServiceStatement allows actions (JSON strings) to every principal under condition (the
// Condition block's members): the statement through which a service uses its key.
//
//go:noinline
func viaServiceStatement(sid, actions, condition string) string {
	return `{
    "Sid" : "` + sid + `",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ ` + actions + ` ],
    "Resource" : "*",
    "Condition" : {
` + condition + `
    }
  }`
}

// viaCondition is StringEquals on kms:CallerAccount and kms:ViaService, in the order given.
//
//go:noinline
func viaCondition(service string, viaFirst bool) string {
	caller := `        "kms:CallerAccount" : "{account}"`
	via := `        "kms:ViaService" : "` + service + `.{region}.{dns}"`
	if viaFirst {
		return "      \"StringEquals\" : {\n" + via + ",\n" + caller + "\n      }"
	}
	return "      \"StringEquals\" : {\n" + caller + ",\n" + via + "\n      }"
}

//
//go:noinline
func allowThrough(name string) string {
	return "Allow access through " + name + " for all principals in the account that are authorized to use " + name
}

const (
	actionsCrypto      = `"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"`
	actionsCryptoGrant = `"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"`
)

// describeDirectly is the extra statement some services add for their service principal.
//
//go:noinline
func describeDirectly(sid, principal string) string {
	return `, {
    "Sid" : "` + sid + `",
    "Effect" : "Allow",
    "Principal" : {
      "Service" : "` + principal + `"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  }`
}

// acmGrantStatement is ACM's statement allowing CreateGrant through ACM for AWS resources, for the
// grant operations given (JSON).
//
//go:noinline
func acmGrantStatement(sid, operations string) string {
	return `{
    "Sid" : "` + sid + `",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:CreateGrant",
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "{account}",
        "kms:ViaService" : "acm.{region}.{dns}"
      },
      "ForAllValues:StringEquals" : {
        "kms:GrantOperations" : ` + operations + `
      },
      "Bool" : {
        "kms:GrantIsForAWSResource" : "true"
      }
    }
  }`
}

// The helpers above build the table below once, on first use; each is marked go:noinline because,
// inlined into awsManagedServiceTable at each of its dozens of uses, their concatenations made 7.6 KB
// more of the module (each a call site of wasm's resumable kind), for no speed that matters.

// awsManagedServices is made on first use: a test rarely asks for an AWS managed key, and made at
// start-up this table was most of the package's initialization code, which V8 compiled a second time
// (its optimizing tier) while the first calls waited for the machine (BENCHMARKS.md, warm start).
var awsManagedServices = sync.OnceValue(awsManagedServiceTable)

func awsManagedServiceTable() map[string]awsManagedService {
	return map[string]awsManagedService{
		"acm": {"Default key that protects my ACM private keys when no other key is defined", `{
  "Version" : "2012-10-17",
  "Id" : "auto-acm-4",
  "Statement" : [ ` + acmGrantStatement("Allow creation of decryption grants", `"Decrypt"`) + `, ` +
			acmGrantStatement("Allow creation of encryption grant", `[ "Encrypt", "ReEncryptFrom", "ReEncryptTo" ]`) + `, {
    "Sid" : "Allowed operations for the key owner",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:DescribeKey", "kms:ListGrants", "kms:RevokeGrant", "kms:GetKeyPolicy" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "{account}"
      }
    }
  }, {
    "Sid" : "Deny re-encryption to any other key",
    "Effect" : "Deny",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:ReEncrypt*",
    "Resource" : "*",
    "Condition" : {
      "Bool" : {
        "kms:ReEncryptOnSameKey" : "false"
      }
    }
  }, {
    "Sid" : "Allow decrypt",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:Decrypt",
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "{account}",
        "kms:ViaService" : "acm.{region}.{dns}"
      }
    }
  } ]
}`},
		"backup": {"Default key that protects my Backup data when no other key is defined",
			awsViaServicePolicy("auto-backup-1", "Allow access through Backup for all principals in the account that are authorized to use Backup Storage",
				`"kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"`, viaCondition("backup", false), true, "")},
		"dynamodb": {"Default key that protects my DynamoDB data when no other key is defined",
			awsViaServicePolicy("auto-dynamodb-3", allowThrough("Amazon DynamoDB"), actionsCryptoGrant,
				"      \"StringEquals\" : {\n        \"kms:CallerAccount\" : \"{account}\"\n      },\n      \"StringLike\" : {\n        \"kms:ViaService\" : \"dynamodb.*.{dns}\"\n      }",
				true, describeDirectly("Allow DynamoDB to directly describe the key", "dynamodb.amazonaws.com"))},
		"ebs": {"Default key that protects my EBS volumes when no other key is defined",
			awsViaServicePolicy("auto-ebs-2", allowThrough("EBS"), actionsCryptoGrant, viaCondition("ec2", true), true, "")},
		"elasticfilesystem": {"Default key that protects my EFS filesystems when no other key is defined",
			awsViaServicePolicy("auto-elasticfilesystem-1", "Allow access to EFS for all principals in the account that are authorized to use EFS",
				actionsCryptoGrant, viaCondition("elasticfilesystem", false), true, "")},
		"es": {"Default key that protects my Amazon OpenSearch Service (successor to Amazon Elasticsearch Service) data when no other key is defined",
			awsViaServicePolicy("auto-es-2", allowThrough("OpenSearch Service"), actionsCryptoGrant, viaCondition("es", false), true,
				describeDirectly("Allow OpenSearch service principals to describe the key directly", "es.amazonaws.com"))},
		// Ours: public exports show only the older wording, "Default master key that protects my Glue data
		// when no other key is defined"; this is it in AWS's current wording (S3, SSM: "Default key ...").
		"glue": {"Default key that protects my Glue data when no other key is defined",
			awsViaServicePolicy("auto-glue-1", allowThrough("Glue"), actionsCryptoGrant, viaCondition("glue", true), true, "")},
		// Ours, as for glue (older: "Default master key that protects my kinesis video data ...").
		"kinesisvideo": {"Default key that protects my kinesis video data when no other key is defined",
			awsViaServicePolicy("auto-kinesisvideo-1", allowThrough("Kinesis Video Streams"), actionsCryptoGrant, viaCondition("kinesisvideo", false), true, "")},
		"lambda": {"Default key that protects my Lambda functions when no other key is defined",
			awsViaServicePolicy("auto-awslambda", allowThrough("AWS Lambda"), actionsCryptoGrant, viaCondition("lambda", false), true, "")},
		"rds": {"Default key that protects my RDS database volumes when no other key is defined",
			awsViaServicePolicy("auto-rds-2", allowThrough("RDS"),
				`"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"`,
				viaCondition("rds", true), true, "")},
		// Ours: no public export shows the Redshift key's description; this follows the others' form.
		"redshift": {"Default key that protects my Redshift data when no other key is defined", `{
  "Version" : "2012-10-17",
  "Id" : "auto-redshift-3",
  "Statement" : [ ` + viaServiceStatement(allowThrough("RedShift"), actionsCryptoGrant, viaCondition("redshift", true)) + `, ` +
			viaServiceStatement(allowThrough("RedShift-Serverless"), actionsCryptoGrant, viaCondition("redshift-serverless", true)) + `, ` +
			awsMetadataStatement(true) + ` ]
}`},
		"s3": {"Default key that protects my S3 objects when no other key is defined",
			awsViaServicePolicy("auto-s3-2", allowThrough("S3"), actionsCrypto, viaCondition("s3", false), false, "")},
		"secretsmanager": {"Default key that protects my Secrets Manager data when no other key is defined", `{
  "Version" : "2012-10-17",
  "Id" : "auto-secretsmanager-2",
  "Statement" : [ {
    "Sid" : "` + allowThrough("AWS Secrets Manager") + `",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
` + viaCondition("secretsmanager", true) + `
    }
  }, {
    "Sid" : "` + allowThrough("AWS Secrets Manager") + `",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:GenerateDataKey*",
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "{account}"
      },
      "StringLike" : {
        "kms:ViaService" : "secretsmanager.*.{dns}"
      }
    }
  }, ` + awsMetadataStatement(true) + ` ]
}`},
		"sns": {"Default key that protects my SNS data when no other key is defined",
			awsViaServicePolicy("auto-sns-1", allowThrough("SNS"), `"kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"`,
				viaCondition("sns", false), true, "")},
		"sqs": {"Default key that protects my SQS messages when no other key is defined",
			awsViaServicePolicy("auto-sqs-1", "Allow access through Simple Queue Service (SQS) for all principals in the account that are authorized to use SQS",
				actionsCryptoGrant, viaCondition("sqs", true), true, "")},
		"ssm": {"Default key that protects my SSM parameters when no other key is defined",
			awsViaServicePolicy("auto-ssm-1", allowThrough("SSM"), actionsCrypto, viaCondition("ssm", true), false, "")},
		// Ours, as for glue (older: "Default master key that protects my X-Ray data ...").
		"xray": {"Default key that protects my X-Ray data when no other key is defined",
			awsViaServicePolicy("auto-xray-1", allowThrough("X-Ray"), actionsCryptoGrant, viaCondition("xray", true), true,
				describeDirectly("Allow X-Ray Service with service principal name xray.amazonaws.com to describe the key directly", "xray.amazonaws.com"))},
	}
}

// awsManagedServiceOf answers the service an alias name under alias/aws/ names, if wasmkms knows it.
func awsManagedServiceOf(aliasName string) (awsManagedService, bool) {
	name, ok := strings.CutPrefix(aliasName, awsAliasPrefix)
	if !ok {
		return awsManagedService{}, false
	}
	svc, ok := awsManagedServices()[name]
	return svc, ok
}

// awsManagedPolicy fills a service's key policy in for an account and Region.
func awsManagedPolicy(svc awsManagedService, account, regionName string) string {
	partition := partitionOf(regionName)
	dns := "amazonaws.com"
	if partition == "aws-cn" {
		dns = "amazonaws.com.cn"
	}
	return strings.NewReplacer("{account}", account, "{region}", regionName, "{partition}", partition, "{dns}", dns).Replace(svc.policy)
}

// keyManager answers the KeyManager of the key's metadata.
func (k *key) keyManager() string {
	if k.awsManaged {
		return "AWS"
	}
	return "CUSTOMER"
}

// createAWSManagedKey makes the AWS managed key an alias/aws/<service> in given stands for, when the
// lookup accepts aliases, the alias is the caller's own (name, or ARN of the caller's account and
// Region: a key is never created in another account), and it has no key yet. Anything else is left
// to lookupKey and its not-found answers.
func (w *World) createAWSManagedKey(c caller, given string, ref keyRef) *apiError {
	// Cheap first: most calls name a key by its ID, which is neither an alias nor an ARN.
	if !ref.aliases || !strings.HasPrefix(given, awsAliasPrefix) && !(strings.HasPrefix(given, "arn:") && strings.Contains(given, awsAliasPrefix)) {
		return nil
	}
	name := given
	if strings.HasPrefix(given, "arn:") {
		a, ok := parseKMSARN(given)
		if !ok || a.partition != partitionOf(a.region) || a.region != c.region || a.account != c.account {
			return nil
		}
		name = a.resource
	}
	svc, ok := awsManagedServiceOf(name)
	if !ok {
		return nil
	}
	r := w.regionOf(c.account, c.region)
	if a := r.aliases[name]; a != nil && r.keys[a.targetKeyID] != nil {
		return nil
	}
	id, err := w.newKeyID()
	if err != nil {
		return errInternal("generating a key ID: " + err.Error())
	}
	now := w.now().UTC()
	k := &key{
		id: id, account: c.account, region: c.region, spec: "SYMMETRIC_DEFAULT", usage: usageEncryptDecrypt,
		description: svc.description, origin: "AWS_KMS", state: stateEnabled, created: now,
		policy: awsManagedPolicy(svc, c.account, c.region), awsManaged: true, rotationDays: defaultRotationDays,
	}
	if err := w.generateMaterial(k, keySpecs[k.spec]); err != nil {
		return errInternal("generating key material: " + err.Error())
	}
	w.scheduleRotation(k, now)
	r = w.regionToChange(c.account, c.region)
	r.keys[id] = k
	r.keyOrder = append(r.keyOrder, id)
	r.aliases[name] = &alias{name: name, targetKeyID: id, created: now, updated: now}
	w.keyCreated(k)
	w.aliasChanged(c.account, c.region, name)
	return nil
}

// withPredefinedAliases adds to an unfiltered ListAliases the predefined alias/aws/ names the region
// does not hold yet.
func withPredefinedAliases(names []string, r *region) []string {
	for _, name := range predefinedAWSAliases {
		if r.aliases[name] == nil {
			names = append(names, name)
		}
	}
	return names
}

// ---- The state file (state.go): KeyManager AWS and the alias/aws/ aliases. ----

// exportKeyManager records an AWS managed key in its state.
func exportKeyManager(k *key, ks *keyState) {
	if k.awsManaged {
		ks.KeyManager = "AWS"
	}
}

// importKeyManager reads the key manager back: absent for a customer managed key, "AWS" for an AWS
// managed key, which is always an enabled symmetric AWS_KMS key that rotates every year.
func importKeyManager(k *key, ks keyState) error {
	switch ks.KeyManager {
	case "":
		return nil
	case "AWS":
	default:
		return fmt.Errorf("keyManager %q is not AWS (absent means CUSTOMER)", ks.KeyManager)
	}
	if ks.KeySpec != "SYMMETRIC_DEFAULT" || ks.Origin != "AWS_KMS" || ks.KeyState != stateEnabled ||
		ks.RotationDays != defaultRotationDays || ks.NextRotation == nil || len(ks.Grants) > 0 || len(ks.Tags) > 0 {
		return fmt.Errorf("an AWS managed key is an enabled SYMMETRIC_DEFAULT AWS_KMS key without tags or grants that rotates every %d days", defaultRotationDays)
	}
	k.awsManaged = true
	return nil
}

// stateAliasNameValid answers whether a state's alias name may target the key: a name under alias/aws/
// only the AWS managed key of that service (told by its description), any other valid name only a
// customer managed key (target nil is left to the caller's not-in-its-region check).
func stateAliasNameValid(name string, target *key) bool {
	if svc, known := awsManagedServiceOf(name); known && target != nil && target.awsManaged {
		return target.description == svc.description
	}
	return checkAliasNameRules(name) == nil && (target == nil || !target.awsManaged)
}
