package testharness

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"testing"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// BenchmarkHostCrypto is each operation the host's primitives serve (hostcrypto.go) three ways, in one
// run: /host through the module on the harness's native primitives (the default), /module through the
// module on its own Go code (NoHostCrypto, as before them), /native on the core compiled natively (Go's
// crypto with its assembly: the floor). The ratios host/native and module/native are the figures.
//
//	go test ./testharness -run '^$' -bench HostCrypto
func BenchmarkHostCrypto(b *testing.B) {
	for _, op := range hostCryptoBenchOps {
		for _, mode := range []string{"host", "module", "native"} {
			b.Run(op.name+"/"+mode, func(b *testing.B) {
				var call callFunc
				switch mode {
				case "native":
					call = nativeCall(kms.NewWorld(kms.Options{}))
				default:
					call = moduleCall(b, newWorld(b, newHarness(b), kms.Options{HostCrypto: new(mode == "host")}))
				}
				target, next := op.setup(b, call)
				b.ResetTimer()
				for range b.N {
					var body []byte
					if op.eachCall { // the next call's keys, not timed
						b.StopTimer()
						body = next()
						b.StartTimer()
					} else {
						body = next()
					}
					if status, resp := call(target, body); status != 200 {
						b.Fatalf("%s: %d %s", target, status, resp)
					}
				}
			})
		}
	}
}

// hostCryptoBenchOp makes its keys on a world and answers the target and a function giving each
// call's body; with eachCall, that function makes keys for each call, outside the timed part.
type hostCryptoBenchOp struct {
	name     string
	eachCall bool
	setup    func(b *testing.B, call callFunc) (target string, body func() []byte)
}

func benchKey(b *testing.B, call callFunc, body string) string {
	b.Helper()
	status, created := call("TrentService.CreateKey", []byte(body))
	if status != 200 {
		b.Fatalf("CreateKey: %d %s", status, created)
	}
	return jsonString(created, "KeyMetadata", "KeyId")
}

func fixed(body string) func() []byte { return func() []byte { return []byte(body) } }

var hostCryptoBenchOps = []hostCryptoBenchOp{
	// CreateKey of each NIST curve: the new key's public point (ec_base_point).
	{"CreateKeyP256", false, createKeyOp("ECC_NIST_P256")},
	{"CreateKeyP384", false, createKeyOp("ECC_NIST_P384")},
	{"CreateKeyP521", false, createKeyOp("ECC_NIST_P521")},
	{"SignECDSAP256", false, func(b *testing.B, call callFunc) (string, func() []byte) {
		id := benchKey(b, call, `{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY"}`)
		return "TrentService.Sign", fixed(`{"KeyId":"` + id + `","Message":"bWVzc2FnZQ==","SigningAlgorithm":"ECDSA_SHA_256"}`)
	}},
	{"SignRSAPSS2048", false, func(b *testing.B, call callFunc) (string, func() []byte) {
		id := benchKey(b, call, `{"KeySpec":"RSA_2048","KeyUsage":"SIGN_VERIFY"}`)
		return "TrentService.Sign", fixed(`{"KeyId":"` + id + `","Message":"bWVzc2FnZQ==","SigningAlgorithm":"RSASSA_PSS_SHA_256"}`)
	}},
	{"DecryptRSA4096OAEP", false, func(b *testing.B, call callFunc) (string, func() []byte) {
		id := benchKey(b, call, `{"KeySpec":"RSA_4096","KeyUsage":"ENCRYPT_DECRYPT"}`)
		status, out := call("TrentService.Encrypt", []byte(`{"KeyId":"`+id+`","Plaintext":"bWVzc2FnZQ==","EncryptionAlgorithm":"RSAES_OAEP_SHA_256"}`))
		if status != 200 {
			b.Fatalf("Encrypt: %d %s", status, out)
		}
		return "TrentService.Decrypt", fixed(`{"KeyId":"` + id + `","CiphertextBlob":"` + jsonString(out, "CiphertextBlob") + `","EncryptionAlgorithm":"RSAES_OAEP_SHA_256"}`)
	}},
	{"Encrypt4096B", false, func(b *testing.B, call callFunc) (string, func() []byte) {
		req := encryptRequest(b, call, 4096)
		return "TrentService.Encrypt", func() []byte { return req }
	}},
	{"ImportKeyMaterialRSA4096", true, func(b *testing.B, call callFunc) (string, func() []byte) {
		// Each call imports into a fresh EXTERNAL key with a fresh token.
		return "TrentService.ImportKeyMaterial", func() []byte {
			id := benchKey(b, call, `{"Origin":"EXTERNAL"}`)
			status, params := call("TrentService.GetParametersForImport", []byte(`{"KeyId":"`+id+`","WrappingAlgorithm":"RSAES_OAEP_SHA_256","WrappingKeySpec":"RSA_4096"}`))
			if status != 200 {
				b.Fatalf("GetParametersForImport: %d %s", status, params)
			}
			der, _ := base64.StdEncoding.DecodeString(jsonString(params, "PublicKey"))
			pub, err := x509.ParsePKIXPublicKey(der)
			if err != nil {
				b.Fatal(err)
			}
			wrapped, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub.(*rsa.PublicKey), make([]byte, 32), nil)
			if err != nil {
				b.Fatal(err)
			}
			return []byte(`{"KeyId":"` + id + `","ImportToken":"` + jsonString(params, "ImportToken") + `","EncryptedKeyMaterial":"` +
				base64.StdEncoding.EncodeToString(wrapped) + `","ExpirationModel":"KEY_MATERIAL_DOES_NOT_EXPIRE"}`)
		}
	}},
}

func createKeyOp(spec string) func(*testing.B, callFunc) (string, func() []byte) {
	return func(*testing.B, callFunc) (string, func() []byte) {
		return "TrentService.CreateKey", fixed(`{"KeySpec":"` + spec + `","KeyUsage":"SIGN_VERIFY"}`)
	}
}
