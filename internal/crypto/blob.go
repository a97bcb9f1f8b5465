package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"io"
	"sync"
)

// The symmetric CiphertextBlob, format version 1 (the prefix bytes are the version). BLOB.md has
// the same layout with the reasoning behind it; keep the two in step.
//
//	offset size  field
//	0      5     format prefix 01 02 02 00 78 (real KMS blobs start with these bytes: base64 "AQICAH")
//	5      1     key ID kind: 0x01 single-Region key (UUID), 0x02 multi-Region key (mrk-)
//	6      16    key ID: the 128 bits its 32 hex digits spell
//	22     32    backing ID: which version of the key material sealed this blob
//	54     4     length of what follows, big-endian
//	58     ...   DER CMS ContentInfo (RFC 5652) holding an EncryptedData:
//
//	ContentInfo ::= SEQUENCE {
//	  contentType  id-encryptedData (1.2.840.113549.1.7.6),
//	  content [0] EXPLICIT EncryptedData ::= SEQUENCE {
//	    version 0,
//	    encryptedContentInfo SEQUENCE {
//	      contentType  2.25.137389681457588342422480419648767689642 (wasmkms plaintext, a UUID OID),
//	      contentEncryptionAlgorithm SEQUENCE {
//	        id-aes256-GCM (2.16.840.1.101.3.4.1.46),
//	        GCMParameters SEQUENCE { aes-nonce OCTET STRING (12 random bytes), aes-ICVlen 16 } },
//	      encryptedContent [0] IMPLICIT OCTET STRING (AES-256-GCM ciphertext || 16-byte tag) } } }
//
// The GCM additional data is the 54-byte header followed by CanonicalContext(context), so the key ID,
// the backing ID and the encryption context are all authenticated. Every other byte is either fixed
// (and compared exactly on parse) or the nonce (a GCM input), so no bit of a blob can change without
// the blob failing to open.
//
// Sizes: a blob is len(plaintext)+152 bytes while every DER length fits its short form (plaintext up
// to 35 bytes) and +156 once the four lengths enclosing the plaintext take a second octet (56 to 111
// bytes), as on real KMS blobs (7 -> 159, 20 -> 172, 32 -> 184, 78 -> 234). testdata/blob_sizes.json
// pins these and the sizes in between.

// blobFormatV1 is the prefix of every version-1 blob; any other prefix is rejected.
var blobFormatV1 = [5]byte{0x01, 0x02, 0x02, 0x00, 0x78}

const (
	blobHeaderLen   = len(blobFormatV1) + keyIDFieldLen + 32 // 54
	blobLengthLen   = 4
	symmetricKeyLen = 32 // AES-256
	gcmNonceLen     = 12
	gcmTagLen       = 16
)

// Fixed DER pieces of the CMS structure.
var (
	derOIDEncryptedData = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06}
	// 2.25.<UUID 675c4a47-b8f9-45f1-8b0e-160b988283aa>: names the content as "wasmkms plaintext,
	// bound to the blob header". A UUID OID (ITU-T X.667) needs no registration; its 20-octet
	// encoding is also what brings the blob to the size of a real KMS blob.
	derOIDWasmKMSPlaintext = []byte{0x06, 0x14, 0x69, 0x81, 0xce, 0xdc, 0xa5, 0x91, 0xf7, 0x8f, 0xca,
		0x97, 0xe3, 0x8b, 0x87, 0x85, 0xc1, 0xb9, 0xc4, 0x8a, 0x87, 0x2a}
	derVersion0 = []byte{0x02, 0x01, 0x00}
	// AlgorithmIdentifier up to the nonce: SEQUENCE { OID id-aes256-GCM, SEQUENCE { OCTET STRING(12)
	derAlgorithmToNonce = []byte{0x30, 0x1e, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01,
		0x2e, 0x30, 0x11, 0x04, gcmNonceLen}
	derICVLen16 = []byte{tagInteger, 0x01, gcmTagLen}
)

// SymmetricKey is one version of a symmetric KMS key's material.
type SymmetricKey struct {
	BackingID [32]byte // identifies this key material version inside blobs (random)
	Material  []byte   // 32 bytes, AES-256

	// sealer holds the AES-GCM instance of Material once made: the AES key schedule and GHASH setup
	// are then paid once per key version, not per call. Copies of the key share it. Keys made by
	// NewSymmetricKey have one; a key built as a literal makes its AEAD per call.
	sealer *sealerCache
}

// sealerCache is the lazily made AES-GCM of one key version. An AES-GCM cipher.AEAD keeps no state
// between calls, so one instance serves concurrent callers.
type sealerCache struct {
	once sync.Once
	aead cipher.AEAD
	err  error
}

// NewSymmetricKey draws fresh key material and a fresh backing ID from rand.
func NewSymmetricKey(rand io.Reader) (SymmetricKey, error) {
	var k SymmetricKey
	k.Material = make([]byte, symmetricKeyLen)
	if _, err := io.ReadFull(rand, k.BackingID[:]); err != nil {
		return SymmetricKey{}, err
	}
	if _, err := io.ReadFull(rand, k.Material); err != nil {
		return SymmetricKey{}, err
	}
	k.sealer = &sealerCache{}
	return k, nil
}

func (k SymmetricKey) aead() (cipher.AEAD, error) {
	if k.sealer == nil {
		return k.newAEAD()
	}
	k.sealer.once.Do(func() { k.sealer.aead, k.sealer.err = k.newAEAD() })
	return k.sealer.aead, k.sealer.err
}

func (k SymmetricKey) newAEAD() (cipher.AEAD, error) {
	if len(k.Material) != symmetricKeyLen {
		return nil, errors.New("crypto: symmetric key material must be 32 bytes")
	}
	block, err := aes.NewCipher(k.Material)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// EncryptSymmetric seals plaintext under key for the KMS key keyID (a UUID "1234abcd-..." or
// "mrk-<32 hex>"), binding the header (key ID + backing ID) and CanonicalContext(context) as GCM
// additional data. The nonce is fresh from rand, so sealing the same input twice gives two blobs.
func EncryptSymmetric(rand io.Reader, key SymmetricKey, keyID string, context map[string]string, plaintext []byte) ([]byte, error) {
	return (*Engine)(nil).EncryptSymmetric(rand, key, keyID, context, plaintext)
}

// EncryptSymmetric is the package's EncryptSymmetric, sealing with the host's AES-GCM where it pays.
// The nonce comes from rand either way, so the blob is the same for the same reader.
func (e *Engine) EncryptSymmetric(rand io.Reader, key SymmetricKey, keyID string, context map[string]string, plaintext []byte) ([]byte, error) {
	if len(key.Material) != symmetricKeyLen {
		return nil, errors.New("crypto: symmetric key material must be 32 bytes")
	}
	sealedLen := len(plaintext) + gcmTagLen
	encryptedContentInfoLen := len(derOIDWasmKMSPlaintext) + len(derAlgorithmToNonce) + gcmNonceLen +
		len(derICVLen16) + derTLVSize(sealedLen)
	encryptedDataLen := len(derVersion0) + derTLVSize(encryptedContentInfoLen)
	explicitLen := derTLVSize(encryptedDataLen)
	contentInfoLen := len(derOIDEncryptedData) + derTLVSize(explicitLen)
	cmsLen := derTLVSize(contentInfoLen)

	out := make([]byte, 0, blobHeaderLen+blobLengthLen+cmsLen)
	// The nonce is drawn first, as it always was (a seeded world's draws keep their order), into the end
	// of out's capacity, which the sealed data (at least a tag's 16 bytes) overwrites only after the
	// nonce is copied to its place: an array of its own would escape to the heap through the reader.
	drawn := out[cap(out)-gcmNonceLen : cap(out)]
	if _, err := io.ReadFull(rand, drawn); err != nil {
		return nil, err
	}
	out = append(out, blobFormatV1[:]...)
	out, err := encodeKeyID(out, keyID)
	if err != nil {
		return nil, err
	}
	out = append(out, key.BackingID[:]...)
	header := out[:blobHeaderLen:blobHeaderLen]
	out = binary.BigEndian.AppendUint32(out, uint32(cmsLen))

	out = appendDERHeader(out, tagSequence, contentInfoLen)
	out = append(out, derOIDEncryptedData...)
	out = appendDERHeader(out, tagContext0, explicitLen)
	out = appendDERHeader(out, tagSequence, encryptedDataLen)
	out = append(out, derVersion0...)
	out = appendDERHeader(out, tagSequence, encryptedContentInfoLen)
	out = append(out, derOIDWasmKMSPlaintext...)
	out = append(out, derAlgorithmToNonce...)
	out = append(out, drawn...)
	nonce := out[len(out)-gcmNonceLen : len(out) : len(out)]
	out = append(out, derICVLen16...)
	out = appendDERHeader(out, tagContext0Implicit, sealedLen)
	aad := additionalData(header, context)
	if sealed, ok := e.sealAESGCM(out, key.Material, nonce, plaintext, aad); ok {
		return sealed, nil
	}
	aead, err := key.aead()
	if err != nil {
		return nil, err
	}
	return aead.Seal(out, nonce, plaintext, aad), nil
}

func additionalData(header []byte, context map[string]string) []byte {
	if len(context) == 0 {
		return header
	}
	return append(header[:len(header):len(header)], CanonicalContext(context)...)
}

// symmetricBlob is a blob taken apart; its slices point into the blob.
type symmetricBlob struct {
	header    []byte
	keyID     string
	backingID [32]byte
	nonce     []byte
	sealed    []byte // ciphertext || tag
}

// parseSymmetricBlob checks the whole framing of a blob (prefix, key ID, length, every DER element)
// strictly: anything that is not exactly what EncryptSymmetric writes is ErrInvalidCiphertext.
func parseSymmetricBlob(blob []byte) (symmetricBlob, error) {
	var p symmetricBlob
	if len(blob) < blobHeaderLen+blobLengthLen || [5]byte(blob[:5]) != blobFormatV1 {
		return p, ErrInvalidCiphertext
	}
	p.header = blob[:blobHeaderLen]
	keyID, ok := decodeKeyID(blob[len(blobFormatV1) : len(blobFormatV1)+keyIDFieldLen])
	if !ok {
		return p, ErrInvalidCiphertext
	}
	p.keyID = keyID
	copy(p.backingID[:], blob[len(blobFormatV1)+keyIDFieldLen:blobHeaderLen])
	cms := blob[blobHeaderLen+blobLengthLen:]
	if uint64(binary.BigEndian.Uint32(blob[blobHeaderLen:])) != uint64(len(cms)) {
		return p, ErrInvalidCiphertext
	}

	contentInfo, rest, ok := readDER(cms, tagSequence)
	if !ok || len(rest) != 0 {
		return p, ErrInvalidCiphertext
	}
	if contentInfo, ok = cutPrefix(contentInfo, derOIDEncryptedData); !ok {
		return p, ErrInvalidCiphertext
	}
	explicit, rest, ok := readDER(contentInfo, tagContext0)
	if !ok || len(rest) != 0 {
		return p, ErrInvalidCiphertext
	}
	encryptedData, rest, ok := readDER(explicit, tagSequence)
	if !ok || len(rest) != 0 {
		return p, ErrInvalidCiphertext
	}
	if encryptedData, ok = cutPrefix(encryptedData, derVersion0); !ok {
		return p, ErrInvalidCiphertext
	}
	info, rest, ok := readDER(encryptedData, tagSequence)
	if !ok || len(rest) != 0 {
		return p, ErrInvalidCiphertext
	}
	if info, ok = cutPrefix(info, derOIDWasmKMSPlaintext); !ok {
		return p, ErrInvalidCiphertext
	}
	if info, ok = cutPrefix(info, derAlgorithmToNonce); !ok || len(info) < gcmNonceLen {
		return p, ErrInvalidCiphertext
	}
	p.nonce, info = info[:gcmNonceLen], info[gcmNonceLen:]
	if info, ok = cutPrefix(info, derICVLen16); !ok {
		return p, ErrInvalidCiphertext
	}
	sealed, rest, ok := readDER(info, tagContext0Implicit)
	if !ok || len(rest) != 0 || len(sealed) < gcmTagLen {
		return p, ErrInvalidCiphertext
	}
	p.sealed = sealed
	return p, nil
}

// ParseSymmetricBlob tells which KMS key and which key material version sealed blob, without
// opening it. It checks the framing of the whole blob; errors are ErrInvalidCiphertext.
func ParseSymmetricBlob(blob []byte) (keyID string, backingID [32]byte, err error) {
	p, err := parseSymmetricBlob(blob)
	if err != nil {
		return "", backingID, err
	}
	return p.keyID, p.backingID, nil
}

// DecryptSymmetric opens a blob sealed by EncryptSymmetric. Any mismatch (another key or backing ID,
// another context, a flipped bit anywhere) is ErrInvalidCiphertext.
func DecryptSymmetric(key SymmetricKey, blob []byte, context map[string]string) ([]byte, error) {
	return (*Engine)(nil).DecryptSymmetric(key, blob, context)
}

// DecryptSymmetric is the package's DecryptSymmetric, opening with the host's AES-GCM where it pays.
func (e *Engine) DecryptSymmetric(key SymmetricKey, blob []byte, context map[string]string) ([]byte, error) {
	p, err := parseSymmetricBlob(blob)
	if err != nil {
		return nil, err
	}
	return e.openSymmetric(key, p, context)
}

// SymmetricBlob is a blob ReadSymmetricBlob read: the KMS key and the key material version that sealed
// it, and its parts, which OpenSymmetricBlob opens without reading the blob again (Decrypt needs the
// key ID to find the key before it can open the blob).
type SymmetricBlob struct {
	KeyID     string
	BackingID [32]byte
	parts     symmetricBlob
}

// ReadSymmetricBlob is ParseSymmetricBlob, keeping what it read for OpenSymmetricBlob.
func ReadSymmetricBlob(blob []byte) (SymmetricBlob, error) {
	p, err := parseSymmetricBlob(blob)
	if err != nil {
		return SymmetricBlob{}, err
	}
	return SymmetricBlob{KeyID: p.keyID, BackingID: p.backingID, parts: p}, nil
}

// OpenSymmetricBlob is DecryptSymmetric of a blob ReadSymmetricBlob read: the same answer and errors.
func (e *Engine) OpenSymmetricBlob(key SymmetricKey, b SymmetricBlob, context map[string]string) ([]byte, error) {
	if b.parts.header == nil { // not read by ReadSymmetricBlob
		return nil, ErrInvalidCiphertext
	}
	return e.openSymmetric(key, b.parts, context)
}

func (e *Engine) openSymmetric(key SymmetricKey, p symmetricBlob, context map[string]string) ([]byte, error) {
	if p.backingID != key.BackingID {
		return nil, ErrInvalidCiphertext
	}
	if len(key.Material) != symmetricKeyLen {
		return nil, errors.New("crypto: symmetric key material must be 32 bytes")
	}
	aad := additionalData(p.header, context)
	if plaintext, opened, ok := e.openAESGCM(key.Material, p.nonce, p.sealed, aad); ok {
		if !opened {
			return nil, ErrInvalidCiphertext
		}
		return plaintext, nil
	}
	aead, err := key.aead()
	if err != nil {
		return nil, err
	}
	plaintext, err := aead.Open(nil, p.nonce, p.sealed, aad)
	if err != nil {
		return nil, ErrInvalidCiphertext
	}
	return plaintext, nil
}
