package testharness_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

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

// Linear memory stays flat under requests that name made-up Regions and accounts (a world with
// AllowAnyRegion takes them all): reads and refused changes create no state, so from 10,000 such
// requests (the call journal full by then) to 50,000 the module's memory grows by less than 2 MiB
// (its heap grows 4 MiB at a time) (it grew by 18 MiB, and on with every request, when every account
// and Region a request named was made on first sight).
func TestMemoryFlatUnderRequestsInRandomRegionsAndAccounts(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 calls through the module; run without -short")
	}
	const warmup, total, slack = 10_000, 50_000, 2 << 20
	ctx := context.Background()
	h, w := regionsWorld(t, testharness.WorldOptions{AllowAnyRegion: true})
	status, created, err := w.Call(ctx, testharness.Caller{}, "TrentService.CreateKey", []byte(`{}`))
	if err != nil || status != 200 {
		t.Fatalf("CreateKey: %d %s %v", status, created, err)
	}
	keyID := strings.Split(strings.Split(string(created), `"KeyId":"`)[1], `"`)[0]
	requests := []struct{ target, body string }{
		{"DescribeKey", `{"KeyId":"` + keyID + `"}`},
		{"ListKeys", `{}`},
		{"ListAliases", `{}`},
		{"Encrypt", `{"KeyId":"alias/app","Plaintext":"eA=="}`},
		{"CreateAlias", `{"AliasName":"alias/app","TargetKeyId":"` + keyID + `"}`}, // refused: no such key there
		{"GetKeyPolicy", `{"KeyId":"` + keyID + `","PolicyName":"default"}`},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Now()
	var afterWarmup uint32
	for i := 1; i <= total; i++ {
		c := testharness.Caller{Account: fmt.Sprintf("%012d", rng.Int64N(1e12)), Region: fmt.Sprintf("made-up-%d", rng.Uint64())}
		r := requests[i%len(requests)]
		status, resp, err := w.Call(ctx, c, "TrentService."+r.target, []byte(r.body))
		if err != nil || status >= 500 || r.target == "CreateAlias" && status == 200 {
			t.Fatalf("%s %d in %+v: %d %s %v", r.target, i, c, status, resp, err)
		}
		if i == warmup {
			afterWarmup = h.MemorySize()
		}
	}
	final := h.MemorySize()
	t.Logf("linear memory: %d bytes after %d requests, %d after %d (%s)", afterWarmup, warmup, final, total, time.Since(start))
	if final > afterWarmup+slack {
		t.Fatalf("linear memory grew from %d to %d bytes between request %d and %d", afterWarmup, final, warmup, total)
	}
}
