package kms

import (
	"encoding/base64"
	"encoding/json"
	"slices"
)

// jsonAppender is an answer that writes its own JSON, byte for byte what json.Marshal writes for
// it (answer_json_test.go holds them together). Encrypt's and Decrypt's answers do: json.Marshal
// reaches their members through reflection and base64-encodes a blob into a buffer of its own
// before copying it, which for a 4 KiB blob cost more than the AES-GCM in the module.
type jsonAppender interface {
	appendJSON(dst []byte) []byte
}

func (r encryptResponse) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"CiphertextBlob":`...)
	dst = appendJSONBlob(dst, r.CiphertextBlob)
	dst = append(dst, `,"KeyId":`...)
	dst = appendJSONString(dst, r.KeyId)
	dst = append(dst, `,"EncryptionAlgorithm":`...)
	dst = appendJSONString(dst, r.EncryptionAlgorithm)
	return append(dst, '}')
}

func (r decryptResponse) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"KeyId":`...)
	dst = appendJSONString(dst, r.KeyId)
	if len(r.Plaintext) > 0 { // omitempty: absent when the plaintext is only for an attested request's recipient
		dst = append(dst, `,"Plaintext":`...)
		dst = appendJSONBlob(dst, r.Plaintext)
	}
	dst = append(dst, `,"EncryptionAlgorithm":`...)
	dst = appendJSONString(dst, r.EncryptionAlgorithm)
	if len(r.CiphertextForRecipient) > 0 {
		dst = append(dst, `,"CiphertextForRecipient":`...)
		dst = appendJSONBlob(dst, r.CiphertextForRecipient)
	}
	if r.KeyMaterialId != "" {
		dst = append(dst, `,"KeyMaterialId":`...)
		dst = appendJSONString(dst, r.KeyMaterialId)
	}
	return append(dst, '}')
}

// plainJSON says whether encoding/json writes s quoted as it is: printable ASCII but for the
// characters it escapes.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// appendJSONBlob writes a []byte member as encoding/json does: null for nil, else quoted base64.
func appendJSONBlob(dst, b []byte) []byte {
	if b == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

// appendJSONString writes s quoted. ARNs and algorithm names are plain ASCII that needs no escape;
// anything else goes through encoding/json, so its escaping rules (HTML characters, U+2028, invalid
// UTF-8) stay the one definition.
func appendJSONString(dst []byte, s string) []byte {
	if !plainJSON(s) {
		quoted, _ := json.Marshal(s)
		return append(dst, quoted...)
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// listKeysResponse is ListKeys' answer: the page's key IDs, each written with its ARN (arnPrefix +
// ID), Truncated, and NextMarker when another page follows, as json.Marshal writes the page's map
// (pageAnswer: members in sorted order). Writing it here saves a string per ARN and the reflective
// encoding of 100 entries, most of what a first page cost.
type listKeysResponse struct {
	ids       []string
	arnPrefix string
	next      string
}

func (r listKeysResponse) appendJSON(dst []byte) []byte {
	const idLength = 36 // a UUID, or mrk- and 32 hex digits: the size is a guess, exact for these
	dst = slices.Grow(dst, len(`{"Keys":[],"NextMarker":"","Truncated":false}`)+len(r.next)+
		len(r.ids)*(len(`{"KeyId":"","KeyArn":""},`)+len(r.arnPrefix)+2*idLength))
	dst = append(dst, `{"Keys":[`...)
	plainPrefix := plainJSON(r.arnPrefix) // the account's and Region's: checked once for the page
	for i, id := range r.ids {
		if i > 0 {
			dst = append(dst, ',')
		}
		if !plainPrefix || !plainJSON(id) {
			dst = append(dst, `{"KeyId":`...)
			dst = appendJSONString(dst, id)
			dst = append(dst, `,"KeyArn":`...)
			dst = appendJSONString(dst, r.arnPrefix+id)
			dst = append(dst, '}')
			continue
		}
		dst = append(dst, `{"KeyId":"`...)
		dst = append(dst, id...)
		dst = append(dst, `","KeyArn":"`...)
		dst = append(dst, r.arnPrefix...)
		dst = append(dst, id...)
		dst = append(dst, `"}`...)
	}
	dst = append(dst, ']')
	if r.next != "" {
		dst = append(dst, `,"NextMarker":`...)
		dst = appendJSONString(dst, r.next)
		dst = append(dst, `,"Truncated":true}`...)
		return dst
	}
	return append(dst, `,"Truncated":false}`...)
}
