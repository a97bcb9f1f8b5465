package testharness

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"hash"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// Key import (BYOK) through the real aws-sdk-go-v2 client against the module, as a Go user of KMS does it:
// GetParametersForImport, the wrapping public key read by x509.ParsePKIXPublicKey, the material wrapped
// by Go's rsa.EncryptOAEP (no wasmkms code on the user's side), ImportKeyMaterial, then Encrypt/Decrypt
// with the imported material. Refusals come back as the SDK's own error types.

// importWrapped runs GetParametersForImport and ImportKeyMaterial for symmetric material, wrapping it
// with Go's crypto/rsa; extra, when set, edits the ImportKeyMaterial input before it is sent.
func importWrapped(ctx context.Context, t *testing.T, client *kmssdk.Client, keyID *string, algorithm types.AlgorithmSpec,
	spec types.WrappingKeySpec, material []byte, extra func(*kmssdk.ImportKeyMaterialInput)) (*kmssdk.ImportKeyMaterialOutput, error) {
	t.Helper()
	params, err := client.GetParametersForImport(ctx, &kmssdk.GetParametersForImportInput{KeyId: keyID,
		WrappingAlgorithm: algorithm, WrappingKeySpec: spec})
	require.NoError(t, err)
	pub, err := x509.ParsePKIXPublicKey(params.PublicKey)
	require.NoError(t, err)
	rsaPub, ok := pub.(*rsa.PublicKey)
	require.True(t, ok, "the wrapping key is a %T", pub)
	var h hash.Hash
	switch algorithm {
	case types.AlgorithmSpecRsaesOaepSha1:
		h = sha1.New()
	case types.AlgorithmSpecRsaesOaepSha256:
		h = sha256.New()
	default:
		t.Fatalf("importWrapped wraps with RSAES-OAEP only, not %s", algorithm)
	}
	wrapped, err := rsa.EncryptOAEP(h, rand.Reader, rsaPub, material, nil)
	require.NoError(t, err)
	input := &kmssdk.ImportKeyMaterialInput{KeyId: keyID, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped,
		ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire}
	if extra != nil {
		extra(input)
	}
	return client.ImportKeyMaterial(ctx, input)
}

func TestImportInteropWithGoCrypto(t *testing.T) {
	ctx := context.Background()
	client := sdkClient(serveWorld(t, newWorld(t, newHarness(t), kms.Options{})), "AKIDEXAMPLE", "us-east-1")

	cases := []struct {
		algorithm types.AlgorithmSpec
		spec      types.WrappingKeySpec
		bits      int
	}{
		{types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa4096, 4096},
		{types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa2048, 2048},
		{types.AlgorithmSpecRsaesOaepSha1, types.WrappingKeySpecRsa3072, 3072},
	}
	for _, tc := range cases {
		t.Run(string(tc.algorithm)+"/"+string(tc.spec), func(t *testing.T) {
			created, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{Origin: types.OriginTypeExternal})
			require.NoError(t, err)
			keyID := created.KeyMetadata.KeyId
			require.Equal(t, types.KeyStatePendingImport, created.KeyMetadata.KeyState)
			require.Equal(t, types.OriginTypeExternal, created.KeyMetadata.Origin)

			params, err := client.GetParametersForImport(ctx, &kmssdk.GetParametersForImportInput{KeyId: keyID,
				WrappingAlgorithm: tc.algorithm, WrappingKeySpec: tc.spec})
			require.NoError(t, err)
			require.Equal(t, created.KeyMetadata.Arn, params.KeyId)
			require.NotEmpty(t, params.ImportToken)
			require.NotNil(t, params.ParametersValidTo)
			require.WithinDuration(t, time.Now().Add(24*time.Hour), *params.ParametersValidTo, time.Minute)
			pub, err := x509.ParsePKIXPublicKey(params.PublicKey)
			require.NoError(t, err)
			rsaPub, ok := pub.(*rsa.PublicKey)
			require.True(t, ok, "the wrapping key is a %T", pub)
			require.Equal(t, tc.bits, rsaPub.N.BitLen())

			material := make([]byte, 32)
			_, _ = rand.Read(material)
			h := sha256.New()
			if tc.algorithm == types.AlgorithmSpecRsaesOaepSha1 {
				h = sha1.New()
			}
			wrapped, err := rsa.EncryptOAEP(h, rand.Reader, rsaPub, material, nil)
			require.NoError(t, err)
			imported, err := client.ImportKeyMaterial(ctx, &kmssdk.ImportKeyMaterialInput{KeyId: keyID,
				ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped,
				ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
			require.NoError(t, err)
			require.Equal(t, created.KeyMetadata.Arn, imported.KeyId)
			require.Regexp(t, `^[0-9a-f]{64}$`, aws.ToString(imported.KeyMaterialId))

			described, err := client.DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: keyID})
			require.NoError(t, err)
			md := described.KeyMetadata
			require.Equal(t, types.KeyStateEnabled, md.KeyState)
			require.True(t, md.Enabled)
			require.Equal(t, types.OriginTypeExternal, md.Origin)
			require.Equal(t, types.ExpirationModelTypeKeyMaterialDoesNotExpire, md.ExpirationModel)
			require.Nil(t, md.ValidTo)
			require.Equal(t, aws.ToString(imported.KeyMaterialId), aws.ToString(md.CurrentKeyMaterialId))

			plaintext := []byte("encrypted under key material wrapped by Go's crypto/rsa")
			context := map[string]string{"purpose": "byok"}
			enc, err := client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: keyID, Plaintext: plaintext, EncryptionContext: context})
			require.NoError(t, err)
			require.Equal(t, created.KeyMetadata.Arn, enc.KeyId)
			dec, err := client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context})
			require.NoError(t, err)
			require.Equal(t, plaintext, dec.Plaintext)
			require.Equal(t, created.KeyMetadata.Arn, dec.KeyId)
			require.Equal(t, types.EncryptionAlgorithmSpecSymmetricDefault, dec.EncryptionAlgorithm)
			require.Equal(t, aws.ToString(imported.KeyMaterialId), aws.ToString(dec.KeyMaterialId))
		})
	}
}

// The refusals a Go user meets, as the SDK's error types: another call's import token, different
// material as EXISTING_KEY_MATERIAL, and Encrypt/Decrypt after DeleteImportedKeyMaterial; then the
// same material imported again brings the key and its blobs back.
func TestImportInteropRefusals(t *testing.T) {
	ctx := context.Background()
	client := sdkClient(serveWorld(t, newWorld(t, newHarness(t), kms.Options{})), "AKIDEXAMPLE", "us-east-1")
	newExternal := func() *types.KeyMetadata {
		created, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{Origin: types.OriginTypeExternal})
		require.NoError(t, err)
		return created.KeyMetadata
	}
	key, other := newExternal(), newExternal()
	material := make([]byte, 32)
	_, _ = rand.Read(material)

	// Another key's import token (the material wrapped under that call's public key).
	foreign, err := client.GetParametersForImport(ctx, &kmssdk.GetParametersForImportInput{KeyId: other.KeyId,
		WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256, WrappingKeySpec: types.WrappingKeySpecRsa2048})
	require.NoError(t, err)
	foreignPub, err := x509.ParsePKIXPublicKey(foreign.PublicKey)
	require.NoError(t, err)
	wrapped, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, foreignPub.(*rsa.PublicKey), material, nil)
	require.NoError(t, err)
	_, err = client.ImportKeyMaterial(ctx, &kmssdk.ImportKeyMaterialInput{KeyId: key.KeyId, ImportToken: foreign.ImportToken,
		EncryptedKeyMaterial: wrapped, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
	var badToken *types.InvalidImportTokenException
	require.True(t, errors.As(err, &badToken), "another key's import token: %v", err)
	require.Equal(t, "InvalidImportTokenException", badToken.ErrorCode())
	require.Equal(t, "The import token is invalid or is associated with a different KMS key.", badToken.ErrorMessage())

	// The key's own import, then different material as EXISTING_KEY_MATERIAL.
	imported, err := importWrapped(ctx, t, client, key.KeyId, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa4096, material, nil)
	require.NoError(t, err)
	otherMaterial := make([]byte, 32)
	_, _ = rand.Read(otherMaterial)
	_, err = importWrapped(ctx, t, client, key.KeyId, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa4096, otherMaterial,
		func(in *kmssdk.ImportKeyMaterialInput) { in.ImportType = types.ImportTypeExistingKeyMaterial })
	var incorrect *types.IncorrectKeyMaterialException
	require.True(t, errors.As(err, &incorrect), "different material as EXISTING_KEY_MATERIAL: %v", err)
	require.Equal(t, "IncorrectKeyMaterialException", incorrect.ErrorCode())

	enc, err := client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: key.KeyId, Plaintext: []byte("kept")})
	require.NoError(t, err)

	deleted, err := client.DeleteImportedKeyMaterial(ctx, &kmssdk.DeleteImportedKeyMaterialInput{KeyId: key.KeyId})
	require.NoError(t, err)
	require.Equal(t, aws.ToString(imported.KeyMaterialId), aws.ToString(deleted.KeyMaterialId))
	_, err = client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: key.KeyId, Plaintext: []byte("no material")})
	var invalidState *types.KMSInvalidStateException
	require.True(t, errors.As(err, &invalidState), "Encrypt after DeleteImportedKeyMaterial: %v", err)
	require.Equal(t, aws.ToString(key.Arn)+" is pending import.", invalidState.ErrorMessage())
	_, err = client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	require.True(t, errors.As(err, &invalidState), "Decrypt after DeleteImportedKeyMaterial: %v", err)

	_, err = importWrapped(ctx, t, client, key.KeyId, types.AlgorithmSpecRsaesOaepSha1, types.WrappingKeySpecRsa2048, material, nil)
	require.NoError(t, err)
	dec, err := client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	require.NoError(t, err)
	require.Equal(t, []byte("kept"), dec.Plaintext)
}

// Imported material with ExpirationModel KEY_MATERIAL_EXPIRES, on a world with a manual clock
// (kms.Options.Clock): usable until the clock passes ValidTo (moved by the WasmKMS.AdvanceClock
// administration target), then the key is PendingImport and Encrypt is KMSInvalidStateException.
func TestImportInteropMaterialExpires(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	world := newWorld(t, newHarness(t), kms.Options{Clock: start.Format(time.RFC3339)})
	client := sdkClient(serveWorld(t, world), "AKIDEXAMPLE", "us-east-1")

	created, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{Origin: types.OriginTypeExternal})
	require.NoError(t, err)
	keyID := created.KeyMetadata.KeyId
	material := make([]byte, 32)
	_, _ = rand.Read(material)
	validTo := start.Add(10 * time.Minute)
	_, err = importWrapped(ctx, t, client, keyID, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa4096, material,
		func(in *kmssdk.ImportKeyMaterialInput) {
			in.ExpirationModel = types.ExpirationModelTypeKeyMaterialExpires
			in.ValidTo = aws.Time(validTo)
		})
	require.NoError(t, err)
	described, err := client.DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: keyID})
	require.NoError(t, err)
	require.Equal(t, types.KeyStateEnabled, described.KeyMetadata.KeyState)
	require.Equal(t, types.ExpirationModelTypeKeyMaterialExpires, described.KeyMetadata.ExpirationModel)
	require.NotNil(t, described.KeyMetadata.ValidTo)
	require.True(t, validTo.Equal(*described.KeyMetadata.ValidTo), "ValidTo %v", described.KeyMetadata.ValidTo)

	advance := func(d time.Duration) {
		t.Helper()
		status, body, err := world.Call(ctx, kms.Caller{}, "WasmKMS.AdvanceClock", fmt.Appendf(nil, `{"ms":%d}`, d.Milliseconds()))
		require.NoError(t, err)
		require.Equal(t, 200, status, string(body))
	}

	advance(10*time.Minute - time.Second)
	enc, err := client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: keyID, Plaintext: []byte("before ValidTo")})
	require.NoError(t, err)

	advance(time.Second)
	described, err = client.DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: keyID})
	require.NoError(t, err)
	require.Equal(t, types.KeyStatePendingImport, described.KeyMetadata.KeyState)
	_, err = client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: keyID, Plaintext: []byte("after ValidTo")})
	var invalidState *types.KMSInvalidStateException
	require.True(t, errors.As(err, &invalidState), "Encrypt after ValidTo: %v", err)
	require.Equal(t, aws.ToString(created.KeyMetadata.Arn)+" is pending import.", invalidState.ErrorMessage())

	// The same material imported again (now without expiry) opens the blob made before ValidTo.
	_, err = importWrapped(ctx, t, client, keyID, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa4096, material, nil)
	require.NoError(t, err)
	dec, err := client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	require.NoError(t, err)
	require.Equal(t, []byte("before ValidTo"), dec.Plaintext)
}
