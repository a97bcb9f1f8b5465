package crypto_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

func ExampleEncryptSymmetric() {
	key, err := kmscrypto.NewSymmetricKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	context := map[string]string{"purpose": "example"}
	blob, err := kmscrypto.EncryptSymmetric(rand.Reader, key, "1234abcd-12ab-34cd-56ef-1234567890ab", context, []byte("7 bytes"))
	if err != nil {
		panic(err)
	}
	keyID, _, _ := kmscrypto.ParseSymmetricBlob(blob) // which key to look up: no KeyId needed
	plaintext, _ := kmscrypto.DecryptSymmetric(key, blob, context)
	_, wrongContext := kmscrypto.DecryptSymmetric(key, blob, map[string]string{"purpose": "other"})

	fmt.Println(base64.StdEncoding.EncodeToString(blob)[:6], len(blob))
	fmt.Println(keyID)
	fmt.Println(string(plaintext))
	fmt.Println(wrongContext)
	// Output:
	// AQICAH 159
	// 1234abcd-12ab-34cd-56ef-1234567890ab
	// 7 bytes
	// invalid ciphertext
}

func ExampleRSAPool() {
	pool := kmscrypto.NewRSAPool(rand.Reader) // one per world: its keys never repeat
	key, err := pool.Key(4096)                // about a millisecond inside wasm; a TEST key
	if err != nil {
		panic(err)
	}
	fmt.Println(key.N.BitLen(), key.Validate() == nil, len(pool.UsedPairs()[4096]))
	// Output: 4096 true 1
}
