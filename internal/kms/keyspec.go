package kms

// Key usages, as the API names them.
const (
	usageEncryptDecrypt    = "ENCRYPT_DECRYPT"
	usageSignVerify        = "SIGN_VERIFY"
	usageGenerateVerifyMAC = "GENERATE_VERIFY_MAC"
	usageKeyAgreement      = "KEY_AGREEMENT"
	usageEncapsulate       = "ENCAPSULATE_DECAPSULATE"
)

// Encryption algorithms.
const (
	algSymmetricDefault = "SYMMETRIC_DEFAULT"
	algRSAOAEPSHA1      = "RSAES_OAEP_SHA_1"
	algRSAOAEPSHA256    = "RSAES_OAEP_SHA_256"
	algSM2PKE           = "SM2PKE"
)

// The enum value sets (enumKeySpec, enumKeyUsageType, ...) are generated from the model: model_gen.go.

// keyFamily says which kind of material a key spec has.
type keyFamily int

const (
	familySymmetric keyFamily = iota
	familyRSA
	familyECC
	familySM2
	familyHMAC
	familyEd25519
	familyMLDSA
	familyMLKEM
)

// keySpec is one row of the key spec table: what a spec is, which usages it allows and which
// algorithms each usage gives.
type keySpec struct {
	family     keyFamily
	bits       int    // RSA modulus size, HMAC key size, ML-DSA and ML-KEM parameter set; 0 otherwise
	curve      string // ECC curve name (elliptic.Curve's Params().Name)
	chinaOnly  bool   // SM2 exists only in the China regions
	usages     []string
	algorithms map[string][]string // usage -> algorithms (EncryptionAlgorithms, SigningAlgorithms, MacAlgorithms, KeyAgreementAlgorithms)
	// maxPlaintext is the largest plaintext per encryption algorithm, in bytes.
	maxPlaintext map[string]int
}

var (
	rsaSigning = []string{"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"}
	rsaOAEP    = []string{algRSAOAEPSHA1, algRSAOAEPSHA256}

	mlDSASigning = map[string][]string{usageSignVerify: {"ML_DSA_SHAKE_256"}}
	mlKEM        = map[string][]string{usageEncapsulate: {"ML_KEM"}}
)

// keySpecs is the one table of key specs this service creates. The RSA limits are
// OAEP's k - 2*hLen - 2 (k the modulus length in bytes), as KMS documents them.
var keySpecs = map[string]keySpec{
	"SYMMETRIC_DEFAULT": {family: familySymmetric, usages: []string{usageEncryptDecrypt},
		algorithms:   map[string][]string{usageEncryptDecrypt: {algSymmetricDefault}},
		maxPlaintext: map[string]int{algSymmetricDefault: 4096}},
	"RSA_2048": {family: familyRSA, bits: 2048, usages: []string{usageEncryptDecrypt, usageSignVerify},
		algorithms:   map[string][]string{usageEncryptDecrypt: rsaOAEP, usageSignVerify: rsaSigning},
		maxPlaintext: map[string]int{algRSAOAEPSHA1: 214, algRSAOAEPSHA256: 190}},
	"RSA_3072": {family: familyRSA, bits: 3072, usages: []string{usageEncryptDecrypt, usageSignVerify},
		algorithms:   map[string][]string{usageEncryptDecrypt: rsaOAEP, usageSignVerify: rsaSigning},
		maxPlaintext: map[string]int{algRSAOAEPSHA1: 342, algRSAOAEPSHA256: 318}},
	"RSA_4096": {family: familyRSA, bits: 4096, usages: []string{usageEncryptDecrypt, usageSignVerify},
		algorithms:   map[string][]string{usageEncryptDecrypt: rsaOAEP, usageSignVerify: rsaSigning},
		maxPlaintext: map[string]int{algRSAOAEPSHA1: 470, algRSAOAEPSHA256: 446}},
	"ECC_NIST_P256": {family: familyECC, curve: "P-256", usages: []string{usageSignVerify, usageKeyAgreement},
		algorithms: map[string][]string{usageSignVerify: {"ECDSA_SHA_256"}, usageKeyAgreement: {"ECDH"}}},
	"ECC_NIST_P384": {family: familyECC, curve: "P-384", usages: []string{usageSignVerify, usageKeyAgreement},
		algorithms: map[string][]string{usageSignVerify: {"ECDSA_SHA_384"}, usageKeyAgreement: {"ECDH"}}},
	"ECC_NIST_P521": {family: familyECC, curve: "P-521", usages: []string{usageSignVerify, usageKeyAgreement},
		algorithms: map[string][]string{usageSignVerify: {"ECDSA_SHA_512"}, usageKeyAgreement: {"ECDH"}}},
	"ECC_SECG_P256K1": {family: familyECC, curve: "secp256k1", usages: []string{usageSignVerify},
		algorithms: map[string][]string{usageSignVerify: {"ECDSA_SHA_256"}}},
	"ECC_NIST_EDWARDS25519": {family: familyEd25519, usages: []string{usageSignVerify},
		algorithms: map[string][]string{usageSignVerify: {"ED25519_SHA_512", "ED25519_PH_SHA_512"}}},
	"ML_DSA_44":   {family: familyMLDSA, bits: 44, usages: []string{usageSignVerify}, algorithms: mlDSASigning},
	"ML_DSA_65":   {family: familyMLDSA, bits: 65, usages: []string{usageSignVerify}, algorithms: mlDSASigning},
	"ML_DSA_87":   {family: familyMLDSA, bits: 87, usages: []string{usageSignVerify}, algorithms: mlDSASigning},
	"ML_KEM_512":  {family: familyMLKEM, bits: 512, usages: []string{usageEncapsulate}, algorithms: mlKEM},
	"ML_KEM_768":  {family: familyMLKEM, bits: 768, usages: []string{usageEncapsulate}, algorithms: mlKEM},
	"ML_KEM_1024": {family: familyMLKEM, bits: 1024, usages: []string{usageEncapsulate}, algorithms: mlKEM},
	"SM2": {family: familySM2, chinaOnly: true, usages: []string{usageEncryptDecrypt, usageSignVerify, usageKeyAgreement},
		algorithms:   map[string][]string{usageEncryptDecrypt: {algSM2PKE}, usageSignVerify: {"SM2DSA"}, usageKeyAgreement: {"ECDH"}},
		maxPlaintext: map[string]int{algSM2PKE: 1024}},
	"HMAC_224": {family: familyHMAC, bits: 224, usages: []string{usageGenerateVerifyMAC},
		algorithms: map[string][]string{usageGenerateVerifyMAC: {"HMAC_SHA_224"}}},
	"HMAC_256": {family: familyHMAC, bits: 256, usages: []string{usageGenerateVerifyMAC},
		algorithms: map[string][]string{usageGenerateVerifyMAC: {"HMAC_SHA_256"}}},
	"HMAC_384": {family: familyHMAC, bits: 384, usages: []string{usageGenerateVerifyMAC},
		algorithms: map[string][]string{usageGenerateVerifyMAC: {"HMAC_SHA_384"}}},
	"HMAC_512": {family: familyHMAC, bits: 512, usages: []string{usageGenerateVerifyMAC},
		algorithms: map[string][]string{usageGenerateVerifyMAC: {"HMAC_SHA_512"}}},
}

// allows reports whether the spec can have the usage.
func (s keySpec) allows(usage string) bool {
	for _, u := range s.usages {
		if u == usage {
			return true
		}
	}
	return false
}

// algorithmsFor answers the algorithms of a usage (nil when none).
func (s keySpec) algorithmsFor(usage string) []string { return s.algorithms[usage] }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
