//lint:file-ignore ST1005 its error strings begin with the name of the KMS operation that failed

// Command kmsclient drives a wasmkms HTTP endpoint with the real aws-sdk-go-v2 KMS client and checks
// the answers: key ARNs carry the account of the access key id and the region of the client, blobs
// round-trip, and errors arrive as the SDK's typed exceptions with the service's messages. It prints
// one "ok" line per check and exits 1 at the first failure. test/sdk/go-client.test.mjs starts the
// Node endpoint and runs it:
//
//	go run ./test/sdk/go/kmsclient -endpoint http://127.0.0.1:PORT
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func main() {
	endpoint := flag.String("endpoint", "", "the wasmkms endpoint URL, e.g. http://127.0.0.1:8080")
	flag.Parse()
	if *endpoint == "" {
		fmt.Fprintln(os.Stderr, "kmsclient: -endpoint is required")
		os.Exit(2)
	}
	if err := run(context.Background(), *endpoint); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(1)
	}
}

// client is a KMS client for an access key id and region; a 12-digit access key id is the account.
func client(endpoint, accessKeyID, region string) *kms.Client {
	return kms.New(kms.Options{
		Region:           region,
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider(accessKeyID, "secret", ""),
		RetryMaxAttempts: 1,
	})
}

func run(ctx context.Context, endpoint string) error {
	const account, region = "444455556666", "eu-west-2"
	c := client(endpoint, account, region)

	created, err := c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("aws-sdk-go-v2 check")})
	if err != nil {
		return fmt.Errorf("CreateKey: %w", err)
	}
	keyARN := aws.ToString(created.KeyMetadata.Arn)
	wantPrefix := fmt.Sprintf("arn:aws:kms:%s:%s:key/", region, account)
	if !strings.HasPrefix(keyARN, wantPrefix) || created.KeyMetadata.KeySpec != types.KeySpecSymmetricDefault {
		return fmt.Errorf("CreateKey: key %q spec %q, want an ARN starting %q and SYMMETRIC_DEFAULT", keyARN, created.KeyMetadata.KeySpec, wantPrefix)
	}
	ok("CreateKey answers a key of the access key's account in the client's region")

	plaintext := bytes.Repeat([]byte{0x5a}, 32)
	context := map[string]string{"purpose": "go-client", "ab": "c"}
	encrypted, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: created.KeyMetadata.KeyId, Plaintext: plaintext, EncryptionContext: context})
	if err != nil {
		return fmt.Errorf("Encrypt: %w", err)
	}
	if aws.ToString(encrypted.KeyId) != keyARN || encrypted.EncryptionAlgorithm != types.EncryptionAlgorithmSpecSymmetricDefault {
		return fmt.Errorf("Encrypt: KeyId %q algorithm %q, want %q SYMMETRIC_DEFAULT", aws.ToString(encrypted.KeyId), encrypted.EncryptionAlgorithm, keyARN)
	}
	decrypted, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context})
	if err != nil {
		return fmt.Errorf("Decrypt: %w", err)
	}
	if !bytes.Equal(decrypted.Plaintext, plaintext) || aws.ToString(decrypted.KeyId) != keyARN {
		return fmt.Errorf("Decrypt: got %x from %q, want %x from %q", decrypted.Plaintext, aws.ToString(decrypted.KeyId), plaintext, keyARN)
	}
	ok("Encrypt then Decrypt with an encryption context round-trips 32 bytes")

	_, err = c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: map[string]string{"purpose": "go-client", "a": "bc"}})
	var invalidCiphertext *types.InvalidCiphertextException
	if !errors.As(err, &invalidCiphertext) {
		return fmt.Errorf("Decrypt with another context: got %v, want *types.InvalidCiphertextException", err)
	}
	ok("Decrypt with another encryption context fails with *types.InvalidCiphertextException")

	missing := "0b9f1c2e-1111-4222-8333-944455556666"
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(missing)})
	var notFound *types.NotFoundException
	wantMessage := fmt.Sprintf("Key '%s%s' does not exist", wantPrefix, missing)
	if !errors.As(err, &notFound) || notFound.ErrorMessage() != wantMessage {
		return fmt.Errorf("DescribeKey of a missing key: got %v, want *types.NotFoundException %q", err, wantMessage)
	}
	ok("DescribeKey of a missing key fails with *types.NotFoundException and the service's message")

	alias := "alias/go-client"
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: created.KeyMetadata.KeyId}); err != nil {
		return fmt.Errorf("CreateAlias: %w", err)
	}
	dataKey, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(alias), KeySpec: types.DataKeySpecAes256})
	if err != nil {
		return fmt.Errorf("GenerateDataKey: %w", err)
	}
	if len(dataKey.Plaintext) != 32 || aws.ToString(dataKey.KeyId) != keyARN {
		return fmt.Errorf("GenerateDataKey: %d bytes from %q, want 32 from %q", len(dataKey.Plaintext), aws.ToString(dataKey.KeyId), keyARN)
	}
	unwrapped, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: dataKey.CiphertextBlob})
	if err != nil || !bytes.Equal(unwrapped.Plaintext, dataKey.Plaintext) {
		return fmt.Errorf("Decrypt of the data key: %v, equal %v", err, err == nil && bytes.Equal(unwrapped.Plaintext, dataKey.Plaintext))
	}
	ok("GenerateDataKey AES_256 through an alias gives a data key that Decrypt unwraps")

	other := client(endpoint, "AKIDEXAMPLENOTANACCOUNT", region)
	_, err = other.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)})
	if !errors.As(err, &notFound) {
		return fmt.Errorf("DescribeKey %s from the default account: got %v, want *types.NotFoundException", alias, err)
	}
	defaultKey, err := other.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		return fmt.Errorf("CreateKey in the default account: %w", err)
	}
	if want := fmt.Sprintf("arn:aws:kms:%s:111122223333:key/", region); !strings.HasPrefix(aws.ToString(defaultKey.KeyMetadata.Arn), want) {
		return fmt.Errorf("CreateKey with a non-account access key: %q, want the default account (%q...)", aws.ToString(defaultKey.KeyMetadata.Arn), want)
	}
	ok("an access key id that is not 12 digits is the default account, which does not see another account's alias")
	return nil
}

func ok(check string) { fmt.Println("ok", check) }
