package crypto

import (
	"bytes"
	"crypto/rand"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	testKeyID    = "1234abcd-12ab-34cd-56ef-1234567890ab"
	testMRKKeyID = "mrk-1234abcd12ab34cd56ef1234567890ab"
)

func newTestKey(t testing.TB) SymmetricKey {
	t.Helper()
	k, err := NewSymmetricKey(rand.Reader)
	require.NoError(t, err)
	return k
}

func TestBlobSizesMatchRealKMS(t *testing.T) {
	raw, err := os.ReadFile("testdata/blob_sizes.json")
	require.NoError(t, err)
	var file struct {
		Vectors []struct {
			Plaintext, Blob int
			Source          string
		}
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	require.NotEmpty(t, file.Vectors)
	key := newTestKey(t)
	for _, v := range file.Vectors {
		blob, err := EncryptSymmetric(rand.Reader, key, testKeyID, nil, make([]byte, v.Plaintext))
		require.NoError(t, err)
		require.Lenf(t, blob, v.Blob, "plaintext of %d bytes (%s)", v.Plaintext, v.Source)
	}
}

func TestBlobStartsLikeRealKMS(t *testing.T) {
	blob, err := EncryptSymmetric(rand.Reader, newTestKey(t), testKeyID, nil, []byte("secret"))
	require.NoError(t, err)
	require.Equal(t, []byte{0x01, 0x02, 0x02, 0x00, 0x78}, blob[:5])
	require.Equal(t, "AQICAH", base64.StdEncoding.EncodeToString(blob)[:6])
}

func TestSymmetricRoundTrip(t *testing.T) {
	key := newTestKey(t)
	cases := []struct {
		name      string
		keyID     string
		context   map[string]string
		plaintext []byte
	}{
		{"uuid key, no context", testKeyID, nil, []byte("hello")},
		{"multi-Region key", testMRKKeyID, nil, []byte("hello")},
		{"with context", testKeyID, map[string]string{"purpose": "test", "a": ""}, []byte{0}},
		{"empty plaintext", testKeyID, nil, nil},
		{"4096 bytes", testKeyID, map[string]string{"k": "v"}, bytes.Repeat([]byte{0xab}, 4096)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			blob, err := EncryptSymmetric(rand.Reader, key, c.keyID, c.context, c.plaintext)
			require.NoError(t, err)
			keyID, backing, err := ParseSymmetricBlob(blob)
			require.NoError(t, err)
			require.Equal(t, c.keyID, keyID)
			require.Equal(t, key.BackingID, backing)
			got, err := DecryptSymmetric(key, blob, c.context)
			require.NoError(t, err)
			require.Equal(t, len(c.plaintext), len(got))
			require.True(t, bytes.Equal(c.plaintext, got))
		})
	}
}

func TestSymmetricBlobsAreFresh(t *testing.T) {
	key := newTestKey(t)
	a, err := EncryptSymmetric(rand.Reader, key, testKeyID, nil, []byte("same"))
	require.NoError(t, err)
	b, err := EncryptSymmetric(rand.Reader, key, testKeyID, nil, []byte("same"))
	require.NoError(t, err)
	require.NotEqual(t, a, b)
}

func TestDecryptSymmetricRejects(t *testing.T) {
	key := newTestKey(t)
	ctx := map[string]string{"ab": "c"}
	blob, err := EncryptSymmetric(rand.Reader, key, testKeyID, ctx, []byte("payload"))
	require.NoError(t, err)
	otherMaterial := newTestKey(t)
	otherMaterial.BackingID = key.BackingID // same backing ID, other material: the tag must fail
	cases := []struct {
		name    string
		key     SymmetricKey
		blob    []byte
		context map[string]string
	}{
		{"no context", key, blob, nil},
		{"ambiguous context", key, blob, map[string]string{"a": "bc"}},
		{"context case differs", key, blob, map[string]string{"AB": "c"}},
		{"extra pair", key, blob, map[string]string{"ab": "c", "d": "e"}},
		{"other backing key", newTestKey(t), blob, ctx},
		{"other material", otherMaterial, blob, ctx},
		{"trailing byte", key, append(bytes.Clone(blob), 0), ctx},
		{"truncated", key, blob[:len(blob)-1], ctx},
		{"header only", key, blob[:54], ctx},
		{"empty", key, nil, ctx},
		{"future version", key, append([]byte{0x01, 0x02, 0x02, 0x00, 0x79}, blob[5:]...), ctx},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecryptSymmetric(c.key, c.blob, c.context)
			require.ErrorIs(t, err, ErrInvalidCiphertext)
			require.Nil(t, got)
		})
	}
}

func TestEncryptSymmetricRejectsBadKeyIDs(t *testing.T) {
	key := newTestKey(t)
	for _, id := range []string{"", "alias/x", "1234ABCD-12ab-34cd-56ef-1234567890ab", "mrk-1234", "1234abcd-12ab-34cd-56ef-1234567890ag",
		"1234abcd+12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890aB"} {
		_, err := EncryptSymmetric(rand.Reader, key, id, nil, []byte("x"))
		require.Error(t, err, id)
	}
	_, err := EncryptSymmetric(rand.Reader, SymmetricKey{Material: make([]byte, 16)}, testKeyID, nil, []byte("x"))
	require.Error(t, err, "AES-128 material")
}

// The blob after its 58-byte header must be real DER that encoding/asn1, an independent parser,
// reads as a CMS ContentInfo holding an EncryptedData with AES-256-GCM parameters.
func TestBlobIsCMSEncryptedData(t *testing.T) {
	type gcmParameters struct {
		Nonce  []byte
		ICVLen int
	}
	type algorithmIdentifier struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters gcmParameters
	}
	type encryptedContentInfo struct {
		ContentType      asn1.RawValue // a UUID OID: its arc does not fit an int
		Algorithm        algorithmIdentifier
		EncryptedContent []byte `asn1:"tag:0,implicit"`
	}
	type encryptedData struct {
		Version int
		Info    encryptedContentInfo
	}
	type contentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     encryptedData `asn1:"explicit,tag:0"`
	}
	for _, n := range []int{0, 7, 35, 36, 78, 200, 4096} {
		blob, err := EncryptSymmetric(rand.Reader, newTestKey(t), testKeyID, nil, make([]byte, n))
		require.NoError(t, err)
		var ci contentInfo
		rest, err := asn1.Unmarshal(blob[58:], &ci)
		require.NoError(t, err, "plaintext %d", n)
		require.Empty(t, rest)
		require.Equal(t, asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}, ci.ContentType)
		require.Equal(t, 0, ci.Content.Version)
		info := ci.Content.Info
		require.Equal(t, asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 46}, info.Algorithm.Algorithm)
		require.Len(t, info.Algorithm.Parameters.Nonce, 12)
		require.Equal(t, 16, info.Algorithm.Parameters.ICVLen)
		require.Len(t, info.EncryptedContent, n+16)
		require.Equal(t, asn1.TagOID, info.ContentType.Tag)
		require.Equal(t, uuidOIDContent(t, "675c4a47-b8f9-45f1-8b0e-160b988283aa"), info.ContentType.Bytes)
		// Re-encoding what encoding/asn1 read gives the same bytes: the blob is DER, not just BER.
		again, err := asn1.Marshal(ci)
		require.NoError(t, err)
		require.Equal(t, blob[58:], again)
	}
}

// uuidOIDContent encodes the OID 2.25.<uuid as an integer> (ITU-T X.667), computed here from the
// UUID's text so the constant in blob.go is checked against its definition.
func uuidOIDContent(t *testing.T, uuid string) []byte {
	n, ok := new(big.Int).SetString(uuid[0:8]+uuid[9:13]+uuid[14:18]+uuid[19:23]+uuid[24:], 16)
	require.True(t, ok)
	var arc []byte
	for first := true; first || n.Sign() > 0; first = false {
		b := byte(new(big.Int).And(n, big.NewInt(0x7f)).Int64())
		if !first {
			b |= 0x80
		}
		arc = append([]byte{b}, arc...)
		n.Rsh(n, 7)
	}
	return append([]byte{2*40 + 25}, arc...)
}

func TestParseSymmetricBlobErrorsAreTyped(t *testing.T) {
	_, _, err := ParseSymmetricBlob([]byte("AQICAH not a blob"))
	require.True(t, errors.Is(err, ErrInvalidCiphertext))
}
