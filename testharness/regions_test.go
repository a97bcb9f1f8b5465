package testharness_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"

	"github.com/wasmkms/wasmkms/testharness"
)

func regionsWorld(t *testing.T, opts testharness.WorldOptions) (*testharness.Harness, *testharness.World) {
	t.Helper()
	h, err := testharness.New(context.Background(), testharness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	w, err := h.NewWorld(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return h, w
}

// sdkClient is the real SDK's client of world over the harness's endpoint, in region.
func sdkClient(t *testing.T, w *testharness.World, region string) *kmssdk.Client {
	t.Helper()
	srv, err := testharness.NewServer(w)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return kmssdk.New(kmssdk.Options{
		Region:       region,
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
}

// A Go test whose client names a Region AWS does not have gets what AWS answers to a request signed
// for it, naming the Region; with AllowAnyRegion the same client works.
func TestRealClientInARegionAWSDoesNotHave(t *testing.T) {
	ctx := context.Background()
	_, strict := regionsWorld(t, testharness.WorldOptions{})
	_, err := sdkClient(t, strict, "us-east").ListKeys(ctx, &kmssdk.ListKeysInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidSignatureException" ||
		apiErr.ErrorMessage() != "Credential should be scoped to a valid region, not 'us-east'. " {
		t.Fatalf("ListKeys in us-east: %v", err)
	}

	_, open := regionsWorld(t, testharness.WorldOptions{AllowAnyRegion: true})
	out, err := sdkClient(t, open, "us-east").CreateKey(ctx, &kmssdk.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if arn := aws.ToString(out.KeyMetadata.Arn); !strings.HasPrefix(arn, "arn:aws:kms:us-east:") {
		t.Fatalf("ARN %s", arn)
	}
}

func TestCheckCaller(t *testing.T) {
	ctx := context.Background()
	_, w := regionsWorld(t, testharness.WorldOptions{})
	for _, tc := range []struct {
		caller testharness.Caller
		err    string
	}{
		{testharness.Caller{}, ""},
		{testharness.Caller{Region: "cn-northwest-1", Account: "444455556666"}, ""},
		{testharness.Caller{Region: "mars-1"}, `testharness: Region not accepted: region="mars-1" is not an AWS Region (partition aws), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.`},
		{testharness.Caller{Region: "eu west 1"}, `testharness: Region not accepted: region="eu west 1" is not a valid hostname component.`},
		{testharness.Caller{Account: "12345"}, `testharness: Account not accepted: accountId="12345" is not an AWS account ID (12 digits).`},
	} {
		err := w.CheckCaller(ctx, tc.caller)
		if got := fmt.Sprint(err); tc.err == "" && err != nil || tc.err != "" && got != tc.err {
			t.Errorf("CheckCaller(%+v) = %v, want %q", tc.caller, err, tc.err)
		}
	}
}
