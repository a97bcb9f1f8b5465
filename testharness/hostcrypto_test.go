package testharness

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wasmkms/wasmkms/internal/conformance"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The host's primitives through the module (hostcrypto.go): the scenarios pass with them off too
// (TestConformanceThroughModule runs them on), and twin seeded worlds, one on the harness's native
// primitives and one on the module's own code, answer every call byte for byte alike.

func TestConformanceThroughModuleWithoutHostCrypto(t *testing.T) {
	h := newHarness(t)
	before := hostPrimitivesRun.Load()
	conformance.RunDir(t, "../testdata/conformance", func() conformance.CallFunc {
		return moduleCallFunc(newWorld(t, h, kms.Options{HostCrypto: new(false)}))
	})
	if ran := hostPrimitivesRun.Load() - before; ran != 0 {
		t.Errorf("worlds with NoHostCrypto asked the host for %d primitives", ran)
	}
}

func TestConformanceThroughModuleUsesHostCrypto(t *testing.T) {
	h := newHarness(t)
	before := hostPrimitivesRun.Load()
	w := newWorld(t, h, kms.Options{})
	// The primitives the scenarios reach: a large Encrypt and an RSA signature.
	key := callOK(t, w, "CreateKey", `{"KeySpec":"RSA_2048","KeyUsage":"SIGN_VERIFY"}`)["KeyMetadata"].(map[string]any)["KeyId"]
	callOK(t, w, "Sign", `{"KeyId":"`+key.(string)+`","Message":"bQ==","SigningAlgorithm":"RSASSA_PSS_SHA_256"}`)
	if hostPrimitivesRun.Load() == before {
		t.Fatal("the module never asked the harness for a primitive")
	}
}

func callOK(t *testing.T, w *World, op, body string) map[string]any {
	t.Helper()
	status, resp, err := w.Call(context.Background(), kms.Caller{}, "TrentService."+op, []byte(body))
	if err != nil || status != 200 {
		t.Fatalf("%s: %d %s %v", op, status, resp, err)
	}
	var out map[string]any
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// twins sends every call to both worlds and requires the same answer, a success.
type twins struct {
	t          *testing.T
	host, pure *World
}

func (tw twins) do(c kms.Caller, op string, req map[string]any) map[string]any {
	tw.t.Helper()
	body, err := json.Marshal(req)
	if err != nil {
		tw.t.Fatal(err)
	}
	ctx := context.Background()
	hostStatus, hostAnswer, err := tw.host.Call(ctx, c, "TrentService."+op, body)
	if err != nil {
		tw.t.Fatal(err)
	}
	pureStatus, pureAnswer, err := tw.pure.Call(ctx, c, "TrentService."+op, body)
	if err != nil {
		tw.t.Fatal(err)
	}
	if hostStatus != pureStatus || string(hostAnswer) != string(pureAnswer) {
		tw.t.Fatalf("%s %s:\nhost primitives: %d %s\nthe module's own: %d %s", op, body, hostStatus, hostAnswer, pureStatus, pureAnswer)
	}
	if hostStatus != 200 {
		tw.t.Fatalf("%s %s: %d %s", op, body, hostStatus, hostAnswer)
	}
	var out map[string]any
	if err := json.Unmarshal(hostAnswer, &out); err != nil {
		tw.t.Fatal(err)
	}
	return out
}

func TestSeededWorldsAnswerAlikeWithAndWithoutHostCrypto(t *testing.T) {
	h := newHarness(t)
	opts := kms.Options{Seed: "host primitives", Clock: "2027-01-01T00:00:00Z"}
	pure := newWorld(t, h, kms.Options{Seed: opts.Seed, Clock: opts.Clock, HostCrypto: new(false)})
	tw := twins{t, newWorld(t, h, opts), pure}
	before := hostPrimitivesRun.Load()
	message := func(n int) []byte { return []byte(strings.Repeat("wasmkms ", n/8+1)[:n]) }
	keyOf := func(c kms.Caller, spec, usage string) (string, []any) {
		md := tw.do(c, "CreateKey", map[string]any{"KeySpec": spec, "KeyUsage": usage})["KeyMetadata"].(map[string]any)
		var algorithms []any
		for _, member := range []string{"SigningAlgorithms", "EncryptionAlgorithms", "MacAlgorithms"} {
			if list, ok := md[member].([]any); ok {
				algorithms = append(algorithms, list...)
			}
		}
		return md["KeyId"].(string), algorithms
	}

	sym, _ := keyOf(kms.Caller{}, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
	for _, n := range []int{1, 255, 256, 4096} {
		context := map[string]string{"n": strings.Repeat("x", n%5)}
		blob := tw.do(kms.Caller{}, "Encrypt", map[string]any{"KeyId": sym, "Plaintext": message(n), "EncryptionContext": context})["CiphertextBlob"]
		tw.do(kms.Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": context})
	}
	for _, spec := range []string{"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "ECC_NIST_EDWARDS25519", "RSA_2048", "RSA_4096"} {
		id, algorithms := keyOf(kms.Caller{}, spec, "SIGN_VERIFY")
		for _, algorithm := range algorithms {
			req := map[string]any{"KeyId": id, "Message": message(4096), "SigningAlgorithm": algorithm}
			if algorithm == "ED25519_PH_SHA_512" { // a SHA-512 digest
				req["Message"], req["MessageType"] = message(64), "DIGEST"
			}
			req["Signature"] = tw.do(kms.Caller{}, "Sign", req)["Signature"]
			if tw.do(kms.Caller{}, "Verify", req)["SignatureValid"] != true {
				t.Fatalf("%s %s: the signature does not verify", spec, algorithm)
			}
		}
	}
	id, _ := keyOf(kms.Caller{}, "RSA_4096", "ENCRYPT_DECRYPT")
	blob := tw.do(kms.Caller{}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": message(100), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})["CiphertextBlob"]
	tw.do(kms.Caller{}, "Decrypt", map[string]any{"KeyId": id, "CiphertextBlob": blob, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	mac, algorithms := keyOf(kms.Caller{}, "HMAC_512", "GENERATE_VERIFY_MAC")
	tw.do(kms.Caller{}, "GenerateMac", map[string]any{"KeyId": mac, "Message": message(4096), "MacAlgorithm": algorithms[0]})

	// ImportKeyMaterial, the wrapping key's private-key operation.
	md := tw.do(kms.Caller{}, "CreateKey", map[string]any{"Origin": "EXTERNAL"})["KeyMetadata"].(map[string]any)
	params := tw.do(kms.Caller{}, "GetParametersForImport", map[string]any{"KeyId": md["KeyId"], "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_4096"})
	der, _ := base64.StdEncoding.DecodeString(params["PublicKey"].(string))
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	material := make([]byte, 32)
	_, _ = rand.Read(material)
	wrapped, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub.(*rsa.PublicKey), material, nil)
	if err != nil {
		t.Fatal(err)
	}
	tw.do(kms.Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": md["KeyId"], "ImportToken": params["ImportToken"],
		"EncryptedKeyMaterial": wrapped, "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	if hostPrimitivesRun.Load() == before {
		t.Fatal("the module never asked the harness for a primitive")
	}
}
