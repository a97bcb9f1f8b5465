package abi

// The host's primitives (wasm/ABI.md, "Host primitives"): the import module through which the module
// may ask its host for a raw cryptographic operation (AES-GCM, the RSA private-key operation, an
// elliptic-curve base-point multiplication, an Ed25519 signature, a SHA-2 digest or HMAC). Every host
// provides every import, as stubs where it has no such crypto: capabilities then answers 0 and every
// other import HostUnavailable.

// HostModule is the wasm import module of the host's primitives.
const HostModule = "wasmkms_host"

// HostImport is one import of HostModule: its name and its parameter count (every parameter and the
// one result are i32).
type HostImport struct {
	Name   string
	Params int
}

// HostImports lists every import of HostModule, the one list of them: the module imports these (or
// fewer), and every host provides them all.
var HostImports = []HostImport{
	{"capabilities", 0},  // -> the capability bits the host supplies
	{"key_load", 3},      // kind, derPtr, derLen -> a key handle >= 1, or HostUnavailable
	{"key_drop", 1},      // handle -> HostOK
	{"aes_gcm_seal", 7},  // keyPtr, noncePtr, inPtr, inLen, aadPtr, aadLen, outPtr
	{"aes_gcm_open", 7},  // the same; HostAuthFailed for a wrong tag
	{"rsa_private", 4},   // handle, inPtr, inLen, outPtr
	{"ec_base_mult", 4},  // curve, scalarPtr, scalarLen, outPtr: scalar·G's affine x
	{"ec_base_point", 4}, // curve, scalarPtr, scalarLen, outPtr: scalar·G's affine x || y
	{"ed25519_sign", 4},  // handle, msgPtr, msgLen, outPtr
	{"digest", 4},        // hash, inPtr, inLen, outPtr
	{"hmac", 6},          // hash, keyPtr, keyLen, inPtr, inLen, outPtr
}

// The results of the imports other than capabilities and key_load.
const (
	HostOK          = 0
	HostAuthFailed  = 1  // aes_gcm_open: the tag does not match (the module answers InvalidCiphertext)
	HostUnavailable = -1 // the host cannot do it: the module runs its own code and asks no more
)

// Capability bits: which primitives a host supplies (the answer of capabilities).
const (
	CapAESGCM  = 1 << 0 // aes_gcm_seal and aes_gcm_open, AES-256 with 12-byte nonces and 16-byte tags
	CapRSA     = 1 << 1 // key_load of KeyRSA, rsa_private
	CapEd25519 = 1 << 2 // key_load of KeyEd25519, ed25519_sign (pure Ed25519, RFC 8032)
	CapDigest  = 1 << 3 // digest of every Hash*
	CapHMAC    = 1 << 4 // hmac with every Hash*
	// CapAnySize: a call to the host costs about a native function call (a host in native code in the
	// same process: the wazero harness), so the module sends it AES-GCM, digests and HMACs of any size,
	// not only the large ones a JS host, which pays some 15 µs a call, is worth asking for.
	CapAnySize = 1 << 5
	// CapCurveBase<<(curve-1) for each Curve* the host multiplies the base point of (ec_base_mult and
	// ec_base_point).
	CapCurveBase = 1 << 8
)

// Key kinds of key_load; the key is a PKCS#8 DER PrivateKeyInfo.
const (
	KeyRSA     = 1
	KeyEd25519 = 2
)

// Curves of ec_base_mult and ec_base_point. The scalar is big-endian, as long as the order; the answer
// is the affine x-coordinate of scalar·G (ec_base_mult), or x and then y (ec_base_point), each
// big-endian, as long as the field (which is the order's length on these curves).
const (
	CurveP256      = 1
	CurveP384      = 2
	CurveP521      = 3
	CurveSecp256k1 = 4
)

// Hashes of digest and hmac.
const (
	HashSHA224 = 1
	HashSHA256 = 2
	HashSHA384 = 3
	HashSHA512 = 4
)

// CapCurve is the capability bit of ec_base_mult and ec_base_point on a curve.
func CapCurve(curve int) int32 { return CapCurveBase << (curve - 1) }
