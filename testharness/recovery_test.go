package testharness

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wasmkms/wasmkms/internal/kms"
)

// callAs runs one request as caller c that must answer 200.
func callAs(t *testing.T, w *World, c Caller, target, body string) []byte {
	t.Helper()
	status, resp, err := w.Call(context.Background(), c, target, []byte(body))
	if err != nil || status != 200 {
		t.Fatalf("%s %s: %d %s %v", target, body, status, resp, err)
	}
	return resp
}

// wreck breaks the Go runtime's memory of h's instance: every pointer in it points past the end of
// memory, so its next call traps (zeros may leave a runtime that answers, with empty maps).
func wreck(h *Harness) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.memory.Write(0, bytes.Repeat([]byte{0xff}, int(h.memory.Size())))
}

// After a trap, both worlds of the instance come back on a fresh one at their next call, with their
// keys, aliases and grants, and what they sealed before opens; the call that trapped says so.
func TestTrapRebuildsEveryWorldFromItsCopy(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	a, err := h.NewWorld(ctx, WorldOptions{Clock: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.NewWorld(ctx, WorldOptions{Seed: "recovery"})
	if err != nil {
		t.Fatal(err)
	}
	me := Caller{}
	other := Caller{Account: "444455556666"}
	keyID := jsonString(callAs(t, a, me, "TrentService.CreateKey", `{"Description":"before the trap"}`), "KeyMetadata", "KeyId")
	keyARN := "arn:aws:kms:us-east-1:111122223333:key/" + keyID
	callAs(t, a, me, "TrentService.CreateAlias", `{"AliasName":"alias/kept","TargetKeyId":"`+keyID+`"}`)
	grant := callAs(t, a, me, "TrentService.CreateGrant", `{"KeyId":"`+keyID+`","GranteePrincipal":"arn:aws:iam::444455556666:root","Operations":["Decrypt","Encrypt"]}`)
	grantToken := jsonString(grant, "GrantToken")
	plaintext := base64.StdEncoding.EncodeToString([]byte("sealed before"))
	sealed := jsonString(callAs(t, a, other, "TrentService.Encrypt", `{"KeyId":"`+keyARN+`","Plaintext":"`+plaintext+`","GrantTokens":["`+grantToken+`"]}`), "CiphertextBlob")
	if err := a.Clock().Advance(ctx, 48*time.Hour); err != nil {
		t.Fatal(err)
	}
	seededKey := jsonString(callAs(t, b, me, "TrentService.CreateKey", `{}`), "KeyMetadata", "KeyId")

	wreck(h)
	_, _, err = a.Call(ctx, me, "TrentService.ListKeys", []byte(`{}`))
	if !errors.Is(err, ErrDeadInstance) || !strings.Contains(err.Error(), "the world is rebuilt on a fresh instance at its next call") {
		t.Fatalf("the call that trapped: %v", err)
	}

	opened := callAs(t, a, other, "TrentService.Decrypt", `{"CiphertextBlob":"`+sealed+`","GrantTokens":["`+grantToken+`"]}`)
	if got := jsonString(opened, "Plaintext"); got != plaintext {
		t.Fatalf("Decrypt after the trap: %s", opened)
	}
	described := callAs(t, a, me, "TrentService.DescribeKey", `{"KeyId":"alias/kept"}`)
	if jsonString(described, "KeyMetadata", "Description") != "before the trap" {
		t.Fatalf("DescribeKey after the trap: %s", described)
	}
	now, err := a.Clock().Now(ctx)
	if err != nil || !now.Equal(time.Date(2030, 1, 3, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("the manual clock after the trap: %v %v", now, err)
	}
	// The seeded world drew its key's ID and material before: it does not draw them again.
	again := jsonString(callAs(t, b, me, "TrentService.CreateKey", `{}`), "KeyMetadata", "KeyId")
	if again == seededKey {
		t.Fatalf("the seeded world drew key %s again after the trap", again)
	}
	callAs(t, b, me, "TrentService.DescribeKey", `{"KeyId":"`+seededKey+`"}`)
}

// A world made with NoRecovery keeps no copy: its state flags are read, nothing is taken, and a trap
// loses it (TestTrapMarksTheInstanceDead).
func TestNoRecoveryKeepsNoCopy(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	w, err := h.NewWorld(ctx, WorldOptions{NoRecovery: true})
	if err != nil {
		t.Fatal(err)
	}
	callAs(t, w, Caller{}, "TrentService.CreateKey", `{}`)
	if w.recovery != nil {
		t.Fatal("a NoRecovery world keeps a copy")
	}
	kept := newWorld(t, h, kms.Options{})
	callAs(t, kept, Caller{}, "TrentService.CreateKey", `{}`)
	if kept.recovery == nil || len(kept.recovery.records) != 1 {
		t.Fatalf("a default world's copy after one CreateKey: %+v", kept.recovery)
	}
}

// The module takes each change at the end of the call that made it and the harness copies its record
// out of linear memory (ABI.md, "State flags"): after a CreateKey the copy holds its record, and a
// take of the harness's own finds nothing left; a call that changes nothing offers no record.
func TestEachChangeIsTakenAtTheEndOfItsCall(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	w := newWorld(t, h, kms.Options{})
	keyID := jsonString(callAs(t, w, Caller{}, "TrentService.CreateKey", `{}`), "KeyMetadata", "KeyId")
	if len(w.recovery.records) != 1 || !bytes.Contains(w.recovery.records[0], []byte(keyID)) {
		t.Fatalf("the copy after one CreateKey: %q", w.recovery.records)
	}
	callAs(t, w, Caller{}, "TrentService.DescribeKey", `{"KeyId":"`+keyID+`"}`)
	if len(w.recovery.records) != 1 {
		t.Fatalf("a DescribeKey added a record: %q", w.recovery.records)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	status, resp, err := w.rawCall(ctx, Caller{}, "WasmKMS.StateLogTake", take)
	if err != nil || status != 200 || !bytes.HasSuffix(resp, []byte("}\n")) {
		t.Fatalf("a take after the module took the change: %d %q %v", status, resp, err)
	}
}

// The copy is written whole when the module says the log is outgrown (a key changed over and over),
// not by its size while the world only grows; either way, a trap brings the world back as it was.
func TestCopyWrittenWholeWhenOutgrown(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	w := newWorld(t, h, kms.Options{})
	me := Caller{}
	var made []string
	for range 3000 { // some 1.3 MB of records: past the old rule's 1 MiB, far from the backstop's 64 MiB
		made = append(made, jsonString(callAs(t, w, me, "TrentService.CreateKey", `{}`), "KeyMetadata", "KeyId"))
	}
	if len(w.recovery.records) != 3000 {
		t.Fatalf("a growing world's copy was written whole: %d records after 3,000 keys", len(w.recovery.records))
	}
	keyID := made[0]
	wholeBefore := w.recovery.wholeLen
	for i := 0; i < 9100; i++ { // the log holds 3,000 keys: outgrown after 9,000 changes of one
		target := "TrentService.DisableKey"
		if i%2 == 1 {
			target = "TrentService.EnableKey"
		}
		callAs(t, w, me, target, `{"KeyId":"`+keyID+`"}`)
	}
	if w.recovery.wholeLen <= wholeBefore || len(w.recovery.records) >= 9100 {
		t.Fatalf("the copy after 9,100 changes of one key: whole %d bytes (%d before), %d records", w.recovery.wholeLen, wholeBefore, len(w.recovery.records))
	}
	callAs(t, w, me, "TrentService.DisableKey", `{"KeyId":"`+keyID+`"}`)

	wreck(h)
	if _, _, err := w.Call(ctx, me, "TrentService.ListKeys", []byte(`{}`)); !errors.Is(err, ErrDeadInstance) {
		t.Fatalf("the call that trapped: %v", err)
	}
	if state := jsonString(callAs(t, w, me, "TrentService.DescribeKey", `{"KeyId":"`+keyID+`"}`), "KeyMetadata", "KeyState"); state != "Disabled" {
		t.Fatalf("the key changed over and over, after the trap: %s", state)
	}
	callAs(t, w, me, "TrentService.DescribeKey", `{"KeyId":"`+made[2999]+`"}`)
}
