// Command go-demo creates a KMS key, encrypts and decrypts through wasmkms's service core, the way
// every host does: World.Handle with AWS JSON 1.1 requests.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/wasmkms/wasmkms/internal/kms"
)

func main() {
	world := kms.NewWorld(kms.Options{})
	caller := kms.Caller{} // account 111122223333, region us-east-1

	var created struct{ KeyMetadata struct{ KeyId, Arn string } }
	send(world, caller, "CreateKey", map[string]any{"Description": "go-demo key"}, &created)
	fmt.Println("created key   ", created.KeyMetadata.Arn)

	context := map[string]string{"purpose": "demo"}
	var encrypted struct {
		CiphertextBlob []byte
		KeyId          string
	}
	send(world, caller, "Encrypt", map[string]any{
		"KeyId": created.KeyMetadata.KeyId, "Plaintext": []byte("Hello from wasmkms"), "EncryptionContext": context,
	}, &encrypted)
	fmt.Printf("ciphertext     %d bytes, base64 prefix %s\n", len(encrypted.CiphertextBlob), base64Prefix(encrypted.CiphertextBlob))

	var decrypted struct {
		Plaintext []byte
		KeyId     string
	}
	send(world, caller, "Decrypt", map[string]any{"CiphertextBlob": encrypted.CiphertextBlob, "EncryptionContext": context}, &decrypted)
	fmt.Printf("decrypted      %q (key %s)\n", decrypted.Plaintext, decrypted.KeyId)

	// A wrong encryption context does not open the blob: the real service's error, empty message.
	status, body := world.Handle(caller, "TrentService.Decrypt", mustJSON(map[string]any{
		"CiphertextBlob": encrypted.CiphertextBlob, "EncryptionContext": map[string]string{"purpose": "other"},
	}))
	fmt.Printf("wrong context  %d %s\n", status, body)
}

// send calls one operation and decodes its answer into out, or exits with the error.
func send(world *kms.World, caller kms.Caller, op string, req any, out any) {
	status, body := world.Handle(caller, "TrentService."+op, mustJSON(req))
	if status != 200 {
		fmt.Fprintf(os.Stderr, "%s failed: %d %s\n", op, status, body)
		os.Exit(1)
	}
	if err := json.Unmarshal(body, out); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", op, err)
		os.Exit(1)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func base64Prefix(b []byte) string {
	s, _ := json.Marshal(b)
	return string(s[1:7])
}
