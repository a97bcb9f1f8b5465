package testharness

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/crypto/nativehost"
)

// The host's primitives (wasm/ABI.md, "Host primitives"): the imports of module abi.HostModule, over
// native Go's crypto (package nativehost), so that an RSA signature or decryption in the module costs
// what it costs in Go rather than in wasm. Only the raw primitive runs here; the module keeps every
// decision, and a world with WorldOptions.NoHostCrypto runs the module's own code instead, with the same
// answers.

// hostPrimitivesRun counts the primitives the harness ran for every instance of the process (tests
// read it to see the host used).
var hostPrimitivesRun atomic.Int64

// hostsByInstance holds each instance's primitives (its key handles), by the calling module.
var hostsByInstance = struct {
	sync.Mutex
	m map[api.Module]*nativehost.Host
}{m: map[api.Module]*nativehost.Host{}}

// hostOf answers the primitives of the instance m, forgetting those of closed instances on the way.
func hostOf(m api.Module) *nativehost.Host {
	hostsByInstance.Lock()
	defer hostsByInstance.Unlock()
	h, ok := hostsByInstance.m[m]
	if !ok {
		for other := range hostsByInstance.m {
			if other.IsClosed() {
				delete(hostsByInstance.m, other)
			}
		}
		h = &nativehost.Host{}
		hostsByInstance.m[m] = h
	}
	return h
}

// instantiateHostCrypto adds the module abi.HostModule to a runtime, once, beside WASI.
func instantiateHostCrypto(ctx context.Context, r wazero.Runtime) error {
	b := r.NewHostModuleBuilder(abi.HostModule)
	i32 := api.ValueTypeI32
	for _, imp := range abi.HostImports {
		fn, ok := hostFunctions[imp.Name]
		if !ok || imp.Params > len(args{}) {
			return fmt.Errorf("testharness: no host function for %s.%s", abi.HostModule, imp.Name)
		}
		params := make([]api.ValueType, imp.Params)
		for i := range params {
			params[i] = i32
		}
		b.NewFunctionBuilder().WithGoModuleFunction(fn, params, []api.ValueType{i32}).Export(imp.Name)
	}
	_, err := b.Instantiate(ctx)
	return err
}

// hostFunctions are the imports by name. Each reads its arguments from the stack and answers an
// abi.Host* result; a pointer and length outside the memory answer HostUnavailable.
var hostFunctions = map[string]api.GoModuleFunc{
	"capabilities": func(_ context.Context, m api.Module, stack []uint64) {
		stack[0] = api.EncodeI32(hostOf(m).Capabilities())
	},
	"key_load": hostCall(false, func(h *nativehost.Host, mem memory, a args) int32 {
		return h.LoadKey(int32(a[0]), mem.bytes(a[1], a[2]))
	}),
	"key_drop": func(_ context.Context, m api.Module, stack []uint64) {
		hostOf(m).DropKey(api.DecodeI32(stack[0]))
		stack[0] = api.EncodeI32(abi.HostOK)
	},
	"aes_gcm_seal": hostFunc(func(h *nativehost.Host, mem memory, a args) int32 {
		return h.SealAESGCM(mem.bytes(a[0], 32), mem.bytes(a[1], 12), mem.bytes(a[2], a[3]), mem.bytes(a[4], a[5]), mem.bytes(a[6], a[3]+16))
	}),
	"aes_gcm_open": hostFunc(func(h *nativehost.Host, mem memory, a args) int32 {
		if a[3] < 16 {
			return abi.HostUnavailable
		}
		return h.OpenAESGCM(mem.bytes(a[0], 32), mem.bytes(a[1], 12), mem.bytes(a[2], a[3]), mem.bytes(a[4], a[5]), mem.bytes(a[6], a[3]-16))
	}),
	"rsa_private": hostFunc(func(h *nativehost.Host, mem memory, a args) int32 {
		return h.RSAPrivate(int32(a[0]), mem.bytes(a[1], a[2]), mem.bytes(a[3], a[2]))
	}),
	"ec_base_mult": hostFunc(func(h *nativehost.Host, mem memory, a args) int32 {
		return h.ECBaseMult(int32(a[0]), mem.bytes(a[1], a[2]), mem.bytes(a[3], a[2]))
	}),
	"ec_base_point": hostFunc(func(h *nativehost.Host, mem memory, a args) int32 {
		return h.ECBasePoint(int32(a[0]), mem.bytes(a[1], a[2]), mem.bytes(a[3], 2*a[2]))
	}),
	"ed25519_sign": hostFunc(func(h *nativehost.Host, mem memory, a args) int32 {
		return h.SignEd25519(int32(a[0]), mem.bytes(a[1], a[2]), mem.bytes(a[3], 64))
	}),
	"digest": hostFunc(func(h *nativehost.Host, mem memory, a args) int32 {
		return h.Digest(int32(a[0]), mem.bytes(a[1], a[2]), mem.bytes(a[3], digestSize(a[0])))
	}),
	"hmac": hostFunc(func(h *nativehost.Host, mem memory, a args) int32 {
		return h.HMAC(int32(a[0]), mem.bytes(a[1], a[2]), mem.bytes(a[3], a[4]), mem.bytes(a[5], digestSize(a[0])))
	}),
}

// digestSize is the output length of an abi.Hash* (0 for another number: the host refuses it).
func digestSize(hash uint32) uint32 {
	switch hash {
	case abi.HashSHA224:
		return 28
	case abi.HashSHA256:
		return 32
	case abi.HashSHA384:
		return 48
	case abi.HashSHA512:
		return 64
	}
	return 0
}

// args are an import's i32 arguments, as many as abi.HostImports says (at most 7), by value: a slice
// would be a heap allocation a call.
type args [7]uint32

// memory is an instance's linear memory; bytes panics (errOutside) for a span outside it.
type memory struct{ api.Memory }

type outsideMemory struct{}

func (m memory) bytes(ptr, length uint32) []byte {
	if length == 0 {
		return []byte{}
	}
	b, ok := m.Read(ptr, length)
	if !ok {
		panic(outsideMemory{})
	}
	return b
}

// hostFunc adapts a primitive over the instance's memory and its i32 arguments to a GoModuleFunc; a
// span outside the memory answers HostUnavailable.
func hostFunc(f func(h *nativehost.Host, mem memory, a args) int32) api.GoModuleFunc {
	return hostCall(true, f)
}

// hostCall is hostFunc; a primitive's results are counted (hostPrimitivesRun), key_load's handles not.
func hostCall(primitive bool, f func(h *nativehost.Host, mem memory, a args) int32) api.GoModuleFunc {
	return func(_ context.Context, m api.Module, stack []uint64) {
		var a args
		for i, v := range stack {
			a[i] = api.DecodeU32(v)
		}
		result := int32(abi.HostUnavailable)
		func() {
			defer func() {
				if v := recover(); v != nil {
					if _, ok := v.(outsideMemory); !ok {
						panic(v)
					}
				}
			}()
			result = f(hostOf(m), memory{m.Memory()}, a)
		}()
		if (result == abi.HostOK || result == abi.HostAuthFailed) && primitive {
			hostPrimitivesRun.Add(1)
		}
		stack[0] = api.EncodeI32(result)
	}
}
