package kms

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// enclave is a test enclave: its RSA key and a document for it made by the world.
type enclave struct {
	key *rsa.PrivateKey
	doc []byte
}

func newEnclave(t *testing.T, w *World, pcrs map[string]string) enclave {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(t, err)
	body, _ := json.Marshal(map[string]any{"PublicKey": spki, "PCRs": pcrs})
	status, resp := w.Handle(Caller{}, "WasmKMS.AttestationDocument", body)
	require.Equal(t, 200, status, "%s", resp)
	var out struct{ AttestationDocument, RootCertificate []byte }
	require.NoError(t, json.Unmarshal(resp, &out))
	require.Equal(t, kmscrypto.NitroTestRootDER, out.RootCertificate)
	return enclave{k, out.AttestationDocument}
}

func (e enclave) recipient() map[string]any {
	return map[string]any{"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": e.doc}
}

// open opens a CiphertextForRecipient (base64, as the wire has it).
func (e enclave) open(t *testing.T, b64 any) []byte {
	t.Helper()
	sealed, err := base64.StdEncoding.DecodeString(b64.(string))
	require.NoError(t, err)
	plain, err := kmscrypto.OpenForRecipient(e.key, sealed)
	require.NoError(t, err)
	return plain
}

func TestAttestedOperations(t *testing.T) {
	w := NewWorld(Options{Clock: "2031-05-06T07:08:09Z"})
	e := newEnclave(t, w, nil)
	c := Caller{}
	keyID := newKey(t, w, c, map[string]any{})["KeyId"]
	plaintext := []byte("secret for the enclave")
	blob := mustCall(t, w, c, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": plaintext})["CiphertextBlob"]

	t.Run("Decrypt", func(t *testing.T) {
		out := mustCall(t, w, c, "Decrypt", map[string]any{"CiphertextBlob": blob, "Recipient": e.recipient()})
		require.NotContains(t, out, "Plaintext")
		require.NotContains(t, out, "KeyMaterialId", "the model: omitted with a Recipient")
		require.Equal(t, plaintext, e.open(t, out["CiphertextForRecipient"]))
	})
	t.Run("GenerateDataKey", func(t *testing.T) {
		out := mustCall(t, w, c, "GenerateDataKey", map[string]any{"KeyId": keyID, "KeySpec": "AES_256", "Recipient": e.recipient()})
		require.NotContains(t, out, "Plaintext")
		dataKey := e.open(t, out["CiphertextForRecipient"])
		require.Len(t, dataKey, 32)
		again := mustCall(t, w, c, "Decrypt", map[string]any{"CiphertextBlob": out["CiphertextBlob"]})
		require.Equal(t, base64.StdEncoding.EncodeToString(dataKey), again["Plaintext"], "CiphertextBlob holds the same data key")
	})
	t.Run("GenerateDataKeyPair", func(t *testing.T) {
		out := mustCall(t, w, c, "GenerateDataKeyPair", map[string]any{"KeyId": keyID, "KeyPairSpec": "ECC_NIST_P256", "Recipient": e.recipient()})
		require.NotContains(t, out, "PrivateKeyPlaintext")
		der := e.open(t, out["CiphertextForRecipient"])
		priv, err := x509.ParsePKCS8PrivateKey(der)
		require.NoError(t, err)
		pub, _ := x509.MarshalPKIXPublicKey(priv.(crypto.Signer).Public())
		require.Equal(t, base64.StdEncoding.EncodeToString(pub), out["PublicKey"])
	})
	t.Run("GenerateRandom", func(t *testing.T) {
		out := mustCall(t, w, c, "GenerateRandom", map[string]any{"NumberOfBytes": 24, "Recipient": e.recipient()})
		require.NotContains(t, out, "Plaintext")
		require.Len(t, e.open(t, out["CiphertextForRecipient"]), 24)
	})
	t.Run("DeriveSharedSecret", func(t *testing.T) {
		agreeing := newKey(t, w, c, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"})["KeyId"]
		peer := newKey(t, w, c, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"})["KeyId"]
		peerPub := mustCall(t, w, c, "GetPublicKey", map[string]any{"KeyId": peer})["PublicKey"]
		req := map[string]any{"KeyId": agreeing, "KeyAgreementAlgorithm": "ECDH", "PublicKey": peerPub}
		plain := mustCall(t, w, c, "DeriveSharedSecret", req)["SharedSecret"]
		req["Recipient"] = e.recipient()
		out := mustCall(t, w, c, "DeriveSharedSecret", req)
		require.NotContains(t, out, "SharedSecret")
		require.Equal(t, plain, base64.StdEncoding.EncodeToString(e.open(t, out["CiphertextForRecipient"])))
	})
}

func TestAttestationRefused(t *testing.T) {
	w := NewWorld(Options{Clock: "2031-05-06T07:08:09Z"})
	e := newEnclave(t, w, nil)
	keyID := newKey(t, w, Caller{}, map[string]any{})["KeyId"]
	gdk := func(recipient any) (int, map[string]any) {
		return call(t, w, "GenerateDataKey", map[string]any{"KeyId": keyID, "KeySpec": "AES_256", "Recipient": recipient})
	}
	tampered := append([]byte(nil), e.doc...)
	tampered[len(tampered)-1] ^= 1
	status, out := gdk(map[string]any{"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": tampered})
	requireError(t, status, out, "ValidationException", errAttestationInvalid().message)
	status, out = gdk(map[string]any{"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	requireError(t, status, out, "ValidationException", errAttestationMissing().message)
	status, out = gdk(map[string]any{"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_1", "AttestationDocument": e.doc})
	require.Equal(t, "ValidationException", out["__type"], "the model's enum: %v", out)
	require.Equal(t, 400, status)

	// A document whose signing certificate has expired (three hours) is refused, on the world's clock.
	status, _ = w.Handle(Caller{}, "WasmKMS.AdvanceClock", []byte(`{"ms": 14400000}`))
	require.Equal(t, 200, status)
	status, out = gdk(e.recipient())
	requireError(t, status, out, "ValidationException", errAttestationInvalid().message)

	// A document without a public key is refused.
	body, _ := json.Marshal(map[string]any{})
	_, resp := w.Handle(Caller{}, "WasmKMS.AttestationDocument", body)
	var noKey struct{ AttestationDocument []byte }
	require.NoError(t, json.Unmarshal(resp, &noKey))
	status, out = gdk(map[string]any{"AttestationDocument": noKey.AttestationDocument})
	requireError(t, status, out, "ValidationException", errAttestationNoPublicKey().message)
}

// TestRecipientAttestationConditions: a key policy that lets only an enclave with one image use the
// key, as AWS's documentation shows it (StringEqualsIgnoreCase on kms:RecipientAttestation:ImageSha384).
func TestRecipientAttestationConditions(t *testing.T) {
	w := NewWorld(Options{Clock: "2031-05-06T07:08:09Z"})
	image := strings.Repeat("ab", 48)
	good := newEnclave(t, w, map[string]string{"0": image, "8": strings.Repeat("01", 48)})
	other := newEnclave(t, w, map[string]string{"0": strings.Repeat("cd", 48)})
	policy := `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:DescribeKey","kms:Encrypt","kms:PutKeyPolicy","kms:GetKeyPolicy"],"Resource":"*"},
	 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:Decrypt","Resource":"*",
	  "Condition":{"StringEqualsIgnoreCase":{"kms:RecipientAttestation:ImageSha384":"` + strings.ToUpper(image) + `"},
	               "StringEquals":{"kms:RecipientAttestation:PCR8":"` + strings.Repeat("01", 48) + `"}}}]}`
	keyID := newKey(t, w, Caller{}, map[string]any{"Policy": policy})["KeyId"]
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("x")})["CiphertextBlob"]

	out := mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob, "Recipient": good.recipient()})
	require.Equal(t, []byte("x"), good.open(t, out["CiphertextForRecipient"]))
	for name, req := range map[string]map[string]any{
		"another image": {"CiphertextBlob": blob, "Recipient": other.recipient()},
		"no Recipient":  {"CiphertextBlob": blob},
	} {
		status, out := call(t, w, "Decrypt", req)
		require.Equal(t, "AccessDeniedException", out["__type"], "%s: %v", name, out)
		require.Equal(t, 400, status)
	}
	require.Equal(t, image, hex.EncodeToString(mustDecodeHex(t, image)))
}

func mustDecodeHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}
