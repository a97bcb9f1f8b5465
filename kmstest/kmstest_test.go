package kmstest_test

// These tests are written as a user of kmstest writes theirs: testify, the SDK's client, and the
// world's controls where a test needs time to pass, a call to fail, or to see what was called.

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/kmstest"
	"github.com/wasmkms/wasmkms/testharness"
)

func TestEncryptThenDecrypt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := kmstest.New(t)

	key, err := client.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("orders")})
	require.NoError(t, err)
	enc, err := client.Encrypt(ctx, &kms.EncryptInput{
		KeyId:             key.KeyMetadata.KeyId,
		Plaintext:         []byte("card 4111"),
		EncryptionContext: map[string]string{"order": "42"},
	})
	require.NoError(t, err)
	assert.NotContains(t, string(enc.CiphertextBlob), "card 4111")

	dec, err := client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob:    enc.CiphertextBlob,
		EncryptionContext: map[string]string{"order": "42"},
	})
	require.NoError(t, err)
	assert.Equal(t, "card 4111", string(dec.Plaintext))
	assert.Equal(t, *key.KeyMetadata.Arn, *dec.KeyId)

	// Another encryption context is refused, as KMS refuses it.
	_, err = client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob:    enc.CiphertextBlob,
		EncryptionContext: map[string]string{"order": "43"},
	})
	var invalid *types.InvalidCiphertextException
	assert.ErrorAs(t, err, &invalid)
}

// Each test's world is its own: a key made in one is not in another, even while they run together.
func TestWorldsAreIsolated(t *testing.T) {
	for _, name := range []string{"a", "b", "c"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			client := kmstest.New(t)
			_, err := client.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String(name)})
			require.NoError(t, err)
			keys, err := client.ListKeys(ctx, &kms.ListKeysInput{})
			require.NoError(t, err)
			assert.Len(t, keys.Keys, 1)
		})
	}
}

func TestAccountAndRegion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := kmstest.New(t, kmstest.WithAccount("444455556666"), kmstest.WithRegion("eu-west-1"))

	key, err := client.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	assert.Equal(t, "444455556666", *key.KeyMetadata.AWSAccountId)
	assert.Regexp(t, `^arn:aws:kms:eu-west-1:444455556666:key/`, *key.KeyMetadata.Arn)
}

// A fixture key has the material the test gave it, so a ciphertext made under it in one world (or
// stored in testdata, made once) decrypts in another.
func TestFixtureKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	writer := kmstest.New(t, kmstest.WithFixturesFile("testdata/fixtures.json"))
	reader := kmstest.New(t, kmstest.WithFixturesFile("testdata/fixtures.json"))

	enc, err := writer.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/payments"), Plaintext: []byte("secret")})
	require.NoError(t, err)
	dec, err := reader.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	require.NoError(t, err)
	assert.Equal(t, "secret", string(dec.Plaintext))
	assert.Contains(t, *dec.KeyId, "key/0d5cbe1e-6d07-4a4a-9f35-6c1b1cd2a1f0")

	key, err := reader.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/payments")})
	require.NoError(t, err)
	assert.Equal(t, "the payments service's data key", *key.KeyMetadata.Description)
}

// Fixtures given as a value, and refused fixtures fail the test that asked for them.
func TestFixturesValue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := kmstest.New(t, kmstest.WithFixtures([]byte(`{"keys": [
		{"aliases": ["alias/signing"], "keySpec": "ECC_NIST_P256", "keyUsage": "SIGN_VERIFY"}
	]}`)))
	signed, err := client.Sign(ctx, &kms.SignInput{
		KeyId: aws.String("alias/signing"), Message: []byte("invoice 7"),
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	})
	require.NoError(t, err)
	verified, err := client.Verify(ctx, &kms.VerifyInput{
		KeyId: aws.String("alias/signing"), Message: []byte("invoice 7"), Signature: signed.Signature,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	})
	require.NoError(t, err)
	assert.True(t, verified.SignatureValid)
}

// The clock moves only when the test says so: a key scheduled for deletion is gone once its
// waiting period has passed, and not a moment before.
func TestScheduledDeletionHappensWhenTheClockMoves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var world *testharness.World
	start := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	client := kmstest.New(t, kmstest.WithClock(start), kmstest.WithWorld(&world))

	key, err := client.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	scheduled, err := client.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{
		KeyId: key.KeyMetadata.KeyId, PendingWindowInDays: aws.Int32(7),
	})
	require.NoError(t, err)
	assert.Equal(t, start.Add(7*24*time.Hour), *scheduled.DeletionDate)

	require.NoError(t, world.Clock().Advance(ctx, 7*24*time.Hour-time.Second))
	described, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStatePendingDeletion, described.KeyMetadata.KeyState)

	require.NoError(t, world.Clock().Advance(ctx, time.Second))
	_, err = client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId})
	var notFound *types.NotFoundException
	assert.ErrorAs(t, err, &notFound)
}

// A throttling fault on Encrypt: the SDK's standard retryer gets past two throttled attempts, and the
// world's journal shows all three. The backoff is set to zero so that the test does not wait.
func TestThrottlingIsRetriedBySDK(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var world *testharness.World
	client := kmstest.New(t, kmstest.WithWorld(&world), kmstest.WithClientOptions(func(o *kms.Options) {
		o.Retryer = retry.AddWithMaxBackoffDelay(retry.NewStandard(), 0)
	}))
	key, err := client.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)

	_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "Encrypt", Error: "ThrottlingException", Times: 2})
	require.NoError(t, err)
	enc, err := client.Encrypt(ctx, &kms.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: []byte("x")})
	require.NoError(t, err)
	assert.NotEmpty(t, enc.CiphertextBlob)

	calls, err := world.Calls(ctx, testharness.CallFilter{Operation: "Encrypt"})
	require.NoError(t, err)
	require.Len(t, calls, 3)
	assert.Equal(t, "ThrottlingException", calls[0].Error.Name)
	assert.Equal(t, "ThrottlingException", calls[1].Error.Name)
	assert.Nil(t, calls[2].Error)

	// A fault that never lets up: the retryer gives up after its 3 attempts, with KMS's error.
	_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "Decrypt", Error: "ThrottlingException"})
	require.NoError(t, err)
	_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	var maxAttempts *retry.MaxAttemptsError
	require.ErrorAs(t, err, &maxAttempts)
	assert.ErrorContains(t, err, "ThrottlingException: Rate exceeded")
	calls, err = world.Calls(ctx, testharness.CallFilter{Operation: "Decrypt"})
	require.NoError(t, err)
	assert.Len(t, calls, 3)
}

// The journal: what the code under test called, with what, and what it got.
func TestCallsShowWhatTheCodeCalled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var world *testharness.World
	client := kmstest.New(t, kmstest.WithWorld(&world))

	key, err := client.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	_, err = client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: key.KeyMetadata.KeyId, KeySpec: types.DataKeySpecAes256})
	require.NoError(t, err)
	_, err = client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String("alias/missing"), KeySpec: types.DataKeySpecAes256})
	require.Error(t, err)

	calls, err := world.Calls(ctx, testharness.CallFilter{Operation: "GenerateDataKey"})
	require.NoError(t, err)
	require.Len(t, calls, 2)
	assert.JSONEq(t, `{"KeyId": "`+*key.KeyMetadata.KeyId+`", "KeySpec": "AES_256"}`, string(calls[0].Input))
	assert.Nil(t, calls[0].Error)
	assert.Equal(t, "NotFoundException", calls[1].Error.Name)
	assert.Equal(t, "us-east-1", calls[1].Region)
}

// A seeded world answers the same on every run.
func TestSeededWorldsAreReproducible(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	keyID := func() string {
		client := kmstest.New(t, kmstest.WithSeed("checkout-tests"))
		key, err := client.CreateKey(ctx, &kms.CreateKeyInput{})
		require.NoError(t, err)
		return *key.KeyMetadata.KeyId
	}
	assert.Equal(t, keyID(), keyID())
}

// Code that takes an endpoint URL gets a server; the caller's access key ID chooses the account.
func TestServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var world *testharness.World
	endpoint := kmstest.Server(t, kmstest.WithWorld(&world))

	client := kms.New(kms.Options{
		Region:       "ap-southeast-2",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("444455556666", "secret", ""),
	})
	key, err := client.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	assert.Regexp(t, `^arn:aws:kms:ap-southeast-2:444455556666:key/`, *key.KeyMetadata.Arn)

	assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, endpoint)

	calls, err := world.Calls(ctx, testharness.CallFilter{})
	require.NoError(t, err)
	require.Len(t, calls, 1)
	assert.Equal(t, "CreateKey", calls[0].Operation)
}

// A deadline shorter than a latency fault: the SDK's call fails with the context's error, as it
// would on a slow network, and the world's clock is untouched (it is on real time).
func TestLatencyFaultAndDeadline(t *testing.T) {
	t.Parallel()
	var world *testharness.World
	client := kmstest.New(t, kmstest.WithWorld(&world))
	_, err := world.Faults().Add(context.Background(), testharness.Fault{Operation: "ListKeys", Latency: time.Minute})
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = client.ListKeys(ctx, &kms.ListKeysInput{})
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
}
