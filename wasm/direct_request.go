package main

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The binary requests and answers of the direct exports wasmkms_encrypt and wasmkms_decrypt
// (ABI.md, "Direct Encrypt and Decrypt"): fields back to back, each a u32 length and its bytes,
// abi.AbsentField (the length 0xFFFFFFFF) for an absent member (JSON null): no bytes follow.

// fieldReader reads the fields of a direct request in order; ok turns false at the first field that
// does not fit, and stays false.
type fieldReader struct {
	rest []byte
	ok   bool
}

func (r *fieldReader) next() (field []byte, present bool) {
	if !r.ok {
		return nil, false
	}
	if len(r.rest) < 4 {
		r.ok = false
		return nil, false
	}
	n := binary.LittleEndian.Uint32(r.rest)
	r.rest = r.rest[4:]
	if n == abi.AbsentField {
		return nil, false
	}
	if uint64(n) > uint64(len(r.rest)) {
		r.ok = false
		return nil, false
	}
	field, r.rest = r.rest[:n], r.rest[n:]
	return field, true
}

// bytes is a blob member: a copy (the host may reuse its request buffer), nil when absent.
func (r *fieldReader) bytes() []byte {
	field, present := r.next()
	if !present {
		return nil
	}
	return append(make([]byte, 0, len(field)), field...)
}

// text is a string member, nil when absent.
func (r *fieldReader) text() *string {
	field, present := r.next()
	if !present {
		return nil
	}
	s := jsonText(field)
	return &s
}

// context is an encryption context: a u32 count, then that many key and value fields (neither may
// be absent). Nil when absent.
func (r *fieldReader) context() map[string]string {
	field, present := r.next()
	if !present {
		return nil
	}
	pairs := fieldReader{rest: field, ok: true}
	if len(field) < 4 {
		r.ok = false
		return nil
	}
	count := binary.LittleEndian.Uint32(field)
	pairs.rest = field[4:]
	m := make(map[string]string, min(count, 64))
	for i := uint32(0); i < count; i++ {
		k, kPresent := pairs.next()
		v, vPresent := pairs.next()
		if !kPresent || !vPresent {
			r.ok = false
			return nil
		}
		m[jsonText(k)] = jsonText(v)
	}
	if len(pairs.rest) != 0 {
		r.ok = false
		return nil
	}
	return m
}

// caller reads the three caller fields; absent and empty both mean the default.
func (r *fieldReader) caller() kms.Caller {
	account, _ := r.next()
	region, _ := r.next()
	principal, _ := r.next()
	return kms.Caller{Account: string(account), Region: string(region), Principal: string(principal)}
}

// done reads the optional request ID after the last field (trailingRequestID) into c, and reports
// whether every field was well formed and nothing else follows the last one.
func (r *fieldReader) done(c *kms.Caller) bool {
	if !r.ok {
		return false
	}
	id, ok := trailingRequestID(r.rest)
	c.RequestID = id
	return ok
}

// jsonText is the string a JSON body would give for these UTF-8 bytes: each byte that is not part
// of valid UTF-8 becomes U+FFFD, as encoding/json (and the core's request decoding) does.
func jsonText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return string(out)
}

// parseEncryptRequest: account, region, principal, KeyId, Plaintext, EncryptionContext,
// EncryptionAlgorithm, then the optional request ID.
func parseEncryptRequest(buf []byte) (kms.Caller, kms.EncryptInput, bool) {
	r := fieldReader{rest: buf, ok: true}
	c := r.caller()
	var in kms.EncryptInput
	in.KeyID = r.text()
	in.Plaintext = r.bytes()
	in.EncryptionContext = r.context()
	in.EncryptionAlgorithm = r.text()
	return c, in, r.done(&c)
}

// parseDecryptRequest: account, region, principal, CiphertextBlob, EncryptionContext, KeyId,
// EncryptionAlgorithm, then the optional request ID.
func parseDecryptRequest(buf []byte) (kms.Caller, kms.DecryptInput, bool) {
	r := fieldReader{rest: buf, ok: true}
	c := r.caller()
	var in kms.DecryptInput
	in.CiphertextBlob = r.bytes()
	in.EncryptionContext = r.context()
	in.KeyID = r.text()
	in.EncryptionAlgorithm = r.text()
	return c, in, r.done(&c)
}

// appendFields writes each field as a u32 length and its bytes: the answer of a direct export with
// status 200 (Encrypt: CiphertextBlob, KeyId, EncryptionAlgorithm; Decrypt: KeyId, Plaintext,
// EncryptionAlgorithm).
func appendFields(dst []byte, fields ...[]byte) []byte {
	for _, f := range fields {
		if f == nil {
			dst = binary.LittleEndian.AppendUint32(dst, abi.AbsentField)
			continue
		}
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(f)))
		dst = append(dst, f...)
	}
	return dst
}
