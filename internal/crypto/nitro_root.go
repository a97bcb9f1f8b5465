package crypto

import "encoding/base64"

// The root of wasmkms's test attestation chain: a self-signed P-384 CA ("wasmkms test Nitro root (not
// AWS; for tests only)", valid 2000 to 2199) standing where AWS's Nitro Enclaves root stands, so that
// tests can make attestation documents that KMS accepts (MakeAttestation) and that fail exactly where
// AWS's would. It was made once with crypto/x509 (ECDSA-with-SHA384, basicConstraints cA) and is fixed:
// documents made by one version verify in every later one, in every process. Its private key is public
// by design, so a document it signs proves nothing outside wasmkms; real AWS rejects such documents.

// NitroTestRootDER is the root certificate, DER.
var NitroTestRootDER = mustBase64(
	"MIICCzCCAZKgAwIBAgIBATAKBggqhkjOPQQDAzBOMRAwDgYDVQQKEwd3YXNta21zMTowOAYDVQQDDDF3YXNta21zIHRlc3Qg" +
		"Tml0cm8gcm9vdCAobm90IEFXUzsgZm9yIHRlc3RzIG9ubHkpMCAXDTAwMDEwMTAwMDAwMFoYDzIxOTkxMjMxMjM1OTU5WjBO" +
		"MRAwDgYDVQQKEwd3YXNta21zMTowOAYDVQQDDDF3YXNta21zIHRlc3QgTml0cm8gcm9vdCAobm90IEFXUzsgZm9yIHRlc3Rz" +
		"IG9ubHkpMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEbppJlTmw+86ZzBfz9aHP5YrEMrSv3VnyYlpshdyU9ULdtayprsHf+DST" +
		"WPzSWZ6y0+wxIJDVa0yQn1LF2V269oHeFvohmRX2Do5C4xOrx74no+MIHaY5M2KNck7ltYPno0IwQDAOBgNVHQ8BAf8EBAMC" +
		"AYYwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQU78k3ysrXK0BCQwdDVJOmuoEuBRkwCgYIKoZIzj0EAwMDZwAwZAIwXA4B" +
		"Mqcssa2NymuLIepsXG54QyoyZ8Ptb+izBAFI3R3cfEDOB+opkLLCmt4qYXFKAjBmPZEusWvOWr+Uzy8CpV6JVzM7f4DM1oU3" +
		"qa4Toz+lQhQ8SOd/o6E6Ja7kHq+mc+I=")

// nitroTestRootKeyPKCS8 is the root's private key, DER PKCS#8.
var nitroTestRootKeyPKCS8 = mustBase64(
	"MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDBoGCw0Rgx3VwRc5K6L7sBbuQBoE5AbiUPGLFsOsEYOtxsbIH42" +
		"KikbQLG4gwkMAs2hZANiAARumkmVObD7zpnMF/P1oc/lisQytK/dWfJiWmyF3JT1Qt21rKmuwd/4NJNY/NJZnrLT7DEgkNVr" +
		"TJCfUsXZXbr2gd4W+iGZFfYOjkLjE6vHviej4wgdpjkzYo1yTuW1g+c=")

func mustBase64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
