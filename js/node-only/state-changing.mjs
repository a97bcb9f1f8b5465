// When the endpoint's state file is written after a successful call. Most operations change the world
// and are saved before they are acknowledged; an operation missing from both lists below (a new one)
// is saved too, which costs a write but never loses a change.
//
// The cryptographic operations change nothing but their key's last-usage record (GetKeyLastUsage).
// Writing the whole world after every Encrypt would cost far more than the call, so that record is
// written with the next save, or when the endpoint closes: a kill can lose the last-usage record of
// the calls since the last save, and nothing else. The operations that draw an RSA key from the world's
// prime pool (a data key pair, an import wrapping key) are saved before they answer: the pool's draws are
// part of the world's state (internal/kms/SNAPSHOT.md), and a restart that lost them would hand the same
// private key out again (issue 14: 130 of 500 data key pairs were, after one restart).

import { cryptographicOperations } from "../core/operations.mjs";

// The cryptographic operations (js/core/operations.mjs): GenerateRandom, which has no key, is read-only
// below, and whenToSave asks that list before this one.
const USAGE_ONLY_OPERATIONS = cryptographicOperations;

// The operations that may draw from the prime pool without making a key; whenToSave asks this list first.
const POOL_DRAWING_OPERATIONS = new Set([
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GetParametersForImport",
]);

const READ_ONLY_OPERATIONS = new Set([
  "GenerateRandom",
  "DescribeKey",
  "GetKeyLastUsage",
  "GetPublicKey",
  "GetKeyPolicy",
  "GetKeyRotationStatus",
  "ListKeys",
  "ListAliases",
  "ListGrants",
  "ListRetirableGrants",
  "ListKeyPolicies",
  "ListKeyRotations",
  "ListResourceTags",
  "DescribeCustomKeyStores",
]);

/**
 * whenToSave says when the world must be saved after a successful call of this `TrentService.<Op>`
 * target: "now" (before the answer), "later" (with the next save or at close), or "never".
 */
export function whenToSave(target) {
  const operation = target.slice(target.indexOf(".") + 1);
  if (POOL_DRAWING_OPERATIONS.has(operation)) return "now";
  if (READ_ONLY_OPERATIONS.has(operation)) return "never";
  return USAGE_ONLY_OPERATIONS.has(operation) ? "later" : "now";
}
