package kms

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func exportWorld(t *testing.T, w *World) []byte {
	t.Helper()
	status, body := w.Handle(Caller{}, "WasmKMS.ExportState", nil)
	require.Equal(t, 200, status, string(body))
	return body
}

func TestExportImportRoundTrip(t *testing.T) {
	w := NewWorld(Options{})
	sym := newKey(t, w, Caller{}, map[string]any{"Description": "sym", "Tags": []map[string]string{{"TagKey": "k", "TagValue": "v"}}})
	rsaKey := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_3072", "KeyUsage": "ENCRYPT_DECRYPT"})
	sm2Key := newKey(t, w, china, map[string]any{"KeySpec": "SM2", "KeyUsage": "ENCRYPT_DECRYPT"})
	ecc := newKey(t, w, Caller{}, map[string]any{"KeySpec": "ECC_NIST_P384", "KeyUsage": "SIGN_VERIFY"})
	hmacKey := newKey(t, w, Caller{Account: "444455556666"}, map[string]any{"KeySpec": "HMAC_384", "KeyUsage": "GENERATE_VERIFY_MAC"})
	newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})
	mustCall(t, w, Caller{}, "CreateAlias", map[string]any{"AliasName": "alias/sym", "TargetKeyId": sym["KeyId"]})
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": ecc["KeyId"], "PendingWindowInDays": 7})
	symBlob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": "alias/sym", "Plaintext": []byte("keep")})["CiphertextBlob"]
	rsaBlob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": rsaKey["KeyId"], "Plaintext": []byte("keep"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})["CiphertextBlob"]
	sm2Blob := mustCall(t, w, china, "Encrypt", map[string]any{"KeyId": sm2Key["KeyId"], "Plaintext": []byte("keep"), "EncryptionAlgorithm": "SM2PKE"})["CiphertextBlob"]
	state := exportWorld(t, w)

	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, string(state), string(exportWorld(t, restored)))

	require.Equal(t, "keep", string(b64(t, mustCall(t, restored, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": symBlob})["Plaintext"])))
	require.Equal(t, "keep", string(b64(t, mustCall(t, restored, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": rsaBlob, "KeyId": rsaKey["Arn"], "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})["Plaintext"])))
	require.Equal(t, "keep", string(b64(t, mustCall(t, restored, china, "Decrypt", map[string]any{"CiphertextBlob": sm2Blob, "KeyId": sm2Key["KeyId"], "EncryptionAlgorithm": "SM2PKE"})["Plaintext"])))
	desc := mustCall(t, restored, Caller{}, "DescribeKey", map[string]any{"KeyId": ecc["KeyId"]})["KeyMetadata"].(map[string]any)
	require.Equal(t, "PendingDeletion", desc["KeyState"])
	desc = mustCall(t, restored, Caller{Account: "444455556666"}, "DescribeKey", map[string]any{"KeyId": hmacKey["KeyId"]})["KeyMetadata"].(map[string]any)
	require.Equal(t, hmacKey, desc)

	// The restored pool goes on drawing pairs that were not used before.
	next := newKey(t, restored, Caller{}, map[string]any{"KeySpec": "RSA_3072", "KeyUsage": "ENCRYPT_DECRYPT"})
	require.NotEqual(t, keyOf(restored, Caller{}, rsaKey).private.(*rsa.PrivateKey).N, keyOf(restored, Caller{}, next).private.(*rsa.PrivateKey).N)
}

func TestImportStateRefusesBadStatesAndChangesNothing(t *testing.T) {
	w := NewWorld(Options{})
	md := newKey(t, w, Caller{}, map[string]any{})
	before := exportWorld(t, w)
	var good map[string]any
	require.NoError(t, json.Unmarshal(before, &good))

	mutate := func(f func(st map[string]any)) []byte {
		var st map[string]any
		require.NoError(t, json.Unmarshal(before, &st))
		f(st)
		b, _ := json.Marshal(st)
		return b
	}
	firstKey := func(st map[string]any) map[string]any {
		return st["regions"].([]any)[0].(map[string]any)["keys"].([]any)[0].(map[string]any)
	}
	bad := map[string][]byte{
		"not json":      []byte("{"),
		"wrong version": mutate(func(st map[string]any) { st["version"] = stateVersion + 1 }),
		"bad spec":      mutate(func(st map[string]any) { firstKey(st)["keySpec"] = "AES" }),
		"bad usage":     mutate(func(st map[string]any) { firstKey(st)["keyUsage"] = "SIGN_VERIFY" }),
		"bad state":     mutate(func(st map[string]any) { firstKey(st)["keyState"] = "Sleeping" }),
		"short material": mutate(func(st map[string]any) {
			firstKey(st)["symmetricMaterial"].([]any)[0].(map[string]any)["material"] = "AAAA"
		}),
		"bad key id": mutate(func(st map[string]any) { firstKey(st)["keyId"] = "nope" }),
		"bad policy": mutate(func(st map[string]any) { firstKey(st)["policy"] = "{}" }),
		"dangling alias": mutate(func(st map[string]any) {
			st["regions"].([]any)[0].(map[string]any)["aliases"] = []any{map[string]any{"aliasName": "alias/x", "targetKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "creationDate": 1, "lastUpdatedDate": 1}}
		}),
	}
	for name, body := range bad {
		status, resp := w.Handle(Caller{}, "WasmKMS.ImportState", body)
		require.Equal(t, 400, status, name)
		var out map[string]string
		require.NoError(t, json.Unmarshal(resp, &out))
		require.Equal(t, "ValidationException", out["__type"], name)
		require.Contains(t, out["message"], "Invalid state: ", name)
		require.JSONEq(t, string(before), string(exportWorld(t, w)), name)
	}
	mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": md["KeyId"]})
}

func TestSupplyRSAKey(t *testing.T) {
	w := NewWorld(Options{})
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	require.NoError(t, err)
	status, body := w.Handle(Caller{}, "WasmKMS.SupplyRSAKey", mustMarshal(map[string]any{"PrivateKey": der}))
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, `{}`, string(body))

	md := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	require.Equal(t, 0, keyOf(w, Caller{}, md).private.(*rsa.PrivateKey).N.Cmp(priv.N), "the supplied key is used first")
	second := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	require.NotEqual(t, 0, keyOf(w, Caller{}, second).private.(*rsa.PrivateKey).N.Cmp(priv.N), "then the pool")

	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	smallDER, _ := x509.MarshalPKCS8PrivateKey(small)
	for name, c := range map[string]struct {
		body []byte
		msg  string
	}{
		"1024 bits": {mustMarshal(map[string]any{"PrivateKey": smallDER}), "PrivateKey is a 1024-bit RSA key; KMS RSA keys have 2048, 3072 or 4096 bits"},
		"not DER":   {mustMarshal(map[string]any{"PrivateKey": []byte("junk")}), "PrivateKey is not a DER PKCS#8 private key"},
		"missing":   {[]byte(`{}`), "1 validation error detected: Value null at 'privateKey' failed to satisfy constraint: Member must not be null"},
	} {
		status, body := w.Handle(Caller{}, "WasmKMS.SupplyRSAKey", c.body)
		require.Equal(t, 400, status, name)
		require.JSONEq(t, `{"__type":"ValidationException","message":`+string(mustMarshal(c.msg))+`}`, string(body), name)
	}
	require.Empty(t, w.suppliedRSA[1024])
}

// Every key spec's material survives the state file: the restored key has the same public key,
// verifies what the original signed, and remembers its last use.
func TestExportImportEveryKeySpec(t *testing.T) {
	w := NewWorld(Options{})
	type made struct {
		caller Caller
		md     map[string]any
	}
	var keys []made
	for name, spec := range keySpecs {
		c := Caller{}
		if spec.chinaOnly {
			c = china
		}
		usage := spec.usages[len(spec.usages)-1]
		md := newKey(t, w, c, map[string]any{"KeySpec": name, "KeyUsage": usage})
		if usage == usageSignVerify {
			alg := spec.algorithmsFor(usage)[0]
			mustCall(t, w, c, "Sign", map[string]any{"KeyId": md["KeyId"], "Message": []byte("m"), "SigningAlgorithm": alg})
		}
		keys = append(keys, made{c, md})
	}
	state := exportWorld(t, w)
	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, string(state), string(exportWorld(t, restored)))
	for _, k := range keys {
		before := keyOf(w, k.caller, k.md)
		after := keyOf(restored, k.caller, k.md)
		require.Equal(t, before.lastUse.operation, after.lastUse.operation, k.md["KeySpec"])
		require.Equal(t, before.lastUse.at.UnixMilli(), after.lastUse.at.UnixMilli(), k.md["KeySpec"])
		if before.private != nil {
			require.True(t, before.private.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(after.private.Public()), k.md["KeySpec"])
		}
	}
}
