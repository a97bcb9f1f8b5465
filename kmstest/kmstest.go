package kmstest

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/wasmkms/wasmkms/internal/kmsabi"
	"github.com/wasmkms/wasmkms/testharness"
)

// inProcessEndpoint is the client's endpoint: its requests never leave the process (transport.go), and
// a name under .invalid resolves nowhere, should a WithClientOptions replace the HTTP client.
const inProcessEndpoint = "http://kmstest.invalid"

// anyAccount is the access key ID of a client without WithAccount: not 12 digits, so the world takes
// its default account.
const anyAccount = "KMSTEST"

// New answers a ready KMS client of aws-sdk-go-v2 bound to a fresh world of the test's own; the world
// is dropped when the test ends. Without options the client calls as account 111122223333 in
// us-east-1, on real time, with fresh randomness, the SDK's standard retryer and an empty world.
func New(t testing.TB, opts ...Option) *kms.Client {
	t.Helper()
	c := configure(opts)
	region := c.region
	if region == "" {
		region = kmsabi.DefaultRegion
	}
	w := world(t, c)
	// The account and Region are checked by the core (WasmKMS.CheckCaller), as every host checks them:
	// a typo fails here, naming it, not at the first call as the wire's InvalidSignatureException.
	if err := w.CheckCaller(context.Background(), testharness.Caller{Account: c.account, Region: region}); err != nil {
		t.Fatalf("kmstest: %v", strings.TrimPrefix(err.Error(), "testharness: "))
	}
	accessKey := anyAccount
	if c.account != "" {
		accessKey = c.account
	}
	return kms.New(kms.Options{
		Region:       region,
		BaseEndpoint: aws.String(inProcessEndpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, "kmstest", ""),
		HTTPClient:   &http.Client{Transport: transport{testharness.Handler(w)}},
	}, c.client...)
}

// Server starts an HTTP endpoint (AWS JSON 1.1, as KMS) of a fresh world on 127.0.0.1 and answers its
// URL, for code under test that takes an endpoint; it is stopped, and the world dropped, when the test
// ends. The caller's SigV4 credentials choose its account (an access key ID of 12 digits; any other is
// the default account) and region, so WithAccount, WithRegion and WithClientOptions do not apply.
func Server(t testing.TB, opts ...Option) string {
	t.Helper()
	c := configure(opts)
	if len(c.clientOnly) > 0 {
		t.Fatalf("kmstest.Server takes no %s: they configure New's client; a server's callers choose their "+
			"account and region by their credentials", strings.Join(c.clientOnly, ", "))
	}
	srv, err := testharness.NewServer(world(t, c))
	if err != nil {
		t.Fatalf("kmstest: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("kmstest: stopping the server: %v", err)
		}
	})
	return srv.URL
}

func configure(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		o(c)
	}
	return c
}
