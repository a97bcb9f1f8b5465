package testharness

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"testing"

	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// Sign through the real aws-sdk-go-v2 client against the module, verify offline with Go's standard
// library and the public key from GetPublicKey (x509.ParsePKIXPublicKey), as a Go user of KMS does:
// ECDSA_SHA_256 on P-256 (DER, ecdsa.VerifyASN1), RSASSA_PSS_SHA_256 (salt length 32), pure Ed25519.
// A changed signature makes Verify answer the SDK's *types.KMSInvalidSignatureException.
func TestSignInteropWithGoCrypto(t *testing.T) {
	ctx := context.Background()
	client := sdkClient(serveWorld(t, newWorld(t, newHarness(t), kms.Options{})), "AKIDEXAMPLE", "us-east-1")

	message := []byte("signed by wasmkms, verified by the Go standard library")
	digest := sha256.Sum256(message)

	cases := []struct {
		spec      types.KeySpec
		algorithm types.SigningAlgorithmSpec
		verify    func(t *testing.T, pub any, message, signature []byte) bool
	}{
		{types.KeySpecEccNistP256, types.SigningAlgorithmSpecEcdsaSha256, func(t *testing.T, pub any, message, signature []byte) bool {
			key, ok := pub.(*ecdsa.PublicKey)
			require.True(t, ok, "%T is not an ECDSA key", pub)
			require.Equal(t, "P-256", key.Curve.Params().Name)
			d := sha256.Sum256(message)
			return ecdsa.VerifyASN1(key, d[:], signature)
		}},
		{types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPssSha256, func(t *testing.T, pub any, message, signature []byte) bool {
			key, ok := pub.(*rsa.PublicKey)
			require.True(t, ok, "%T is not an RSA key", pub)
			require.Equal(t, 2048, key.N.BitLen())
			d := sha256.Sum256(message)
			return rsa.VerifyPSS(key, crypto.SHA256, d[:], signature, &rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256}) == nil
		}},
		{types.KeySpecEccNistEdwards25519, types.SigningAlgorithmSpecEd25519Sha512, func(t *testing.T, pub any, message, signature []byte) bool {
			key, ok := pub.(ed25519.PublicKey)
			require.True(t, ok, "%T is not an Ed25519 key", pub)
			return ed25519.Verify(key, message, signature)
		}},
	}

	for _, tc := range cases {
		t.Run(string(tc.algorithm), func(t *testing.T) {
			created, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{KeySpec: tc.spec, KeyUsage: types.KeyUsageTypeSignVerify})
			require.NoError(t, err)
			keyID := created.KeyMetadata.KeyId
			require.Contains(t, created.KeyMetadata.SigningAlgorithms, tc.algorithm)

			got, err := client.GetPublicKey(ctx, &kmssdk.GetPublicKeyInput{KeyId: keyID})
			require.NoError(t, err)
			require.Equal(t, tc.spec, got.KeySpec)
			pub, err := x509.ParsePKIXPublicKey(got.PublicKey)
			require.NoError(t, err)

			messageTypes := []types.MessageType{types.MessageTypeRaw}
			if tc.algorithm != types.SigningAlgorithmSpecEd25519Sha512 {
				messageTypes = append(messageTypes, types.MessageTypeDigest) // the SHA-256 of the same message
			}
			for _, messageType := range messageTypes {
				input := message
				if messageType == types.MessageTypeDigest {
					input = digest[:]
				}
				signed, err := client.Sign(ctx, &kmssdk.SignInput{KeyId: keyID, Message: input, MessageType: messageType,
					SigningAlgorithm: tc.algorithm})
				require.NoError(t, err)
				require.Equal(t, tc.algorithm, signed.SigningAlgorithm)
				require.Equal(t, created.KeyMetadata.Arn, signed.KeyId)
				require.True(t, tc.verify(t, pub, message, signed.Signature), "Go's crypto rejects the %s %s signature", tc.algorithm, messageType)

				verified, err := client.Verify(ctx, &kmssdk.VerifyInput{KeyId: keyID, Message: input, MessageType: messageType,
					Signature: signed.Signature, SigningAlgorithm: tc.algorithm})
				require.NoError(t, err)
				require.True(t, verified.SignatureValid)

				changed := append([]byte(nil), signed.Signature...)
				changed[len(changed)/2] ^= 0x01
				require.False(t, tc.verify(t, pub, message, changed), "Go's crypto accepts a changed signature")
				_, err = client.Verify(ctx, &kmssdk.VerifyInput{KeyId: keyID, Message: input, MessageType: messageType,
					Signature: changed, SigningAlgorithm: tc.algorithm})
				var invalid *types.KMSInvalidSignatureException
				require.True(t, errors.As(err, &invalid), "Verify of a changed signature: %v", err)
				require.Equal(t, "KMSInvalidSignatureException", invalid.ErrorCode())
			}
		})
	}

	// Another key's signature does not verify either (the key named by ARN).
	a, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
	require.NoError(t, err)
	b, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
	require.NoError(t, err)
	signed, err := client.Sign(ctx, &kmssdk.SignInput{KeyId: a.KeyMetadata.KeyId, Message: message,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	require.NoError(t, err)
	_, err = client.Verify(ctx, &kmssdk.VerifyInput{KeyId: b.KeyMetadata.Arn, Message: message,
		Signature: signed.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	var invalid *types.KMSInvalidSignatureException
	require.ErrorAs(t, err, &invalid)
}
