package testharness

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// TestAttestedDecryptWithRealSDK: an enclave's code path through aws-sdk-go-v2, with a test
// attestation document from the world and a key policy that admits only that enclave's image.
func TestAttestedDecryptWithRealSDK(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, newHarness(t), kms.Options{Clock: "2030-06-01T00:00:00Z"})
	client := sdkClient(serveWorld(t, w), "AKIDEXAMPLE", "us-east-1")

	enclave, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	spki, err := x509.MarshalPKIXPublicKey(&enclave.PublicKey)
	require.NoError(t, err)
	image := make([]byte, 48)
	image[0] = 0x42
	doc, err := w.AttestationDocument(ctx, Attestation{PublicKey: spki, PCRs: map[int][]byte{0: image}})
	require.NoError(t, err)

	policy := `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Encrypt","kms:DescribeKey","kms:PutKeyPolicy"],"Resource":"*"},
	 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:Decrypt","Resource":"*",
	  "Condition":{"StringEqualsIgnoreCase":{"kms:RecipientAttestation:ImageSha384":"42` + strings.Repeat("00", 47) + `"}}}]}`
	created, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{Policy: aws.String(policy)})
	require.NoError(t, err)
	enc, err := client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: created.KeyMetadata.KeyId, Plaintext: []byte("enclave secret")})
	require.NoError(t, err)

	out, err := client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: enc.CiphertextBlob,
		Recipient: &types.RecipientInfo{KeyEncryptionAlgorithm: types.KeyEncryptionMechanismRsaesOaepSha256, AttestationDocument: doc}})
	require.NoError(t, err)
	require.Empty(t, out.Plaintext)
	require.NotEmpty(t, out.CiphertextForRecipient)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(enclave)
	require.NoError(t, err)
	plain, err := w.OpenForRecipient(ctx, pkcs8, out.CiphertextForRecipient)
	require.NoError(t, err)
	require.Equal(t, "enclave secret", string(plain))

	_, err = client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "AccessDeniedException", apiErr.ErrorCode(), "without the attested Recipient, the policy denies Decrypt")
}
