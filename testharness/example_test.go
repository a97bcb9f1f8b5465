package testharness_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/wasmkms/wasmkms/testharness"
)

// exampleWorld starts a harness (the wasm module compiled, in wazero) and a world in it; done closes
// the harness.
func exampleWorld(ctx context.Context, opts testharness.WorldOptions) (world *testharness.World, done func()) {
	h, err := testharness.New(ctx, testharness.Options{})
	if err != nil {
		log.Fatal(err)
	}
	world, err = h.NewWorld(ctx, opts)
	if err != nil {
		h.Close()
		log.Fatal(err)
	}
	return world, func() { h.Close() }
}

// exampleClient serves world over HTTP (AWS JSON 1.1, as KMS) and answers the real SDK's KMS client
// of that endpoint; stop closes the server.
func exampleClient(world *testharness.World) (client *kmssdk.Client, stop func()) {
	srv, err := testharness.NewServer(world)
	if err != nil {
		log.Fatal(err)
	}
	client = kmssdk.New(kmssdk.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
	return client, func() { srv.Close() }
}

// A Go program (or test) that uses the real KMS client, served by the wasm module.
func ExampleNewServer() {
	ctx := context.Background()
	world, done := exampleWorld(ctx, testharness.WorldOptions{})
	defer done()
	client, stop := exampleClient(world)
	defer stop()
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
	world, done := exampleWorld(ctx, testharness.WorldOptions{})
	defer done()
	status, resp, err := world.Call(ctx, testharness.Caller{}, "TrentService.DescribeKey", []byte(`{"KeyId":"alias/missing"}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status, string(resp))
	// Output: 400 {"__type":"NotFoundException","message":"Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found."}
}

// A world's controls, for tests: a seeded world on a manual clock, a fault the SDK's standard retryer
// gets past, the calls the world answered, and the clock moved a year so that a key rotates.
func ExampleWorld_Faults() {
	ctx := context.Background()
	world, done := exampleWorld(ctx, testharness.WorldOptions{
		Seed:  "example",                                   // the same answers on every run
		Clock: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), // a clock that moves only when told
	})
	defer done()
	client, stop := exampleClient(world)
	defer stop()
	key, err := client.CreateKey(ctx, &kmssdk.CreateKeyInput{})
	if err != nil {
		log.Fatal(err)
	}

	// The next two Encrypt calls are throttled; the SDK's retryer (3 attempts) gets past them.
	if _, err := world.Faults().Add(ctx, testharness.Fault{Operation: "Encrypt", Error: "ThrottlingException", Times: 2}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Encrypt(ctx, &kmssdk.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: []byte("hello"),
		EncryptionContext: map[string]string{"tenant": "acme"}}); err != nil {
		log.Fatal(err)
	}
	calls, err := world.Calls(ctx, testharness.CallFilter{Operation: "Encrypt"})
	if err != nil {
		log.Fatal(err)
	}
	for _, call := range calls {
		var input struct{ EncryptionContext map[string]string }
		json.Unmarshal(call.Input, &input)
		fmt.Println(call.Time.Format(time.DateOnly), call.Operation, input.EncryptionContext, call.Error)
	}

	// A year later, a key with automatic rotation has rotated.
	if _, err := client.EnableKeyRotation(ctx, &kmssdk.EnableKeyRotationInput{KeyId: key.KeyMetadata.KeyId}); err != nil {
		log.Fatal(err)
	}
	if err := world.Clock().Advance(ctx, 365*24*time.Hour); err != nil {
		log.Fatal(err)
	}
	rotations, err := client.ListKeyRotations(ctx, &kmssdk.ListKeyRotationsInput{KeyId: key.KeyMetadata.KeyId})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rotations.Rotations[0].RotationType, rotations.Rotations[0].RotationDate.Format(time.DateOnly))
	// Output:
	// 2030-01-01 Encrypt map[tenant:acme] ThrottlingException: Rate exceeded
	// 2030-01-01 Encrypt map[tenant:acme] ThrottlingException: Rate exceeded
	// 2030-01-01 Encrypt map[tenant:acme] <nil>
	// AUTOMATIC 2031-01-01
}

// A snapshot of a world, restored after the test changed it.
func ExampleWorld_Snapshot() {
	ctx := context.Background()
	world, done := exampleWorld(ctx, testharness.WorldOptions{})
	defer done()
	keys := func() int {
		_, resp, err := world.Call(ctx, testharness.Caller{}, "TrentService.ListKeys", []byte(`{}`))
		if err != nil {
			log.Fatal(err)
		}
		var list struct{ Keys []any }
		json.Unmarshal(resp, &list)
		return len(list.Keys)
	}
	world.Call(ctx, testharness.Caller{}, "TrentService.CreateKey", []byte(`{}`))
	snapshot, err := world.Snapshot(ctx)
	if err != nil {
		log.Fatal(err)
	}
	world.Call(ctx, testharness.Caller{}, "TrentService.CreateKey", []byte(`{}`))
	fmt.Println(keys(), "keys")
	if err := world.Restore(ctx, snapshot); err != nil {
		log.Fatal(err)
	}
	fmt.Println(keys(), "key after Restore")
	// Output:
	// 2 keys
	// 1 key after Restore
}
