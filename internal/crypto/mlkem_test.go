package crypto

import (
	"bytes"
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The ML-KEM tests hold this package (circl inside) to the standard library's crypto/mlkem, an
// independent implementation, for ML-KEM-768 and ML-KEM-1024, and to the NIST ACVP vectors for all
// three parameter sets.

var mlkemParamSets = []int{512, 768, 1024}

func mustGenerateMLKEM(t testing.TB, paramSet int) *MLKEMPrivateKey {
	t.Helper()
	k, err := GenerateMLKEM(rand.Reader, paramSet)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// stdlibKEM is crypto/mlkem's ML-KEM-768 or ML-KEM-1024 behind one face.
type stdlibKEM struct {
	decapsulationKey func(seed []byte) (encapsulationKey []byte, decapsulate func(ct []byte) ([]byte, error), err error)
	encapsulate      func(ek []byte) (ss, ct []byte, err error)
	encapsulateWith  func(ek, m []byte) (ss, ct []byte, err error) // mlkemtest: m given
}

var stdlibKEMs = map[int]stdlibKEM{
	768: {
		decapsulationKey: func(seed []byte) ([]byte, func([]byte) ([]byte, error), error) {
			dk, err := mlkem.NewDecapsulationKey768(seed)
			if err != nil {
				return nil, nil, err
			}
			return dk.EncapsulationKey().Bytes(), dk.Decapsulate, nil
		},
		encapsulate: func(ek []byte) ([]byte, []byte, error) {
			k, err := mlkem.NewEncapsulationKey768(ek)
			if err != nil {
				return nil, nil, err
			}
			ss, ct := k.Encapsulate()
			return ss, ct, nil
		},
		encapsulateWith: func(ek, m []byte) ([]byte, []byte, error) {
			k, err := mlkem.NewEncapsulationKey768(ek)
			if err != nil {
				return nil, nil, err
			}
			return mlkemtest.Encapsulate768(k, m)
		},
	},
	1024: {
		decapsulationKey: func(seed []byte) ([]byte, func([]byte) ([]byte, error), error) {
			dk, err := mlkem.NewDecapsulationKey1024(seed)
			if err != nil {
				return nil, nil, err
			}
			return dk.EncapsulationKey().Bytes(), dk.Decapsulate, nil
		},
		encapsulate: func(ek []byte) ([]byte, []byte, error) {
			k, err := mlkem.NewEncapsulationKey1024(ek)
			if err != nil {
				return nil, nil, err
			}
			ss, ct := k.Encapsulate()
			return ss, ct, nil
		},
		encapsulateWith: func(ek, m []byte) ([]byte, []byte, error) {
			k, err := mlkem.NewEncapsulationKey1024(ek)
			if err != nil {
				return nil, nil, err
			}
			return mlkemtest.Encapsulate1024(k, m)
		},
	},
}

func TestMLKEMStandardLibrary(t *testing.T) {
	for _, ps := range []int{768, 1024} {
		t.Run(fmt.Sprint(ps), func(t *testing.T) {
			std := stdlibKEMs[ps]
			seed := make([]byte, 64)
			rand.Read(seed)
			priv, err := GenerateMLKEM(bytes.NewReader(seed), ps)
			if err != nil {
				t.Fatal(err)
			}
			pub := priv.Public().(*MLKEMPublicKey)

			// The same seed (d ‖ z) makes the same key in crypto/mlkem.
			ek, decapsulate, err := std.decapsulationKey(seed)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ek, pub.Bytes()) {
				t.Fatal("crypto/mlkem derives another encapsulation key from the seed")
			}

			for range 5 {
				// crypto/mlkem encapsulates to our public key; we decapsulate the same secret.
				ss, ct, err := std.encapsulate(pub.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				got, err := MLKEMDecapsulate(priv, ct)
				if err != nil || !bytes.Equal(got, ss) {
					t.Fatalf("decapsulated %x (%v), crypto/mlkem encapsulated %x", got, err, ss)
				}

				// Our encapsulation decapsulates with crypto/mlkem's key from the same seed.
				ss, ct, err = MLKEMEncapsulate(rand.Reader, pub)
				if err != nil {
					t.Fatal(err)
				}
				if len(ss) != 32 || len(ct) != MLKEMCiphertextSize(ps) {
					t.Fatalf("secret of %d bytes, ciphertext of %d", len(ss), len(ct))
				}
				theirs, err := decapsulate(ct)
				if err != nil || !bytes.Equal(theirs, ss) {
					t.Fatalf("crypto/mlkem decapsulated %x (%v), we encapsulated %x", theirs, err, ss)
				}

				// A tampered ciphertext: both give FIPS 203's implicit-rejection secret, the same one.
				ct[len(ct)/2] ^= 0x10
				ours, err := MLKEMDecapsulate(priv, ct)
				if err != nil {
					t.Fatal(err)
				}
				theirs, err = decapsulate(ct)
				if err != nil || !bytes.Equal(ours, theirs) || bytes.Equal(ours, ss) {
					t.Fatalf("tampered ciphertext: %x here, %x in crypto/mlkem (%v), %x encapsulated", ours, theirs, err, ss)
				}
			}

			// With m fixed, the encapsulation is crypto/mlkem's byte for byte: m is the 32 bytes read.
			m := make([]byte, 32)
			rand.Read(m)
			ss, ct, err := MLKEMEncapsulate(bytes.NewReader(m), pub)
			if err != nil {
				t.Fatal(err)
			}
			wantSS, wantCT, err := std.encapsulateWith(pub.Bytes(), m)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ss, wantSS) || !bytes.Equal(ct, wantCT) {
				t.Fatal("encapsulation with a given m differs from crypto/mlkem's")
			}
		})
	}
}

func TestMLKEMRoundTrip(t *testing.T) {
	wantCT := map[int]int{512: 768, 768: 1088, 1024: 1568}
	for _, ps := range mlkemParamSets {
		if MLKEMCiphertextSize(ps) != wantCT[ps] {
			t.Errorf("MLKEMCiphertextSize(%d) = %d", ps, MLKEMCiphertextSize(ps))
		}
		priv := mustGenerateMLKEM(t, ps)
		pub := priv.Public().(*MLKEMPublicKey)
		if priv.ParamSet() != ps || pub.ParamSet() != ps {
			t.Fatal("parameter set")
		}
		ss, ct, err := MLKEMEncapsulate(rand.Reader, pub)
		if err != nil {
			t.Fatal(err)
		}
		got, err := MLKEMDecapsulate(priv, ct)
		if err != nil || !bytes.Equal(got, ss) {
			t.Fatalf("ML-KEM-%d: decapsulated %x (%v), encapsulated %x", ps, got, err, ss)
		}
		other, err := MLKEMDecapsulate(mustGenerateMLKEM(t, ps), ct)
		if err != nil || bytes.Equal(other, ss) {
			t.Fatalf("ML-KEM-%d: another key decapsulates the secret (%v)", ps, err)
		}
		for _, n := range []int{0, len(ct) - 1, len(ct) + 1} {
			bad := make([]byte, n)
			copy(bad, ct)
			if _, err := MLKEMDecapsulate(priv, bad); !errors.Is(err, ErrInvalidCiphertext) {
				t.Errorf("ML-KEM-%d: ciphertext of %d bytes: %v", ps, n, err)
			}
		}
	}
	for _, ps := range []int{0, 44, 256, 2048} {
		if MLKEMCiphertextSize(ps) != 0 {
			t.Errorf("MLKEMCiphertextSize(%d) = %d", ps, MLKEMCiphertextSize(ps))
		}
		if _, err := GenerateMLKEM(rand.Reader, ps); err == nil {
			t.Errorf("generated parameter set %d", ps)
		}
	}
	if _, err := GenerateMLKEM(bytes.NewReader(make([]byte, 63)), 768); err == nil {
		t.Error("generated from 63 bytes of randomness")
	}
	if _, _, err := MLKEMEncapsulate(bytes.NewReader(make([]byte, 31)), mustGenerateMLKEM(t, 512).pub); err == nil {
		t.Error("encapsulated with 31 bytes of randomness")
	}
}

func TestMLKEMACVP(t *testing.T) {
	v := loadPQVectors(t)
	if len(v.MLKEMKeyGen) != 30 || len(v.MLKEMEncap) != 6 {
		t.Fatalf("%d keyGen, %d encapsulation vectors", len(v.MLKEMKeyGen), len(v.MLKEMEncap))
	}
	for _, tc := range v.MLKEMKeyGen {
		// The reader gives d, then z.
		k, err := GenerateMLKEM(bytes.NewReader(append(unhex(t, tc.D), unhex(t, tc.Z)...)), tc.ParamSet)
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256Hex(k.pub.Bytes()); got != tc.EkSHA256 {
			t.Errorf("ML-KEM-%d tcId %d: encapsulation key hash %s, want %s", tc.ParamSet, tc.TcID, got, tc.EkSHA256)
		}
	}
	for _, tc := range v.MLKEMEncap {
		p := mlkemParamsFor(tc.ParamSet)
		ek := unhex(t, tc.Ek)
		key, err := p.scheme.UnmarshalBinaryPublicKey(ek)
		if err != nil {
			t.Fatal(err)
		}
		pub := &MLKEMPublicKey{params: p, key: key, raw: ek}
		ss, ct, err := MLKEMEncapsulate(bytes.NewReader(unhex(t, tc.M)), pub)
		if err != nil {
			t.Fatal(err)
		}
		if sha256Hex(ct) != tc.CSHA256 || !strings.EqualFold(fmt.Sprintf("%x", ss), tc.K) {
			t.Errorf("ML-KEM-%d tcId %d: another ciphertext or secret", tc.ParamSet, tc.TcID)
		}
	}
}

func TestMLKEMEncodings(t *testing.T) {
	wantPublic := map[int]int{512: 800, 768: 1184, 1024: 1568}
	for _, ps := range mlkemParamSets {
		t.Run(fmt.Sprint(ps), func(t *testing.T) {
			priv := mustGenerateMLKEM(t, ps)
			pub := priv.Public().(*MLKEMPublicKey)
			if len(pub.Bytes()) != wantPublic[ps] {
				t.Fatalf("public key of %d bytes, want %d", len(pub.Bytes()), wantPublic[ps])
			}
			oidLast := map[int]byte{512: 1, 768: 2, 1024: 3}[ps]
			oid := asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 4, int(oidLast)}

			// SPKI: the same from both halves; by hand, and as encoding/asn1 reads it.
			spki, err := MarshalSPKI(pub)
			if err != nil {
				t.Fatal(err)
			}
			fromPriv, err := MarshalSPKI(priv)
			if err != nil || !bytes.Equal(fromPriv, spki) {
				t.Fatal("SPKI of the private key differs", err)
			}
			n := len(pub.Bytes()) + 1
			prefix := []byte{0x30, 0x82, byte((n + 17) >> 8), byte(n + 17),
				0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, oidLast,
				0x03, 0x82, byte(n >> 8), byte(n), 0x00}
			if !bytes.Equal(spki, append(prefix, pub.Bytes()...)) {
				t.Fatalf("SPKI %x...", spki[:32])
			}
			var info struct {
				Algorithm struct {
					OID    asn1.ObjectIdentifier
					Params asn1.RawValue `asn1:"optional"`
				}
				Key asn1.BitString
			}
			if rest, err := asn1.Unmarshal(spki, &info); err != nil || len(rest) != 0 {
				t.Fatal("encoding/asn1 cannot read the SPKI", err)
			}
			if !info.Algorithm.OID.Equal(oid) || info.Algorithm.Params.FullBytes != nil ||
				info.Key.BitLength != 8*len(pub.Bytes()) || !bytes.Equal(info.Key.Bytes, pub.Bytes()) {
				t.Fatalf("SPKI reads as %v %x", info.Algorithm.OID, info.Algorithm.Params.FullBytes)
			}

			// PKCS#8: the seed form, byte for byte, read back to an equal key.
			der, err := MarshalPKCS8(priv)
			if err != nil {
				t.Fatal(err)
			}
			want := pkcs8Raw(t, oid, nil, append([]byte{0x80, 64}, priv.seed[:]...))
			if !bytes.Equal(der, want) || len(der) != 86 {
				t.Fatalf("PKCS#8 %x", der)
			}
			parsed, err := ParsePKCS8(der)
			if err != nil {
				t.Fatal(err)
			}
			back, ok := parsed.(*MLKEMPrivateKey)
			if !ok || !back.Equal(priv) || !back.Public().(*MLKEMPublicKey).Equal(pub) {
				t.Fatalf("PKCS#8 reads back as %T, another key", parsed)
			}
			ss, ct, err := MLKEMEncapsulate(rand.Reader, pub)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := MLKEMDecapsulate(back, ct); err != nil || !bytes.Equal(got, ss) {
				t.Fatal("the key read back does not decapsulate", err)
			}

			for name, der := range map[string][]byte{
				"short seed":   pkcs8Raw(t, oid, nil, append([]byte{0x80, 63}, priv.seed[:63]...)),
				"ML-DSA seed":  pkcs8Raw(t, oid, nil, append([]byte{0x80, 32}, priv.seed[:32]...)),
				"expanded key": pkcs8Raw(t, oid, nil, append([]byte{0x04, 64}, priv.seed[:]...)),
				"parameters":   pkcs8Raw(t, oid, []byte{0x05, 0x00}, append([]byte{0x80, 64}, priv.seed[:]...)),
			} {
				if k, err := ParsePKCS8(der); err == nil {
					t.Errorf("%s: read as %T", name, k)
				}
			}
		})
	}
}

func TestMLKEMGenerateIsReproducible(t *testing.T) {
	seed := strings.Repeat("s", 64)
	a, err := GenerateMLKEM(strings.NewReader(seed), 1024)
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateMLKEM(strings.NewReader(seed), 1024)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) || !a.pub.Equal(b.pub) || a.Equal(mustGenerateMLKEM(t, 1024)) {
		t.Fatal("keys from one seed differ, or a fresh key equals them")
	}
	c, err := GenerateMLKEM(strings.NewReader(seed), 512)
	if err != nil {
		t.Fatal(err)
	}
	if a.Equal(c) || a.pub.Equal(c.pub) {
		t.Fatal("keys of two parameter sets are equal")
	}
}

func BenchmarkGenerateMLKEM(b *testing.B) {
	for _, ps := range mlkemParamSets {
		b.Run(fmt.Sprint(ps), func(b *testing.B) {
			for b.Loop() {
				if _, err := GenerateMLKEM(rand.Reader, ps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMLKEMEncapsulate(b *testing.B) {
	for _, ps := range mlkemParamSets {
		pub := mustGenerateMLKEM(b, ps).pub
		b.Run(fmt.Sprint(ps), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := MLKEMEncapsulate(rand.Reader, pub); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMLKEMDecapsulate(b *testing.B) {
	for _, ps := range mlkemParamSets {
		priv := mustGenerateMLKEM(b, ps)
		_, ct, err := MLKEMEncapsulate(rand.Reader, priv.pub)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(ps), func(b *testing.B) {
			for b.Loop() {
				if _, err := MLKEMDecapsulate(priv, ct); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
