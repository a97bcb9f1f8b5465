package kmsabi

import "encoding/json"

// errorStatus is the one table of error names the service answers, with the HTTP status real KMS
// uses on the wire: 400 for every client error (although the model lists 404/409/412 for some),
// 500 for server faults, 503 for DependencyTimeoutException.
var errorStatus = map[string]int{
	"AccessDeniedException":            400,
	"AlreadyExistsException":           400,
	"DependencyTimeoutException":       503,
	"DisabledException":                400,
	"DryRunOperationException":         400,
	"ExpiredImportTokenException":      400,
	"IncorrectKeyException":            400,
	"IncorrectKeyMaterialException":    400,
	"InvalidAliasNameException":        400,
	"InvalidArnException":              400,
	"InvalidCiphertextException":       400,
	"InvalidGrantIdException":          400,
	"InvalidGrantTokenException":       400,
	"InvalidImportTokenException":      400,
	"InvalidKeyUsageException":         400,
	"InvalidMarkerException":           400,
	"KMSInternalException":             500,
	"KMSInvalidMacException":           400,
	"KMSInvalidSignatureException":     400,
	"KMSInvalidStateException":         400,
	"KeyUnavailableException":          500,
	"LimitExceededException":           400,
	"MalformedPolicyDocumentException": 400,
	"NotAuthorizedException":           400,
	"NotFoundException":                400,
	"SerializationException":           400,
	"TagException":                     400,
	"ThrottlingException":              400, // never answered by itself: a fault's (internal/kms/faults.go)
	"UnknownOperationException":        400,
	"UnsupportedOperationException":    400,
	"ValidationException":              400,

	// The refusals of a request's credentials, before it reaches KMS (internal/kms/callers.go).
	"InvalidSignatureException":   400,
	"UnrecognizedClientException": 400,

	// Custom key stores (internal/kms/customkeystore.go). The model lists the names marked "fault" for the
	// custom key store operations and CreateKey; with no CloudHSM cluster nor proxy behind a store,
	// wasmkms never answers them by itself: a fault can (internal/kms/faults.go).
	"CloudHsmClusterInUseException":                           400,
	"CloudHsmClusterInvalidConfigurationException":            400, // fault
	"CloudHsmClusterNotActiveException":                       400, // fault
	"CloudHsmClusterNotFoundException":                        400, // fault
	"CloudHsmClusterNotRelatedException":                      400,
	"CustomKeyStoreHasCMKsException":                          400,
	"CustomKeyStoreInvalidStateException":                     400,
	"CustomKeyStoreNameInUseException":                        400,
	"CustomKeyStoreNotFoundException":                         400,
	"IncorrectTrustAnchorException":                           400, // fault
	"XksKeyAlreadyInUseException":                             400,
	"XksKeyInvalidConfigurationException":                     400, // fault
	"XksKeyNotFoundException":                                 400, // fault
	"XksProxyIncorrectAuthenticationCredentialException":      400, // fault
	"XksProxyInvalidConfigurationException":                   400, // fault
	"XksProxyInvalidResponseException":                        400, // fault
	"XksProxyUriEndpointInUseException":                       400,
	"XksProxyUriInUseException":                               400,
	"XksProxyUriUnreachableException":                         400, // fault
	"XksProxyVpcEndpointServiceInUseException":                400,
	"XksProxyVpcEndpointServiceInvalidConfigurationException": 400, // fault
	"XksProxyVpcEndpointServiceNotFoundException":             400, // fault
}

// ErrorStatus answers the HTTP status of an error name, 0 for a name the service never answers.
func ErrorStatus(name string) int { return errorStatus[name] }

// ErrorAnswer is the status (from errorStatus) and the JSON body of the error name with message (""
// = absent, as real KMS sends InvalidCiphertextException): the one encoding of an error answer, the
// core's and that of the hosts that answer an error themselves (a panic recovered in the module, a
// dead instance behind the HTTP endpoint). An unknown name panics, as the core's constructor of an
// error with one would.
func ErrorAnswer(name, message string) (status int, body []byte) {
	status = errorStatus[name]
	if status == 0 {
		panic("kmsabi: error name missing from the table: " + name)
	}
	fields := map[string]string{"__type": name}
	if message != "" {
		fields["message"] = message
	}
	body, _ = json.Marshal(fields)
	return status, body
}
