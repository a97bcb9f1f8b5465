package abi

// The direct exports (wasm/ABI.md, "Direct exports"): one export per hot operation, whose request and
// answer are fields in binary instead of an AWS JSON body. This table is the one place that says which
// exports there are and which members each carries, in which order: the module parses and answers by
// it (wasm/direct_request.go), the wazero host's tests encode by it, wasm/ABI.md's table and
// testdata/abi-vectors.json are written from it (`go test ./internal/abi -update`), and the JS host's
// copy (js/core/operations.mjs, `direct`) is held to the vectors by test/node/direct-path.test.mjs.

// Kind is how a field carries a member's value.
type Kind string

const (
	String  Kind = "string"  // UTF-8 bytes
	Blob    Kind = "blob"    // the bytes
	Context Kind = "context" // a map of strings: a u32 count, then that many key and value fields
	Integer Kind = "integer" // 4 bytes, a little-endian two's-complement int32 (requests only)
	Boolean Kind = "boolean" // 1 byte, 0 or 1
	JSON    Kind = "json"    // answers only: the member's JSON text, as wasmkms_call's body holds it
	// KeyList (answers only) is ListKeys' Keys: a u32 count n, then n+1 u32 byte lengths (the
	// Region's ARN prefix, then each key ID), then the UTF-8 of the prefix and the IDs back to back.
	// Each entry is {KeyId: id, KeyArn: prefix + id}; the prefix goes once instead of in every ARN,
	// and the lengths come first so that a host can decode the text in one piece.
	KeyList Kind = "keylist"
)

// Member is one field: the member of the operation's request or answer, and its kind.
type Member struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
}

// DirectExport is one direct export: the operation it answers, its request fields after the caller
// (account, region, principal) and its answer's fields with status 200, in order.
type DirectExport struct {
	Export    string   `json:"export"`
	Operation string   `json:"operation"`
	Input     []Member `json:"input"`
	Output    []Member `json:"output"`
}

func str(name string) Member     { return Member{name, String} }
func blob(name string) Member    { return Member{name, Blob} }
func context(name string) Member { return Member{name, Context} }

// DirectExports are the direct exports, in the order ABI.md lists them. A request member that is not
// listed has no field: a host sends a request holding one through wasmkms_call.
var DirectExports = []DirectExport{
	{"wasmkms_encrypt", "Encrypt",
		[]Member{str("KeyId"), blob("Plaintext"), context("EncryptionContext"), str("EncryptionAlgorithm")},
		[]Member{blob("CiphertextBlob"), str("KeyId"), str("EncryptionAlgorithm")}},
	{"wasmkms_decrypt", "Decrypt",
		[]Member{blob("CiphertextBlob"), context("EncryptionContext"), str("KeyId"), str("EncryptionAlgorithm")},
		[]Member{str("KeyId"), blob("Plaintext"), str("EncryptionAlgorithm"), str("KeyMaterialId")}},
	{"wasmkms_generate_data_key", "GenerateDataKey",
		[]Member{str("KeyId"), context("EncryptionContext"), {"NumberOfBytes", Integer}, str("KeySpec")},
		[]Member{blob("CiphertextBlob"), blob("Plaintext"), str("KeyId"), str("KeyMaterialId")}},
	{"wasmkms_generate_data_key_without_plaintext", "GenerateDataKeyWithoutPlaintext",
		[]Member{str("KeyId"), context("EncryptionContext"), str("KeySpec"), {"NumberOfBytes", Integer}},
		[]Member{blob("CiphertextBlob"), str("KeyId"), str("KeyMaterialId")}},
	{"wasmkms_re_encrypt", "ReEncrypt",
		[]Member{blob("CiphertextBlob"), context("SourceEncryptionContext"), str("SourceKeyId"), str("DestinationKeyId"),
			context("DestinationEncryptionContext"), str("SourceEncryptionAlgorithm"), str("DestinationEncryptionAlgorithm")},
		[]Member{blob("CiphertextBlob"), str("SourceKeyId"), str("KeyId"), str("SourceEncryptionAlgorithm"),
			str("DestinationEncryptionAlgorithm"), str("SourceKeyMaterialId"), str("DestinationKeyMaterialId")}},
	{"wasmkms_sign", "Sign",
		[]Member{str("KeyId"), blob("Message"), str("MessageType"), str("SigningAlgorithm")},
		[]Member{str("KeyId"), blob("Signature"), str("SigningAlgorithm")}},
	{"wasmkms_verify", "Verify",
		[]Member{str("KeyId"), blob("Message"), str("MessageType"), blob("Signature"), str("SigningAlgorithm")},
		[]Member{str("KeyId"), {"SignatureValid", Boolean}, str("SigningAlgorithm")}},
	{"wasmkms_generate_mac", "GenerateMac",
		[]Member{blob("Message"), str("KeyId"), str("MacAlgorithm")},
		[]Member{blob("Mac"), str("MacAlgorithm"), str("KeyId")}},
	{"wasmkms_verify_mac", "VerifyMac",
		[]Member{blob("Message"), str("KeyId"), str("MacAlgorithm"), blob("Mac")},
		[]Member{str("KeyId"), {"MacValid", Boolean}, str("MacAlgorithm")}},
	// Every member but Tags (a list of structures), which goes as JSON.
	{"wasmkms_create_key", "CreateKey",
		[]Member{str("Policy"), str("Description"), str("KeyUsage"), str("CustomerMasterKeySpec"), str("KeySpec"), str("Origin"),
			str("CustomKeyStoreId"), {"BypassPolicyLockoutSafetyCheck", Boolean}, {"MultiRegion", Boolean}, str("XksKeyId")},
		[]Member{{"KeyMetadata", JSON}}},
	{"wasmkms_list_keys", "ListKeys",
		[]Member{{"Limit", Integer}, str("Marker")},
		[]Member{{"Keys", KeyList}, str("NextMarker"), {"Truncated", Boolean}}},
}

// Direct answers the direct export of an operation, or nil.
func Direct(operation string) *DirectExport {
	for i := range DirectExports {
		if DirectExports[i].Operation == operation {
			return &DirectExports[i]
		}
	}
	return nil
}
