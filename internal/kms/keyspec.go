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

	mlDSASigning = []usageAlgorithms{{usageSignVerify, []string{"ML_DSA_SHAKE_256"}}}
	mlKEM        = []usageAlgorithms{{usageEncapsulate, []string{"ML_KEM"}}}
)

// keySpecRows is the one table of key specs this service creates, as data: the rows are laid out by
// the linker, where a map literal of map literals was 19 KB of initialization code in the module.
// The RSA limits are OAEP's k - 2*hLen - 2 (k the modulus length in bytes), as KMS documents them.
var keySpecRows = []keySpecRow{
	{name: "SYMMETRIC_DEFAULT", spec: keySpec{family: familySymmetric, usages: []string{usageEncryptDecrypt}}, algorithms: []usageAlgorithms{{usageEncryptDecrypt, []string{algSymmetricDefault}}}, maxPlaintext: []algorithmLimit{{algSymmetricDefault, 4096}}},
	{name: "RSA_2048", spec: keySpec{family: familyRSA, bits: 2048, usages: []string{usageEncryptDecrypt, usageSignVerify}}, algorithms: []usageAlgorithms{{usageEncryptDecrypt, rsaOAEP}, {usageSignVerify, rsaSigning}}, maxPlaintext: []algorithmLimit{{algRSAOAEPSHA1, 214}, {algRSAOAEPSHA256, 190}}},
	{name: "RSA_3072", spec: keySpec{family: familyRSA, bits: 3072, usages: []string{usageEncryptDecrypt, usageSignVerify}}, algorithms: []usageAlgorithms{{usageEncryptDecrypt, rsaOAEP}, {usageSignVerify, rsaSigning}}, maxPlaintext: []algorithmLimit{{algRSAOAEPSHA1, 342}, {algRSAOAEPSHA256, 318}}},
	{name: "RSA_4096", spec: keySpec{family: familyRSA, bits: 4096, usages: []string{usageEncryptDecrypt, usageSignVerify}}, algorithms: []usageAlgorithms{{usageEncryptDecrypt, rsaOAEP}, {usageSignVerify, rsaSigning}}, maxPlaintext: []algorithmLimit{{algRSAOAEPSHA1, 470}, {algRSAOAEPSHA256, 446}}},
	{name: "ECC_NIST_P256", spec: keySpec{family: familyECC, curve: "P-256", usages: []string{usageSignVerify, usageKeyAgreement}}, algorithms: []usageAlgorithms{{usageSignVerify, []string{"ECDSA_SHA_256"}}, {usageKeyAgreement, []string{"ECDH"}}}},
	{name: "ECC_NIST_P384", spec: keySpec{family: familyECC, curve: "P-384", usages: []string{usageSignVerify, usageKeyAgreement}}, algorithms: []usageAlgorithms{{usageSignVerify, []string{"ECDSA_SHA_384"}}, {usageKeyAgreement, []string{"ECDH"}}}},
	{name: "ECC_NIST_P521", spec: keySpec{family: familyECC, curve: "P-521", usages: []string{usageSignVerify, usageKeyAgreement}}, algorithms: []usageAlgorithms{{usageSignVerify, []string{"ECDSA_SHA_512"}}, {usageKeyAgreement, []string{"ECDH"}}}},
	{name: "ECC_SECG_P256K1", spec: keySpec{family: familyECC, curve: "secp256k1", usages: []string{usageSignVerify}}, algorithms: []usageAlgorithms{{usageSignVerify, []string{"ECDSA_SHA_256"}}}},
	{name: "ECC_NIST_EDWARDS25519", spec: keySpec{family: familyEd25519, usages: []string{usageSignVerify}}, algorithms: []usageAlgorithms{{usageSignVerify, []string{"ED25519_SHA_512", "ED25519_PH_SHA_512"}}}},
	{name: "ML_DSA_44", spec: keySpec{family: familyMLDSA, bits: 44, usages: []string{usageSignVerify}}, algorithms: mlDSASigning},
	{name: "ML_DSA_65", spec: keySpec{family: familyMLDSA, bits: 65, usages: []string{usageSignVerify}}, algorithms: mlDSASigning},
	{name: "ML_DSA_87", spec: keySpec{family: familyMLDSA, bits: 87, usages: []string{usageSignVerify}}, algorithms: mlDSASigning},
	{name: "ML_KEM_512", spec: keySpec{family: familyMLKEM, bits: 512, usages: []string{usageEncapsulate}}, algorithms: mlKEM},
	{name: "ML_KEM_768", spec: keySpec{family: familyMLKEM, bits: 768, usages: []string{usageEncapsulate}}, algorithms: mlKEM},
	{name: "ML_KEM_1024", spec: keySpec{family: familyMLKEM, bits: 1024, usages: []string{usageEncapsulate}}, algorithms: mlKEM},
	{name: "SM2", spec: keySpec{family: familySM2, chinaOnly: true, usages: []string{usageEncryptDecrypt, usageSignVerify, usageKeyAgreement}}, algorithms: []usageAlgorithms{{usageEncryptDecrypt, []string{algSM2PKE}}, {usageSignVerify, []string{"SM2DSA"}}, {usageKeyAgreement, []string{"ECDH"}}}, maxPlaintext: []algorithmLimit{{algSM2PKE, 1024}}},
	{name: "HMAC_224", spec: keySpec{family: familyHMAC, bits: 224, usages: []string{usageGenerateVerifyMAC}}, algorithms: []usageAlgorithms{{usageGenerateVerifyMAC, []string{"HMAC_SHA_224"}}}},
	{name: "HMAC_256", spec: keySpec{family: familyHMAC, bits: 256, usages: []string{usageGenerateVerifyMAC}}, algorithms: []usageAlgorithms{{usageGenerateVerifyMAC, []string{"HMAC_SHA_256"}}}},
	{name: "HMAC_384", spec: keySpec{family: familyHMAC, bits: 384, usages: []string{usageGenerateVerifyMAC}}, algorithms: []usageAlgorithms{{usageGenerateVerifyMAC, []string{"HMAC_SHA_384"}}}},
	{name: "HMAC_512", spec: keySpec{family: familyHMAC, bits: 512, usages: []string{usageGenerateVerifyMAC}}, algorithms: []usageAlgorithms{{usageGenerateVerifyMAC, []string{"HMAC_SHA_512"}}}},
}

// keySpecRow is a row of keySpecRows: a spec's name, its fields, and its maps as pairs.
type keySpecRow struct {
	name         string
	spec         keySpec
	algorithms   []usageAlgorithms
	maxPlaintext []algorithmLimit
}

type usageAlgorithms struct {
	usage      string
	algorithms []string
}

type algorithmLimit struct {
	algorithm string
	max       int
}

// keySpecs is keySpecRows by name, each spec with its maps.
var keySpecs = keySpecsByName(keySpecRows)

func keySpecsByName(rows []keySpecRow) map[string]keySpec {
	specs := make(map[string]keySpec, len(rows))
	for _, row := range rows {
		spec := row.spec
		spec.algorithms = make(map[string][]string, len(row.algorithms))
		for _, a := range row.algorithms {
			spec.algorithms[a.usage] = a.algorithms
		}
		if row.maxPlaintext != nil {
			spec.maxPlaintext = make(map[string]int, len(row.maxPlaintext))
			for _, m := range row.maxPlaintext {
				spec.maxPlaintext[m.algorithm] = m.max
			}
		}
		specs[row.name] = spec
	}
	return specs
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
