package testharness_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/testharness"
)

// The world's controls (clock, faults, calls, snapshots, fixtures) as a user's test drives them:
// through testharness's Go API, with the real aws-sdk-go-v2 client on the wire.

// startWorld makes a world with opts and an endpoint serving it, both gone when the test ends.
func startWorld(t *testing.T, opts testharness.WorldOptions) (*testharness.World, *testharness.Server) {
	t.Helper()
	ctx := context.Background()
	h, err := testharness.New(ctx, testharness.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	world, err := h.NewWorld(ctx, opts)
	require.NoError(t, err)
	srv, err := testharness.NewServer(world)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return world, srv
}

// client is the SDK's KMS client for srv with the SDK's defaults (the standard retryer, 3 attempts)
// unless opts say otherwise.
func client(srv *testharness.Server, opts ...func(*kmssdk.Options)) *kmssdk.Client {
	return kmssdk.New(kmssdk.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	}, opts...)
}

func TestSeededWorldsAnswerTheSameTwice(t *testing.T) {
	ctx := context.Background()
	run := func() (keyID string, blob, dataKey, random []byte) {
		_, srv := startWorld(t, testharness.WorldOptions{Seed: "same answers",
			Clock: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
		kms := client(srv)
		key, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{})
		require.NoError(t, err)
		enc, err := kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: []byte("hello")})
		require.NoError(t, err)
		dk, err := kms.GenerateDataKey(ctx, &kmssdk.GenerateDataKeyInput{KeyId: key.KeyMetadata.KeyId,
			KeySpec: types.DataKeySpecAes256})
		require.NoError(t, err)
		rnd, err := kms.GenerateRandom(ctx, &kmssdk.GenerateRandomInput{NumberOfBytes: aws.Int32(32)})
		require.NoError(t, err)
		return *key.KeyMetadata.KeyId, enc.CiphertextBlob, dk.Plaintext, rnd.Plaintext
	}
	id1, blob1, dk1, rnd1 := run()
	id2, blob2, dk2, rnd2 := run()
	require.Equal(t, id1, id2)
	require.Equal(t, blob1, blob2)
	require.Equal(t, dk1, dk2)
	require.Equal(t, rnd1, rnd2)

	_, srv := startWorld(t, testharness.WorldOptions{Seed: "another seed"})
	other, err := client(srv).CreateKey(ctx, &kmssdk.CreateKeyInput{})
	require.NoError(t, err)
	require.NotEqual(t, id1, *other.KeyMetadata.KeyId)
}

func TestClockMovedAYearRotatesAKey(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	world, srv := startWorld(t, testharness.WorldOptions{Clock: start})
	kms := client(srv)

	now, err := world.Clock().Now(ctx)
	require.NoError(t, err)
	require.Equal(t, start, now)
	manual, err := world.Clock().Manual(ctx)
	require.NoError(t, err)
	require.True(t, manual)

	key, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	require.NoError(t, err)
	keyID := key.KeyMetadata.KeyId
	require.Equal(t, start, *key.KeyMetadata.CreationDate)
	_, err = kms.EnableKeyRotation(ctx, &kmssdk.EnableKeyRotationInput{KeyId: keyID})
	require.NoError(t, err)
	status, err := kms.GetKeyRotationStatus(ctx, &kmssdk.GetKeyRotationStatusInput{KeyId: keyID})
	require.NoError(t, err)
	require.Equal(t, start.AddDate(0, 0, 365), *status.NextRotationDate)
	blob, err := kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: keyID, Plaintext: []byte("from before")})
	require.NoError(t, err)

	require.NoError(t, world.Clock().Advance(ctx, 364*24*time.Hour))
	rotations, err := kms.ListKeyRotations(ctx, &kmssdk.ListKeyRotationsInput{KeyId: keyID})
	require.NoError(t, err)
	require.Empty(t, rotations.Rotations)

	require.NoError(t, world.Clock().Advance(ctx, 24*time.Hour))
	rotations, err = kms.ListKeyRotations(ctx, &kmssdk.ListKeyRotationsInput{KeyId: keyID})
	require.NoError(t, err)
	require.Len(t, rotations.Rotations, 1)
	require.Equal(t, types.RotationTypeAutomatic, rotations.Rotations[0].RotationType)
	require.Equal(t, start.AddDate(0, 0, 365), *rotations.Rotations[0].RotationDate)
	status, err = kms.GetKeyRotationStatus(ctx, &kmssdk.GetKeyRotationStatusInput{KeyId: keyID})
	require.NoError(t, err)
	require.Equal(t, start.AddDate(0, 0, 730), *status.NextRotationDate)
	// The old material still decrypts what it encrypted.
	dec, err := kms.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: blob.CiphertextBlob})
	require.NoError(t, err)
	require.Equal(t, "from before", string(dec.Plaintext))

	// Set moves it to a given time, forwards only.
	later := start.AddDate(2, 0, 0)
	require.NoError(t, world.Clock().Set(ctx, later))
	now, err = world.Clock().Now(ctx)
	require.NoError(t, err)
	require.Equal(t, later, now)
	var refusal *testharness.CallError
	require.ErrorAs(t, world.Clock().Set(ctx, start), &refusal)
	require.Equal(t, "ValidationException", refusal.Name)
	require.ErrorAs(t, world.Clock().Advance(ctx, -time.Second), &refusal)
}

func TestClockMovedPastTheWindowDeletesAKey(t *testing.T) {
	ctx := context.Background()
	world, srv := startWorld(t, testharness.WorldOptions{Clock: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	kms := client(srv)
	key, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	require.NoError(t, err)
	_, err = kms.ScheduleKeyDeletion(ctx, &kmssdk.ScheduleKeyDeletionInput{KeyId: key.KeyMetadata.KeyId,
		PendingWindowInDays: aws.Int32(7)})
	require.NoError(t, err)

	require.NoError(t, world.Clock().Advance(ctx, 7*24*time.Hour))
	_, err = kms.DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId})
	var notFound *types.NotFoundException
	require.ErrorAs(t, err, &notFound)
}

func TestThrottlingFaultIsRetriedByTheStandardRetryer(t *testing.T) {
	ctx := context.Background()
	world, srv := startWorld(t, testharness.WorldOptions{})
	kms := client(srv) // the SDK's defaults: the standard retryer, at most 3 attempts
	key, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	require.NoError(t, err)

	_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "Encrypt", Error: "ThrottlingException", Times: 2})
	require.NoError(t, err)
	out, err := kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: []byte("hello")})
	require.NoError(t, err)

	attempts, ok := retry.GetAttemptResults(out.ResultMetadata)
	require.True(t, ok)
	require.Len(t, attempts.Results, 3)
	for _, attempt := range attempts.Results[:2] {
		var apiErr smithy.APIError // KMS's model has no ThrottlingException type: the SDK's generic error
		require.ErrorAs(t, attempt.Err, &apiErr)
		require.Equal(t, "ThrottlingException", apiErr.ErrorCode())
		require.Equal(t, "Rate exceeded", apiErr.ErrorMessage())
		require.True(t, attempt.Retryable)
	}
	require.NoError(t, attempts.Results[2].Err)

	// The journal saw the three attempts; the fault is used up.
	calls, err := world.Calls(ctx, testharness.CallFilter{Operation: "Encrypt"})
	require.NoError(t, err)
	require.Len(t, calls, 3)
	require.Equal(t, &testharness.CallError{Name: "ThrottlingException", Message: "Rate exceeded"}, calls[0].Error)
	require.Equal(t, &testharness.CallError{Name: "ThrottlingException", Message: "Rate exceeded"}, calls[1].Error)
	require.Nil(t, calls[2].Error)
	faults, err := world.Faults().List(ctx)
	require.NoError(t, err)
	require.Empty(t, faults)

	// Three faults in a row are more than the retryer's attempts: the SDK gives up with the error.
	_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "Encrypt", Error: "ThrottlingException", Times: 3})
	require.NoError(t, err)
	_, err = kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: []byte("hello")})
	var maxAttempts *retry.MaxAttemptsError
	require.ErrorAs(t, err, &maxAttempts)
	require.Equal(t, 3, maxAttempts.Attempt)
}

func TestFaultsMatchAndGo(t *testing.T) {
	ctx := context.Background()
	world, srv := startWorld(t, testharness.WorldOptions{})
	kms := client(srv, func(o *kmssdk.Options) { o.RetryMaxAttempts = 1 })
	a, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	require.NoError(t, err)
	b, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	require.NoError(t, err)
	_, err = kms.CreateAlias(ctx, &kmssdk.CreateAliasInput{AliasName: aws.String("alias/a"), TargetKeyId: a.KeyMetadata.KeyId})
	require.NoError(t, err)

	fault, err := world.Faults().Add(ctx, testharness.Fault{KeyID: "alias/a", Error: "KMSInternalException",
		Message: "the HSM is on fire"})
	require.NoError(t, err)
	_, err = kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: a.KeyMetadata.Arn, Plaintext: []byte("x")})
	var internal *types.KMSInternalException
	require.ErrorAs(t, err, &internal)
	require.Equal(t, "the HSM is on fire", internal.ErrorMessage())
	_, err = kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: b.KeyMetadata.KeyId, Plaintext: []byte("x")})
	require.NoError(t, err, "the fault names another key")

	listed, err := world.Faults().List(ctx)
	require.NoError(t, err)
	require.Equal(t, []testharness.Fault{{ID: fault.ID, KeyID: "alias/a", Error: "KMSInternalException",
		Message: "the HSM is on fire"}}, listed)
	require.NoError(t, fault.Remove(ctx))
	_, err = kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: a.KeyMetadata.KeyId, Plaintext: []byte("x")})
	require.NoError(t, err)

	_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "DescribeKey", Error: "DependencyTimeoutException"})
	require.NoError(t, err)
	require.NoError(t, world.Faults().Clear(ctx))
	_, err = kms.DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: a.KeyMetadata.KeyId})
	require.NoError(t, err)

	var refusal *testharness.CallError
	_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "Encrypt"})
	require.ErrorAs(t, err, &refusal, "a fault with neither error nor latency")
	_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "Encrypt", Error: "NoSuchException"})
	require.ErrorAs(t, err, &refusal)
	_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "Encrypts", Error: "ThrottlingException"})
	require.ErrorAs(t, err, &refusal)
}

func TestLatencyFaultsDelayTheEndpoint(t *testing.T) {
	ctx := context.Background()

	t.Run("real time: the answer waits", func(t *testing.T) {
		world, srv := startWorld(t, testharness.WorldOptions{})
		kms := client(srv)
		_, err := world.Faults().Add(ctx, testharness.Fault{Operation: "ListKeys", Latency: 300 * time.Millisecond, Times: 1})
		require.NoError(t, err)
		began := time.Now()
		_, err = kms.ListKeys(ctx, &kmssdk.ListKeysInput{})
		require.NoError(t, err)
		require.GreaterOrEqual(t, time.Since(began), 300*time.Millisecond)
		began = time.Now()
		_, err = kms.ListKeys(ctx, &kmssdk.ListKeysInput{})
		require.NoError(t, err)
		require.Less(t, time.Since(began), 300*time.Millisecond, "the fault acted once")
	})

	t.Run("manual clock: the world's time moves instead", func(t *testing.T) {
		start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		world, srv := startWorld(t, testharness.WorldOptions{Clock: start})
		kms := client(srv)
		_, err := world.Faults().Add(ctx, testharness.Fault{Operation: "ListKeys", Latency: time.Hour})
		require.NoError(t, err)
		began := time.Now()
		_, err = kms.ListKeys(ctx, &kmssdk.ListKeysInput{})
		require.NoError(t, err)
		require.Less(t, time.Since(began), 10*time.Second)
		now, err := world.Clock().Now(ctx)
		require.NoError(t, err)
		require.Equal(t, start.Add(time.Hour), now)
		// A latency fault with an error: the error comes after the latency.
		_, err = world.Faults().Add(ctx, testharness.Fault{Operation: "CreateKey", Error: "ThrottlingException",
			Latency: time.Minute, Times: 1})
		require.NoError(t, err)
		_, err = client(srv, func(o *kmssdk.Options) { o.RetryMaxAttempts = 1 }).CreateKey(ctx, &kmssdk.CreateKeyInput{})
		var apiErr smithy.APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, "ThrottlingException", apiErr.ErrorCode())
		now, err = world.Clock().Now(ctx)
		require.NoError(t, err)
		require.Equal(t, start.Add(time.Hour+time.Minute), now)
		// World.Call itself never waits: what it owes is there to take.
		_, _, err = world.Call(ctx, testharness.Caller{}, "TrentService.ListKeys", []byte(`{}`))
		require.NoError(t, err)
		owed, err := world.TakeLatency(ctx)
		require.NoError(t, err)
		require.Equal(t, time.Hour, owed)
	})
}

func TestCallsRecordAnEncryptsContext(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	world, srv := startWorld(t, testharness.WorldOptions{Clock: start})
	kms := client(srv)
	key, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	require.NoError(t, err)
	out, err := kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: []byte("hello"),
		EncryptionContext: map[string]string{"tenant": "acme", "purpose": "test"}})
	require.NoError(t, err)
	_, err = kms.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: out.CiphertextBlob})
	require.Error(t, err, "the context is missing")

	calls, err := world.Calls(ctx, testharness.CallFilter{Operation: "Encrypt"})
	require.NoError(t, err)
	require.Len(t, calls, 1)
	call := calls[0]
	var input struct {
		KeyId             string
		EncryptionContext map[string]string
	}
	require.NoError(t, json.Unmarshal(call.Input, &input))
	require.Equal(t, map[string]string{"tenant": "acme", "purpose": "test"}, input.EncryptionContext)
	require.Equal(t, *key.KeyMetadata.KeyId, input.KeyId)
	require.Equal(t, start, call.Time)
	require.Equal(t, "111122223333", call.Account)
	require.Equal(t, "us-east-1", call.Region)
	require.Nil(t, call.Error)
	var output struct{ KeyId string }
	require.NoError(t, json.Unmarshal(call.Output, &output))
	require.Equal(t, *key.KeyMetadata.Arn, output.KeyId)
	requestID, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	require.True(t, ok)
	require.Equal(t, requestID, call.RequestID, "the x-amzn-RequestId the SDK read is the journal's")

	byKey, err := world.Calls(ctx, testharness.CallFilter{KeyID: *key.KeyMetadata.Arn})
	require.NoError(t, err)
	require.Len(t, byKey, 1, "Encrypt named the key; CreateKey and Decrypt did not")
	failed, err := world.Calls(ctx, testharness.CallFilter{Operation: "Decrypt"})
	require.NoError(t, err)
	require.Len(t, failed, 1)
	require.Equal(t, "InvalidCiphertextException", failed[0].Error.Name)
	require.Nil(t, failed[0].Output)
	none, err := world.Calls(ctx, testharness.CallFilter{Region: "eu-west-1"})
	require.NoError(t, err)
	require.Empty(t, none)

	require.NoError(t, world.ClearCalls(ctx))
	calls, err = world.Calls(ctx, testharness.CallFilter{})
	require.NoError(t, err)
	require.Empty(t, calls)
}

func TestSnapshotAndRestore(t *testing.T) {
	ctx := context.Background()
	world, srv := startWorld(t, testharness.WorldOptions{})
	kms := client(srv)
	kept, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{Description: aws.String("kept")})
	require.NoError(t, err)
	blob, err := kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: kept.KeyMetadata.KeyId, Plaintext: []byte("kept")})
	require.NoError(t, err)
	snapshot, err := world.Snapshot(ctx)
	require.NoError(t, err)
	require.True(t, json.Valid(snapshot))

	_, err = kms.CreateKey(ctx, &kmssdk.CreateKeyInput{Description: aws.String("dropped")})
	require.NoError(t, err)
	_, err = kms.DisableKey(ctx, &kmssdk.DisableKeyInput{KeyId: kept.KeyMetadata.KeyId})
	require.NoError(t, err)

	require.NoError(t, world.Restore(ctx, snapshot))
	keys, err := kms.ListKeys(ctx, &kmssdk.ListKeysInput{})
	require.NoError(t, err)
	require.Len(t, keys.Keys, 1)
	require.Equal(t, *kept.KeyMetadata.KeyId, *keys.Keys[0].KeyId)
	dec, err := kms.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: blob.CiphertextBlob})
	require.NoError(t, err, "the key is enabled again, with its material")
	require.Equal(t, "kept", string(dec.Plaintext))

	// Another world (here another instance) restored from it holds the same key.
	other, otherSrv := startWorld(t, testharness.WorldOptions{})
	require.NoError(t, other.Restore(ctx, snapshot))
	dec, err = client(otherSrv).Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: blob.CiphertextBlob})
	require.NoError(t, err)
	require.Equal(t, "kept", string(dec.Plaintext))

	var refusal *testharness.CallError
	require.ErrorAs(t, world.Restore(ctx, []byte(`{"version": 99}`)), &refusal)
}

func TestLoadFixturesReadsAJSONFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fixtures.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"keys": []}`), 0o600))
	fixtures, err := testharness.LoadFixtures(path)
	require.NoError(t, err)
	require.JSONEq(t, `{"keys": []}`, string(fixtures))

	require.NoError(t, os.WriteFile(path, []byte("keys:\n  - {}\n"), 0o600))
	_, err = testharness.LoadFixtures(path)
	require.ErrorContains(t, err, "not JSON")
	_, err = testharness.LoadFixtures(filepath.Join(dir, "missing.json"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestFixturesMakeTheWorldsKeys(t *testing.T) {
	ctx := context.Background()
	material := make([]byte, 32)
	for i := range material {
		material[i] = byte(i)
	}
	path := filepath.Join(t.TempDir(), "fixtures.json")
	doc, err := json.Marshal(map[string]any{"keys": []map[string]any{{
		"keyId":       "0f1e2d3c-4b5a-4678-9abc-def012345678",
		"description": "from the fixtures",
		"aliases":     []string{"alias/orders"},
		"tags":        map[string]string{"team": "payments"},
		"material":    base64.StdEncoding.EncodeToString(material),
	}}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, doc, 0o600))
	fixtures, err := testharness.LoadFixtures(path)
	require.NoError(t, err)

	encrypt := func() []byte {
		_, srv := startWorld(t, testharness.WorldOptions{Fixtures: fixtures})
		kms := client(srv)
		described, err := kms.DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: aws.String("alias/orders")})
		require.NoError(t, err)
		require.Equal(t, "0f1e2d3c-4b5a-4678-9abc-def012345678", *described.KeyMetadata.KeyId)
		require.Equal(t, "from the fixtures", *described.KeyMetadata.Description)
		enc, err := kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: aws.String("alias/orders"), Plaintext: []byte("order 1")})
		require.NoError(t, err)
		return enc.CiphertextBlob
	}
	// The key's material is the fixture's: another world with the same fixtures decrypts.
	blob := encrypt()
	world, srv := startWorld(t, testharness.WorldOptions{Fixtures: fixtures})
	dec, err := client(srv).Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: blob})
	require.NoError(t, err)
	require.Equal(t, "order 1", string(dec.Plaintext))

	// More fixtures into a running world; a refusal names where, and changes nothing.
	require.NoError(t, world.LoadFixtures(ctx, json.RawMessage(`{"keys": [{"aliases": ["alias/more"]}]}`)))
	var refusal *testharness.CallError
	require.ErrorAs(t, world.LoadFixtures(ctx, json.RawMessage(`{"keys": [{"aliases": ["alias/orders"]}]}`)), &refusal)
	require.Equal(t, "ValidationException", refusal.Name)
	require.Contains(t, refusal.Message, "keys[0].aliases[0]")

	h, err := testharness.New(ctx, testharness.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	_, err = h.NewWorld(ctx, testharness.WorldOptions{Fixtures: json.RawMessage(`{"keys": [{"keySpec": "RSA_2048"}]}`)})
	require.ErrorAs(t, err, &refusal, "an RSA key needs a keyUsage")
}
