// The KMS exceptions, as @aws-sdk/client-kms defines them: one class per error name of the KMS model,
// all extending KMSServiceException, itself an Error. The error names the service answers that the
// model has no class for (ValidationException, AccessDeniedException, SerializationException,
// UnknownOperationException, ...) surface as a KMSServiceException with that name, as in the SDK.
// Everything this module exports is public (js/core/index.mjs re-exports all of it); the exception made
// from an error answer is serde.mjs's.

const SHAPE_NAMESPACE = "com.amazonaws.kms#";

// The error shapes of the KMS model whose fault is "server"; every other one is a client fault.
const SERVER_FAULTS = new Set(["DependencyTimeoutException", "KMSInternalException", "KeyUnavailableException"]);

/** Every error name the KMS model has a class for. */
export const modeledErrorNames = Object.freeze([
  "AlreadyExistsException",
  "CloudHsmClusterInUseException",
  "CloudHsmClusterInvalidConfigurationException",
  "CloudHsmClusterNotActiveException",
  "CloudHsmClusterNotFoundException",
  "CloudHsmClusterNotRelatedException",
  "ConflictException",
  "CustomKeyStoreHasCMKsException",
  "CustomKeyStoreInvalidStateException",
  "CustomKeyStoreNameInUseException",
  "CustomKeyStoreNotFoundException",
  "DependencyTimeoutException",
  "DisabledException",
  "DryRunOperationException",
  "ExpiredImportTokenException",
  "IncorrectKeyException",
  "IncorrectKeyMaterialException",
  "IncorrectTrustAnchorException",
  "InvalidAliasNameException",
  "InvalidArnException",
  "InvalidCiphertextException",
  "InvalidGrantIdException",
  "InvalidGrantTokenException",
  "InvalidImportTokenException",
  "InvalidKeyUsageException",
  "InvalidMarkerException",
  "KMSInternalException",
  "KMSInvalidMacException",
  "KMSInvalidSignatureException",
  "KMSInvalidStateException",
  "KeyUnavailableException",
  "LimitExceededException",
  "MalformedPolicyDocumentException",
  "NotFoundException",
  "TagException",
  "UnsupportedOperationException",
  "XksKeyAlreadyInUseException",
  "XksKeyInvalidConfigurationException",
  "XksKeyNotFoundException",
  "XksProxyIncorrectAuthenticationCredentialException",
  "XksProxyInvalidConfigurationException",
  "XksProxyInvalidResponseException",
  "XksProxyUriEndpointInUseException",
  "XksProxyUriInUseException",
  "XksProxyUriUnreachableException",
  "XksProxyVpcEndpointServiceInUseException",
  "XksProxyVpcEndpointServiceInvalidConfigurationException",
  "XksProxyVpcEndpointServiceNotFoundException",
]);

const isServiceExceptionLike = (value) =>
  value != null && Boolean(value.$metadata) && (value.$fault === "client" || value.$fault === "server");

/**
 * The base of every KMS exception. Like the SDK's ServiceException, `instanceof` also recognises an
 * equivalent exception of another copy of the classes (the real SDK's, or this package's other entry
 * point): by shape ID, then by name. The real SDK's classes recognise ours the same way, because ours
 * carry the same shape IDs.
 */
export class KMSServiceException extends Error {
  static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.kms#KMSServiceException";
  $fault;
  $response;
  $retryable;
  $metadata;

  constructor(options) {
    super(options.message);
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = options.name;
    this.$fault = options.$fault;
    this.$metadata = options.$metadata;
    Object.defineProperty(this, "$response", { enumerable: false, writable: true, value: undefined });
  }

  static [Symbol.hasInstance](value) {
    // biome-ignore lint/complexity/noThisInStatic: the class instanceof asks about (subclasses inherit this method)
    return isInstance(this, value);
  }
}

// `value instanceof Class` for KMSServiceException and its subclasses: a real instance, or an exception of
// another copy of this package or of the SDK with the same shape ID or name.
function isInstance(Class, value) {
  if (value == null || (typeof value !== "object" && typeof value !== "function")) return false;
  if (Object.prototype.isPrototypeOf.call(Class.prototype, value)) return true;
  if (!isServiceExceptionLike(value)) return false;
  const targetId = Object.hasOwn(Class, "shapeId") ? Class.shapeId : undefined;
  for (
    let proto = Object.getPrototypeOf(value);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const ctor = proto.constructor;
    if (targetId && Object.hasOwn(ctor, "shapeId") && ctor.shapeId === targetId) return true;
    if (ctor?.name === Class.name && Class.name !== "Error") return true;
  }
  return value.name === Class.name;
}

function defineException(name) {
  const $fault = SERVER_FAULTS.has(name) ? "server" : "client";
  // A computed class name, so that constructor.name is the error name, as in the SDK.
  const cls = {
    [name]: class extends KMSServiceException {
      constructor(options = {}) {
        super({ name, $fault, ...options });
        this.name = name;
        this.$fault = $fault;
      }
    },
  }[name];
  Object.defineProperty(cls, "shapeId", { value: SHAPE_NAMESPACE + name, enumerable: true });
  return cls;
}

/** The exception classes by error name. */
export const exceptionClasses = Object.freeze(
  Object.fromEntries(modeledErrorNames.map((n) => [n, defineException(n)])),
);

export const {
  AlreadyExistsException,
  CloudHsmClusterInUseException,
  CloudHsmClusterInvalidConfigurationException,
  CloudHsmClusterNotActiveException,
  CloudHsmClusterNotFoundException,
  CloudHsmClusterNotRelatedException,
  ConflictException,
  CustomKeyStoreHasCMKsException,
  CustomKeyStoreInvalidStateException,
  CustomKeyStoreNameInUseException,
  CustomKeyStoreNotFoundException,
  DependencyTimeoutException,
  DisabledException,
  DryRunOperationException,
  ExpiredImportTokenException,
  IncorrectKeyException,
  IncorrectKeyMaterialException,
  IncorrectTrustAnchorException,
  InvalidAliasNameException,
  InvalidArnException,
  InvalidCiphertextException,
  InvalidGrantIdException,
  InvalidGrantTokenException,
  InvalidImportTokenException,
  InvalidKeyUsageException,
  InvalidMarkerException,
  KMSInternalException,
  KMSInvalidMacException,
  KMSInvalidSignatureException,
  KMSInvalidStateException,
  KeyUnavailableException,
  LimitExceededException,
  MalformedPolicyDocumentException,
  NotFoundException,
  TagException,
  UnsupportedOperationException,
  XksKeyAlreadyInUseException,
  XksKeyInvalidConfigurationException,
  XksKeyNotFoundException,
  XksProxyIncorrectAuthenticationCredentialException,
  XksProxyInvalidConfigurationException,
  XksProxyInvalidResponseException,
  XksProxyUriEndpointInUseException,
  XksProxyUriInUseException,
  XksProxyUriUnreachableException,
  XksProxyVpcEndpointServiceInUseException,
  XksProxyVpcEndpointServiceInvalidConfigurationException,
  XksProxyVpcEndpointServiceNotFoundException,
} = exceptionClasses;
