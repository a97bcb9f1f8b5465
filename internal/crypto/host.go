package crypto

import (
	"crypto/ed25519"
	"crypto/rsa"
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"golang.org/x/crypto/cryptobyte"

	"github.com/wasmkms/wasmkms/internal/abi"
)

// Host is what the module's host may supply of the raw primitives (wasm/ABI.md, "Host primitives"):
// Node's node:crypto, Deno's and workerd's compatibility with it, native Go in the wazero harness.
// Only the primitive crosses: key handling, validation, the blob format, padding (OAEP, PSS,
// PKCS #1 v1.5), ECDSA's nonce and arithmetic mod n, error texts and every decision stay in Go, in
// Engine. Each method answers an abi.Host* result; the buffers are the caller's and the host writes
// exactly len(out) bytes into out.
type Host interface {
	Capabilities() int32
	LoadKey(kind int32, pkcs8 []byte) (handle int32) // < 1: the host cannot
	DropKey(handle int32)
	SealAESGCM(key, nonce, plaintext, aad, out []byte) int32 // out: ciphertext || 16-byte tag
	OpenAESGCM(key, nonce, sealed, aad, out []byte) int32    // abi.HostAuthFailed for a wrong tag
	RSAPrivate(handle int32, in, out []byte) int32           // in^d mod n, in < n, as long as n
	ECBaseMult(curve int32, scalar, x []byte) int32          // x-coordinate of scalar·G
	ECBasePoint(curve int32, scalar, point []byte) int32     // scalar·G, affine x || y
	SignEd25519(handle int32, message, sig []byte) int32     // pure Ed25519, 64 bytes
	Digest(hash int32, in, out []byte) int32
	HMAC(hash int32, key, in, out []byte) int32
}

// Engine runs the package's operations with a host's primitives where the host supplies them and
// they pay, and with Go's own code otherwise: the answers are the same either way (byte for byte
// for the same randomness; host_test.go holds them together). A nil *Engine is Go's own code
// throughout: the package-level functions (EncryptSymmetric, Sign, ...) are a nil Engine's methods.
//
// A host primitive that fails (a result other than the ones its import may answer) is not asked
// again: its capability bit is cleared and Go's code answers, that call and every later one.
type Engine struct {
	host Host
	caps atomic.Int32 // the capability bits of the primitives still in use
	// anySize is abi.CapAnySize: the host takes symmetric primitives of any size (minBytes).
	anySize bool
	keys    hostKeys
	// calls counts the primitives the host ran, for tests that must see it used.
	calls atomic.Int64
}

// NewEngine asks the host what it supplies; nil (Go's own code) when h is nil or supplies nothing.
func NewEngine(h Host) *Engine {
	if h == nil {
		return nil
	}
	caps := h.Capabilities()
	e := &Engine{host: h, anySize: caps&abi.CapAnySize != 0}
	if caps &^= abi.CapAnySize; caps == 0 {
		return nil
	}
	e.caps.Store(caps)
	return e
}

// Capabilities answers the abi.Cap* bits the engine still uses (CapAnySize while any primitive is).
func (e *Engine) Capabilities() int32 {
	if e == nil {
		return 0
	}
	caps := e.caps.Load()
	if caps != 0 && e.anySize {
		caps |= abi.CapAnySize
	}
	return caps
}

// PrimitivesRun answers how many primitives the host has run for this engine.
func (e *Engine) PrimitivesRun() int64 {
	if e == nil {
		return 0
	}
	return e.calls.Load()
}

func (e *Engine) has(bit int32) bool { return e != nil && e.caps.Load()&bit != 0 }

// answered records a host result: true when it is one of want, else the capability is dropped.
func (e *Engine) answered(bit, result int32, want ...int32) bool {
	for _, w := range want {
		if result == w {
			e.calls.Add(1)
			return true
		}
	}
	e.caps.And(^bit)
	return false
}

// Where a host primitive pays. Go's code in wasm has no assembly, but a JS host pays about 15 µs per
// call (it makes a cipher or hash object each time, and its buffers). Measured through the module in
// Node with every size sent to the host (CPU time, host and Go's code in turns; BENCHMARKS.md, "Host
// primitives"): AES-GCM breaks even at about 1 KiB (Encrypt 1.0x, Decrypt 1.6x; 4 KiB: 2.6x and 3.3x),
// HMAC at about 2 KiB (4 KiB: 1.2x). Below, Go's own code answers. The asymmetric primitives always
// pay (a P-256 signature about 4x, RSA much more).
const (
	hostAESGCMMinBytes = 1024
	hostDigestMinBytes = 2048
)

// minBytes is the smallest input of a symmetric primitive (AES-GCM, a digest, an HMAC) the host is asked
// for: min, or any size from a host whose calls cost about a native function call (abi.CapAnySize:
// the wazero harness, where a 32-byte Encrypt spent some 15% of its time in Go's AES-GCM without
// assembly).
func (e *Engine) minBytes(min int) int {
	if e != nil && e.anySize {
		return 0
	}
	return min
}

// hostKeys holds the host's handle of each private key the engine has loaded, by the key's
// identity (a weak pointer: the table does not keep keys alive). When a key is collected, its
// handle is dropped on the host too.
type hostKeys struct {
	mu      sync.Mutex
	rsa     map[weak.Pointer[rsa.PrivateKey]]int32
	ed25519 map[weak.Pointer[byte]]int32
}

// rsaHandle answers the host's handle of priv, loading it on first use; false if the host cannot.
func (e *Engine) rsaHandle(priv *rsa.PrivateKey) (int32, bool) {
	wp := weak.Make(priv)
	e.keys.mu.Lock()
	h, ok := e.keys.rsa[wp]
	e.keys.mu.Unlock()
	if ok {
		return h, true
	}
	der, err := marshalRSAForHost(priv)
	if err != nil {
		return 0, false
	}
	if h = e.host.LoadKey(abi.KeyRSA, der); h < 1 {
		e.caps.And(^int32(abi.CapRSA))
		return 0, false
	}
	e.keys.mu.Lock()
	if e.keys.rsa == nil {
		e.keys.rsa = map[weak.Pointer[rsa.PrivateKey]]int32{}
	}
	e.keys.rsa[wp] = h
	e.keys.mu.Unlock()
	runtime.AddCleanup(priv, func(h int32) { e.forget(h, func() { delete(e.keys.rsa, wp) }) }, h)
	return h, true
}

// ed25519Handle is rsaHandle for an Ed25519 key (identified by its first byte's address).
func (e *Engine) ed25519Handle(priv ed25519.PrivateKey) (int32, bool) {
	wp := weak.Make(&priv[0])
	e.keys.mu.Lock()
	h, ok := e.keys.ed25519[wp]
	e.keys.mu.Unlock()
	if ok {
		return h, true
	}
	der, err := marshalEd25519PKCS8(priv)
	if err != nil {
		return 0, false
	}
	if h = e.host.LoadKey(abi.KeyEd25519, der); h < 1 {
		e.caps.And(^int32(abi.CapEd25519))
		return 0, false
	}
	e.keys.mu.Lock()
	if e.keys.ed25519 == nil {
		e.keys.ed25519 = map[weak.Pointer[byte]]int32{}
	}
	e.keys.ed25519[wp] = h
	e.keys.mu.Unlock()
	runtime.AddCleanup(&priv[0], func(h int32) { e.forget(h, func() { delete(e.keys.ed25519, wp) }) }, h)
	return h, true
}

// forget runs when a loaded key has been collected: its entry goes, and the host drops its handle.
func (e *Engine) forget(h int32, remove func()) {
	e.keys.mu.Lock()
	remove()
	e.keys.mu.Unlock()
	e.host.DropKey(h)
}

// marshalRSAForHost is the PKCS#8 of a key for the host. Keys of a world are precomputed (the pool's,
// supplied and parsed ones, fresh ones); MarshalPKCS8 would validate the key again first, which
// costs a private-key operation's worth of time in wasm.
func marshalRSAForHost(k *rsa.PrivateKey) ([]byte, error) {
	if len(k.Primes) != 2 || k.Precomputed.Dp == nil || k.Precomputed.Dq == nil || k.Precomputed.Qinv == nil {
		return MarshalPKCS8(k)
	}
	return buildPKCS8(func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oidRSAEncryption)
		b.AddASN1NULL()
	}, func(b *cryptobyte.Builder) { addRSAPrivateKey(b, k) })
}
