//go:build wasip1

package main

import (
	"encoding/binary"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The direct exports (ABI.md, "Direct exports"): the hot operations with their members in binary
// instead of a JSON body, answered in binary on success. Only the wire decoding differs from
// wasmkms_call: the core's typed calls run the same operation code through the same sequence, and an
// error answer is the same JSON body. Each export's fields are its abi.DirectExports entry's.

var (
	directEncrypt                         = newDirectExport("wasmkms_encrypt")
	directDecrypt                         = newDirectExport("wasmkms_decrypt")
	directGenerateDataKey                 = newDirectExport("wasmkms_generate_data_key")
	directGenerateDataKeyWithoutPlaintext = newDirectExport("wasmkms_generate_data_key_without_plaintext")
	directReEncrypt                       = newDirectExport("wasmkms_re_encrypt")
	directSign                            = newDirectExport("wasmkms_sign")
	directVerify                          = newDirectExport("wasmkms_verify")
	directGenerateMac                     = newDirectExport("wasmkms_generate_mac")
	directVerifyMac                       = newDirectExport("wasmkms_verify_mac")
	directCreateKey                       = newDirectExport("wasmkms_create_key")
	directListKeys                        = newDirectExport("wasmkms_list_keys")
)

//go:wasmexport wasmkms_encrypt
func exportEncrypt(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directEncrypt, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_decrypt
func exportDecrypt(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directDecrypt, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_generate_data_key
func exportGenerateDataKey(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directGenerateDataKey, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_generate_data_key_without_plaintext
func exportGenerateDataKeyWithoutPlaintext(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directGenerateDataKeyWithoutPlaintext, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_re_encrypt
func exportReEncrypt(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directReEncrypt, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_sign
func exportSign(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directSign, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_verify
func exportVerify(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directVerify, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_generate_mac
func exportGenerateMac(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directGenerateMac, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_verify_mac
func exportVerifyMac(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directVerifyMac, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_create_key
func exportCreateKey(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directCreateKey, world, reqPtr, reqLen, outPtr)
}

//go:wasmexport wasmkms_list_keys
func exportListKeys(world int32, reqPtr, reqLen, outPtr uint32) int32 {
	return serveDirect(directListKeys, world, reqPtr, reqLen, outPtr)
}

// serveDirect answers one call of a direct export: the arguments checked as wasmkms_call checks
// them, the fields parsed, the core's typed call, then the answer's fields (or the JSON error body).
func serveDirect(d *directExport, handle int32, reqPtr, reqLen, outPtr uint32) (result int32) {
	defer answerPanic(d.Export, outPtr, &result)
	world, buf, code := lookupArguments(handle, reqPtr, reqLen, outPtr)
	if code != 0 {
		return code
	}
	var values [2 * maxDirectFields]kms.Value
	in, out := values[:len(d.Input)], values[maxDirectFields:maxDirectFields+len(d.Output)]
	var c kms.Caller
	if !d.parse(buf, in, &c) {
		return abi.ErrBadHeader
	}
	status, errBody := world.CallTyped(d.op, c, in, out)
	noteStateFlags(world)
	letTheCollectorRun()
	if status != 200 {
		return writeAnswer(outPtr, status, errBody)
	}
	return writeFieldsAnswer(outPtr, d, out)
}

// writeFieldsAnswer writes a 200 answer of fields straight into its allocation (no intermediate
// buffer), as writeAnswer does for a JSON body.
func writeFieldsAnswer(outPtr uint32, d *directExport, values []kms.Value) int32 {
	size := d.answerSize(values)
	mu.Lock()
	defer mu.Unlock()
	out, ok := span(outPtr, 8)
	if !ok {
		return abi.ErrBadPointer
	}
	answerPtr, answer := allocate(size)
	d.appendAnswer(answer[:0], values)
	binary.LittleEndian.PutUint32(out[0:], answerPtr)
	binary.LittleEndian.PutUint32(out[4:], uint32(size))
	return 200
}
