package testharness_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/testharness"
)

// LoadFixtures reads YAML as well as JSON (by the file's name): the same keys from either format make
// the same world, and a bad key fails with the same error naming its path.

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

func TestLoadFixturesReadsAYAMLFile(t *testing.T) {
	ctx := context.Background()
	signer, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(signer)
	require.NoError(t, err)
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	// A fixtures file as a user writes it in YAML: a block scalar holds the PEM private key.
	yamlText := `keys:
  - keyId: 0f1e2d3c-4b5a-4678-9abc-def012345678
    description: from a YAML file
    aliases: [alias/orders]
    tags: {team: payments}
  - keyId: 5a6b7c8d-1e2f-4a3b-8c9d-0e1f2a3b4c5d
    keySpec: ECC_NIST_P256
    keyUsage: SIGN_VERIFY
    material: |
      ` + strings.ReplaceAll(strings.TrimSpace(pemText), "\n", "\n      ") + "\n"

	fixtures, err := testharness.LoadFixtures(writeFile(t, "fixtures.yaml", yamlText))
	require.NoError(t, err)
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	require.NoError(t, json.Unmarshal(fixtures, &doc))
	require.Equal(t, pemText, doc.Keys[1]["material"], "the block scalar is the PEM text")
	// The same document through a JSON file, and under .yml.
	fromJSON, err := testharness.LoadFixtures(writeFile(t, "fixtures.json", string(fixtures)))
	require.NoError(t, err)
	require.JSONEq(t, string(fromJSON), string(fixtures))
	fromYml, err := testharness.LoadFixtures(writeFile(t, "fixtures.yml", yamlText))
	require.NoError(t, err)
	require.JSONEq(t, string(fixtures), string(fromYml))

	_, srv := startWorld(t, testharness.WorldOptions{Fixtures: fixtures})
	kms := client(srv)
	described, err := kms.DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: aws.String("alias/orders")})
	require.NoError(t, err)
	require.Equal(t, "from a YAML file", *described.KeyMetadata.Description)
	// The signing key is the file's: crypto/ecdsa verifies its signature with the file's public key.
	signed, err := kms.Sign(ctx, &kmssdk.SignInput{KeyId: aws.String("5a6b7c8d-1e2f-4a3b-8c9d-0e1f2a3b4c5d"),
		Message: []byte("m"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	require.NoError(t, err)
	digest := sha256.Sum256([]byte("m"))
	require.True(t, ecdsa.VerifyASN1(&signer.PublicKey, digest[:], signed.Signature))
}

func TestABadKeyInYAMLFailsAsInJSON(t *testing.T) {
	ctx := context.Background()
	h, err := testharness.New(ctx, testharness.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	var messages []string
	for name, text := range map[string]string{
		"bad.yaml": "keys:\n  - {}\n  - {keySpec: HMAC_256, keyUsage: GENERATE_VERIFY_MAC}\n  - material: not base64!\n",
		"bad.json": `{"keys": [{}, {"keySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC"}, {"material": "not base64!"}]}`,
	} {
		fixtures, err := testharness.LoadFixtures(writeFile(t, name, text))
		require.NoError(t, err, name)
		_, err = h.NewWorld(ctx, testharness.WorldOptions{Fixtures: fixtures})
		var refusal *testharness.CallError
		require.ErrorAs(t, err, &refusal, name)
		require.Contains(t, refusal.Message, "keys[2].material: not valid base64", name)
		messages = append(messages, refusal.Message)
	}
	require.Equal(t, messages[0], messages[1])
}

func TestLoadFixturesRefusesWhatItCannotRead(t *testing.T) {
	for name, c := range map[string]struct{ text, message string }{
		"duplicate.yaml": {"keys: []\nkeys: []\n", "not YAML: yaml: unmarshal errors:\n  line 2: mapping key \"keys\" already defined"},
		"two.yaml":       {"keys: []\n---\nkeys: []\n", "more than one YAML document"},
		"list.yml":       {"- keyId: x\n", "must hold an object"},
		"empty.yaml":     {"", "must hold an object"},
		"infinite.yaml":  {"keys: [{rotationPeriodInDays: .inf}]\n", "a value JSON cannot hold"},
		"yaml-text.json": {"keys: []\n", "not JSON"},
	} {
		_, err := testharness.LoadFixtures(writeFile(t, name, c.text))
		require.ErrorContains(t, err, c.message, name)
		require.ErrorContains(t, err, name)
	}
	// Mapping keys that YAML reads as numbers are strings, as in JSON.
	fixtures, err := testharness.LoadFixtures(writeFile(t, "numbers.yaml", "keys:\n  - tags: {1: one}\n"))
	require.NoError(t, err)
	require.JSONEq(t, `{"keys": [{"tags": {"1": "one"}}]}`, string(fixtures))
}
