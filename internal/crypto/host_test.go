package crypto

import (
	"bytes"
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"io"
	"math/big"
	mathrand "math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/crypto/nativehost"
)

// The differential test of the host's primitives (host.go): an Engine over native Go's primitives
// (nativehost, what the wazero harness supplies) against the package's own code, over many inputs.
// Deterministic operations, and randomised ones given the same reader, must give the same bytes;
// randomised ones given fresh randomness must verify with the other side's code. A host that fails
// must change nothing but the speed.

// countingHost counts the primitives it ran, and fails every one once failing is set.
type countingHost struct {
	*nativehost.Host
	calls   map[string]*atomic.Int64
	failing atomic.Bool
}

func newCountingHost() *countingHost {
	h := &countingHost{Host: &nativehost.Host{}, calls: map[string]*atomic.Int64{}}
	for _, name := range []string{"seal", "open", "rsa", "ec", "ecpoint", "ed25519", "digest", "hmac"} {
		h.calls[name] = new(atomic.Int64)
	}
	return h
}

func (h *countingHost) count(name string, result int32) int32 {
	if h.failing.Load() {
		return abi.HostUnavailable
	}
	h.calls[name].Add(1)
	return result
}

func (h *countingHost) SealAESGCM(key, nonce, plaintext, aad, out []byte) int32 {
	return h.count("seal", h.Host.SealAESGCM(key, nonce, plaintext, aad, out))
}

func (h *countingHost) OpenAESGCM(key, nonce, sealed, aad, out []byte) int32 {
	return h.count("open", h.Host.OpenAESGCM(key, nonce, sealed, aad, out))
}

func (h *countingHost) RSAPrivate(handle int32, in, out []byte) int32 {
	return h.count("rsa", h.Host.RSAPrivate(handle, in, out))
}

func (h *countingHost) ECBaseMult(curve int32, scalar, x []byte) int32 {
	return h.count("ec", h.Host.ECBaseMult(curve, scalar, x))
}

func (h *countingHost) ECBasePoint(curve int32, scalar, point []byte) int32 {
	return h.count("ecpoint", h.Host.ECBasePoint(curve, scalar, point))
}

func (h *countingHost) SignEd25519(handle int32, message, sig []byte) int32 {
	return h.count("ed25519", h.Host.SignEd25519(handle, message, sig))
}

func (h *countingHost) Digest(id int32, in, out []byte) int32 {
	return h.count("digest", h.Host.Digest(id, in, out))
}

func (h *countingHost) HMAC(id int32, key, in, out []byte) int32 {
	return h.count("hmac", h.Host.HMAC(id, key, in, out))
}

func (h *countingHost) used(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		require.Positive(t, h.calls[name].Load(), "the host's %s was never used", name)
	}
}

// twinReaders are two readers of the same stream, one for each side.
func twinReaders(seed uint64) (*seeded, *seeded) {
	return newSeeded(byte(seed)), newSeeded(byte(seed))
}

// sizes crosses the thresholds below which Go's own code answers.
var hostTestSizes = []int{0, 1, 31, 32, hostAESGCMMinBytes - 1, hostAESGCMMinBytes, 1000, hostDigestMinBytes - 1,
	hostDigestMinBytes, 4096}

func TestNewEngineWithoutCapabilities(t *testing.T) {
	require.Nil(t, NewEngine(nil))
	require.Nil(t, NewEngine(noCapabilities{newCountingHost()}))
	var e *Engine
	require.Zero(t, e.Capabilities())
	require.Equal(t, int32(nativehost.Capabilities), NewEngine(&nativehost.Host{}).Capabilities())
}

type noCapabilities struct{ *countingHost }

// sizeBound is a host without abi.CapAnySize, as every JS host is.
type sizeBound struct{ *countingHost }

func (sizeBound) Capabilities() int32 { return nativehost.Capabilities &^ abi.CapAnySize }

// A host with abi.CapAnySize (nativehost's) gets AES-GCM and HMAC of every size; one without, only from
// the sizes where a JS host pays, below which Go's code answers.
func TestHostTakesSmallInputsOnlyWithAnySize(t *testing.T) {
	key, err := NewSymmetricKey(rand.Reader)
	require.NoError(t, err)
	for _, anySize := range []bool{true, false} {
		host := newCountingHost()
		var e *Engine
		if anySize {
			e = NewEngine(host)
		} else {
			e = NewEngine(sizeBound{host})
		}
		require.Equal(t, anySize, e.Capabilities()&abi.CapAnySize != 0)
		blob, err := e.EncryptSymmetric(rand.Reader, key, "1234abcd-12ab-34cd-56ef-1234567890ab", nil, make([]byte, 32))
		require.NoError(t, err)
		_, err = e.DecryptSymmetric(key, blob, nil)
		require.NoError(t, err)
		_, err = e.MAC("HMAC_SHA_256", []byte("k"), make([]byte, 32))
		require.NoError(t, err)
		for _, name := range []string{"seal", "open", "hmac"} {
			require.Equal(t, anySize, host.calls[name].Load() > 0, "%s of 32 bytes, CapAnySize %v", name, anySize)
		}
	}
}

func (noCapabilities) Capabilities() int32 { return 0 }

func TestHostSymmetricBlobIsGos(t *testing.T) {
	host := newCountingHost()
	e := NewEngine(host)
	prng := mathrand.New(mathrand.NewPCG(1, 2))
	for i := range 200 {
		size := hostTestSizes[i%len(hostTestSizes)]
		if i >= len(hostTestSizes) {
			size = prng.IntN(5000)
		}
		key, err := NewSymmetricKey(rand.Reader)
		require.NoError(t, err)
		plaintext := randomBytes(prng, size)
		context := map[string]string{}
		for j := range prng.IntN(3) {
			context[fmt.Sprint("k", j)] = fmt.Sprint(prng.Int())
		}
		a, b := twinReaders(uint64(i))
		goBlob, err := EncryptSymmetric(a, key, "1234abcd-12ab-34cd-56ef-1234567890ab", context, plaintext)
		require.NoError(t, err)
		hostBlob, err := e.EncryptSymmetric(b, key, "1234abcd-12ab-34cd-56ef-1234567890ab", context, plaintext)
		require.NoError(t, err)
		require.Equal(t, goBlob, hostBlob, "size %d", size)

		opened, err := e.DecryptSymmetric(key, goBlob, context)
		require.NoError(t, err)
		require.True(t, bytes.Equal(plaintext, opened))
		// A flipped bit anywhere, or another context, fails on both sides alike.
		bad := bytes.Clone(goBlob)
		bad[len(bad)-1-prng.IntN(min(len(bad)-58, 40))] ^= 1 << prng.IntN(8)
		_, goErr := DecryptSymmetric(key, bad, context)
		_, hostErr := e.DecryptSymmetric(key, bad, context)
		require.ErrorIs(t, goErr, ErrInvalidCiphertext)
		require.ErrorIs(t, hostErr, ErrInvalidCiphertext)
		_, hostErr = e.DecryptSymmetric(key, goBlob, map[string]string{"other": "context"})
		require.ErrorIs(t, hostErr, ErrInvalidCiphertext)
	}
	host.used(t, "seal", "open")
}

func TestHostRSADecryptionIsGos(t *testing.T) {
	host := newCountingHost()
	e := NewEngine(host)
	pool := NewRSAPool(rand.Reader)
	prng := mathrand.New(mathrand.NewPCG(3, 4))
	for _, bits := range []int{2048, 3072, 4096} {
		priv, err := pool.Key(bits)
		require.NoError(t, err)
		for _, h := range []OAEPHash{OAEPSHA1, OAEPSHA256} {
			for range 10 {
				plaintext := randomBytes(prng, prng.IntN(OAEPMaxPlaintext(&priv.PublicKey, h)+1))
				ciphertext, err := RSAEncryptOAEP(rand.Reader, &priv.PublicKey, h, plaintext)
				require.NoError(t, err)
				got, err := e.RSADecryptOAEP(priv, h, ciphertext)
				require.NoError(t, err)
				require.True(t, bytes.Equal(plaintext, got))

				// Not OAEP, too long, too short, at least the modulus: refused on both sides alike.
				for _, bad := range [][]byte{randomBytes(prng, priv.Size()), ciphertext[1:], append(bytes.Clone(ciphertext), 0),
					priv.N.FillBytes(make([]byte, priv.Size())), bytes.Repeat([]byte{0xff}, priv.Size())} {
					_, goErr := RSADecryptOAEP(priv, h, bad)
					_, hostErr := e.RSADecryptOAEP(priv, h, bad)
					require.ErrorIs(t, goErr, ErrInvalidCiphertext)
					require.ErrorIs(t, hostErr, ErrInvalidCiphertext)
				}
			}
			material := randomBytes(prng, 32)
			wrapped, err := RSAAESWrap(rand.Reader, &priv.PublicKey, h, randomBytes(prng, 32), material)
			require.NoError(t, err)
			got, err := e.RSAAESUnwrap(priv, h, wrapped)
			require.NoError(t, err)
			require.Equal(t, material, got)
		}
	}
	host.used(t, "rsa")
}

func randomBytes(prng *mathrand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(prng.Uint32())
	}
	return b
}

// hostSigningKeys is a key of every type the host signs with, and two it does not (SM2, ML-DSA).
func hostSigningKeys(t *testing.T) map[string]any {
	t.Helper()
	keys := map[string]any{}
	pool := NewRSAPool(rand.Reader)
	for _, bits := range []int{2048, 3072, 4096} {
		k, err := pool.Key(bits)
		require.NoError(t, err)
		keys[fmt.Sprint("RSA_", bits)] = k
	}
	for name, curve := range map[string]elliptic.Curve{"P256": elliptic.P256(), "P384": elliptic.P384(), "P521": elliptic.P521()} {
		k, err := GenerateECDSA(rand.Reader, curve)
		require.NoError(t, err)
		keys[name] = k
	}
	var err error
	keys["SECP256K1"], err = GenerateSecp256k1(rand.Reader)
	require.NoError(t, err)
	keys["ED25519"], err = GenerateEd25519(rand.Reader)
	require.NoError(t, err)
	keys["SM2"], err = GenerateSM2(rand.Reader)
	require.NoError(t, err)
	return keys
}

var algorithmsOf = map[string][]string{
	"RSA":     {"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"},
	"EC":      {"ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512"},
	"ED25519": {"ED25519_SHA_512", "ED25519_PH_SHA_512"},
	"SM2":     {"SM2DSA"},
}

func algorithmsFor(name string) []string {
	switch name {
	case "ED25519", "SM2":
		return algorithmsOf[name]
	case "P256", "P384", "P521", "SECP256K1":
		return algorithmsOf["EC"]
	}
	return algorithmsOf["RSA"]
}

func TestHostSignaturesAreGos(t *testing.T) {
	host := newCountingHost()
	e := NewEngine(host)
	prng := mathrand.New(mathrand.NewPCG(5, 6))
	for name, priv := range hostSigningKeys(t) {
		for _, algorithm := range algorithmsFor(name) {
			for i, size := range []int{0, hostDigestMinBytes - 1, hostDigestMinBytes} {
				message := randomBytes(prng, size)
				types := []string{messageRaw}
				if SignatureDigestSize(algorithm) > 0 {
					types = append(types, messageDigest)
				}
				for _, messageType := range types {
					if messageType == messageDigest {
						message = randomBytes(prng, SignatureDigestSize(algorithm))
					}
					what := fmt.Sprintf("%s %s %s %d B", name, algorithm, messageType, len(message))
					// A seeded world's reader: the same bytes (RFC 6979's ECDSA, the PSS salt drawn alike).
					a, b := twinReaders(uint64(i))
					goSig, err := Sign(Deterministic{a}, priv, algorithm, messageType, message)
					require.NoError(t, err, what)
					hostSig, err := e.Sign(Deterministic{b}, priv, algorithm, messageType, message)
					require.NoError(t, err, what)
					require.Equal(t, goSig, hostSig, what)
					require.Equal(t, a.n, b.n, "%s: both sides read as much", what)
					// Fresh randomness: the host's signature verifies with Go's code.
					hostSig, err = e.Sign(rand.Reader, priv, algorithm, messageType, message)
					require.NoError(t, err, what)
					require.True(t, Verify(publicOf(priv), algorithm, messageType, message, hostSig), what)
				}
			}
		}
	}
	host.used(t, "rsa", "ec", "ed25519", "digest")
}

func publicOf(priv any) any {
	return priv.(interface{ Public() crypto.PublicKey }).Public()
}

func TestHostMACIsGos(t *testing.T) {
	host := newCountingHost()
	e := NewEngine(host)
	prng := mathrand.New(mathrand.NewPCG(7, 8))
	for _, algorithm := range []string{"HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512"} {
		for _, size := range append(hostTestSizes, 4095) {
			key, message := randomBytes(prng, 16+prng.IntN(200)), randomBytes(prng, size)
			want, err := MAC(algorithm, key, message)
			require.NoError(t, err)
			got, err := e.MAC(algorithm, key, message)
			require.NoError(t, err)
			require.Equal(t, want, got, "%s %d B", algorithm, size)
		}
	}
	_, err := e.MAC("HMAC_SHA_1", nil, nil)
	require.Error(t, err)
	host.used(t, "hmac")
}

// A host whose primitives fail is asked no more, and every answer is still Go's.
func TestFailingHostFallsBackToGo(t *testing.T) {
	host := newCountingHost()
	host.failing.Store(true)
	e := NewEngine(host)
	require.Equal(t, int32(nativehost.Capabilities), e.Capabilities())
	keys := hostSigningKeys(t)
	for name, priv := range keys {
		for _, algorithm := range algorithmsFor(name) {
			message := make([]byte, 4096)
			a, b := twinReaders(9)
			goSig, err := Sign(Deterministic{a}, priv, algorithm, messageRaw, message)
			require.NoError(t, err)
			hostSig, err := e.Sign(Deterministic{b}, priv, algorithm, messageRaw, message)
			require.NoError(t, err)
			require.Equal(t, goSig, hostSig, "%s %s", name, algorithm)
		}
	}
	key, err := NewSymmetricKey(rand.Reader)
	require.NoError(t, err)
	a, b := twinReaders(10)
	plaintext := make([]byte, 4096)
	goBlob, err := EncryptSymmetric(a, key, "1234abcd-12ab-34cd-56ef-1234567890ab", nil, plaintext)
	require.NoError(t, err)
	hostBlob, err := e.EncryptSymmetric(b, key, "1234abcd-12ab-34cd-56ef-1234567890ab", nil, plaintext)
	require.NoError(t, err)
	require.Equal(t, goBlob, hostBlob)
	opened, err := e.DecryptSymmetric(key, hostBlob, nil)
	require.NoError(t, err)
	require.Equal(t, plaintext, opened)
	rsaKey := keys["RSA_2048"].(*rsa.PrivateKey)
	ciphertext, err := RSAEncryptOAEP(rand.Reader, &rsaKey.PublicKey, OAEPSHA256, []byte("secret"))
	require.NoError(t, err)
	got, err := e.RSADecryptOAEP(rsaKey, OAEPSHA256, ciphertext)
	require.NoError(t, err)
	require.Equal(t, []byte("secret"), got)
	mac, err := e.MAC("HMAC_SHA_256", []byte("k"), plaintext)
	require.NoError(t, err)
	want, _ := MAC("HMAC_SHA_256", []byte("k"), plaintext)
	require.Equal(t, want, mac)
	require.Zero(t, e.Capabilities(), "every primitive failed, so none is asked again")
	require.Zero(t, e.PrimitivesRun())
}

// rsaPrivateGo is what a PSS signature falls back to once its salt is drawn and the host fails.
func TestRSAPrivateGoIsTheRawOperation(t *testing.T) {
	priv, err := NewRSAPool(rand.Reader).Key(2048)
	require.NoError(t, err)
	host := &nativehost.Host{}
	h := host.LoadKey(abi.KeyRSA, must(MarshalPKCS8(priv)))
	prng := mathrand.New(mathrand.NewPCG(11, 12))
	for range 20 {
		in := randomBytes(prng, priv.Size())
		in[0] &= 0x7f
		want := make([]byte, priv.Size())
		require.Equal(t, int32(abi.HostOK), host.RSAPrivate(h, in, want))
		got, err := rsaPrivateGo(priv, in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	bad := *priv
	bad.Precomputed.Dp = new(big.Int).Add(priv.Precomputed.Dp, bigOne)
	_, err = rsaPrivateGo(&bad, make([]byte, priv.Size()-1))
	if err == nil { // 0^d is 0 with any d; another input shows the wrong Dp
		_, err = rsaPrivateGo(&bad, append([]byte{0}, randomBytes(prng, priv.Size()-1)...))
	}
	require.Error(t, err)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The host's handle of a key goes when the key is collected.
func TestHostKeyHandlesAreDroppedWithTheirKeys(t *testing.T) {
	host := &nativehost.Host{}
	e := NewEngine(host)
	func() {
		pool := NewRSAPool(rand.Reader)
		for range 3 {
			priv, err := pool.Key(2048)
			require.NoError(t, err)
			_, err = e.Sign(rand.Reader, priv, "RSASSA_PKCS1_V1_5_SHA_256", messageRaw, []byte("m"))
			require.NoError(t, err)
			_, err = e.Sign(rand.Reader, priv, "RSASSA_PKCS1_V1_5_SHA_256", messageRaw, []byte("again"))
			require.NoError(t, err)
		}
		ed, err := GenerateEd25519(rand.Reader)
		require.NoError(t, err)
		_, err = e.Sign(rand.Reader, ed, "ED25519_SHA_512", messageRaw, []byte("m"))
		require.NoError(t, err)
		require.Equal(t, 4, host.Keys(), "one handle per key, however often it signs")
	}()
	deadline := time.Now().Add(10 * time.Second)
	for host.Keys() > 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	require.Zero(t, host.Keys())
}

// ECDSA keys made with the host's public point are Go's: the same scalar from the same bytes (the
// same number of them drawn, the refused draws too) and the same point, on every NIST curve; with a
// failing host too.
func TestHostECDSAKeyIsGos(t *testing.T) {
	host := newCountingHost()
	e := NewEngine(host)
	same := func(t *testing.T, curve elliptic.Curve, a, b io.Reader, counted func() (int, int)) {
		t.Helper()
		goKey, err := GenerateECDSA(a, curve)
		require.NoError(t, err)
		hostKey, err := e.GenerateECDSA(b, curve)
		require.NoError(t, err)
		require.Equal(t, goKey.D, hostKey.D)
		require.Equal(t, goKey.X, hostKey.X)
		require.Equal(t, goKey.Y, hostKey.Y)
		require.Equal(t, goKey.Curve, hostKey.Curve)
		if counted != nil {
			goDrawn, hostDrawn := counted()
			require.Equal(t, goDrawn, hostDrawn, "the same bytes drawn")
		}
	}
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		for i := range 40 {
			a, b := twinReaders(uint64(i))
			same(t, curve, a, b, func() (int, int) { return a.n, b.n })
		}
		// Draws refused (zero, the order, all ones) before a good one, on both sides alike.
		size := (curve.Params().N.BitLen() + 7) / 8
		order := curve.Params().N.FillBytes(make([]byte, size))
		if excess := size*8 - curve.Params().N.BitLen(); excess > 0 { // drawn bytes are shifted right by the excess
			order = new(big.Int).Lsh(curve.Params().N, uint(excess)).FillBytes(make([]byte, size))
		}
		refused := append(append(make([]byte, size), order...), bytes.Repeat([]byte{0xff}, size)...)
		a, b := twinReaders(99)
		same(t, curve, io.MultiReader(bytes.NewReader(refused), a), io.MultiReader(bytes.NewReader(refused), b),
			func() (int, int) { return a.n, b.n })
	}
	host.used(t, "ecpoint")

	// secp256k1 is not GenerateECDSA's, with or without a host.
	_, err := e.GenerateECDSA(rand.Reader, Secp256k1())
	require.Error(t, err)

	host.failing.Store(true)
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P521()} {
		a, b := twinReaders(7)
		same(t, curve, a, b, nil)
	}
	require.Zero(t, e.Capabilities()&(abi.CapCurve(abi.CurveP256)|abi.CapCurve(abi.CurveP521)), "a failed curve is asked no more")
}
