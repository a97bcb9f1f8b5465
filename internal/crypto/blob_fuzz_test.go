package crypto

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"
)

// Fuzzing the blob: plain `go test` runs these on their seed corpus (the f.Add calls below and
// testdata/fuzz/<name>/); `go test -fuzz FuzzParseSymmetricBlob` explores further.

var fuzzContext = map[string]string{"purpose": "fuzz", "ab": "c"}

// fuzzFixture is a key and a few valid blobs under it, made from a fixed seed so that the seed
// corpus means the same thing on every run.
func fuzzFixture() (SymmetricKey, [][]byte) {
	rng := rand.NewChaCha8([32]byte{'w', 'a', 's', 'm', 'k', 'm', 's'})
	key, err := NewSymmetricKey(rng)
	if err != nil {
		panic(err)
	}
	var blobs [][]byte
	for _, c := range []struct {
		keyID string
		size  int
	}{{testKeyID, 0}, {testKeyID, 7}, {testMRKKeyID, 35}, {testKeyID, 36}, {testKeyID, 78}, {testMRKKeyID, 300}} {
		blob, err := EncryptSymmetric(rng, key, c.keyID, fuzzContext, bytes.Repeat([]byte{byte(c.size)}, c.size))
		if err != nil {
			panic(err)
		}
		blobs = append(blobs, blob)
	}
	return key, blobs
}

// malformedVariants are near misses a hand-written DER reader could let through.
func malformedVariants(valid []byte) [][]byte {
	cms := valid[58:]
	withCMS := func(newCMS []byte) []byte {
		out := append([]byte{}, valid[:54]...)
		out = binary.BigEndian.AppendUint32(out, uint32(len(newCMS)))
		return append(out, newCMS...)
	}
	longForm := append([]byte{cms[0], 0x81}, cms[1:]...) // valid only if cms[1] >= 0x80
	indefinite := append(append([]byte{cms[0], 0x80}, cms[2:]...), 0, 0)
	return [][]byte{
		withCMS(longForm),
		withCMS(indefinite),
		withCMS(append(bytes.Clone(cms), 0)),
		append(bytes.Clone(valid), 0),
		valid[:len(valid)-1],
		nil,
	}
}

func FuzzParseSymmetricBlob(f *testing.F) {
	key, blobs := fuzzFixture()
	for _, b := range blobs {
		f.Add(b)
		for _, m := range malformedVariants(b) {
			f.Add(m)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, parseErr := ParseSymmetricBlob(data)
		plaintext, err := DecryptSymmetric(key, data, fuzzContext)
		isValid := false
		for _, b := range blobs {
			isValid = isValid || bytes.Equal(b, data)
		}
		if isValid {
			if err != nil || parseErr != nil {
				t.Fatalf("a valid blob did not open: %v / %v", parseErr, err)
			}
			return
		}
		if err == nil {
			t.Fatalf("a blob the key never sealed opened to %x", plaintext)
		}
		if !errors.Is(err, ErrInvalidCiphertext) || plaintext != nil {
			t.Fatalf("want ErrInvalidCiphertext and no plaintext, got %v, %x", err, plaintext)
		}
		if parseErr != nil && !errors.Is(parseErr, ErrInvalidCiphertext) {
			t.Fatalf("parse error is not ErrInvalidCiphertext: %v", parseErr)
		}
	})
}

// FuzzFlippedBit flips one bit of a valid blob; the result must never decrypt.
func FuzzFlippedBit(f *testing.F) {
	key, blobs := fuzzFixture()
	for i, b := range blobs {
		for _, bit := range []uint32{0, 39, 47, 8 * 54, 8*58 + 3, uint32(len(b)*8 - 1)} {
			f.Add(uint8(i), bit)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, bit uint32) {
		blob := bytes.Clone(blobs[int(which)%len(blobs)])
		bit %= uint32(len(blob) * 8)
		blob[bit/8] ^= 1 << (bit % 8)
		plaintext, err := DecryptSymmetric(key, blob, fuzzContext)
		if !errors.Is(err, ErrInvalidCiphertext) || plaintext != nil {
			t.Fatalf("bit %d flipped: want ErrInvalidCiphertext, got %v, %x", bit, err, plaintext)
		}
	})
}

// The exhaustive version of FuzzFlippedBit for every fixture blob: every single bit, one at a time.
func TestEveryFlippedBitFailsToDecrypt(t *testing.T) {
	key, blobs := fuzzFixture()
	for _, valid := range blobs {
		if _, err := DecryptSymmetric(key, valid, fuzzContext); err != nil {
			t.Fatalf("fixture blob does not open: %v", err)
		}
		for bit := range len(valid) * 8 {
			blob := bytes.Clone(valid)
			blob[bit/8] ^= 1 << (bit % 8)
			plaintext, err := DecryptSymmetric(key, blob, fuzzContext)
			if !errors.Is(err, ErrInvalidCiphertext) || plaintext != nil {
				t.Fatalf("%d-byte blob, bit %d flipped: want ErrInvalidCiphertext, got %v, %x", len(valid), bit, err, plaintext)
			}
		}
	}
}
