package kms

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestAnswerAppendJSONMatchesMarshal: the hand-written answers are exactly json.Marshal's.
func TestAnswerAppendJSONMatchesMarshal(t *testing.T) {
	blobs := [][]byte{nil, {}, {0}, []byte("hi"), bytes.Repeat([]byte{0xfb, 0xff}, 2049)}
	strs := []string{"", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"SYMMETRIC_DEFAULT", `quote" back\ <html> & amp`, "tab\there\x00", "caf\u00e9 \u2028 \xff", "~\x7f"}
	for _, blob := range blobs {
		for _, s := range strs {
			for _, answer := range []jsonAppender{
				encryptResponse{CiphertextBlob: blob, KeyId: s, EncryptionAlgorithm: s},
				decryptResponse{KeyId: s, Plaintext: blob, EncryptionAlgorithm: s},
			} {
				want, err := json.Marshal(answer)
				if err != nil {
					t.Fatal(err)
				}
				if got := answer.appendJSON(nil); !bytes.Equal(got, want) {
					t.Errorf("%T appendJSON:\n got %s\nwant %s", answer, got, want)
				}
			}
		}
	}
}
