package testharness_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/testharness"
)

// WorldOptions.NoJournal: the world answers as always but records no call, and Calls says so rather
// than answer an empty journal.
func TestNoJournalRecordsNoCall(t *testing.T) {
	ctx := context.Background()
	world, srv := startWorld(t, testharness.WorldOptions{NoJournal: true})
	kms := client(srv)
	created, err := kms.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	require.NoError(t, err)
	_, err = kms.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: created.KeyMetadata.KeyId, Plaintext: []byte("p")})
	require.NoError(t, err)

	_, err = world.Calls(ctx, testharness.CallFilter{})
	var refusal *testharness.CallError
	require.ErrorAs(t, err, &refusal)
	require.Equal(t, "ValidationException", refusal.Name)
	require.Contains(t, refusal.Message, "keeps no journal")

	// The default keeps one.
	other, otherSrv := startWorld(t, testharness.WorldOptions{})
	_, err = client(otherSrv).DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: aws.String("alias/aws/s3")})
	require.NoError(t, err)
	calls, err := other.Calls(ctx, testharness.CallFilter{})
	require.NoError(t, err)
	require.Len(t, calls, 1)
}
