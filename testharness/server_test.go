package testharness

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// newServer serves a fresh world of a fresh instance for one test.
func newServer(t *testing.T) *Server {
	t.Helper()
	return serveWorld(t, newWorld(t, newHarness(t), kms.Options{}))
}

// serveWorld serves w over HTTP on 127.0.0.1 until the test ends.
func serveWorld(t testing.TB, w *World) *Server {
	t.Helper()
	srv, err := NewServer(w)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// sdkClient is the real aws-sdk-go-v2 KMS client pointed at srv, signing with accessKeyID.
func sdkClient(srv *Server, accessKeyID, region string) *kmssdk.Client {
	return kmssdk.New(kmssdk.Options{
		Region:           region,
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(accessKeyID, "test-secret", ""),
		RetryMaxAttempts: 1, // a server fault must show up in the test, not be retried away
	})
}

func TestServerWithRealSDKClient(t *testing.T) {
	ctx := context.Background()
	client := sdkClient(newServer(t), "AKIDEXAMPLE", "us-east-1")

	created, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{Description: aws.String("through the real SDK")})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(created.KeyMetadata.Arn)
	wantARN := regexp.MustCompile(`^arn:aws:kms:us-east-1:111122223333:key/[0-9a-f-]{36}$`)
	if !wantARN.MatchString(arn) || created.KeyMetadata.KeyState != types.KeyStateEnabled {
		t.Fatalf("CreateKey: arn %q state %q", arn, created.KeyMetadata.KeyState)
	}

	plaintext := []byte("a secret of the test")
	encrypted, err := client.Encrypt(ctx, &kmssdk.EncryptInput{
		KeyId: created.KeyMetadata.KeyId, Plaintext: plaintext,
		EncryptionContext: map[string]string{"purpose": "test"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(encrypted.KeyId) != arn || encrypted.EncryptionAlgorithm != types.EncryptionAlgorithmSpecSymmetricDefault {
		t.Fatalf("Encrypt: key %q algorithm %q", aws.ToString(encrypted.KeyId), encrypted.EncryptionAlgorithm)
	}

	decrypted, err := client.Decrypt(ctx, &kmssdk.DecryptInput{
		CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: map[string]string{"purpose": "test"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(decrypted.Plaintext, plaintext) || aws.ToString(decrypted.KeyId) != arn {
		t.Fatalf("Decrypt: %q by %q", decrypted.Plaintext, aws.ToString(decrypted.KeyId))
	}

	_, err = client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: encrypted.CiphertextBlob})
	var invalid *types.InvalidCiphertextException
	if !errors.As(err, &invalid) {
		t.Fatalf("Decrypt without the context: %v, want InvalidCiphertextException", err)
	}

	missing := "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000"
	_, err = client.DescribeKey(ctx, &kmssdk.DescribeKeyInput{KeyId: aws.String(missing)})
	var notFound *types.NotFoundException
	if !errors.As(err, &notFound) {
		t.Fatalf("DescribeKey of a missing key: %v, want *types.NotFoundException", err)
	}
	if want := "Key '" + missing + "' does not exist"; aws.ToString(notFound.Message) != want {
		t.Errorf("NotFoundException message %q, want %q", aws.ToString(notFound.Message), want)
	}
}

func TestServerCallerFromSigV4Credential(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t)
	created, err := sdkClient(srv, "444455556666", "eu-west-1").CreateKey(ctx, &kmssdk.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if arn := aws.ToString(created.KeyMetadata.Arn); !strings.HasPrefix(arn, "arn:aws:kms:eu-west-1:444455556666:key/") {
		t.Fatalf("key created by access key 444455556666 in eu-west-1 has ARN %q", arn)
	}
	// Same world, default account: that key is not its own.
	listed, err := sdkClient(srv, "AKIDEXAMPLE", "eu-west-1").ListKeys(ctx, &kmssdk.ListKeysInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(listed.Keys) != 0 {
		t.Fatalf("the default account sees %d keys of account 444455556666", len(listed.Keys))
	}
}

func TestServerWireAnswers(t *testing.T) {
	srv := newServer(t)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, tc := range []struct {
		name, method, target, body string
		status                     int
		errorType                  string
	}{
		{"KMS operation", "POST", "TrentService.ListKeys", `{}`, 200, ""},
		{"admin target never exposed", "POST", "WasmKMS.ExportState", `{}`, 400, "UnknownOperationException"},
		{"panic hook never exposed", "POST", "WasmKMS.Panic", `{}`, 400, "UnknownOperationException"},
		{"no target", "POST", "", `{}`, 400, "UnknownOperationException"},
		{"other service", "POST", "DynamoDB_20120810.ListTables", `{}`, 400, "UnknownOperationException"},
		{"GET", "GET", "TrentService.ListKeys", ``, 405, ""},
		{"not JSON", "POST", "TrentService.ListKeys", `not json`, 400, "SerializationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+"/", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", jsonContentType)
			if tc.target != "" {
				req.Header.Set("X-Amz-Target", tc.target)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var answer map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
				t.Fatalf("answer is not a JSON object: %v", err)
			}
			if resp.StatusCode != tc.status || (tc.errorType != "" && answer["__type"] != tc.errorType) {
				t.Fatalf("got %d %v, want %d %s", resp.StatusCode, answer, tc.status, tc.errorType)
			}
			if ct := resp.Header.Get("Content-Type"); ct != jsonContentType {
				t.Errorf("Content-Type %q", ct)
			}
			if id := resp.Header.Get("x-amzn-RequestId"); !uuid.MatchString(id) {
				t.Errorf("x-amzn-RequestId %q is not a UUID", id)
			}
		})
	}
}

func TestCallerFromSigV4(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   kms.Caller
	}{
		{"AWS4-HMAC-SHA256 Credential=444455556666/20260101/eu-west-1/kms/aws4_request, SignedHeaders=host, Signature=abc",
			kms.Caller{Account: "444455556666", Region: "eu-west-1"}},
		{"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/cn-north-1/kms/aws4_request, SignedHeaders=host, Signature=abc",
			kms.Caller{Region: "cn-north-1"}},
		{"AWS4-HMAC-SHA256 Credential=1234567890123/20260101/us-west-2/kms/aws4_request", kms.Caller{Region: "us-west-2"}},
		{"AWS4-HMAC-SHA256 Credential=444455556666", kms.Caller{Account: "444455556666"}},
		{"", kms.Caller{}},
		{"Bearer token", kms.Caller{}},
	} {
		if got := callerFromSigV4(tc.header); got != tc.want {
			t.Errorf("%q: got %+v, want %+v", tc.header, got, tc.want)
		}
	}
}

// Requests arrive on many connections at once; the instance answers them one at a time, each whole.
func TestServerConcurrentClients(t *testing.T) {
	ctx := context.Background()
	client := sdkClient(newServer(t), "AKIDEXAMPLE", "us-east-1")
	created, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	const clients, callsEach = 8, 25
	errs := make(chan error, clients)
	for i := range clients {
		go func() {
			for j := range callsEach {
				plaintext := []byte(fmt.Sprintf("client %d call %d", i, j))
				enc, err := client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: created.KeyMetadata.KeyId, Plaintext: plaintext})
				if err != nil {
					errs <- err
					return
				}
				dec, err := client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(dec.Plaintext, plaintext) {
					errs <- fmt.Errorf("client %d call %d: decrypted %q", i, j, dec.Plaintext)
					return
				}
			}
			errs <- nil
		}()
	}
	for range clients {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// bodyText decodes as the JS endpoint's TextDecoder does; the expected bytes are Node 20's
// new TextDecoder().decode(input), re-encoded as UTF-8.
func TestBodyTextIsTextDecoders(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"e282", "efbfbd"}, {"ff", "efbfbd"}, {"eda080", "efbfbdefbfbdefbfbd"}, {"f09f98", "efbfbd"},
		{"c080", "efbfbdefbfbd"}, {"e0809f", "efbfbdefbfbdefbfbd"}, {"f4908080", "efbfbdefbfbdefbfbdefbfbd"},
		{"f08f", "efbfbdefbfbd"}, {"c2", "efbfbd"}, {"e1", "efbfbd"}, {"f1808080", "f1808080"},
		{"f18080", "efbfbd"}, {"efbfbd", "efbfbd"}, {"efbbbf7b7d", "7b7d"}, {"7befbbbf7d", "7befbbbf7d"},
		{"efbbbfefbbbf", "efbbbf"}, {"", ""},
	} {
		in, _ := hex.DecodeString(tc.in)
		if got := hex.EncodeToString(bodyText(in)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.in, got, tc.want)
		}
	}
}

// A module that cannot answer (a dead instance) is a 500 KMSInternalException saying why, as the JS
// endpoint answers a world that fails (test/sdk/endpoint-wire.test.mjs).
func TestServerDeadInstanceIsInternalError(t *testing.T) {
	h := newHarness(t)
	srv := serveWorld(t, newWorld(t, h, kms.Options{}))
	h.mu.Lock()
	h.memory.Write(0, make([]byte, h.memory.Size())) // wreck the Go runtime's memory
	h.mu.Unlock()
	req, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "TrentService.ListKeys")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 500 || answer["__type"] != "KMSInternalException" ||
		!strings.HasPrefix(answer["message"], "wasmkms endpoint: testharness: ") {
		t.Fatalf("got %d %v", resp.StatusCode, answer)
	}
	t.Logf("answer: %v", answer)
}
