package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

var attestNow = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func enclaveKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return k, spki
}

func TestAttestationRoundTrip(t *testing.T) {
	_, spki := enclaveKey(t)
	pcr0 := bytes.Repeat([]byte{0xab}, 48)
	doc, err := MakeAttestation(rand.Reader, AttestationOptions{PublicKey: spki, PCRs: map[int][]byte{0: pcr0, 8: make([]byte, 48)},
		UserData: []byte("user"), Nonce: []byte("nonce")}, attestNow)
	if err != nil {
		t.Fatal(err)
	}
	a, err := VerifyAttestation(doc, [][]byte{NitroTestRootDER}, attestNow.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.PCRs[0], pcr0) || len(a.PCRs) != 2 || !bytes.Equal(a.PublicKeyDER, spki) ||
		string(a.UserData) != "user" || string(a.Nonce) != "nonce" || !a.Timestamp.Equal(attestNow) || a.PublicKey == nil {
		t.Fatalf("attestation = %+v", a)
	}
}

// TestAttestationChainVerifiesWithCryptoX509 holds the hand-written certificates to crypto/x509: the
// root and the leaf a document carries parse, and the leaf verifies to the root.
func TestAttestationChainVerifiesWithCryptoX509(t *testing.T) {
	_, spki := enclaveKey(t)
	doc, err := MakeAttestation(rand.Reader, AttestationOptions{PublicKey: spki}, attestNow)
	if err != nil {
		t.Fatal(err)
	}
	item, _ := decodeCBOR(doc)
	payload, _ := decodeCBOR(item.([]any)[2].([]byte))
	leafDER, _ := cborLookup(payload.([]cborPair), "certificate")
	root, err := x509.ParseCertificate(NitroTestRootDER)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(leafDER.([]byte))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(root)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: attestNow.Add(time.Hour), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Fatal(err)
	}
}

func TestAttestationRefusals(t *testing.T) {
	_, spki := enclaveKey(t)
	doc, err := MakeAttestation(rand.Reader, AttestationOptions{PublicKey: spki}, attestNow)
	if err != nil {
		t.Fatal(err)
	}
	roots := [][]byte{NitroTestRootDER}
	otherRoot := bytes.Clone(NitroTestRootDER)
	otherRoot[len(otherRoot)-5] ^= 1
	cases := map[string]struct {
		doc   []byte
		roots [][]byte
		now   time.Time
	}{
		"expired certificate":  {doc, roots, attestNow.Add(nitroCertLifetime + time.Minute)},
		"not yet valid":        {doc, roots, attestNow.Add(-time.Hour)},
		"untrusted root":       {doc, [][]byte{otherRoot}, attestNow},
		"empty":                {nil, roots, attestNow},
		"not CBOR":             {[]byte("{}"), roots, attestNow},
		"truncated":            {doc[:len(doc)-1], roots, attestNow},
		"deep nesting":         {append(bytes.Repeat([]byte{0x81}, 1000), 0x00), roots, attestNow},
		"huge array count":     {[]byte{0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, roots, attestNow},
		"indefinite length":    {[]byte{0x9f, 0xff}, roots, attestNow},
		"signature tampered":   {flipByte(doc, len(doc)-1), roots, attestNow},
		"payload tampered":     {flipInside(doc, []byte("SHA384")), roots, attestNow},
		"public key tampered":  {flipInside(doc, spki[len(spki)-40:]), roots, attestNow},
		"different timestamp ": {flipInside(doc, []byte("timestamp")), roots, attestNow},
	}
	for name, c := range cases {
		if _, err := VerifyAttestation(c.doc, c.roots, c.now); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
	// Every single-byte change of a document is refused.
	for i := range doc {
		if _, err := VerifyAttestation(flipByte(doc, i), roots, attestNow); err == nil {
			t.Fatalf("byte %d flipped: verified", i)
		}
	}
}

func flipByte(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0x01
	return out
}

func flipInside(b, part []byte) []byte {
	i := bytes.Index(b, part)
	if i < 0 {
		panic("part not found")
	}
	return flipByte(b, i+len(part)-1)
}

// TestSealForRecipientAsTheNitroSDKReadsIt opens CiphertextForRecipient the way AWS's Nitro Enclaves
// SDK does (source/cms.c): the fields inside the indefinite-length headers in order, the RSA-OAEP
// SHA-256 key, then AES-256-CBC.
func TestSealForRecipientAsTheNitroSDKReadsIt(t *testing.T) {
	k, spki := enclaveKey(t)
	for _, size := range []int{0, 1, 15, 16, 32, 1023, 1024, 4096} {
		plaintext := bytes.Repeat([]byte{byte(size)}, size)
		sealed, err := SealForRecipient(rand.Reader, &k.PublicKey, spki, plaintext)
		if err != nil {
			t.Fatal(err)
		}
		got := openLikeNitroSDK(t, k, sealed)
		if !bytes.Equal(got, plaintext) {
			t.Fatalf("size %d: opened %x", size, got)
		}
	}
}

func openLikeNitroSDK(t *testing.T, k *rsa.PrivateKey, b []byte) []byte {
	t.Helper()
	expect := func(prefix []byte) {
		t.Helper()
		if !bytes.HasPrefix(b, prefix) {
			t.Fatalf("expected % x, found % x", prefix, b[:min(len(b), len(prefix)+4)])
		}
		b = b[len(prefix):]
	}
	element := func(tag byte) (content []byte) {
		t.Helper()
		var raw asn1.RawValue
		rest, err := asn1.Unmarshal(b, &raw)
		if err != nil || raw.FullBytes[0] != tag {
			t.Fatalf("element %#x: %v", tag, err)
		}
		b = rest
		return raw.Bytes
	}
	oid := func(o asn1.ObjectIdentifier) []byte { der, _ := asn1.Marshal(o); return der }
	expect([]byte{0x30, 0x80})
	expect(oid(oidEnvelopedData))
	expect([]byte{0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x02})
	recipients := element(0x31)
	var ktri struct {
		Version      int
		RID          asn1.RawValue
		Algorithm    asn1.RawValue
		EncryptedKey []byte
	}
	if _, err := asn1.Unmarshal(recipients, &ktri); err != nil || ktri.Version != 2 || ktri.RID.Tag != 0 {
		t.Fatalf("KeyTransRecipientInfo: %v %+v", err, ktri)
	}
	cek, err := rsa.DecryptOAEP(sha256.New(), nil, k, ktri.EncryptedKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	expect([]byte{0x30, 0x80})
	expect(oid(oidData))
	var alg struct {
		Algorithm asn1.ObjectIdentifier
		IV        []byte
	}
	if _, err := asn1.Unmarshal(b, &alg); err != nil || !alg.Algorithm.Equal(oidAES256CBC) {
		t.Fatalf("content algorithm: %v", err)
	}
	element(0x30)
	expect([]byte{0xa0, 0x80})
	var content []byte
	for b[0] == 0x04 {
		content = append(content, element(0x04)...)
	}
	expect(bytes.Repeat([]byte{0, 0}, 5))
	if len(b) != 0 {
		t.Fatalf("%d bytes after the ContentInfo", len(b))
	}
	block, _ := aes.NewCipher(cek)
	cipher.NewCBCDecrypter(block, alg.IV).CryptBlocks(content, content)
	pad := int(content[len(content)-1])
	return content[:len(content)-pad]
}

// TestSealForRecipientOpensWithOpenSSL: an independent CMS implementation, OpenSSL's `cms -decrypt`,
// opens what SealForRecipient makes.
func TestSealForRecipientOpensWithOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl is not installed: .ci/run installs it (Debian's openssl package)")
	}
	k, spki := enclaveKey(t)
	p8, _ := x509.MarshalPKCS8PrivateKey(k)
	dir := t.TempDir()
	keyFile, inFile := filepath.Join(dir, "key.der"), filepath.Join(dir, "in.der")
	plaintext := []byte("the data key, for the enclave only")
	sealed, err := SealForRecipient(rand.Reader, &k.PublicKey, spki, plaintext)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, p8, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inFile, sealed, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openssl, "cms", "-decrypt", "-inform", "DER", "-in", inFile,
		"-inkey", keyFile, "-keyform", "DER").Output()
	if err != nil {
		t.Fatalf("openssl cms -decrypt: %v", err)
	}
	if !bytes.Equal(out, plaintext) {
		t.Fatalf("openssl opened %q", out)
	}
}

func TestOpenForRecipient(t *testing.T) {
	k, spki := enclaveKey(t)
	other, _ := enclaveKey(t)
	for _, size := range []int{0, 5, 16, 2000} {
		plaintext := bytes.Repeat([]byte{7}, size)
		sealed, err := SealForRecipient(rand.Reader, &k.PublicKey, spki, plaintext)
		if err != nil {
			t.Fatal(err)
		}
		got, err := OpenForRecipient(k, sealed)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("size %d: %v %x", size, err, got)
		}
		if _, err := OpenForRecipient(other, sealed); err == nil {
			t.Fatal("opened with another key")
		}
		if _, err := OpenForRecipient(k, sealed[:len(sealed)-3]); err == nil {
			t.Fatal("opened a truncated message")
		}
	}
}
