//go:build wasip1

package main

import (
	"encoding/binary"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// The direct exports (ABI.md, "Direct Encrypt and Decrypt"): Encrypt and Decrypt with their members
// in binary instead of a JSON body, answered in binary on success. Only the wire decoding differs
// from wasmkms_call: the core's typed entry points run the same operation code, and an error answer
// is the same JSON body.

//go:wasmexport wasmkms_encrypt
func exportEncrypt(handle int32, reqPtr, reqLen, outPtr uint32) (result int32) {
	defer answerPanic("wasmkms_encrypt", outPtr, &result)
	world, buf, code := lookupArguments(handle, reqPtr, reqLen, outPtr)
	if code != 0 {
		return code
	}
	c, in, ok := parseEncryptRequest(buf)
	if !ok {
		return abi.ErrBadHeader
	}
	out, status, errBody := world.Encrypt(c, in)
	letTheCollectorRun()
	if status != 200 {
		return writeAnswer(outPtr, status, errBody)
	}
	return writeFieldsAnswer(outPtr, out.CiphertextBlob, []byte(out.KeyID), []byte(out.EncryptionAlgorithm))
}

//go:wasmexport wasmkms_decrypt
func exportDecrypt(handle int32, reqPtr, reqLen, outPtr uint32) (result int32) {
	defer answerPanic("wasmkms_decrypt", outPtr, &result)
	world, buf, code := lookupArguments(handle, reqPtr, reqLen, outPtr)
	if code != 0 {
		return code
	}
	c, in, ok := parseDecryptRequest(buf)
	if !ok {
		return abi.ErrBadHeader
	}
	out, status, errBody := world.Decrypt(c, in)
	letTheCollectorRun()
	if status != 200 {
		return writeAnswer(outPtr, status, errBody)
	}
	var materialID []byte // nil: absent (asymmetric keys)
	if out.KeyMaterialID != "" {
		materialID = []byte(out.KeyMaterialID)
	}
	return writeFieldsAnswer(outPtr, []byte(out.KeyID), out.Plaintext, []byte(out.EncryptionAlgorithm), materialID)
}

// writeFieldsAnswer writes a 200 answer of length-prefixed fields straight into its allocation (no
// intermediate buffer), as writeAnswer does for a JSON body. A nil field is absent.
func writeFieldsAnswer(outPtr uint32, fields ...[]byte) int32 {
	size := 0
	for _, f := range fields {
		size += 4 + len(f)
	}
	mu.Lock()
	defer mu.Unlock()
	out, ok := span(outPtr, 8)
	if !ok {
		return abi.ErrBadPointer
	}
	answerPtr, answer := allocate(size)
	appendFields(answer[:0], fields...)
	binary.LittleEndian.PutUint32(out[0:], answerPtr)
	binary.LittleEndian.PutUint32(out[4:], uint32(size))
	return 200
}
