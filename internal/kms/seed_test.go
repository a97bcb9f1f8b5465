package kms

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Two worlds with the same seed and clock answer the same calls byte for byte: key IDs, material,
// blobs, data keys, signatures, grant tokens, public keys of every key spec, ciphertexts, KEM
// encapsulations, MACs, shared secrets, key pairs, import parameters. Another seed gives other
// answers.
func TestSeededWorldsAreReproducible(t *testing.T) {
	run := func(seed string) []string {
		w := NewWorld(Options{Seed: seed, Clock: "2027-01-01T00:00:00Z"})
		var answers []string
		doAs := func(c Caller, op string, body string) map[string]any {
			status, resp := w.Handle(c, "TrentService."+op, []byte(body))
			require.Equal(t, 200, status, "%s: %s", op, resp)
			answers = append(answers, string(resp))
			var out map[string]any
			require.NoError(t, json.Unmarshal(resp, &out))
			return out
		}
		do := func(op string, body string) map[string]any { return doAs(Caller{}, op, body) }
		sym := do("CreateKey", `{}`)["KeyMetadata"].(map[string]any)["KeyId"].(string)
		do("Encrypt", `{"KeyId":"`+sym+`","Plaintext":"aGVsbG8="}`)
		do("GenerateDataKey", `{"KeyId":"`+sym+`","KeySpec":"AES_256"}`)
		do("CreateGrant", `{"KeyId":"`+sym+`","GranteePrincipal":"arn:aws:iam::111122223333:role/r","Operations":["Decrypt"]}`)
		for _, spec := range []string{"RSA_2048", "RSA_4096"} {
			k := do("CreateKey", `{"KeySpec":"`+spec+`","KeyUsage":"SIGN_VERIFY"}`)["KeyMetadata"].(map[string]any)
			do("GetPublicKey", `{"KeyId":"`+k["KeyId"].(string)+`"}`)
			alg := k["SigningAlgorithms"].([]any)[0].(string)
			do("Sign", `{"KeyId":"`+k["KeyId"].(string)+`","Message":"bQ==","SigningAlgorithm":"`+alg+`"}`)
		}
		do("GenerateRandom", `{"NumberOfBytes":16}`)

		china := Caller{Region: "cn-north-1"}
		create := func(c Caller, spec, usage string) (id string, algorithms []any) {
			md := doAs(c, "CreateKey", `{"KeySpec":"`+spec+`","KeyUsage":"`+usage+`"}`)["KeyMetadata"].(map[string]any)
			for _, member := range []string{"SigningAlgorithms", "EncryptionAlgorithms", "MacAlgorithms"} {
				if list, ok := md[member].([]any); ok {
					algorithms = append(algorithms, list...)
				}
			}
			return md["KeyId"].(string), algorithms
		}
		digest512 := sha512.Sum512([]byte("m"))
		for _, k := range []struct {
			caller Caller
			spec   string
		}{
			{Caller{}, "ECC_NIST_P256"}, {Caller{}, "ECC_NIST_P384"}, {Caller{}, "ECC_NIST_P521"},
			{Caller{}, "ECC_SECG_P256K1"}, {Caller{}, "ECC_NIST_EDWARDS25519"},
			{Caller{}, "ML_DSA_44"}, {Caller{}, "ML_DSA_65"}, {Caller{}, "ML_DSA_87"},
			{Caller{}, "RSA_3072"}, {china, "SM2"},
		} {
			id, algorithms := create(k.caller, k.spec, "SIGN_VERIFY")
			doAs(k.caller, "GetPublicKey", `{"KeyId":"`+id+`"}`)
			for _, alg := range algorithms {
				message := `"Message":"bQ=="`
				if alg == "ED25519_PH_SHA_512" {
					message = `"Message":"` + base64.StdEncoding.EncodeToString(digest512[:]) + `","MessageType":"DIGEST"`
				}
				doAs(k.caller, "Sign", `{"KeyId":"`+id+`",`+message+`,"SigningAlgorithm":"`+alg.(string)+`"}`)
			}
		}
		for _, k := range []struct {
			caller Caller
			spec   string
		}{{Caller{}, "RSA_2048"}, {Caller{}, "RSA_4096"}, {china, "SM2"}} {
			id, algorithms := create(k.caller, k.spec, "ENCRYPT_DECRYPT")
			doAs(k.caller, "GetPublicKey", `{"KeyId":"`+id+`"}`)
			for _, alg := range algorithms {
				doAs(k.caller, "Encrypt", `{"KeyId":"`+id+`","Plaintext":"aGVsbG8=","EncryptionAlgorithm":"`+alg.(string)+`"}`)
			}
		}
		for _, k := range []struct {
			caller Caller
			spec   string
		}{{Caller{}, "ECC_NIST_P256"}, {Caller{}, "ECC_NIST_P384"}, {Caller{}, "ECC_NIST_P521"}, {china, "SM2"}} {
			id, _ := create(k.caller, k.spec, "KEY_AGREEMENT")
			public := doAs(k.caller, "GetPublicKey", `{"KeyId":"`+id+`"}`)["PublicKey"].(string)
			doAs(k.caller, "DeriveSharedSecret", `{"KeyId":"`+id+`","KeyAgreementAlgorithm":"ECDH","PublicKey":"`+public+`"}`)
		}
		for _, spec := range []string{"ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"} {
			id, _ := create(Caller{}, spec, "ENCAPSULATE_DECAPSULATE")
			do("GetPublicKey", `{"KeyId":"`+id+`"}`)
			do("Encapsulate", `{"KeyId":"`+id+`","EncapsulationAlgorithm":"ML_KEM"}`)
		}
		for _, spec := range []string{"HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"} {
			id, algorithms := create(Caller{}, spec, "GENERATE_VERIFY_MAC")
			do("GenerateMac", `{"KeyId":"`+id+`","Message":"bQ==","MacAlgorithm":"`+algorithms[0].(string)+`"}`)
		}
		for _, spec := range []string{"RSA_2048", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1",
			"ECC_NIST_EDWARDS25519", "ML_KEM_768"} {
			do("GenerateDataKeyPair", `{"KeyId":"`+sym+`","KeyPairSpec":"`+spec+`"}`)
		}
		chinaSym, _ := create(china, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
		doAs(china, "GenerateDataKeyPair", `{"KeyId":"`+chinaSym+`","KeyPairSpec":"SM2"}`)

		external := do("CreateKey", `{"Origin":"EXTERNAL"}`)["KeyMetadata"].(map[string]any)["KeyId"].(string)
		for _, p := range [][2]string{{"RSAES_OAEP_SHA_256", "RSA_2048"}, {"RSA_AES_KEY_WRAP_SHA_256", "RSA_4096"}} {
			do("GetParametersForImport", `{"KeyId":"`+external+`","WrappingAlgorithm":"`+p[0]+`","WrappingKeySpec":"`+p[1]+`"}`)
		}
		chinaExternal := doAs(china, "CreateKey", `{"Origin":"EXTERNAL"}`)["KeyMetadata"].(map[string]any)["KeyId"].(string)
		doAs(china, "GetParametersForImport", `{"KeyId":"`+chinaExternal+`","WrappingAlgorithm":"SM2PKE","WrappingKeySpec":"SM2"}`)
		return answers
	}
	a, b := run("snapshot-test"), run("snapshot-test")
	require.Equal(t, a, b)
	require.NotEqual(t, a[0], run("another seed")[0])
}

// In a world without a seed, the schemes that are randomized stay so: the same message signed
// twice gives two signatures (a seeded world signs with their deterministic variants).
func TestUnseededSignaturesStayRandomized(t *testing.T) {
	w := NewWorld(Options{})
	for _, k := range []struct {
		caller          Caller
		spec, algorithm string
	}{
		{Caller{}, "ECC_NIST_P256", "ECDSA_SHA_256"}, {Caller{}, "ECC_SECG_P256K1", "ECDSA_SHA_256"},
		{Caller{}, "ML_DSA_44", "ML_DSA_SHAKE_256"}, {Caller{}, "RSA_2048", "RSASSA_PSS_SHA_256"},
		{Caller{Region: "cn-north-1"}, "SM2", "SM2DSA"},
	} {
		id := newKey(t, w, k.caller, map[string]any{"KeySpec": k.spec, "KeyUsage": "SIGN_VERIFY"})["KeyId"]
		req := map[string]any{"KeyId": id, "Message": []byte("m"), "SigningAlgorithm": k.algorithm}
		a := mustCall(t, w, k.caller, "Sign", req)["Signature"]
		b := mustCall(t, w, k.caller, "Sign", req)["Signature"]
		require.NotEqual(t, a, b, k.spec)
	}
}

func TestManualClock(t *testing.T) {
	w := NewWorld(Options{Clock: "2027-01-01T00:00:00Z"})
	status, resp := w.Handle(Caller{}, "WasmKMS.GetClock", nil)
	require.Equal(t, 200, status)
	require.JSONEq(t, `{"now":"2027-01-01T00:00:00Z","manual":true}`, string(resp))
	md := newKey(t, w, Caller{}, map[string]any{})
	require.Equal(t, float64(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Unix()), md["CreationDate"])
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": md["KeyId"], "PendingWindowInDays": 7})

	status, resp = w.Handle(Caller{}, "WasmKMS.AdvanceClock", []byte(`{"ms": 604800000}`))
	require.Equal(t, 200, status, string(resp))
	require.JSONEq(t, `{"now":"2027-01-08T00:00:00Z","manual":true}`, string(resp))
	status, out := call(t, w, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})
	requireError(t, status, out, "NotFoundException", "Key '"+md["Arn"].(string)+"' does not exist")

	status, resp = w.Handle(Caller{}, "WasmKMS.SetClock", []byte(`{"time":"2026-12-31T00:00:00Z"}`))
	require.Equal(t, 400, status)
	require.Contains(t, string(resp), "the clock only moves forwards")
	status, _ = w.Handle(Caller{}, "WasmKMS.SetClock", []byte(`{"time":"2027-06-01T12:00:00.5Z"}`))
	require.Equal(t, 200, status)
	require.Equal(t, time.Date(2027, 6, 1, 12, 0, 0, 5e8, time.UTC), w.now())

	// A real clock stops where it is when a host sets or advances it.
	real := NewWorld(Options{})
	status, resp = real.Handle(Caller{}, "WasmKMS.AdvanceClock", []byte(`{"ms": 1000}`))
	require.Equal(t, 200, status, string(resp))
	require.Contains(t, string(resp), `"manual":true`)
	require.Error(t, CheckOptions(Options{Clock: "tomorrow"}))
}
