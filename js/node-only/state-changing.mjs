// Which KMS operations leave the world as it was. The endpoint's state file is rewritten after every
// successful call of any other operation; an operation missing from this list (a new one) is therefore
// saved, which costs a write but never loses a change.

const READ_ONLY_OPERATIONS = new Set([
  "Encrypt",
  "Decrypt",
  "ReEncrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateRandom",
  "GenerateMac",
  "VerifyMac",
  "Sign",
  "Verify",
  "DeriveSharedSecret",
  "DescribeKey",
  "GetPublicKey",
  "GetKeyPolicy",
  "GetKeyRotationStatus",
  "GetParametersForImport",
  "ListKeys",
  "ListAliases",
  "ListGrants",
  "ListRetirableGrants",
  "ListKeyPolicies",
  "ListKeyRotations",
  "ListResourceTags",
  "DescribeCustomKeyStores",
]);

/** changesState says whether a successful call of this `TrentService.<Op>` target may change the world. */
export function changesState(target) {
  const operation = target.slice(target.indexOf(".") + 1);
  return !READ_ONLY_OPERATIONS.has(operation);
}
