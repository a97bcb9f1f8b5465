package testharness_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/wasmkms/wasmkms/testharness"
)

// A Go program (or test) that uses the real KMS client, served by the wasm module.
func ExampleNewServer() {
	ctx := context.Background()
	h, err := testharness.New(ctx, testharness.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	world, err := h.NewWorld(ctx, testharness.WorldOptions{})
	if err != nil {
		log.Fatal(err)
	}
	srv, err := testharness.NewServer(world)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	client := kmssdk.New(kmssdk.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
	key, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	if err != nil {
		log.Fatal(err)
	}
	enc, err := client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: []byte("hello")})
	if err != nil {
		log.Fatal(err)
	}
	dec, err := client.Decrypt(ctx, &kmssdk.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s, %d-byte blob\n", dec.Plaintext, len(enc.CiphertextBlob))
	// Output: hello, 157-byte blob
}

// Calling the module directly, without HTTP: the AWS JSON 1.1 level.
func ExampleWorld_Call() {
	ctx := context.Background()
	h, err := testharness.New(ctx, testharness.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	world, err := h.NewWorld(ctx, testharness.WorldOptions{})
	if err != nil {
		log.Fatal(err)
	}
	status, resp, err := world.Call(ctx, testharness.Caller{}, "TrentService.DescribeKey", []byte(`{"KeyId":"alias/missing"}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status, string(resp))
	// Output: 400 {"__type":"NotFoundException","message":"Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found."}
}
