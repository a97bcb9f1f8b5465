//go:build wasip1

package main

import (
	"sync"
	"unsafe"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// The host's primitives (ABI.md, "Host primitives"): the imports of module abi.HostModule, which every
// host provides (as stubs answering "unavailable" where it has no synchronous crypto). The module asks
// for a raw primitive only; internal/crypto's Engine keeps every decision.

//go:wasmimport wasmkms_host capabilities
func hostCapabilities() int32

//go:wasmimport wasmkms_host key_load
func hostKeyLoad(kind int32, der unsafe.Pointer, derLen uint32) int32

//go:wasmimport wasmkms_host key_drop
func hostKeyDrop(handle int32) int32

//go:wasmimport wasmkms_host aes_gcm_seal
func hostAESGCMSeal(key, nonce, in unsafe.Pointer, inLen uint32, aad unsafe.Pointer, aadLen uint32, out unsafe.Pointer) int32

//go:wasmimport wasmkms_host aes_gcm_open
func hostAESGCMOpen(key, nonce, in unsafe.Pointer, inLen uint32, aad unsafe.Pointer, aadLen uint32, out unsafe.Pointer) int32

//go:wasmimport wasmkms_host rsa_private
func hostRSAPrivate(handle int32, in unsafe.Pointer, inLen uint32, out unsafe.Pointer) int32

//go:wasmimport wasmkms_host ec_base_mult
func hostECBaseMult(curve int32, scalar unsafe.Pointer, scalarLen uint32, out unsafe.Pointer) int32

//go:wasmimport wasmkms_host ec_base_point
func hostECBasePoint(curve int32, scalar unsafe.Pointer, scalarLen uint32, out unsafe.Pointer) int32

//go:wasmimport wasmkms_host ed25519_sign
func hostEd25519Sign(handle int32, msg unsafe.Pointer, msgLen uint32, out unsafe.Pointer) int32

//go:wasmimport wasmkms_host digest
func hostDigest(hash int32, in unsafe.Pointer, inLen uint32, out unsafe.Pointer) int32

//go:wasmimport wasmkms_host hmac
func hostHMAC(hash int32, key unsafe.Pointer, keyLen uint32, in unsafe.Pointer, inLen uint32, out unsafe.Pointer) int32

// ptr is the address of b's bytes in linear memory (nil for an empty slice: the host reads nothing
// there). Passing it as an unsafe.Pointer keeps b alive through the call.
func ptr(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }

// importedHost is kmscrypto.Host over the imports.
type importedHost struct{}

func (importedHost) Capabilities() int32 { return hostCapabilities() }

func (importedHost) LoadKey(kind int32, der []byte) int32 {
	return hostKeyLoad(kind, ptr(der), uint32(len(der)))
}

func (importedHost) DropKey(handle int32) { hostKeyDrop(handle) }

func (importedHost) SealAESGCM(key, nonce, plaintext, aad, out []byte) int32 {
	return hostAESGCMSeal(ptr(key), ptr(nonce), ptr(plaintext), uint32(len(plaintext)), ptr(aad), uint32(len(aad)), ptr(out))
}

func (importedHost) OpenAESGCM(key, nonce, sealed, aad, out []byte) int32 {
	return hostAESGCMOpen(ptr(key), ptr(nonce), ptr(sealed), uint32(len(sealed)), ptr(aad), uint32(len(aad)), ptr(out))
}

func (importedHost) RSAPrivate(handle int32, in, out []byte) int32 {
	return hostRSAPrivate(handle, ptr(in), uint32(len(in)), ptr(out))
}

func (importedHost) ECBaseMult(curve int32, scalar, x []byte) int32 {
	return hostECBaseMult(curve, ptr(scalar), uint32(len(scalar)), ptr(x))
}

func (importedHost) ECBasePoint(curve int32, scalar, point []byte) int32 {
	return hostECBasePoint(curve, ptr(scalar), uint32(len(scalar)), ptr(point))
}

func (importedHost) SignEd25519(handle int32, message, sig []byte) int32 {
	return hostEd25519Sign(handle, ptr(message), uint32(len(message)), ptr(sig))
}

func (importedHost) Digest(hash int32, in, out []byte) int32 {
	return hostDigest(hash, ptr(in), uint32(len(in)), ptr(out))
}

func (importedHost) HMAC(hash int32, key, in, out []byte) int32 {
	return hostHMAC(hash, ptr(key), uint32(len(key)), ptr(in), uint32(len(in)), ptr(out))
}

// hostEngine is the instance's engine over its host, asked once, at the first world: nil when the
// host supplies nothing (a browser), and every world runs Go's own code. Every world of the instance
// shares it (and its table of the host's key handles).
var hostEngine = sync.OnceValue(func() *kmscrypto.Engine { return kmscrypto.NewEngine(importedHost{}) })
