// The one table of the KMS operations this package offers: every operation the Go core answers, those
// it implements and those it answers with UnsupportedOperationException ("not implemented yet"), so that
// code importing any of their commands loads, and learns at send time what is missing. Commands, the KMS
// aggregate's methods, serialization, log filtering and the .d.ts all derive from it.
//
// Member lists, blob, timestamp and sensitive members are those of @aws-sdk/client-kms's own schemas
// (test/node/operations.test.mjs checks this table against them), so that input and output take the
// shape the real SDK gives them:
//   input / output: the top-level members, in the SDK's order; others are dropped, as the SDK drops them
//   blobs: members sent as base64 and returned as Uint8Array ("A.B" nests, "A[].B" is a list's elements)
//   inputTimestamps: members sent as epoch seconds when given as Date
//   outputTimestamps: members returned as Date (epoch seconds on the wire)
//   sensitive: members the logger shows as ***SensitiveInformation***
//   paginated: the SDK's paginator tokens (paginate<Operation>)
//   direct: the module's direct export of the operation (wasm/ABI.md, "Direct exports"): `input` the
//     [member, kind] of its request fields after the caller, in the ABI's order (kind "string", "blob",
//     "context" (a map of strings), "integer" (an int32) or "boolean"); `output` the [member, kind] of its
//     answer's fields, in order (kind "string", "blob", "boolean", "json", the member's JSON text, or
//     "keylist", ListKeys' Keys as the ARN prefix and the IDs, each entry { KeyId, KeyArn: prefix + ID }). An
//     input holding any other member of `input` above, or a value the field cannot carry as its JSON would
//     be read, goes as JSON (serde.mjs). The lists are the Go package internal/abi's (DirectExports):
//     test/node/direct-path.test.mjs holds this copy to its vectors, to the SDK's schemas and to the JSON
//     path
export const operations = {
  Encrypt: {
    input: ["KeyId", "Plaintext", "EncryptionContext", "GrantTokens", "EncryptionAlgorithm", "DryRun"],
    output: ["CiphertextBlob", "KeyId", "EncryptionAlgorithm"],
    inputBlobs: ["Plaintext"],
    outputBlobs: ["CiphertextBlob"],
    sensitiveInput: ["Plaintext"],
    direct: {
      export: "wasmkms_encrypt",
      input: [
        ["KeyId", "string"],
        ["Plaintext", "blob"],
        ["EncryptionContext", "context"],
        ["EncryptionAlgorithm", "string"],
      ],
      output: [
        ["CiphertextBlob", "blob"],
        ["KeyId", "string"],
        ["EncryptionAlgorithm", "string"],
      ],
    },
  },
  Decrypt: {
    input: [
      "CiphertextBlob",
      "EncryptionContext",
      "GrantTokens",
      "KeyId",
      "EncryptionAlgorithm",
      "Recipient",
      "DryRun",
      "DryRunModifiers",
    ],
    output: ["KeyId", "Plaintext", "EncryptionAlgorithm", "CiphertextForRecipient", "KeyMaterialId"],
    inputBlobs: ["CiphertextBlob", "Recipient.AttestationDocument"],
    outputBlobs: ["Plaintext", "CiphertextForRecipient"],
    sensitiveOutput: ["Plaintext"],
    direct: {
      export: "wasmkms_decrypt",
      input: [
        ["CiphertextBlob", "blob"],
        ["EncryptionContext", "context"],
        ["KeyId", "string"],
        ["EncryptionAlgorithm", "string"],
      ],
      output: [
        ["KeyId", "string"],
        ["Plaintext", "blob"],
        ["EncryptionAlgorithm", "string"],
        ["KeyMaterialId", "string"],
      ],
    },
  },
  ReEncrypt: {
    input: [
      "DestinationKeyId",
      "CiphertextBlob",
      "SourceEncryptionContext",
      "SourceKeyId",
      "DestinationEncryptionContext",
      "SourceEncryptionAlgorithm",
      "DestinationEncryptionAlgorithm",
      "GrantTokens",
      "DryRun",
      "DryRunModifiers",
    ],
    output: [
      "CiphertextBlob",
      "SourceKeyId",
      "KeyId",
      "SourceEncryptionAlgorithm",
      "DestinationEncryptionAlgorithm",
      "SourceKeyMaterialId",
      "DestinationKeyMaterialId",
    ],
    inputBlobs: ["CiphertextBlob"],
    outputBlobs: ["CiphertextBlob"],
    direct: {
      export: "wasmkms_re_encrypt",
      input: [
        ["CiphertextBlob", "blob"],
        ["SourceEncryptionContext", "context"],
        ["SourceKeyId", "string"],
        ["DestinationKeyId", "string"],
        ["DestinationEncryptionContext", "context"],
        ["SourceEncryptionAlgorithm", "string"],
        ["DestinationEncryptionAlgorithm", "string"],
      ],
      output: [
        ["CiphertextBlob", "blob"],
        ["SourceKeyId", "string"],
        ["KeyId", "string"],
        ["SourceEncryptionAlgorithm", "string"],
        ["DestinationEncryptionAlgorithm", "string"],
        ["SourceKeyMaterialId", "string"],
        ["DestinationKeyMaterialId", "string"],
      ],
    },
  },
  GenerateDataKey: {
    input: ["KeyId", "EncryptionContext", "NumberOfBytes", "KeySpec", "GrantTokens", "Recipient", "DryRun"],
    output: ["CiphertextBlob", "Plaintext", "KeyId", "CiphertextForRecipient", "KeyMaterialId"],
    inputBlobs: ["Recipient.AttestationDocument"],
    outputBlobs: ["CiphertextBlob", "Plaintext", "CiphertextForRecipient"],
    sensitiveOutput: ["Plaintext"],
    direct: {
      export: "wasmkms_generate_data_key",
      input: [
        ["KeyId", "string"],
        ["EncryptionContext", "context"],
        ["NumberOfBytes", "integer"],
        ["KeySpec", "string"],
      ],
      output: [
        ["CiphertextBlob", "blob"],
        ["Plaintext", "blob"],
        ["KeyId", "string"],
        ["KeyMaterialId", "string"],
      ],
    },
  },
  GenerateDataKeyWithoutPlaintext: {
    input: ["KeyId", "EncryptionContext", "KeySpec", "NumberOfBytes", "GrantTokens", "DryRun"],
    output: ["CiphertextBlob", "KeyId", "KeyMaterialId"],
    outputBlobs: ["CiphertextBlob"],
    direct: {
      export: "wasmkms_generate_data_key_without_plaintext",
      input: [
        ["KeyId", "string"],
        ["EncryptionContext", "context"],
        ["KeySpec", "string"],
        ["NumberOfBytes", "integer"],
      ],
      output: [
        ["CiphertextBlob", "blob"],
        ["KeyId", "string"],
        ["KeyMaterialId", "string"],
      ],
    },
  },
  CreateKey: {
    input: [
      "Policy",
      "Description",
      "KeyUsage",
      "CustomerMasterKeySpec",
      "KeySpec",
      "Origin",
      "CustomKeyStoreId",
      "BypassPolicyLockoutSafetyCheck",
      "Tags",
      "MultiRegion",
      "XksKeyId",
    ],
    output: ["KeyMetadata"],
    outputTimestamps: ["KeyMetadata.CreationDate", "KeyMetadata.DeletionDate", "KeyMetadata.ValidTo"],
    direct: {
      export: "wasmkms_create_key",
      input: [
        ["Policy", "string"],
        ["Description", "string"],
        ["KeyUsage", "string"],
        ["CustomerMasterKeySpec", "string"],
        ["KeySpec", "string"],
        ["Origin", "string"],
        ["CustomKeyStoreId", "string"],
        ["BypassPolicyLockoutSafetyCheck", "boolean"],
        ["MultiRegion", "boolean"],
        ["XksKeyId", "string"],
      ],
      output: [["KeyMetadata", "json"]],
    },
  },
  DescribeKey: {
    input: ["KeyId", "GrantTokens"],
    output: ["KeyMetadata"],
    outputTimestamps: ["KeyMetadata.CreationDate", "KeyMetadata.DeletionDate", "KeyMetadata.ValidTo"],
  },
  ListKeys: {
    input: ["Limit", "Marker"],
    output: ["Keys", "NextMarker", "Truncated"],
    paginated: { inputToken: "Marker", outputToken: "NextMarker", pageSize: "Limit" },
    direct: {
      export: "wasmkms_list_keys",
      input: [
        ["Limit", "integer"],
        ["Marker", "string"],
      ],
      output: [
        ["Keys", "keylist"],
        ["NextMarker", "string"],
        ["Truncated", "boolean"],
      ],
    },
  },
  GetPublicKey: {
    input: ["KeyId", "GrantTokens"],
    output: [
      "KeyId",
      "PublicKey",
      "CustomerMasterKeySpec",
      "KeySpec",
      "KeyUsage",
      "EncryptionAlgorithms",
      "SigningAlgorithms",
      "KeyAgreementAlgorithms",
      "EncapsulationAlgorithms",
    ],
    outputBlobs: ["PublicKey"],
  },
  EnableKey: { input: ["KeyId"], output: [] },
  DisableKey: { input: ["KeyId"], output: [] },
  ScheduleKeyDeletion: {
    input: ["KeyId", "PendingWindowInDays"],
    output: ["KeyId", "DeletionDate", "KeyState", "PendingWindowInDays"],
    outputTimestamps: ["DeletionDate"],
  },
  CancelKeyDeletion: { input: ["KeyId"], output: ["KeyId"] },
  CreateAlias: { input: ["AliasName", "TargetKeyId"], output: [] },
  UpdateAlias: { input: ["AliasName", "TargetKeyId"], output: [] },
  DeleteAlias: { input: ["AliasName"], output: [] },
  ListAliases: {
    input: ["KeyId", "Limit", "Marker"],
    output: ["Aliases", "NextMarker", "Truncated"],
    outputTimestamps: ["Aliases[].CreationDate", "Aliases[].LastUpdatedDate"],
    paginated: { inputToken: "Marker", outputToken: "NextMarker", pageSize: "Limit" },
  },
  GetKeyPolicy: { input: ["KeyId", "PolicyName"], output: ["Policy", "PolicyName"] },
  PutKeyPolicy: { input: ["KeyId", "Policy", "PolicyName", "BypassPolicyLockoutSafetyCheck"], output: [] },
  CreateGrant: {
    input: [
      "KeyId",
      "Operations",
      "GranteePrincipal",
      "RetiringPrincipal",
      "Constraints",
      "GrantTokens",
      "Name",
      "DryRun",
      "GranteeServicePrincipal",
      "RetiringServicePrincipal",
    ],
    output: ["GrantToken", "GrantId"],
  },
  ListGrants: {
    input: ["KeyId", "Limit", "Marker", "GrantId", "GranteePrincipal", "GranteeServicePrincipal"],
    output: ["Grants", "NextMarker", "Truncated"],
    outputTimestamps: ["Grants[].CreationDate"],
    paginated: { inputToken: "Marker", outputToken: "NextMarker", pageSize: "Limit" },
  },
  RevokeGrant: { input: ["KeyId", "GrantId", "DryRun"], output: [] },
  UpdateKeyDescription: {
    input: ["KeyId", "Description"],
    output: [],
  },
  TagResource: {
    input: ["KeyId", "Tags"],
    output: [],
  },
  UntagResource: {
    input: ["KeyId", "TagKeys"],
    output: [],
  },
  ListResourceTags: {
    input: ["KeyId", "Limit", "Marker"],
    output: ["Tags", "NextMarker", "Truncated"],
    paginated: { inputToken: "Marker", outputToken: "NextMarker", pageSize: "Limit" },
  },
  ListKeyPolicies: {
    input: ["KeyId", "Limit", "Marker"],
    output: ["PolicyNames", "NextMarker", "Truncated"],
    paginated: { inputToken: "Marker", outputToken: "NextMarker", pageSize: "Limit" },
  },
  EnableKeyRotation: {
    input: ["KeyId", "RotationPeriodInDays"],
    output: [],
  },
  DisableKeyRotation: {
    input: ["KeyId"],
    output: [],
  },
  GetKeyRotationStatus: {
    input: ["KeyId"],
    output: ["KeyRotationEnabled", "KeyId", "RotationPeriodInDays", "NextRotationDate", "OnDemandRotationStartDate"],
    outputTimestamps: ["NextRotationDate", "OnDemandRotationStartDate"],
  },
  RotateKeyOnDemand: {
    input: ["KeyId"],
    output: ["KeyId"],
  },
  GenerateDataKeyPair: {
    input: ["KeyId", "KeyPairSpec", "EncryptionContext", "GrantTokens", "Recipient", "DryRun"],
    output: [
      "PrivateKeyCiphertextBlob",
      "PrivateKeyPlaintext",
      "PublicKey",
      "KeyId",
      "KeyPairSpec",
      "CiphertextForRecipient",
      "KeyMaterialId",
    ],
    inputBlobs: ["Recipient.AttestationDocument"],
    outputBlobs: ["PrivateKeyCiphertextBlob", "PrivateKeyPlaintext", "PublicKey", "CiphertextForRecipient"],
    sensitiveOutput: ["PrivateKeyPlaintext"],
  },
  GenerateDataKeyPairWithoutPlaintext: {
    input: ["KeyId", "KeyPairSpec", "EncryptionContext", "GrantTokens", "DryRun"],
    output: ["PrivateKeyCiphertextBlob", "PublicKey", "KeyId", "KeyPairSpec", "KeyMaterialId"],
    outputBlobs: ["PrivateKeyCiphertextBlob", "PublicKey"],
  },
  GenerateRandom: {
    input: ["NumberOfBytes", "CustomKeyStoreId", "Recipient"],
    output: ["Plaintext", "CiphertextForRecipient"],
    inputBlobs: ["Recipient.AttestationDocument"],
    outputBlobs: ["Plaintext", "CiphertextForRecipient"],
    sensitiveOutput: ["Plaintext"],
  },
  ListRetirableGrants: {
    input: ["Limit", "Marker", "RetiringPrincipal", "RetiringServicePrincipal"],
    output: ["Grants", "NextMarker", "Truncated"],
    outputTimestamps: ["Grants[].CreationDate"],
    paginated: { inputToken: "Marker", outputToken: "NextMarker", pageSize: "Limit" },
  },
  RetireGrant: {
    input: ["GrantToken", "KeyId", "GrantId", "DryRun"],
    output: [],
  },
  ListKeyRotations: {
    input: ["KeyId", "IncludeKeyMaterial", "Limit", "Marker"],
    output: ["Rotations", "NextMarker", "Truncated"],
    outputTimestamps: ["Rotations[].ValidTo", "Rotations[].RotationDate"],
    paginated: { inputToken: "Marker", outputToken: "NextMarker", pageSize: "Limit" },
  },
  Sign: {
    input: ["KeyId", "Message", "SigningAlgorithm", "MessageType", "GrantTokens", "DryRun"],
    output: ["KeyId", "Signature", "SigningAlgorithm"],
    inputBlobs: ["Message"],
    outputBlobs: ["Signature"],
    sensitiveInput: ["Message"],
    direct: {
      export: "wasmkms_sign",
      input: [
        ["KeyId", "string"],
        ["Message", "blob"],
        ["MessageType", "string"],
        ["SigningAlgorithm", "string"],
      ],
      output: [
        ["KeyId", "string"],
        ["Signature", "blob"],
        ["SigningAlgorithm", "string"],
      ],
    },
  },
  Verify: {
    input: ["KeyId", "Message", "Signature", "SigningAlgorithm", "MessageType", "GrantTokens", "DryRun"],
    output: ["KeyId", "SignatureValid", "SigningAlgorithm"],
    inputBlobs: ["Message", "Signature"],
    sensitiveInput: ["Message"],
    direct: {
      export: "wasmkms_verify",
      input: [
        ["KeyId", "string"],
        ["Message", "blob"],
        ["MessageType", "string"],
        ["Signature", "blob"],
        ["SigningAlgorithm", "string"],
      ],
      output: [
        ["KeyId", "string"],
        ["SignatureValid", "boolean"],
        ["SigningAlgorithm", "string"],
      ],
    },
  },
  GenerateMac: {
    input: ["Message", "KeyId", "MacAlgorithm", "GrantTokens", "DryRun"],
    output: ["Mac", "MacAlgorithm", "KeyId"],
    inputBlobs: ["Message"],
    outputBlobs: ["Mac"],
    sensitiveInput: ["Message"],
    direct: {
      export: "wasmkms_generate_mac",
      input: [
        ["Message", "blob"],
        ["KeyId", "string"],
        ["MacAlgorithm", "string"],
      ],
      output: [
        ["Mac", "blob"],
        ["MacAlgorithm", "string"],
        ["KeyId", "string"],
      ],
    },
  },
  VerifyMac: {
    input: ["Message", "KeyId", "MacAlgorithm", "Mac", "GrantTokens", "DryRun"],
    output: ["KeyId", "MacValid", "MacAlgorithm"],
    inputBlobs: ["Message", "Mac"],
    sensitiveInput: ["Message"],
    direct: {
      export: "wasmkms_verify_mac",
      input: [
        ["Message", "blob"],
        ["KeyId", "string"],
        ["MacAlgorithm", "string"],
        ["Mac", "blob"],
      ],
      output: [
        ["KeyId", "string"],
        ["MacValid", "boolean"],
        ["MacAlgorithm", "string"],
      ],
    },
  },
  DeriveSharedSecret: {
    input: ["KeyId", "KeyAgreementAlgorithm", "PublicKey", "GrantTokens", "DryRun", "Recipient"],
    output: ["KeyId", "SharedSecret", "CiphertextForRecipient", "KeyAgreementAlgorithm", "KeyOrigin"],
    inputBlobs: ["PublicKey", "Recipient.AttestationDocument"],
    outputBlobs: ["SharedSecret", "CiphertextForRecipient"],
    sensitiveOutput: ["SharedSecret"],
  },
  Encapsulate: {
    input: ["KeyId", "EncapsulationAlgorithm", "GrantTokens", "DryRun"],
    output: ["KeyId", "SharedSecret", "SharedSecretCiphertextBlob", "EncapsulationAlgorithm"],
    outputBlobs: ["SharedSecret", "SharedSecretCiphertextBlob"],
    sensitiveOutput: ["SharedSecret"],
  },
  Decapsulate: {
    input: ["KeyId", "SharedSecretCiphertextBlob", "EncapsulationAlgorithm", "GrantTokens", "DryRun"],
    output: ["KeyId", "SharedSecret", "EncapsulationAlgorithm"],
    inputBlobs: ["SharedSecretCiphertextBlob"],
    outputBlobs: ["SharedSecret"],
    sensitiveOutput: ["SharedSecret"],
  },
  GetKeyLastUsage: {
    input: ["KeyId"],
    output: ["KeyId", "KeyLastUsage", "TrackingStartDate", "KeyCreationDate"],
    outputTimestamps: ["KeyLastUsage.Timestamp", "TrackingStartDate", "KeyCreationDate"],
  },
  GetParametersForImport: {
    input: ["KeyId", "WrappingAlgorithm", "WrappingKeySpec"],
    output: ["KeyId", "ImportToken", "PublicKey", "ParametersValidTo"],
    outputBlobs: ["ImportToken", "PublicKey"],
    outputTimestamps: ["ParametersValidTo"],
    sensitiveOutput: ["PublicKey"],
  },
  ImportKeyMaterial: {
    input: [
      "KeyId",
      "ImportToken",
      "EncryptedKeyMaterial",
      "ValidTo",
      "ExpirationModel",
      "ImportType",
      "KeyMaterialDescription",
      "KeyMaterialId",
    ],
    output: ["KeyId", "KeyMaterialId"],
    inputTimestamps: ["ValidTo"],
    inputBlobs: ["ImportToken", "EncryptedKeyMaterial"],
  },
  DeleteImportedKeyMaterial: {
    input: ["KeyId", "KeyMaterialId"],
    output: ["KeyId", "KeyMaterialId"],
  },
  ReplicateKey: {
    input: ["KeyId", "ReplicaRegion", "Policy", "BypassPolicyLockoutSafetyCheck", "Description", "Tags"],
    output: ["ReplicaKeyMetadata", "ReplicaPolicy", "ReplicaTags"],
    outputTimestamps: [
      "ReplicaKeyMetadata.CreationDate",
      "ReplicaKeyMetadata.DeletionDate",
      "ReplicaKeyMetadata.ValidTo",
    ],
  },
  UpdatePrimaryRegion: {
    input: ["KeyId", "PrimaryRegion"],
    output: [],
  },
  CreateCustomKeyStore: {
    input: [
      "CustomKeyStoreName",
      "CloudHsmClusterId",
      "TrustAnchorCertificate",
      "KeyStorePassword",
      "CustomKeyStoreType",
      "XksProxyUriEndpoint",
      "XksProxyUriPath",
      "XksProxyVpcEndpointServiceName",
      "XksProxyVpcEndpointServiceOwner",
      "XksProxyAuthenticationCredential",
      "XksProxyConnectivity",
    ],
    output: ["CustomKeyStoreId"],
    sensitiveInput: [
      "KeyStorePassword",
      "XksProxyAuthenticationCredential.AccessKeyId",
      "XksProxyAuthenticationCredential.RawSecretAccessKey",
    ],
  },
  ConnectCustomKeyStore: {
    input: ["CustomKeyStoreId"],
    output: [],
  },
  DescribeCustomKeyStores: {
    input: ["CustomKeyStoreId", "CustomKeyStoreName", "Limit", "Marker"],
    output: ["CustomKeyStores", "NextMarker", "Truncated"],
    outputTimestamps: ["CustomKeyStores[].CreationDate"],
    sensitiveOutput: ["CustomKeyStores[].XksProxyConfiguration.AccessKeyId"],
    paginated: { inputToken: "Marker", outputToken: "NextMarker", pageSize: "Limit" },
  },
  DisconnectCustomKeyStore: {
    input: ["CustomKeyStoreId"],
    output: [],
  },
  UpdateCustomKeyStore: {
    input: [
      "CustomKeyStoreId",
      "NewCustomKeyStoreName",
      "KeyStorePassword",
      "CloudHsmClusterId",
      "XksProxyUriEndpoint",
      "XksProxyUriPath",
      "XksProxyVpcEndpointServiceName",
      "XksProxyVpcEndpointServiceOwner",
      "XksProxyAuthenticationCredential",
      "XksProxyConnectivity",
    ],
    output: [],
    sensitiveInput: [
      "KeyStorePassword",
      "XksProxyAuthenticationCredential.AccessKeyId",
      "XksProxyAuthenticationCredential.RawSecretAccessKey",
    ],
  },
  DeleteCustomKeyStore: {
    input: ["CustomKeyStoreId"],
    output: [],
  },
};

/** The operation names, in table order. */
export const operationNames = Object.freeze(Object.keys(operations));

/**
 * The cryptographic operations: AWS logs their CloudTrail entries with responseElements null (and
 * readOnly true), and they change nothing but their key's last-usage record (GetKeyLastUsage).
 */
export const cryptographicOperations = new Set([
  "Encrypt",
  "Decrypt",
  "ReEncrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateRandom",
  "Sign",
  "Verify",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
  "Encapsulate",
  "Decapsulate",
]);

/** The wire target of an operation. */
export const targetOf = (operation) => `TrentService.${operation}`;

/** The KMS aggregate's method name of an operation: Encrypt -> encrypt, ListKeys -> listKeys. */
export const methodNameOf = (operation) => operation[0].toLowerCase() + operation.slice(1);
