package kms

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzTypedMatchesHandle: World.Encrypt and World.Decrypt (the module's direct exports) answer what
// Handle answers for the equivalent JSON body: the same status, the same error body byte for byte,
// and on success the same members (an Encrypt blob differs only by its random nonce, so it is checked
// by decrypting it through Handle).
func FuzzTypedMatchesHandle(f *testing.F) {
	f.Add(true, "$KEY", []byte("hello"), "k", "v", true, "", false, false)
	f.Add(true, "$KEY", []byte("hello"), "k", "v", true, "", false, true)
	f.Add(true, "alias/nope", []byte{}, "", "", false, "SYMMETRIC_DEFAULT", true, true)
	f.Add(false, "$KEY", []byte("not a blob"), "purpose", "x", true, "RSAES_OAEP_SHA_1", true, false)
	f.Add(false, "", []byte(nil), "\xff", "\xfe", true, "nope", false, true)
	f.Fuzz(func(t *testing.T, isEncrypt bool, keyID string, blob []byte, ctxKey, ctxValue string, hasContext bool, algorithm string, hasAlgorithm, hasKeyID bool) {
		w, createdKeyID := worldWithKey(t)
		if keyID == "$KEY" {
			keyID = createdKeyID
		}
		var keyPtr, algPtr *string
		members := map[string]any{}
		if hasKeyID {
			keyPtr = &keyID
			members["KeyId"] = keyID
		}
		if hasAlgorithm {
			algPtr = &algorithm
			members["EncryptionAlgorithm"] = algorithm
		}
		var context map[string]string
		if hasContext {
			context = map[string]string{ctxKey: ctxValue}
			members["EncryptionContext"] = context
		}
		// A JSON body carries strings as valid UTF-8 (json.Marshal replaces the rest): give the typed
		// call the same strings, as the module's direct request parsing does.
		var roundTrip map[string]any
		blobName := "CiphertextBlob"
		if isEncrypt {
			blobName = "Plaintext"
		}
		if blob != nil {
			members[blobName] = blob
		}
		body, err := json.Marshal(members)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(body, &roundTrip); err != nil {
			t.Fatal(err)
		}
		if hasKeyID {
			s := roundTrip["KeyId"].(string)
			keyPtr = &s
		}
		if hasAlgorithm {
			s := roundTrip["EncryptionAlgorithm"].(string)
			algPtr = &s
		}
		if hasContext {
			context = map[string]string{}
			for k, v := range roundTrip["EncryptionContext"].(map[string]any) {
				context[k] = v.(string)
			}
		}

		if isEncrypt {
			wantStatus, want := w.Handle(Caller{}, "TrentService.Encrypt", body)
			out, status, errBody := w.Encrypt(Caller{}, EncryptInput{KeyID: keyPtr, Plaintext: blob, EncryptionContext: context, EncryptionAlgorithm: algPtr})
			if !sameStatusAndError(t, status, errBody, wantStatus, want) {
				return
			}
			var generic encryptResponse
			if err := json.Unmarshal(want, &generic); err != nil {
				t.Fatal(err)
			}
			if out.KeyID != generic.KeyId || out.EncryptionAlgorithm != generic.EncryptionAlgorithm || len(out.CiphertextBlob) != len(generic.CiphertextBlob) {
				t.Fatalf("typed %+v, Handle %s", out, want)
			}
			// The key is symmetric, so the blob names it: Handle opens it with the same context.
			opened, err := json.Marshal(map[string]any{"CiphertextBlob": out.CiphertextBlob, "EncryptionContext": context})
			if err != nil {
				t.Fatal(err)
			}
			openStatus, openAnswer := w.Handle(Caller{}, "TrentService.Decrypt", opened)
			var decrypted decryptResponse
			if openStatus != 200 || json.Unmarshal(openAnswer, &decrypted) != nil || !bytes.Equal(decrypted.Plaintext, blob) {
				t.Fatalf("the typed Encrypt's blob opened through Handle as %d %s, want the plaintext %q", openStatus, openAnswer, blob)
			}
			return
		}
		wantStatus, want := w.Handle(Caller{}, "TrentService.Decrypt", body)
		out, status, errBody := w.Decrypt(Caller{}, DecryptInput{CiphertextBlob: blob, EncryptionContext: context, KeyID: keyPtr, EncryptionAlgorithm: algPtr})
		if !sameStatusAndError(t, status, errBody, wantStatus, want) {
			return
		}
		var generic decryptResponse
		if err := json.Unmarshal(want, &generic); err != nil {
			t.Fatal(err)
		}
		if out.KeyID != generic.KeyId || out.EncryptionAlgorithm != generic.EncryptionAlgorithm || !bytes.Equal(out.Plaintext, generic.Plaintext) {
			t.Fatalf("typed %+v, Handle %s", out, want)
		}
	})
}

// sameStatusAndError fails t unless a typed call answered Handle's status and, when that is an
// error, Handle's error body byte for byte. It reports whether both succeeded (200), so that the
// caller goes on to compare the members.
func sameStatusAndError(t *testing.T, status int, errBody []byte, wantStatus int, want []byte) (succeeded bool) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("typed %d %s, Handle %d %s", status, errBody, wantStatus, want)
	}
	if status != 200 {
		if !bytes.Equal(errBody, want) {
			t.Fatalf("typed %s, Handle %s", errBody, want)
		}
		return false
	}
	return true
}

// TestTypedDecryptOfAnEncrypt: a blob from the typed Encrypt opens through Handle and through the
// typed Decrypt alike.
func TestTypedDecryptOfAnEncrypt(t *testing.T) {
	w, keyID := worldWithKey(t)
	context := map[string]string{"purpose": "typed"}
	sealed, status, errBody := w.Encrypt(Caller{}, EncryptInput{KeyID: &keyID, Plaintext: []byte("typed"), EncryptionContext: context})
	if status != 200 {
		t.Fatalf("%d %s", status, errBody)
	}
	body, _ := json.Marshal(map[string]any{"CiphertextBlob": sealed.CiphertextBlob, "EncryptionContext": context})
	if status, resp := w.Handle(Caller{}, "TrentService.Decrypt", body); status != 200 || !bytes.Contains(resp, []byte(`"Plaintext":"dHlwZWQ="`)) {
		t.Fatalf("Handle Decrypt: %d %s", status, resp)
	}
	opened, status, errBody := w.Decrypt(Caller{}, DecryptInput{CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: context})
	if status != 200 || string(opened.Plaintext) != "typed" || opened.KeyID != sealed.KeyID {
		t.Fatalf("typed Decrypt: %d %s %+v", status, errBody, opened)
	}
}
