package kms

import (
	"fmt"
	"strings"

	"github.com/wasmkms/wasmkms/internal/kmsabi"
)

// apiError is an answer that is an AWS error: the wire name (the body's __type) and the message.
// A message of "" is sent as absent, as real KMS does for InvalidCiphertextException.
type apiError struct {
	name    string
	message string
}

func (e *apiError) Error() string { return e.name + ": " + e.message }

// newError makes the error name (which must be in kmsabi's table of names and statuses) with the
// message.
func newError(name, format string, args ...any) *apiError {
	if kmsabi.ErrorStatus(name) == 0 {
		panic("kms: error name missing from kmsabi's table: " + name)
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &apiError{name: name, message: msg}
}

// encode answers the status and the JSON error body (kmsabi.ErrorAnswer, the one encoder).
func (e *apiError) encode() (int, []byte) {
	return kmsabi.ErrorAnswer(e.name, e.message)
}

// ---- One constructor per message: each message text lives here and nowhere else. ----

func errUnknownOperation() *apiError { return newError("UnknownOperationException", "") }

func errInternal(what string) *apiError { return newError("KMSInternalException", "%s", what) }

func errSerialization(msg string) *apiError { return newError("SerializationException", "%s", msg) }

func errValidation(msg string) *apiError { return newError("ValidationException", "%s", msg) }

// errValidationList formats AWS's counted validation message.
func errValidationList(violations []string) *apiError {
	plural := "s"
	if len(violations) == 1 {
		plural = ""
	}
	return errValidation(fmt.Sprintf("%d validation error%s detected: %s", len(violations), plural, strings.Join(violations, "; ")))
}

func errKeyNotFound(keyARN string) *apiError {
	return newError("NotFoundException", "Key '%s' does not exist", keyARN)
}

func errInvalidKeyID(given string) *apiError {
	return newError("NotFoundException", "Invalid keyId '%s'", given)
}

func errInvalidArnRegion(region string) *apiError {
	return newError("NotFoundException", "Invalid arn %s", region)
}

func errAliasNotFound(aliasARN string) *apiError {
	return newError("NotFoundException", "Alias %s is not found.", aliasARN)
}

func errDisabled(keyARN string) *apiError {
	return newError("DisabledException", "%s is disabled.", keyARN)
}

// errInvalidState is KMSInvalidStateException for a key state that forbids the operation:
// "<key ARN> is pending deletion." and the like.
func errInvalidState(keyARN, stateWords string) *apiError {
	return newError("KMSInvalidStateException", "%s is %s.", keyARN, stateWords)
}

func errNotPendingDeletion(keyARN string) *apiError {
	return newError("KMSInvalidStateException", "%s is not pending deletion.", keyARN)
}

func errDryRun() *apiError {
	return newError("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")
}

func errAlgorithmIncompatible(algorithm, keySpec string) *apiError {
	return newError("InvalidKeyUsageException", "Algorithm %s is incompatible with key spec %s.", algorithm, keySpec)
}

func errKeyUsageInvalidFor(keyARN, usage, operation string) *apiError {
	return newError("InvalidKeyUsageException", "%s key usage is %s which is not valid for %s.", keyARN, usage, operation)
}

func errPlaintextTooLarge(algorithm, keySpec string, max int) *apiError {
	return errValidation(fmt.Sprintf("Algorithm %s and key spec %s cannot encrypt data larger than %d bytes.", algorithm, keySpec, max))
}

// errContextWithAsymmetricKey: what real KMS answers for an encryption context with an asymmetric
// key is not documented; this text is ours.
func errContextWithAsymmetricKey(keySpec string) *apiError {
	return errValidation(fmt.Sprintf("EncryptionContext is not supported with asymmetric KMS keys (key spec %s).", keySpec))
}

func errInvalidCiphertext() *apiError { return newError("InvalidCiphertextException", "") }

// errInvalidSignature and errInvalidMac: AWS answers these with an empty message (LocalStack's
// recordings of AWS, test_sign_verify and test_invalid_verify_mac).
func errInvalidSignature() *apiError { return newError("KMSInvalidSignatureException", "") }

func errInvalidMac() *apiError { return newError("KMSInvalidMacException", "") }

// errDigestLength: AWS's text (LocalStack's recordings, test_sign_verify "bad-digest").
func errDigestLength(algorithm string) *apiError {
	return errValidation(fmt.Sprintf("Digest is invalid length for algorithm %s.", algorithm))
}

// errExternalMuLength: ours, in the form of errDigestLength (the model documents that mu is 64 bytes).
func errExternalMuLength(algorithm string) *apiError {
	return errValidation(fmt.Sprintf("External mu is invalid length for algorithm %s: it must be 64 bytes.", algorithm))
}

// errMessageTypeUnsupported: ours; the model documents which MessageType each algorithm takes.
func errMessageTypeUnsupported(messageType, algorithm string) *apiError {
	return errValidation(fmt.Sprintf("MessageType %s is not supported with signing algorithm %s.", messageType, algorithm))
}

// errInvalidPeerPublicKey: AWS answers a DeriveSharedSecret PublicKey that is not a usable key of the
// KMS key's curve with an empty ValidationException (LocalStack's recordings, test_derive_shared_secret).
func errInvalidPeerPublicKey() *apiError { return newError("ValidationException", "") }

func errIncorrectKey() *apiError {
	return newError("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
}

func errCiphertextKeyUnknown() *apiError {
	return newError("AccessDeniedException", "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.")
}

// errNotAuthorized is the AccessDeniedException of a policy evaluation; policyKind is
// "resource-based" (the key policy) or "identity-based" (IAM, same account).
func errNotAuthorized(principal, action, resource, policyKind string) *apiError {
	return newError("AccessDeniedException", "User: %s is not authorized to perform: %s on resource: %s because no %s policy allows the %s action", principal, action, resource, policyKind, action)
}

func errExplicitDeny(principal, action, resource string) *apiError {
	return newError("AccessDeniedException", "User: %s is not authorized to perform: %s on resource: %s with an explicit deny in a resource-based policy", principal, action, resource)
}

// errKeyIDRequiredForAsymmetric: ours (real KMS's wording is not documented).
func errKeyIDRequiredForAsymmetric() *apiError {
	return errValidation("KeyId is required for asymmetric KMS keys.")
}

// errInvalidGrantToken: ours (the name is KMS's; its message is not documented).
func errInvalidGrantToken() *apiError {
	return newError("InvalidGrantTokenException", "Grant token is invalid.")
}

// errInvalidMarker: ours.
func errInvalidMarker() *apiError { return newError("InvalidMarkerException", "Invalid marker.") }

func errMalformedPolicy(why string) *apiError {
	return newError("MalformedPolicyDocumentException", "%s", why)
}

func errAliasPrefix() *apiError {
	return errValidation(`Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)
}

// errAliasReserved: real KMS refuses names under alias/aws/ with a bare NotAuthorizedException (a
// name outside the published model, as peers observed it).
func errAliasReserved() *apiError { return newError("NotAuthorizedException", "") }

func errAliasToAlias() *apiError { return errValidation("Aliases must refer to keys. Not aliases") }

func errAliasUsageChange(alias, from, to string) *apiError {
	return errValidation(fmt.Sprintf("Alias %s cannot be changed from a CMK with key usage %s to a CMK with key usage %s. The key usage of the current CMK and the new CMK must be the same.", alias, from, to))
}

func errAliasSpecChange(alias, from, to string) *apiError {
	return errValidation(fmt.Sprintf("Alias %s cannot be changed from a CMK with key spec %s to a CMK with key spec %s. The key spec of the current CMK and the new CMK must be the same.", alias, from, to))
}

func errAliasExists(aliasARN string) *apiError {
	return newError("AlreadyExistsException", "An alias with the name %s already exists", aliasARN)
}

func errUnsupported(msg string) *apiError {
	return newError("UnsupportedOperationException", "%s", msg)
}

// errPolicyNotFound: a key has one policy, named "default". Our text.
func errPolicyNotFound() *apiError {
	return newError("NotFoundException", "The only valid policy name is default.")
}

// errBadState refuses a WasmKMS.ImportState document (an admin target: our text).
func errBadState(why string) *apiError { return errValidation("Invalid state: " + why) }

// errKeyUsageRequired: KeyUsage may be omitted only for symmetric encryption keys (text recorded
// against AWS by LocalStack).
func errKeyUsageRequired() *apiError {
	return errValidation("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
}

// errGrantNotFound: our text for a grant ID that names no grant of the key.
func errGrantNotFound(id string) *apiError {
	return newError("NotFoundException", "Grant ID %s not found", id)
}

// ---- CreateKey and key specs. Texts marked "ours" are not documented for real KMS. ----

// errBytesOrKeySpec: GenerateDataKey needs exactly one size (as peers observed it).
func errBytesOrKeySpec() *apiError {
	return errValidation("Please specify either number of bytes or key spec.")
}

// errBothKeySpecs: ours.
func errBothKeySpecs() *apiError {
	return errValidation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.")
}

// errSpecUnsupported: a real spec this service cannot make (ours). member is KeySpec or KeyPairSpec.
func errSpecUnsupported(member, spec string) *apiError {
	return errUnsupported(fmt.Sprintf("%s %s is not supported by wasmkms.", member, spec))
}

// errChinaOnly: SM2 exists only in the China Regions; the refusal elsewhere is ours.
func errChinaOnly(member, spec, region string) *apiError {
	return errValidation(fmt.Sprintf("%s %s is not supported in region %s. SM2 keys are available only in the China Regions.", member, spec, region))
}

// errUsageIncompatible: AWS's text, recorded by LocalStack's snapshot tests (test_derive_shared_secret:
// KEY_AGREEMENT with RSA_2048), without a final period.
func errUsageIncompatible(usage, spec string) *apiError {
	return errValidation(fmt.Sprintf("KeyUsage %s is not compatible with KeySpec %s", usage, spec))
}

func errNotImplemented(operation string) *apiError {
	return errUnsupported("wasmkms does not implement " + operation + " yet.")
}

// errNoPublicKey: GetPublicKey on a symmetric or HMAC key (ours).
func errNoPublicKey(keyARN, spec string) *apiError {
	return errUnsupported(fmt.Sprintf("%s key spec %s is not supported for this operation.", keyARN, spec))
}

// errRotationUnsupported: AWS refuses to rotate a key that is not a symmetric encryption key with an
// UnsupportedOperationException and no message (LocalStack's recording,
// test_rotate_key_on_demand_raises_error_given_non_symmetric_key).
func errRotationUnsupported() *apiError { return newError("UnsupportedOperationException", "") }

// errOriginInvalid: AWS's text for an operation a key's origin does not allow (LocalStack's
// recording, test_rotate_key_on_demand_raises_error_given_key_with_imported_key_material).
func errOriginInvalid(keyARN, origin string) *apiError {
	return errUnsupported(fmt.Sprintf("%s origin is %s which is not valid for this operation.", keyARN, origin))
}

// errOnDemandRotationLimit: AWS's text (LocalStack's recording, test_key_rotations_limits).
func errOnDemandRotationLimit(keyARN string) *apiError {
	return newError("LimitExceededException", "The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: %s", keyARN)
}

// errBadSuppliedKey refuses a WasmKMS.SupplyRSAKey body (admin target: ours).
func errBadSuppliedKey(why string) *apiError { return errValidation("PrivateKey " + why) }

// ---- Key policies (texts ours, except the lockout one, which is KMS's). ----

func errPolicyNotObject() *apiError {
	return errMalformedPolicy("The policy is not a valid JSON object.")
}

func errPolicyNoStatement() *apiError { return errMalformedPolicy("The policy has no Statement.") }

func errPolicyBadStatement() *apiError {
	return errMalformedPolicy("The policy has a malformed Statement.")
}

func errPolicyBadEffect() *apiError {
	return errMalformedPolicy("The policy has a statement whose Effect is neither Allow nor Deny.")
}

func errPolicyLockout() *apiError {
	return errMalformedPolicy("The new key policy will not allow you to update the key policy in the future.")
}

// Tag refusals: AWS's texts (LocalStack's recordings, test_create_key_with_invalid_tag_key,
// test_tag_key_with_duplicate_tag_keys_raises_error, test_create_key_with_too_many_tags_raises_error).
func errTagReserved() *apiError {
	return newError("TagException", "Tags beginning with aws: are reserved")
}

func errTagDuplicate() *apiError { return newError("TagException", "Duplicate tag keys") }

func errTooManyTags() *apiError { return newError("TagException", "Too many tags") }

// errBadClock refuses a clock admin request (WasmKMS.SetClock, WasmKMS.AdvanceClock: ours).
func errBadClock(why string) *apiError { return errValidation("wasmkms clock: " + why) }

// ---- Grants (CreateGrant, RetireGrant). ----

// errGrantOnlyCreateGrant: AWS's text, as a boto3 ClientError from real KMS shows it
// (github.com/ansible/ansible pull 31960).
func errGrantOnlyCreateGrant() *apiError {
	return errValidation("Grants must not contain only the CreateGrant operation.")
}

// errMoreThanOneConstraint: both EncryptionContextEquals and EncryptionContextSubset (even an empty
// one). AWS's text, as real KMS answered it (github.com/aws/aws-sdk-java issue 328).
func errMoreThanOneConstraint() *apiError { return errValidation("More than one constraint supplied") }

// errConstraintOperation: constraints with an operation that takes no encryption context (the model
// documents the refusal, not its words): ours.
func errConstraintOperation(operation string) *apiError {
	return errValidation(fmt.Sprintf("Grant constraints are not supported for the %s operation: it takes no encryption context.", operation))
}

// errConstraintTooManyPairs and errConstraintValueTooLong: the limits the model documents; ours.
func errConstraintTooManyPairs(max int) *apiError {
	return errValidation(fmt.Sprintf("A grant constraint can include up to %d encryption context pairs.", max))
}

func errConstraintValueTooLong(max int) *apiError {
	return errValidation(fmt.Sprintf("An encryption context value in a grant constraint cannot exceed %d characters.", max))
}

// errConstraintKeySpec: constraints on an asymmetric or HMAC key (documented, not its words): ours.
func errConstraintKeySpec(keySpec string) *apiError {
	return errValidation(fmt.Sprintf("Grant constraints are not supported with asymmetric or HMAC KMS keys (key spec %s).", keySpec))
}

// errRetireGrantTarget: a RetireGrant without GrantToken, nor KeyId and GrantId: ours.
func errRetireGrantTarget() *apiError {
	return errValidation("RetireGrant needs a GrantToken, or both KeyId and GrantId.")
}

// errRetireGrantMismatch: a KeyId or GrantId that names another grant than the GrantToken: ours.
func errRetireGrantMismatch() *apiError {
	return errValidation("The KeyId and GrantId do not name the grant of the GrantToken.")
}

// ---- Multi-Region keys (multiregion.go). ----

// errNotMultiRegionPrimary: AWS's text for ReplicateKey of a key that is not a multi-Region primary key
// (LocalStack's recording, test_replicate_replica_key_should_fail, for a replica). Ours to answer it
// also for a single-Region key, for UpdatePrimaryRegion, and for rotating a replica.
func errNotMultiRegionPrimary(keyARN string) *apiError {
	return errUnsupported(keyARN + " is not a multi-region primary key.")
}

// errReplicaRegionUnknown: a ReplicaRegion of the right form that is no AWS Region (ours).
func errReplicaRegionUnknown(region string) *apiError {
	return errValidation("ReplicaRegion " + region + " is not an AWS Region.")
}

// errReplicaRegionPartition: a ReplicaRegion outside the primary key's partition (ours).
func errReplicaRegionPartition(region, primaryRegion string) *apiError {
	return errUnsupported(fmt.Sprintf("ReplicaRegion %s is not in the partition of the primary key's Region %s.", region, primaryRegion))
}

// errMultiRegionKeyExists: ReplicateKey into a Region that already has a key of the multi-Region key,
// the primary or a replica (the name is AWS's documented one; the text is ours).
func errMultiRegionKeyExists(keyARN string) *apiError {
	return newError("AlreadyExistsException", "%s already exists.", keyARN)
}

// errAlreadyPrimary: UpdatePrimaryRegion to the primary key's own Region (ours).
func errAlreadyPrimary(keyARN string) *apiError {
	return errUnsupported(keyARN + " is already the primary key.")
}

// errReplicaNewMaterial: an import into a replica of material its multi-Region key does not have
// (ours; ImportKeyMaterial's documentation: "You cannot directly import new key material into the
// replica Region keys").
func errReplicaNewMaterial(keyARN, primaryARN string) *apiError {
	return errUnsupported(fmt.Sprintf("%s is a multi-Region replica key: import new key material into its primary key %s first, then the same key material into each replica key.", keyARN, primaryARN))
}

// errNotTheSetsMaterial: an import into a replica of material that is not its multi-Region key's
// (ours; the exception's documentation: "not the same key material that was previously imported").
func errNotTheSetsMaterial(keyARN, primaryARN string) *apiError {
	return newError("IncorrectKeyMaterialException", "The key material is not the key material of multi-Region key %s, which is the key material imported into its primary key %s.", keyARN, primaryARN)
}

// errPendingNotInReplicas: RotateKeyOnDemand (or UpdatePrimaryRegion) of a primary key whose material
// pending rotation is not imported into every replica yet (ours, in the form of AWS's
// errMaterialPendingRotation).
func errPendingNotInReplicas(materialID, keyARN, regions string) *apiError {
	return newError("KMSInvalidStateException", "Key material (id: %s) of KMS key %s cannot become current, because it is not imported into the replica keys in %s.", materialID, keyARN, regions)
}

// errBadFault refuses a WasmKMS fault request (ours).
func errBadFault(why string) *apiError { return errValidation("wasmkms faults: " + why) }

// errBadJournalFilter refuses a WasmKMS.Calls filter (ours).
func errBadJournalFilter(why string) *apiError {
	return errValidation("wasmkms calls: the filter is not valid: " + why)
}

// errNoJournal refuses WasmKMS.Calls in a world made with the journal off (ours).
func errNoJournal() *apiError {
	return errValidation("wasmkms calls: this world keeps no journal (it was made with journal false)")
}

// ---- Imported key material (import.go). Texts marked "ours" are not AWS's recorded words. ----

// errValidToRequired: AWS's text (LocalStack's recording, test_import_key_symmetric).
func errValidToRequired() *apiError {
	return errValidation("A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES")
}

// errValidToNotAllowed: ours, in the form of errValidToRequired.
func errValidToNotAllowed() *apiError {
	return errValidation("A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE")
}

// errValidToOutOfRange: ours (the model: a future date at most 365 days from the request).
func errValidToOutOfRange() *apiError {
	return errValidation("The validTo date must be in the future and at most 365 days from now.")
}

// errWrappingAlgorithmRetired: ours (the model: RSAES_PKCS1_V1_5 is not supported since October 10, 2023).
func errWrappingAlgorithmRetired(algorithm string) *apiError {
	return errUnsupported(fmt.Sprintf("WrappingAlgorithm %s is no longer supported.", algorithm))
}

// errWrappingMismatch: ours.
func errWrappingMismatch(algorithm, spec string) *apiError {
	return errValidation(fmt.Sprintf("WrappingAlgorithm %s is not compatible with WrappingKeySpec %s.", algorithm, spec))
}

// errImportOptionSymmetricOnly: ours (the model: the member is only usable with symmetric encryption keys).
func errImportOptionSymmetricOnly(member string) *apiError {
	return errValidation(member + " is only valid for symmetric encryption KMS keys.")
}

// errKeyMaterialIdWithNewImport: ours (the model: no KeyMaterialId with ImportType NEW_KEY_MATERIAL).
func errKeyMaterialIdWithNewImport() *apiError {
	return errValidation("You cannot specify a KeyMaterialId when the ImportType is NEW_KEY_MATERIAL.")
}

// errInvalidImportToken: ours (the exception's documentation, in short).
func errInvalidImportToken() *apiError {
	return newError("InvalidImportTokenException", "The import token is invalid or is associated with a different KMS key.")
}

// errExpiredImportToken: ours.
func errExpiredImportToken() *apiError {
	return newError("ExpiredImportTokenException", "The import token has expired. Use GetParametersForImport to get a new import token and public key.")
}

// errSymmetricMaterialSize: ours.
func errSymmetricMaterialSize(got int) *apiError {
	return newError("IncorrectKeyMaterialException", "The key material must be a 256-bit (32-byte) symmetric key, not %d bytes.", got)
}

// errHMACMaterialSize: ours.
func errHMACMaterialSize(spec string, min, max int) *apiError {
	return newError("IncorrectKeyMaterialException", "The key material for key spec %s must be %d to %d bytes long.", spec, min, max)
}

// errPrivateKeyMaterial: ours.
func errPrivateKeyMaterial(spec string) *apiError {
	return newError("IncorrectKeyMaterialException", "The key material must be a DER-encoded PKCS #8 private key of key spec %s.", spec)
}

// errKeyMaterialDiffers: ours (asymmetric and HMAC keys accept the key material of their first import only).
func errKeyMaterialDiffers(keyARN string) *apiError {
	return newError("IncorrectKeyMaterialException", "The key material is not the key material previously imported into %s.", keyARN)
}

// errKeyMaterialIdMismatch: ours.
func errKeyMaterialIdMismatch(given string) *apiError {
	return newError("IncorrectKeyMaterialException", "The key material does not match the KeyMaterialId %s.", given)
}

// errKeyMaterialNotAssociated: ours (an EXISTING_KEY_MATERIAL import of material the key never had).
func errKeyMaterialNotAssociated(keyARN string) *apiError {
	return newError("IncorrectKeyMaterialException", "The key material is not associated with KMS key %s. To import new key material, set ImportType to NEW_KEY_MATERIAL.", keyARN)
}

// errKeyMaterialAlreadyAssociated: ours (a NEW_KEY_MATERIAL import of material the key already has).
func errKeyMaterialAlreadyAssociated(materialID, keyARN string) *apiError {
	return newError("IncorrectKeyMaterialException", "Key material (id: %s) is already associated with KMS key %s. To reimport it, set ImportType to EXISTING_KEY_MATERIAL.", materialID, keyARN)
}

// errMaterialPendingRotation: AWS's text (LocalStack's recording,
// test_import_key_material_raises_if_there_is_already_key_material_pending, where the key is named by
// its ARN, as LocalStack's implementation that passes it has it).
func errMaterialPendingRotation(newID, keyARN, pendingID string) *apiError {
	return newError("KMSInvalidStateException", "New key material (id: %s) cannot be imported into KMS key %s, because another key material (id: %s) is pending rotation.", newID, keyARN, pendingID)
}

// errNoMaterialPendingRotation: AWS's text (LocalStack's recording,
// test_rotate_key_on_demand_raises_for_no_pending_key_material).
func errNoMaterialPendingRotation(keyARN string) *apiError {
	return newError("KMSInvalidStateException", "No available key material pending rotation for the key: %s.", keyARN)
}

// errKeyMaterialNotFound: ours.
func errKeyMaterialNotFound(materialID, keyARN string) *apiError {
	return newError("NotFoundException", "Key material %s is not associated with %s.", materialID, keyARN)
}

// ---- Key policy Condition blocks (policy_condition.go): all texts ours. ----

// errConditionNotObject: a Condition, or one of its operators, that is not a JSON object.
func errConditionNotObject() *apiError {
	return errMalformedPolicy("The policy has a Condition that is not an object of operators, each an object of condition keys.")
}

// errConditionOperator: a condition operator wasmkms does not evaluate.
func errConditionOperator(operator string) *apiError {
	return errMalformedPolicy(fmt.Sprintf("The policy's condition operator %s is not supported by wasmkms: it evaluates StringEquals, StringNotEquals, StringLike, StringNotLike, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, Bool and Null, with the ForAnyValue: and ForAllValues: prefixes and the IfExists suffix (not on Null).", operator))
}

// errConditionKey: a condition key wasmkms does not evaluate.
func errConditionKey(key string) *apiError {
	return errMalformedPolicy(fmt.Sprintf("The policy's condition key %s is not supported by wasmkms: it evaluates kms:EncryptionContext:<key>, kms:EncryptionContextKeys, kms:CallerAccount, kms:ViaService, kms:GrantIsForAWSResource, kms:RequestAlias, kms:EncryptionAlgorithm, kms:SigningAlgorithm, kms:RecipientAttestation:ImageSha384, kms:RecipientAttestation:PCR<n>, aws:PrincipalArn and aws:SourceAccount.", key))
}

// errConditionBadValues: a condition whose value is not a string, Boolean or number, or a non-empty
// list of them.
func errConditionBadValues(operator, key string) *apiError {
	return errMalformedPolicy(fmt.Sprintf("The policy's condition %s on %s must have a string, a Boolean, a number or a non-empty list of them as its value.", operator, key))
}

// errConditionSetNeeded: the multivalued kms:EncryptionContextKeys without ForAnyValue: or ForAllValues:.
func errConditionSetNeeded(operator, key string) *apiError {
	return errMalformedPolicy(fmt.Sprintf("The policy's condition key %s has several values: use it with ForAnyValue: or ForAllValues: (the condition says %s).", key, operator))
}

// errConditionNullValue: a Null condition whose value is not true or false.
func errConditionNullValue(key string) *apiError {
	return errMalformedPolicy(fmt.Sprintf("The policy's Null condition on %s must be true or false.", key))
}

// errNumberOfBytesRequired: GenerateRandom without NumberOfBytes, absent or null (the model marks it
// optional). AWS's text, recorded by LocalStack's test_generate_random_invalid_number_of_bytes[None].
func errNumberOfBytesRequired() *apiError {
	return errValidation("NumberOfBytes is required.")
}

// ---- Custom key stores (customkeystore.go): all texts ours (AWS's are not recorded). Messages name
// stores by ID or name, never a KeyStorePassword or a proxy's secret access key. ----

func errCustomKeyStoreNotFound(id string) *apiError {
	return newError("CustomKeyStoreNotFoundException", "Custom key store %s does not exist in this account and Region.", id)
}

func errCustomKeyStoreNameNotFound(name string) *apiError {
	return newError("CustomKeyStoreNotFoundException", "No custom key store in this account and Region has the name %s.", name)
}

func errCustomKeyStoreNameInUse(name string) *apiError {
	return newError("CustomKeyStoreNameInUseException", "A custom key store named %s already exists in this account and Region.", name)
}

// errCustomKeyStoreInvalidState: the store's ConnectionState does not allow the operation.
func errCustomKeyStoreInvalidState(id, connectionState, operation string) *apiError {
	return newError("CustomKeyStoreInvalidStateException", "The ConnectionState of custom key store %s is %s, which is not valid for %s.", id, connectionState, operation)
}

// errCustomKeyStoreUpdateConnected: UpdateCustomKeyStore of a member a connected store cannot change.
func errCustomKeyStoreUpdateConnected(id, member string) *apiError {
	return newError("CustomKeyStoreInvalidStateException", "Custom key store %s is CONNECTED: disconnect it to change %s.", id, member)
}

func errCustomKeyStoreHasKeys(id string) *apiError {
	return newError("CustomKeyStoreHasCMKsException", "Custom key store %s contains KMS keys: delete them (ScheduleKeyDeletion) before you delete the custom key store.", id)
}

func errCustomKeyStoreLimit(max int) *apiError {
	return newError("LimitExceededException", "This account and Region already have %d custom key stores, the most AWS allows.", max)
}

func errCloudHsmClusterInUse(clusterID string) *apiError {
	return newError("CloudHsmClusterInUseException", "CloudHSM cluster %s is already associated with a custom key store in this account and Region.", clusterID)
}

func errCloudHsmClusterNotRelated(clusterID string) *apiError {
	return newError("CloudHsmClusterNotRelatedException", "CloudHSM cluster %s is associated with another custom key store, so it shares no backup history with this custom key store's cluster.", clusterID)
}

func errXksProxyUriInUse(uri string) *apiError {
	return newError("XksProxyUriInUseException", "The external key store proxy URI %s is already associated with another external key store in this account and Region.", uri)
}

func errXksProxyUriEndpointInUse(endpoint string) *apiError {
	return newError("XksProxyUriEndpointInUseException", "The XksProxyUriEndpoint %s is already associated with another external key store in this Region.", endpoint)
}

func errXksVpcEndpointServiceInUse(name string) *apiError {
	return newError("XksProxyVpcEndpointServiceInUseException", "The VPC endpoint service %s is already associated with another external key store in this Region.", name)
}

func errXksKeyInUse(xksKeyID, storeID string) *apiError {
	return newError("XksKeyAlreadyInUseException", "The external key %s is already associated with a KMS key in custom key store %s.", xksKeyID, storeID)
}

// errMemberRequiredWith and errMemberNotValidWith: a request member that another member's value
// requires or excludes ("XksKeyId is required with Origin EXTERNAL_KEY_STORE.").
func errMemberRequiredWith(member, condition string) *apiError {
	return errValidation(fmt.Sprintf("%s is required with %s.", member, condition))
}

func errMemberNotValidWith(member, condition string) *apiError {
	return errValidation(fmt.Sprintf("%s is not valid with %s.", member, condition))
}

func errCustomKeyStoreIDAndName() *apiError {
	return errValidation("Specify CustomKeyStoreId or CustomKeyStoreName, not both.")
}

func errOriginNotStoreType(origin, storeID, storeType string) *apiError {
	return errValidation(fmt.Sprintf("Origin %s is not valid for custom key store %s, whose type is %s.", origin, storeID, storeType))
}

func errCustomKeyStoreKeySpec(spec string) *apiError {
	return errUnsupported(fmt.Sprintf("KeySpec %s is not supported in a custom key store: only SYMMETRIC_DEFAULT keys are.", spec))
}

func errCustomKeyStoreMultiRegion() *apiError {
	return errUnsupported("Multi-Region keys cannot be created in a custom key store.")
}

// errRandomFromExternalKeyStore: GenerateRandom with an external key store's ID (the exception is the
// model's).
func errRandomFromExternalKeyStore(id string) *apiError {
	return errUnsupported(fmt.Sprintf("GenerateRandom does not support external key stores: %s is an EXTERNAL_KEY_STORE custom key store.", id))
}

// errBadFixture refuses a WasmKMS.LoadFixtures body (fixtures.go; ours): where in the body
// ("keys[2].material"; empty for the whole body), and why.
func errBadFixture(path, why string) *apiError {
	if path == "" {
		return errValidation("fixtures: " + why)
	}
	return errValidation("fixtures: " + path + ": " + why)
}

// ---- Callers (callers.go): what AWS answers for credentials it refuses, and the texts a host shows
// when it refuses such a caller before sending. ----

// errCredentialRegion: AWS's answer to a request signed for a Region that is not one, as its JSON
// services give it (the text quoted in the SDKs' issues: "Credential should be scoped to a valid
// region, not 'us-west-1'. ", the trailing space included).
func errCredentialRegion(region string) *apiError {
	return newError("InvalidSignatureException", "Credential should be scoped to a valid region, not '%s'. ", region)
}

// errUnrecognizedClient: AWS's answer to credentials of no account it knows (an account ID that is
// not one); the same text the SigV4 checks of the endpoints give.
func errUnrecognizedClient() *apiError {
	return newError("UnrecognizedClientException", "The security token included in the request is invalid.")
}

// regionRefusal and accountRefusal: the texts of a caller that a host refuses before sending, in the
// form of the SDK's own refusal of a Region (`Region not accepted: region="a b" is not a valid
// hostname component.`); ours but for that one, which is the SDK's.
func regionRefusal(region, why string) string {
	return fmt.Sprintf("Region not accepted: region=%q %s", region, why)
}

func accountRefusal(account string) string {
	return fmt.Sprintf("Account not accepted: accountId=%q is not an AWS account ID (12 digits).", account)
}

// ---- Attested requests (recipient.go). AWS documents no text for a Recipient it refuses; these
// are wasmkms's own, with AWS's exception name for a request that fails validation. ----

func errAttestationMissing() *apiError {
	return errValidation("Recipient.AttestationDocument is required when Recipient is given.")
}

func errAttestationInvalid() *apiError {
	return errValidation("Recipient.AttestationDocument is not a valid attestation document: it must be a COSE_Sign1 attestation document whose certificate chains to the attestation root at the current time (wasmkms accepts the documents that WasmKMS.AttestationDocument makes) and whose signature verifies.")
}

func errAttestationNoPublicKey() *apiError {
	return errValidation("Recipient.AttestationDocument has no public key: KMS encrypts the response to the RSA public key of the attestation document (2048 to 4096 bits).")
}

func errBadAttestationOption(why string) *apiError {
	return errValidation("wasmkms attestation document: " + why)
}
