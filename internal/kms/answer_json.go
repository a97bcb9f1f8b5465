package kms

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
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

// keyMetadataAnswer is the answer of CreateKey and DescribeKey. The metadata is written by hand:
// json.Marshal of its 28 members through reflection was a sixth of a CreateKey in the module, more
// than making the key. A pointer, so that the typed path's answer takes no copy of it.
type keyMetadataAnswer struct {
	KeyMetadata *keyMetadata `json:"KeyMetadata"`
}

func (a keyMetadataAnswer) appendJSON(dst []byte) []byte {
	dst = append(slices.Grow(dst, 16+a.KeyMetadata.sizeHint()), `{"KeyMetadata":`...)
	return append(a.KeyMetadata.appendJSON(dst), '}')
}

// appendJSON writes the metadata member by member in the struct's order, as json.Marshal does (the
// omitempty members left out when empty). The members of rare keys that are structures
// (MultiRegionConfiguration, XksKeyConfiguration) go through json.Marshal. dst grows once, to
// sizeHint: grown append by append, its copies cost a CreateKey in the module as much as the writing.
func (m *keyMetadata) appendJSON(dst []byte) []byte {
	dst = slices.Grow(dst, m.sizeHint())
	dst = appendJSONMember(dst, `{"AWSAccountId":`, m.AWSAccountId)
	dst = appendJSONMember(dst, `,"KeyId":`, m.KeyId)
	dst = appendJSONMember(dst, `,"Arn":`, m.Arn)
	dst = append(dst, `,"CreationDate":`...)
	dst = appendEpoch(dst, m.CreationDate)
	dst = append(dst, `,"Enabled":`...)
	dst = strconv.AppendBool(dst, m.Enabled)
	dst = appendJSONMember(dst, `,"Description":`, m.Description)
	dst = appendJSONMember(dst, `,"KeyUsage":`, m.KeyUsage)
	dst = appendJSONMember(dst, `,"KeyState":`, m.KeyState)
	if m.DeletionDate != nil {
		dst = append(dst, `,"DeletionDate":`...)
		dst = appendEpoch(dst, *m.DeletionDate)
	}
	dst = appendJSONMember(dst, `,"Origin":`, m.Origin)
	dst = appendJSONMember(dst, `,"KeyManager":`, m.KeyManager)
	dst = appendJSONOmitEmpty(dst, `,"CustomerMasterKeySpec":`, m.CustomerMasterKeySpec)
	dst = appendJSONMember(dst, `,"KeySpec":`, m.KeySpec)
	dst = appendJSONList(dst, `,"EncryptionAlgorithms":`, m.EncryptionAlgorithms)
	dst = appendJSONList(dst, `,"SigningAlgorithms":`, m.SigningAlgorithms)
	dst = appendJSONList(dst, `,"MacAlgorithms":`, m.MacAlgorithms)
	dst = appendJSONList(dst, `,"KeyAgreementAlgorithms":`, m.KeyAgreementAlgorithms)
	dst = appendJSONList(dst, `,"EncapsulationAlgorithms":`, m.EncapsulationAlgorithms)
	dst = appendJSONOmitEmpty(dst, `,"CurrentKeyMaterialId":`, m.CurrentKeyMaterialId)
	dst = append(dst, `,"MultiRegion":`...)
	dst = strconv.AppendBool(dst, m.MultiRegion)
	dst = appendJSONOmitEmpty(dst, `,"ExpirationModel":`, m.ExpirationModel)
	if m.ValidTo != nil {
		dst = append(dst, `,"ValidTo":`...)
		dst = appendEpoch(dst, *m.ValidTo)
	}
	if m.MultiRegionConfiguration != nil {
		dst = appendJSONMarshal(dst, `,"MultiRegionConfiguration":`, m.MultiRegionConfiguration)
	}
	if m.PendingDeletionWindowInDays != 0 {
		dst = append(dst, `,"PendingDeletionWindowInDays":`...)
		dst = strconv.AppendInt(dst, int64(m.PendingDeletionWindowInDays), 10)
	}
	dst = appendJSONOmitEmpty(dst, `,"CustomKeyStoreId":`, m.CustomKeyStoreId)
	dst = appendJSONOmitEmpty(dst, `,"CloudHsmClusterId":`, m.CloudHsmClusterId)
	if m.XksKeyConfiguration != nil {
		dst = appendJSONMarshal(dst, `,"XksKeyConfiguration":`, m.XksKeyConfiguration)
	}
	return append(dst, '}')
}

// sizeHint is about the length of the metadata's JSON (more for a key of many algorithms or with an
// escaped description, which then grows dst again).
func (m *keyMetadata) sizeHint() int {
	n := 420 + len(m.Description) + len(m.Arn) + len(m.CurrentKeyMaterialId)
	for _, list := range [][]string{m.EncryptionAlgorithms, m.SigningAlgorithms, m.MacAlgorithms, m.KeyAgreementAlgorithms,
		m.EncapsulationAlgorithms} {
		n += 24 * len(list)
	}
	return n
}

// appendJSONMember writes a string member: its name (with the comma before it and the colon) and value.
func appendJSONMember(dst []byte, name, s string) []byte {
	return appendJSONString(append(dst, name...), s)
}

// appendJSONOmitEmpty is appendJSONMember for an omitempty member: nothing for "".
func appendJSONOmitEmpty(dst []byte, name, s string) []byte {
	if s == "" {
		return dst
	}
	return appendJSONMember(dst, name, s)
}

// appendJSONList writes an omitempty list of strings: nothing for an empty or nil list.
func appendJSONList(dst []byte, name string, list []string) []byte {
	if len(list) == 0 {
		return dst
	}
	dst = append(dst, name...)
	for i, s := range list {
		if i == 0 {
			dst = append(dst, '[')
		} else {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, s)
	}
	return append(dst, ']')
}

// appendJSONMarshal writes a member through json.Marshal (which cannot fail for the structures it is
// given: strings, lists and structures of them).
func appendJSONMarshal(dst []byte, name string, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("null")
	}
	return append(append(dst, name...), b...)
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

// listKeysResponse is ListKeys' answer: the page's entries as the region's page cache wrote them
// (keylist.go), Truncated, and NextMarker when another page follows, as json.Marshal writes the page's
// map (pageAnswer: members in sorted order).
type listKeysResponse struct {
	keys   []byte // the entries, joined by commas; never written again
	next   string
	prefix string   // the Region's ARN prefix: each entry's KeyArn is it and the ID
	ids    []string // the page's part of keyOrder, whose array is never written below its length
}

// typedMember answers the typed path's members (typed.go): Keys as the prefix and the IDs, from which
// the host writes each entry, and NextMarker and Truncated as the JSON holds them.
func (r listKeysResponse) typedMember(m Member) (Value, bool) {
	switch {
	case m.Name == "Keys" && m.Kind == KindKeyList:
		return Value{Present: true, Text: r.prefix, List: r.ids}, true
	case m.Name == "NextMarker" && m.Kind == KindString:
		return Value{Present: r.next != "", Text: r.next}, true
	case m.Name == "Truncated" && m.Kind == KindBoolean:
		return Value{Present: true, Bool: r.next != ""}, true
	}
	return Value{}, false
}

func (r listKeysResponse) appendJSON(dst []byte) []byte {
	dst = slices.Grow(dst, len(`{"Keys":[],"NextMarker":"","Truncated":false}`)+len(r.keys)+len(r.next))
	dst = append(dst, `{"Keys":[`...)
	dst = append(dst, r.keys...)
	dst = append(dst, ']')
	if r.next != "" {
		dst = append(dst, `,"NextMarker":`...)
		dst = appendJSONString(dst, r.next)
		return append(dst, `,"Truncated":true}`...)
	}
	return append(dst, `,"Truncated":false}`...)
}
