package kms

import (
	"crypto/rand"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
	"github.com/wasmkms/wasmkms/internal/crypto/nativehost"
)

// The host's primitives under the service (hostcrypto.go): twin seeded worlds, one on native Go's
// primitives (what the wazero harness supplies) and one on the module's own code, answer every call
// byte for byte alike (and the scenarios pass on the host's primitives: hostcrypto_conformance_test.go). The wazero and JS hosts run
// the same through the module (testharness/hostcrypto_test.go, test/node/host-crypto.test.mjs).

func hostEngine(t *testing.T) *kmscrypto.Engine {
	t.Helper()
	e := kmscrypto.NewEngine(&nativehost.Host{})
	require.NotNil(t, e)
	return e
}

func TestHostCryptoFalseIsGosCode(t *testing.T) {
	engine := hostEngine(t)
	off := NewWorld(Options{Crypto: engine, HostCrypto: new(false)})
	require.Nil(t, off.crypto())
	on := NewWorld(Options{Crypto: engine})
	require.NotNil(t, on.crypto())
	// WasmKMS.HostCrypto says which, and how many primitives the host ran.
	for _, tc := range []struct {
		w    *World
		want string
	}{
		{off, `{"capabilities":0,"inUse":false,"primitivesRun":0}`},
		{NewWorld(Options{}), `{"capabilities":0,"inUse":false,"primitivesRun":0}`},
		{on, fmt.Sprintf(`{"capabilities":%d,"inUse":true,"primitivesRun":0}`, nativehost.Capabilities)},
	} {
		status, answer := tc.w.Handle(Caller{}, "WasmKMS.HostCrypto", nil)
		require.Equal(t, 200, status)
		require.JSONEq(t, tc.want, string(answer))
	}
	key := mustCall(t, on, Caller{}, "CreateKey", map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})["KeyMetadata"].(map[string]any)["KeyId"]
	mustCall(t, on, Caller{}, "Sign", map[string]any{"KeyId": key, "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"})
	_, answer := on.Handle(Caller{}, "WasmKMS.HostCrypto", nil)
	require.Contains(t, string(answer), `"primitivesRun":3`, "the key's public point, the message's digest and the signature's k·G")
}

// twinWorlds sends every call to both worlds and requires the same answer, a success.
type twinWorlds struct {
	t          *testing.T
	host, pure *World
}

func (tw twinWorlds) do(c Caller, op string, req map[string]any) map[string]any {
	tw.t.Helper()
	body, err := json.Marshal(req)
	require.NoError(tw.t, err)
	hostStatus, hostAnswer := tw.host.Handle(c, "TrentService."+op, body)
	pureStatus, pureAnswer := tw.pure.Handle(c, "TrentService."+op, body)
	require.Equal(tw.t, pureStatus, hostStatus, "%s %s", op, body)
	require.Equal(tw.t, string(pureAnswer), string(hostAnswer), "%s %s", op, body)
	require.Equal(tw.t, 200, hostStatus, "%s %s: %s", op, body, hostAnswer)
	var out map[string]any
	require.NoError(tw.t, json.Unmarshal(hostAnswer, &out))
	return out
}

func TestSeededWorldsAnswerAlikeOnHostPrimitives(t *testing.T) {
	engine := hostEngine(t)
	opts := Options{Seed: "host primitives", Clock: "2027-01-01T00:00:00Z"}
	pure := NewWorld(opts)
	opts.Crypto = engine
	tw := twinWorlds{t, NewWorld(opts), pure}
	china := Caller{Region: "cn-north-1"}
	keyOf := func(c Caller, spec, usage string) (string, []any) {
		md := tw.do(c, "CreateKey", map[string]any{"KeySpec": spec, "KeyUsage": usage})["KeyMetadata"].(map[string]any)
		var algorithms []any
		for _, member := range []string{"SigningAlgorithms", "EncryptionAlgorithms", "MacAlgorithms"} {
			if list, ok := md[member].([]any); ok {
				algorithms = append(algorithms, list...)
			}
		}
		return md["KeyId"].(string), algorithms
	}
	message := func(n int) []byte { return []byte(strings.Repeat("wasmkms ", n/8+1)[:n]) }

	sym, _ := keyOf(Caller{}, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
	for _, n := range []int{1, 32, 255, 256, 1000, 4096} {
		context := map[string]string{"size": strings.Repeat("x", n%7)}
		blob := tw.do(Caller{}, "Encrypt", map[string]any{"KeyId": sym, "Plaintext": message(n), "EncryptionContext": context})["CiphertextBlob"]
		tw.do(Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": context})
		tw.do(Caller{}, "ReEncrypt", map[string]any{"CiphertextBlob": blob, "SourceEncryptionContext": context, "DestinationKeyId": sym})
		body, _ := json.Marshal(map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"other": "context"}})
		for _, w := range []*World{tw.host, tw.pure} {
			status, answer := w.Handle(Caller{}, "TrentService.Decrypt", body)
			require.Equal(t, 400, status, "%s", answer)
			require.Contains(t, string(answer), "InvalidCiphertextException")
		}
	}
	tw.do(Caller{}, "GenerateDataKey", map[string]any{"KeyId": sym, "NumberOfBytes": 1024})

	digest512 := sha512.Sum512([]byte("m"))
	for _, k := range []struct {
		caller Caller
		spec   string
	}{
		{Caller{}, "ECC_NIST_P256"}, {Caller{}, "ECC_NIST_P384"}, {Caller{}, "ECC_NIST_P521"},
		{Caller{}, "ECC_SECG_P256K1"}, {Caller{}, "ECC_NIST_EDWARDS25519"}, {Caller{}, "RSA_2048"},
		{Caller{}, "RSA_3072"}, {Caller{}, "RSA_4096"}, {Caller{}, "ML_DSA_44"}, {china, "SM2"},
	} {
		id, algorithms := keyOf(k.caller, k.spec, "SIGN_VERIFY")
		tw.do(k.caller, "GetPublicKey", map[string]any{"KeyId": id}) // the key's public half, the host's where it made it
		for _, algorithm := range algorithms {
			for _, n := range []int{1, 4096} {
				req := map[string]any{"KeyId": id, "Message": message(n), "SigningAlgorithm": algorithm}
				if algorithm == "ED25519_PH_SHA_512" {
					req["Message"], req["MessageType"] = digest512[:], "DIGEST"
				}
				signature := tw.do(k.caller, "Sign", req)["Signature"]
				req["Signature"] = signature
				require.Equal(t, true, tw.do(k.caller, "Verify", req)["SignatureValid"])
			}
		}
	}
	for _, spec := range []string{"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"} { // key agreement keys: the same material
		id, _ := keyOf(Caller{}, spec, "KEY_AGREEMENT")
		tw.do(Caller{}, "GetPublicKey", map[string]any{"KeyId": id})
	}
	for _, spec := range []string{"RSA_2048", "RSA_4096"} {
		id, algorithms := keyOf(Caller{}, spec, "ENCRYPT_DECRYPT")
		for _, algorithm := range algorithms {
			blob := tw.do(Caller{}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": message(100), "EncryptionAlgorithm": algorithm})["CiphertextBlob"]
			tw.do(Caller{}, "Decrypt", map[string]any{"KeyId": id, "CiphertextBlob": blob, "EncryptionAlgorithm": algorithm})
		}
	}
	for _, spec := range []string{"HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"} {
		id, algorithms := keyOf(Caller{}, spec, "GENERATE_VERIFY_MAC")
		for _, n := range []int{1, 1024, 4096} {
			mac := tw.do(Caller{}, "GenerateMac", map[string]any{"KeyId": id, "Message": message(n), "MacAlgorithm": algorithms[0]})["Mac"]
			tw.do(Caller{}, "VerifyMac", map[string]any{"KeyId": id, "Message": message(n), "MacAlgorithm": algorithms[0], "Mac": mac})
		}
	}
	// ImportKeyMaterial: the wrapping key's private-key operation, OAEP and RSA_AES_KEY_WRAP.
	for _, wrapping := range []string{"RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_256"} {
		md := tw.do(Caller{}, "CreateKey", map[string]any{"Origin": "EXTERNAL"})["KeyMetadata"].(map[string]any)
		params := tw.do(Caller{}, "GetParametersForImport", map[string]any{"KeyId": md["KeyId"], "WrappingAlgorithm": wrapping, "WrappingKeySpec": "RSA_4096"})
		pub, token := parsePublicKey(t, params["PublicKey"]), params["ImportToken"]
		material := make([]byte, 32)
		_, _ = rand.Read(material)
		tw.do(Caller{}, "ImportKeyMaterial", map[string]any{"KeyId": md["KeyId"], "ImportToken": token,
			"EncryptedKeyMaterial": wrapMaterial(t, pub, wrapping, material), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	}
	require.Positive(t, engine.PrimitivesRun())
}

func parsePublicKey(t *testing.T, v any) any {
	t.Helper()
	der, err := base64.StdEncoding.DecodeString(v.(string))
	require.NoError(t, err)
	pub, err := x509.ParsePKIXPublicKey(der)
	require.NoError(t, err)
	return pub
}
