// Package recipes holds the Go recipe of the README's "Recipes: the test controls": a user's test
// with testify, a client from kmstest, and the world's controls (its clock, its journal, its seed)
// through kmstest.WithWorld.
package recipes_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/kmstest"
	"github.com/wasmkms/wasmkms/testharness"
)

func TestFixtureKeyRotatesAYearOn(t *testing.T) {
	ctx := context.Background()
	var world *testharness.World
	client := kmstest.New(t,
		kmstest.WithFixturesFile("testdata/keys.yaml"), // JSON or YAML
		kmstest.WithClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)),
		kmstest.WithWorld(&world),
	)
	orders := aws.String("0f1e2d3c-4b5a-4678-9abc-def012345678") // the fixture's key ID (rotation takes no alias)
	_, err := client.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: orders})
	require.NoError(t, err)
	sealed, err := client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/orders"), Plaintext: []byte("order 42"),
		EncryptionContext: map[string]string{"order": "42"}})
	require.NoError(t, err)

	require.NoError(t, world.Clock().Advance(ctx, 365*24*time.Hour))

	rotations, err := client.ListKeyRotations(ctx, &kms.ListKeyRotationsInput{KeyId: orders})
	require.NoError(t, err)
	require.Len(t, rotations.Rotations, 1)
	require.Equal(t, types.RotationTypeAutomatic, rotations.Rotations[0].RotationType)
	opened, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: sealed.CiphertextBlob,
		EncryptionContext: map[string]string{"order": "42"}})
	require.NoError(t, err)
	require.Equal(t, "order 42", string(opened.Plaintext))

	// The journal: what the code under test asked of KMS, as the service saw it.
	calls, err := world.Calls(ctx, testharness.CallFilter{Operation: "Encrypt", KeyID: "alias/orders"})
	require.NoError(t, err)
	require.Len(t, calls, 1)
	var input struct{ EncryptionContext map[string]string }
	require.NoError(t, json.Unmarshal(calls[0].Input, &input))
	require.Equal(t, map[string]string{"order": "42"}, input.EncryptionContext)
}

func TestSeededWorldsAnswerAlike(t *testing.T) {
	ctx := context.Background()
	seal := func() (keyID string, ciphertext []byte) {
		client := kmstest.New(t, kmstest.WithSeed("orders-suite"), kmstest.WithRegion("eu-west-1"),
			kmstest.WithClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))
		key, err := client.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("orders")})
		require.NoError(t, err)
		enc, err := client.Encrypt(ctx, &kms.EncryptInput{KeyId: key.KeyMetadata.KeyId,
			Plaintext: []byte("order 42"), EncryptionContext: map[string]string{"order": "42"}})
		require.NoError(t, err)
		return *key.KeyMetadata.KeyId, enc.CiphertextBlob
	}
	keyID, ciphertext := seal()
	againID, again := seal()
	require.Equal(t, keyID, againID)
	require.Equal(t, ciphertext, again)
	// The same as the JS recipe's world with this seed gives (test/recipes/seeded-snapshot.test.mjs).
	require.Equal(t, "f2d80ac3-4c0f-4ab5-a32c-a5d142ca6e07", keyID)
}
