package testharness

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The direct exports wasmkms_encrypt and wasmkms_decrypt (wasm/ABI.md, "Direct Encrypt and
// Decrypt") must answer exactly what wasmkms_call answers for the equivalent JSON body: the same
// error bodies byte for byte, and on success the same members (a fresh Encrypt differs only in its
// random nonce, so its blob is checked by decrypting it).

// directInput is one Encrypt or Decrypt request; nil members are absent.
type directInput struct {
	keyID, algorithm *string
	blob             []byte // Plaintext for Encrypt, CiphertextBlob for Decrypt
	context          []directPair
	hasContext       bool
}

type directPair struct{ k, v string }

func strp(s string) *string { return &s }

func appendDirectField(dst, field []byte, present bool) []byte {
	if !present {
		return binary.LittleEndian.AppendUint32(dst, abi.AbsentField)
	}
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(field)))
	return append(dst, field...)
}

func appendDirectString(dst []byte, s *string) []byte {
	if s == nil {
		return appendDirectField(dst, nil, false)
	}
	return appendDirectField(dst, []byte(*s), true)
}

func appendDirectContext(dst []byte, in directInput) []byte {
	if !in.hasContext {
		return appendDirectField(dst, nil, false)
	}
	field := binary.LittleEndian.AppendUint32(nil, uint32(len(in.context)))
	for _, p := range in.context {
		field = appendDirectField(field, []byte(p.k), true)
		field = appendDirectField(field, []byte(p.v), true)
	}
	return appendDirectField(dst, field, true)
}

// directRequest encodes the binary request of an export for the default caller.
func directRequest(export string, in directInput) []byte {
	req := appendDirectField(nil, nil, true) // account
	req = appendDirectField(req, nil, true)  // region
	req = appendDirectField(req, nil, true)  // principal
	if export == "wasmkms_encrypt" {
		req = appendDirectString(req, in.keyID)
		req = appendDirectField(req, in.blob, in.blob != nil)
		req = appendDirectContext(req, in)
	} else {
		req = appendDirectField(req, in.blob, in.blob != nil)
		req = appendDirectContext(req, in)
		req = appendDirectString(req, in.keyID)
	}
	return appendDirectString(req, in.algorithm)
}

// jsonBody is the generic request with the same members.
func jsonBody(export string, in directInput) []byte {
	m := map[string]any{}
	if in.keyID != nil {
		m["KeyId"] = *in.keyID
	}
	if in.algorithm != nil {
		m["EncryptionAlgorithm"] = *in.algorithm
	}
	blobName := "Plaintext"
	if export == "wasmkms_decrypt" {
		blobName = "CiphertextBlob"
	}
	if in.blob != nil {
		m[blobName] = in.blob
	}
	if in.hasContext {
		ctx := map[string]string{}
		for _, p := range in.context {
			ctx[p.k] = p.v
		}
		m["EncryptionContext"] = ctx
	}
	body, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return body
}

// directCall runs a direct export on the world's request area and collects the answer.
func (w *World) directCall(ctx context.Context, export string, req []byte) (int, []byte, error) {
	w.h.mu.Lock()
	defer w.h.mu.Unlock()
	reqPtr, err := w.h.requestArea(ctx, uint32(len(req)))
	if err != nil {
		return 0, nil, err
	}
	if err := w.h.writeBytes(reqPtr, req); err != nil {
		return 0, nil, err
	}
	fn := w.h.module.ExportedFunction(export)
	if fn == nil {
		return 0, nil, fmt.Errorf("the module has no %s export", export)
	}
	status, err := w.h.invoke(ctx, export, fn, uint32(w.handle), reqPtr, uint32(len(req)), w.h.outArea)
	if err != nil {
		return 0, nil, err
	}
	if status < 0 {
		return 0, nil, &ABIError{Export: export, Code: status}
	}
	return w.h.collectAnswer(ctx, int(status), w.h.outArea)
}

// directFields splits a direct success answer into its three fields.
func directFields(t testing.TB, answer []byte) [4][]byte {
	t.Helper()
	var out [4][]byte
	for i := range out {
		if len(answer) == 0 && i == 3 {
			break // Encrypt answers three fields
		}
		if len(answer) < 4 {
			t.Fatalf("answer too short: %x", answer)
		}
		n := binary.LittleEndian.Uint32(answer)
		if n == abi.AbsentField {
			out[i], answer = nil, answer[4:]
			continue
		}
		if uint64(n) > uint64(len(answer)-4) {
			t.Fatalf("field %d length %d beyond the answer", i, n)
		}
		out[i], answer = answer[4:4+n], answer[4+n:]
	}
	if len(answer) != 0 {
		t.Fatalf("%d bytes after the answer's fields", len(answer))
	}
	return out
}

func mustCall(t testing.TB, w *World, target string, body string) []byte {
	t.Helper()
	status, resp, err := w.Call(context.Background(), kms.Caller{}, target, []byte(body))
	if err != nil || status != 200 {
		t.Fatalf("%s %s: %d %s %v", target, body, status, resp, err)
	}
	return resp
}

func TestDirectExportsAnswerAsTheGenericCall(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, newHarness(t), kms.Options{})
	symmetric := jsonString(mustCall(t, w, "TrentService.CreateKey", `{}`), "KeyMetadata", "KeyId")
	rsa := jsonString(mustCall(t, w, "TrentService.CreateKey", `{"KeySpec":"RSA_2048","KeyUsage":"ENCRYPT_DECRYPT"}`), "KeyMetadata", "KeyId")
	disabled := jsonString(mustCall(t, w, "TrentService.CreateKey", `{}`), "KeyMetadata", "KeyId")
	mustCall(t, w, "TrentService.DisableKey", `{"KeyId":"`+disabled+`"}`)
	hmac := jsonString(mustCall(t, w, "TrentService.CreateKey", `{"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC"}`), "KeyMetadata", "KeyId")
	mustCall(t, w, "TrentService.CreateAlias", `{"AliasName":"alias/direct","TargetKeyId":"`+symmetric+`"}`)
	arn := jsonString(mustCall(t, w, "TrentService.DescribeKey", `{"KeyId":"`+symmetric+`"}`), "KeyMetadata", "Arn")
	ctxPairs := []directPair{{"purpose", "test"}, {"caf\u00e9", "\xff bad utf-8"}, {"", ""}}
	sealedWithContext := jsonString(mustCall(t, w, "TrentService.Encrypt", string(jsonBody("wasmkms_encrypt",
		directInput{keyID: &symmetric, blob: []byte("secret"), context: ctxPairs, hasContext: true}))), "CiphertextBlob")
	sealed, _ := base64.StdEncoding.DecodeString(sealedWithContext)
	rsaSealedB64 := jsonString(mustCall(t, w, "TrentService.Encrypt",
		`{"KeyId":"`+rsa+`","Plaintext":"aGk=","EncryptionAlgorithm":"RSAES_OAEP_SHA_256"}`), "CiphertextBlob")
	rsaSealed, _ := base64.StdEncoding.DecodeString(rsaSealedB64)
	flipped := append([]byte(nil), sealed...)
	flipped[len(flipped)-1] ^= 1

	encrypts := map[string]directInput{
		"plain":                {keyID: &symmetric, blob: []byte("hello")},
		"by alias":             {keyID: strp("alias/direct"), blob: []byte("hello")},
		"by ARN":               {keyID: &arn, blob: []byte("hello")},
		"4096 bytes":           {keyID: &symmetric, blob: bytes.Repeat([]byte{7}, 4096)},
		"4097 bytes":           {keyID: &symmetric, blob: bytes.Repeat([]byte{7}, 4097)},
		"empty plaintext":      {keyID: &symmetric, blob: []byte{}},
		"no plaintext":         {keyID: &symmetric},
		"no key":               {blob: []byte("x")},
		"empty key":            {keyID: strp(""), blob: []byte("x")},
		"long key":             {keyID: strp(strings.Repeat("k", 2049)), blob: []byte("x")},
		"unknown key":          {keyID: strp("1234abcd-12ab-34cd-56ef-1234567890ab"), blob: []byte("x")},
		"unknown alias":        {keyID: strp("alias/none"), blob: []byte("x")},
		"disabled key":         {keyID: &disabled, blob: []byte("x")},
		"HMAC key":             {keyID: &hmac, blob: []byte("x")},
		"with context":         {keyID: &symmetric, blob: []byte("x"), context: ctxPairs, hasContext: true},
		"empty context":        {keyID: &symmetric, blob: []byte("x"), hasContext: true},
		"RSA OAEP":             {keyID: &rsa, blob: []byte("x"), algorithm: strp("RSAES_OAEP_SHA_1")},
		"RSA default alg":      {keyID: &rsa, blob: []byte("x")},
		"RSA too large":        {keyID: &rsa, blob: make([]byte, 191), algorithm: strp("RSAES_OAEP_SHA_256")},
		"RSA with context":     {keyID: &rsa, blob: []byte("x"), algorithm: strp("RSAES_OAEP_SHA_256"), context: ctxPairs[:1], hasContext: true},
		"bad algorithm":        {keyID: &symmetric, blob: []byte("x"), algorithm: strp("AES")},
		"empty algorithm":      {keyID: &symmetric, blob: []byte("x"), algorithm: strp("")},
		"symmetric with OAEP":  {keyID: &symmetric, blob: []byte("x"), algorithm: strp("RSAES_OAEP_SHA_256")},
		"several violations":   {keyID: strp(""), blob: []byte{}, algorithm: strp("AES")},
		"invalid UTF-8 key ID": {keyID: strp("alias/\xff"), blob: []byte("x")},
	}
	decrypts := map[string]directInput{
		"plain":               {blob: sealed, context: ctxPairs, hasContext: true},
		"named key":           {blob: sealed, context: ctxPairs, hasContext: true, keyID: &symmetric},
		"named by alias":      {blob: sealed, context: ctxPairs, hasContext: true, keyID: strp("alias/direct")},
		"wrong context":       {blob: sealed, context: ctxPairs[:1], hasContext: true},
		"no context":          {blob: sealed},
		"other key named":     {blob: sealed, context: ctxPairs, hasContext: true, keyID: &disabled},
		"flipped bit":         {blob: flipped, context: ctxPairs, hasContext: true},
		"garbage":             {blob: []byte("not a blob")},
		"empty":               {blob: []byte{}},
		"absent":              {},
		"too large":           {blob: make([]byte, 6145)},
		"RSA":                 {blob: rsaSealed, keyID: &rsa, algorithm: strp("RSAES_OAEP_SHA_256")},
		"RSA wrong algorithm": {blob: rsaSealed, keyID: &rsa, algorithm: strp("RSAES_OAEP_SHA_1")},
		"RSA without key":     {blob: rsaSealed, algorithm: strp("RSAES_OAEP_SHA_256")},
		"RSA blob as sym":     {blob: rsaSealed, keyID: &rsa},
		"bad algorithm":       {blob: sealed, algorithm: strp("nope")},
	}
	for export, cases := range map[string]map[string]directInput{"wasmkms_encrypt": encrypts, "wasmkms_decrypt": decrypts} {
		target := "TrentService.Encrypt"
		if export == "wasmkms_decrypt" {
			target = "TrentService.Decrypt"
		}
		for name, in := range cases {
			t.Run(export+"/"+name, func(t *testing.T) {
				wantStatus, want, err := w.Call(ctx, kms.Caller{}, target, jsonBody(export, in))
				if err != nil {
					t.Fatal(err)
				}
				status, got, err := w.directCall(ctx, export, directRequest(export, in))
				if err != nil {
					t.Fatal(err)
				}
				if status != wantStatus {
					t.Fatalf("status %d, the generic call answers %d (%s); direct answer %q", status, wantStatus, want, got)
				}
				if status != 200 {
					if !bytes.Equal(got, want) {
						t.Fatalf("error answer\n got %s\nwant %s", got, want)
					}
					return
				}
				fields := directFields(t, got)
				if export == "wasmkms_decrypt" {
					compareDecryptAnswer(t, fields, want)
					return
				}
				compareEncryptAnswer(t, w, in, fields, want)
			})
		}
	}
}

func compareDecryptAnswer(t *testing.T, fields [4][]byte, want []byte) {
	t.Helper()
	var generic struct {
		KeyId, EncryptionAlgorithm string
		Plaintext                  []byte
		KeyMaterialId              *string
	}
	if err := json.Unmarshal(want, &generic); err != nil {
		t.Fatal(err)
	}
	if string(fields[0]) != generic.KeyId || !bytes.Equal(fields[1], generic.Plaintext) || string(fields[2]) != generic.EncryptionAlgorithm {
		t.Fatalf("direct answer %q %x %q; generic %s", fields[0], fields[1], fields[2], want)
	}
	if (fields[3] == nil) != (generic.KeyMaterialId == nil) || generic.KeyMaterialId != nil && string(fields[3]) != *generic.KeyMaterialId {
		t.Fatalf("direct KeyMaterialId %q; generic %s", fields[3], want)
	}
}

// compareEncryptAnswer: same key ARN and algorithm, a blob of the same size that decrypts (through
// the generic call) to the plaintext.
func compareEncryptAnswer(t *testing.T, w *World, in directInput, fields [4][]byte, want []byte) {
	t.Helper()
	var generic struct {
		KeyId, EncryptionAlgorithm string
		CiphertextBlob             []byte
	}
	if err := json.Unmarshal(want, &generic); err != nil {
		t.Fatal(err)
	}
	if string(fields[1]) != generic.KeyId || string(fields[2]) != generic.EncryptionAlgorithm {
		t.Fatalf("direct answer key %q algorithm %q; generic %s", fields[1], fields[2], want)
	}
	if len(fields[0]) != len(generic.CiphertextBlob) {
		t.Fatalf("direct blob of %d bytes, generic %d", len(fields[0]), len(generic.CiphertextBlob))
	}
	back := directInput{blob: fields[0], context: in.context, hasContext: in.hasContext, algorithm: in.algorithm}
	if in.algorithm != nil && *in.algorithm != "SYMMETRIC_DEFAULT" {
		back.keyID = in.keyID
	}
	status, opened, err := w.Call(context.Background(), kms.Caller{}, "TrentService.Decrypt", jsonBody("wasmkms_decrypt", back))
	if err != nil || status != 200 {
		t.Fatalf("the direct blob does not decrypt: %d %s %v", status, opened, err)
	}
	if got := jsonString(opened, "Plaintext"); got != base64.StdEncoding.EncodeToString(in.blob) {
		t.Fatalf("the direct blob decrypts to %s", got)
	}
}

// TestDirectExportsRefuseMalformedRequests: a request whose fields do not add up is an ABI error
// (-4), like a malformed wasmkms_call header; unknown worlds and bad pointers as wasmkms_call.
func TestDirectExportsRefuseMalformedRequests(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, newHarness(t), kms.Options{})
	good := directRequest("wasmkms_encrypt", directInput{keyID: strp("k"), blob: []byte("x")})
	badContext := appendDirectField(nil, nil, true)
	badContext = appendDirectField(badContext, nil, true)
	badContext = appendDirectField(badContext, nil, true)
	badContext = appendDirectString(badContext, strp("k"))
	badContext = appendDirectField(badContext, []byte("x"), true)
	badContext = appendDirectField(badContext, binary.LittleEndian.AppendUint32(nil, 2), true) // two pairs, none given
	badContext = appendDirectString(badContext, nil)
	// A first good call sets up the world's request area, which the empty request then points into.
	if status, _, err := w.directCall(ctx, "wasmkms_encrypt", good); err != nil || status != 400 {
		t.Fatalf("a well-formed request for an unknown key: %d %v", status, err)
	}
	for name, req := range map[string][]byte{
		"empty":              {},
		"truncated":          good[:len(good)-1],
		"trailing byte":      append(append([]byte(nil), good...), 0),
		"context pair short": badContext,
	} {
		for _, export := range []string{"wasmkms_encrypt", "wasmkms_decrypt"} {
			_, _, err := w.directCall(ctx, export, req)
			var abiErr *ABIError
			if !errors.As(err, &abiErr) || abiErr.Code != abi.ErrBadHeader {
				t.Errorf("%s %s: %v, want ABI error -4", export, name, err)
			}
		}
	}
	stranger := &World{h: w.h, handle: 9999}
	if _, _, err := stranger.directCall(ctx, "wasmkms_encrypt", good); err == nil || !strings.Contains(err.Error(), "-3") {
		t.Errorf("unknown world: %v, want ABI error -3", err)
	}
	// The instance keeps serving.
	if status, _, err := w.directCall(ctx, "wasmkms_encrypt", good); err != nil || status != 400 {
		t.Errorf("after the malformed requests: %d %v", status, err)
	}
}

// benchmarkDirectEncrypt: Encrypt through wasmkms_encrypt, with the generic wasmkms_call of the same
// request measured in the same process as the baseline (x-generic).
func benchmarkDirectEncrypt(b *testing.B, size int) {
	ctx := context.Background()
	w := newWorld(b, newHarness(b), kms.Options{})
	keyID := jsonString(mustCall(b, w, "TrentService.CreateKey", `{}`), "KeyMetadata", "KeyId")
	in := directInput{keyID: &keyID, blob: make([]byte, size)}
	body := jsonBody("wasmkms_encrypt", in)
	const genericCalls = 2000
	t0 := time.Now()
	for range genericCalls {
		if status, resp, err := w.Call(ctx, kms.Caller{}, "TrentService.Encrypt", body); err != nil || status != 200 {
			b.Fatalf("%d %s %v", status, resp, err)
		}
	}
	generic := float64(time.Since(t0).Nanoseconds()) / genericCalls
	req := directRequest("wasmkms_encrypt", in)
	for b.Loop() {
		if status, resp, err := w.directCall(ctx, "wasmkms_encrypt", req); err != nil || status != 200 {
			b.Fatalf("%d %s %v", status, resp, err)
		}
	}
	direct := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(generic, "generic-ns/op")
	b.ReportMetric(direct/generic, "x-generic")
}

func BenchmarkDirectEncrypt32B(b *testing.B)   { benchmarkDirectEncrypt(b, 32) }
func BenchmarkDirectEncrypt4096B(b *testing.B) { benchmarkDirectEncrypt(b, 4096) }
