package testharness

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The direct exports (wasm/ABI.md, "Direct exports") must answer exactly what wasmkms_call answers for
// the equivalent JSON body. Twin worlds prove it: two worlds with the same seed and the same clock get
// the same calls, one through wasmkms_call and the other through the direct exports, and must give the
// same answers member by member, byte for byte (errors included), keep the same journal, and apply the
// same faults and latency. The requests are encoded from abi.DirectExports, the table the module
// parses by.

// Members of a request or an answer, by name: string, []byte, map[string]string, int32 or bool.
type members = map[string]any

func appendDirectField(dst, field []byte, present bool) []byte {
	if !present {
		return binary.LittleEndian.AppendUint32(dst, abi.AbsentField)
	}
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(field)))
	return append(dst, field...)
}

// directRequest encodes the binary request of a direct export for the default caller: each field of
// the export's entry in abi.DirectExports, from the member of that name (absent when m has none). It
// panics for a member the export does not carry, or a value of another kind than its field's.
func directRequest(export string, m members) []byte {
	d := directExport(export)
	req := appendDirectField(nil, nil, true) // account
	req = appendDirectField(req, nil, true)  // region
	req = appendDirectField(req, nil, true)  // principal
	carried := 0
	for _, f := range d.Input {
		v, ok := m[f.Name]
		if !ok {
			req = appendDirectField(req, nil, false)
			continue
		}
		carried++
		req = appendDirectField(req, directBytes(f, v), true)
	}
	if carried != len(m) {
		panic(fmt.Sprintf("%s does not carry every member of %v", export, m))
	}
	return req
}

func directBytes(f abi.Member, v any) []byte {
	switch x := v.(type) {
	case string:
		if f.Kind == abi.String {
			return []byte(x)
		}
	case []byte:
		if f.Kind == abi.Blob {
			return x
		}
	case map[string]string:
		if f.Kind == abi.Context {
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			field := binary.LittleEndian.AppendUint32(nil, uint32(len(x)))
			for _, k := range keys {
				field = appendDirectField(field, []byte(k), true)
				field = appendDirectField(field, []byte(x[k]), true)
			}
			return field
		}
	case int32:
		if f.Kind == abi.Integer {
			return binary.LittleEndian.AppendUint32(nil, uint32(x))
		}
	case bool:
		if f.Kind == abi.Boolean {
			if x {
				return []byte{1}
			}
			return []byte{0}
		}
	}
	panic(fmt.Sprintf("%s: %T is not a %s field", f.Name, v, f.Kind))
}

func directExport(export string) abi.DirectExport {
	for _, d := range abi.DirectExports {
		if d.Export == export {
			return d
		}
	}
	panic("no direct export " + export)
}

// jsonBody is the JSON request with the same members.
func jsonBody(m members) []byte {
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
	fn := directFunction(w.h, export)
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
	code, answer, err := w.h.collectAnswer(ctx, int(status), w.h.outArea)
	if err == nil && w.recovery != nil { // the call's changes kept, as callLocked keeps them
		err = w.recovery.keepChanges(ctx, w)
	}
	return code, answer, err
}

// directFunctions caches each harness's direct exports: wazero makes a new api.Function on every
// ExportedFunction, a cost that would count against the direct calls in the benchmarks.
var directFunctions sync.Map // directFunctionKey -> api.Function

type directFunctionKey struct {
	h      *Harness
	export string
}

func directFunction(h *Harness, export string) api.Function {
	key := directFunctionKey{h, export}
	if fn, ok := directFunctions.Load(key); ok {
		return fn.(api.Function)
	}
	fn := h.module.ExportedFunction(export)
	if fn != nil {
		directFunctions.Store(key, fn)
	}
	return fn
}

// directAnswerAsJSON turns a direct 200 answer into the JSON members wasmkms_call writes for them
// (absent ones left out): a string quoted as encoding/json quotes it, a blob as quoted base64, a
// boolean as true or false, a json field as it is.
func directAnswerAsJSON(t testing.TB, export string, answer []byte) map[string]json.RawMessage {
	t.Helper()
	out := map[string]json.RawMessage{}
	for _, f := range directExport(export).Output {
		if len(answer) < 4 {
			t.Fatalf("%s: the answer ends before %s: %x", export, f.Name, answer)
		}
		n := binary.LittleEndian.Uint32(answer)
		answer = answer[4:]
		if n == abi.AbsentField {
			continue
		}
		if uint64(n) > uint64(len(answer)) {
			t.Fatalf("%s: %s's length %d is beyond the answer", export, f.Name, n)
		}
		field := answer[:n]
		answer = answer[n:]
		switch f.Kind {
		case abi.String:
			out[f.Name], _ = json.Marshal(string(field))
		case abi.Blob:
			out[f.Name] = json.RawMessage(`"` + base64.StdEncoding.EncodeToString(field) + `"`)
		case abi.Boolean:
			if len(field) != 1 || field[0] > 1 {
				t.Fatalf("%s: %s is %x, not a boolean", export, f.Name, field)
			}
			out[f.Name] = json.RawMessage([]string{"false", "true"}[field[0]])
		case abi.KeyList:
			out[f.Name] = keyListAsJSON(t, export, field)
		default:
			out[f.Name] = json.RawMessage(field)
		}
	}
	if len(answer) != 0 {
		t.Fatalf("%s: %d bytes after the answer's fields", export, len(answer))
	}
	return out
}

// directTwins are two worlds of one instance with the same seed and clock: viaJSON gets every call
// through wasmkms_call, viaDirect through the direct exports.
type directTwins struct {
	viaJSON, viaDirect *World
	kmsCalls           int // the KMS calls each twin answered, for the journal's length
}

func newDirectTwins(t testing.TB) *directTwins {
	h := newHarness(t)
	opts := kms.Options{Seed: "direct-twins", Clock: "2027-03-01T12:00:00Z"}
	return &directTwins{viaJSON: newWorld(t, h, opts), viaDirect: newWorld(t, h, opts)}
}

// both runs a JSON call (setup, admin targets, requests no direct export carries) on both worlds, and
// checks they answer the same; it answers the answer.
func (tw *directTwins) both(t testing.TB, target, body string) (int, []byte) {
	t.Helper()
	ctx := context.Background()
	status, answer, err := tw.viaJSON.Call(ctx, kms.Caller{}, target, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	status2, answer2, err := tw.viaDirect.Call(ctx, kms.Caller{}, target, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if status != status2 || !bytes.Equal(answer, answer2) {
		t.Fatalf("%s %s: the twins differ: %d %s and %d %s", target, body, status, answer, status2, answer2)
	}
	if strings.HasPrefix(target, "TrentService.") {
		tw.kmsCalls++
	}
	return status, answer
}

// call runs an operation on both twins, through wasmkms_call and through its direct export, checks
// that they answer the same, and answers the JSON answer.
func (tw *directTwins) call(t testing.TB, operation string, m members) (int, []byte) {
	t.Helper()
	ctx := context.Background()
	export := abi.Direct(operation).Export
	wantStatus, want, err := tw.viaJSON.Call(ctx, kms.Caller{}, "TrentService."+operation, jsonBody(m))
	if err != nil {
		t.Fatal(err)
	}
	status, got, err := tw.viaDirect.directCall(ctx, export, directRequest(export, m))
	if err != nil {
		t.Fatal(err)
	}
	tw.kmsCalls++
	if status != wantStatus {
		t.Fatalf("%s %v: the direct export answers %d %q, wasmkms_call %d %s", operation, m, status, got, wantStatus, want)
	}
	if status != 200 {
		if !bytes.Equal(got, want) {
			t.Fatalf("%s %v: error answer\n got %s\nwant %s", operation, m, got, want)
		}
		return status, want
	}
	var wantMembers map[string]json.RawMessage
	if err := json.Unmarshal(want, &wantMembers); err != nil {
		t.Fatal(err)
	}
	for name, raw := range wantMembers {
		if string(raw) == "null" {
			delete(wantMembers, name)
		}
	}
	gotMembers := directAnswerAsJSON(t, export, got)
	if !reflect.DeepEqual(gotMembers, wantMembers) {
		t.Fatalf("%s %v: the direct answer's members\n %s\ndiffer from wasmkms_call's\n %s", operation, m, jsonBody(toAny(gotMembers)), want)
	}
	return status, want
}

func toAny(m map[string]json.RawMessage) members {
	out := members{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// sameJournals checks that the twins' journals hold the same calls, each of them: the same operations,
// times, callers and request IDs, the same answers, and the same requests once parsed (a request's
// JSON is the body the host sent for one twin and the typed request for the other).
func (tw *directTwins) sameJournals(t testing.TB) {
	t.Helper()
	journal := func(w *World) []map[string]any {
		status, resp, err := w.Call(context.Background(), kms.Caller{}, "WasmKMS.Calls", []byte(`{}`))
		if err != nil || status != 200 {
			t.Fatalf("Calls: %d %s %v", status, resp, err)
		}
		var out struct{ Calls []map[string]any }
		if err := json.Unmarshal(resp, &out); err != nil {
			t.Fatal(err)
		}
		return out.Calls
	}
	a, b := journal(tw.viaJSON), journal(tw.viaDirect)
	if len(a) != tw.kmsCalls || len(b) != tw.kmsCalls {
		t.Fatalf("the journals hold %d and %d calls, not the %d made", len(a), len(b), tw.kmsCalls)
	}
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			t.Fatalf("journal entry %d differs:\n JSON   %v\n direct %v", i, a[i], b[i])
		}
	}
}

func mustCall(t testing.TB, w *World, target string, body string) []byte {
	t.Helper()
	status, resp, err := w.Call(context.Background(), kms.Caller{}, target, []byte(body))
	if err != nil || status != 200 {
		t.Fatalf("%s %s: %d %s %v", target, body, status, resp, err)
	}
	return resp
}

func keyIDOf(t testing.TB, answer []byte) string {
	t.Helper()
	return jsonString(answer, "KeyMetadata", "KeyId")
}

func blobOf(t testing.TB, answer []byte, member string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(jsonString(answer, member))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDirectExportsAnswerAsTheGenericCall(t *testing.T) {
	tw := newDirectTwins(t)
	ok := func(operation string, m members) []byte {
		t.Helper()
		status, answer := tw.call(t, operation, m)
		if status != 200 {
			t.Fatalf("%s %v: %d %s", operation, m, status, answer)
		}
		return answer
	}

	// CreateKey: the keys every later case uses, then the refusals.
	sym := keyIDOf(t, ok("CreateKey", members{}))
	sym2 := keyIDOf(t, ok("CreateKey", members{"Description": "second", "KeyUsage": "ENCRYPT_DECRYPT", "KeySpec": "SYMMETRIC_DEFAULT"}))
	rsa := keyIDOf(t, ok("CreateKey", members{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}))
	ecc := keyIDOf(t, ok("CreateKey", members{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY", "Description": "signer \u00e9"}))
	rsaSign := keyIDOf(t, ok("CreateKey", members{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}))
	ed := keyIDOf(t, ok("CreateKey", members{"KeySpec": "ECC_NIST_EDWARDS25519", "KeyUsage": "SIGN_VERIFY"}))
	hmac := keyIDOf(t, ok("CreateKey", members{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}))
	mrk := keyIDOf(t, ok("CreateKey", members{"MultiRegion": true, "Description": ""}))
	ok("CreateKey", members{"MultiRegion": false, "Origin": "EXTERNAL"})
	ok("CreateKey", members{"CustomerMasterKeySpec": "SYMMETRIC_DEFAULT"})
	tw.call(t, "CreateKey", members{"Policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`,
		"BypassPolicyLockoutSafetyCheck": true})
	disabled := keyIDOf(t, ok("CreateKey", members{}))
	tw.both(t, "TrentService.DisableKey", `{"KeyId":"`+disabled+`"}`)
	tw.both(t, "TrentService.CreateAlias", `{"AliasName":"alias/direct","TargetKeyId":"`+sym+`"}`)
	_, described := tw.both(t, "TrentService.DescribeKey", `{"KeyId":"`+sym+`"}`)
	arn := jsonString(described, "KeyMetadata", "Arn")
	for _, m := range []members{
		{"KeySpec": "NOPE"},
		{"KeySpec": "", "KeyUsage": ""},
		{"KeyUsage": "SIGN_VERIFY"},
		{"KeySpec": "HMAC_256"},
		{"KeySpec": "RSA_2048", "CustomerMasterKeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
		{"Policy": "not a policy"},
		{"Policy": ""},
		{"Description": strings.Repeat("d", 8193)},
		{"Origin": "AWS_CLOUDHSM"},
		{"Origin": "NOPE"},
		{"CustomKeyStoreId": "cks-1234567890abcdef0"},
		{"XksKeyId": "x", "Origin": "AWS_KMS"},
		{"MultiRegion": true, "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"},
		{"Description": "invalid UTF-8 \xff"},
	} {
		tw.call(t, "CreateKey", m)
	}

	// Encrypt and Decrypt.
	context := map[string]string{"purpose": "test", "caf\u00e9": "\xff bad utf-8", "": ""}
	sealed := blobOf(t, ok("Encrypt", members{"KeyId": sym, "Plaintext": []byte("secret"), "EncryptionContext": context}), "CiphertextBlob")
	rsaSealed := blobOf(t, ok("Encrypt", members{"KeyId": rsa, "Plaintext": []byte("hi"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}), "CiphertextBlob")
	flipped := append([]byte(nil), sealed...)
	flipped[len(flipped)-1] ^= 1
	for _, m := range []members{
		{"KeyId": sym, "Plaintext": []byte("hello")},
		{"KeyId": "alias/direct", "Plaintext": []byte("hello")},
		{"KeyId": arn, "Plaintext": []byte("hello")},
		{"KeyId": sym, "Plaintext": bytes.Repeat([]byte{7}, 4096)},
		{"KeyId": sym, "Plaintext": bytes.Repeat([]byte{7}, 4097)},
		{"KeyId": sym, "Plaintext": []byte{}},
		{"KeyId": sym},
		{"Plaintext": []byte("x")},
		{"KeyId": "", "Plaintext": []byte("x")},
		{"KeyId": strings.Repeat("k", 2049), "Plaintext": []byte("x")},
		{"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "Plaintext": []byte("x")},
		{"KeyId": "alias/none", "Plaintext": []byte("x")},
		{"KeyId": disabled, "Plaintext": []byte("x")},
		{"KeyId": hmac, "Plaintext": []byte("x")},
		{"KeyId": sym, "Plaintext": []byte("x"), "EncryptionContext": context},
		{"KeyId": sym, "Plaintext": []byte("x"), "EncryptionContext": map[string]string{}},
		{"KeyId": rsa, "Plaintext": []byte("x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"},
		{"KeyId": rsa, "Plaintext": []byte("x")},
		{"KeyId": rsa, "Plaintext": make([]byte, 191), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"},
		{"KeyId": rsa, "Plaintext": []byte("x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256", "EncryptionContext": map[string]string{"a": "b"}},
		{"KeyId": sym, "Plaintext": []byte("x"), "EncryptionAlgorithm": "AES"},
		{"KeyId": sym, "Plaintext": []byte("x"), "EncryptionAlgorithm": ""},
		{"KeyId": sym, "Plaintext": []byte("x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"},
		{"KeyId": "", "Plaintext": []byte{}, "EncryptionAlgorithm": "AES"},
		{"KeyId": "alias/\xff", "Plaintext": []byte("x")},
	} {
		tw.call(t, "Encrypt", m)
	}
	for _, m := range []members{
		{"CiphertextBlob": sealed, "EncryptionContext": context},
		{"CiphertextBlob": sealed, "EncryptionContext": context, "KeyId": sym},
		{"CiphertextBlob": sealed, "EncryptionContext": context, "KeyId": "alias/direct"},
		{"CiphertextBlob": sealed, "EncryptionContext": map[string]string{"purpose": "test"}},
		{"CiphertextBlob": sealed},
		{"CiphertextBlob": sealed, "EncryptionContext": context, "KeyId": disabled},
		{"CiphertextBlob": flipped, "EncryptionContext": context},
		{"CiphertextBlob": []byte("not a blob")},
		{"CiphertextBlob": []byte{}},
		{},
		{"CiphertextBlob": make([]byte, 6145)},
		{"CiphertextBlob": rsaSealed, "KeyId": rsa, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"},
		{"CiphertextBlob": rsaSealed, "KeyId": rsa, "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"},
		{"CiphertextBlob": rsaSealed, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"},
		{"CiphertextBlob": rsaSealed, "KeyId": rsa},
		{"CiphertextBlob": sealed, "EncryptionAlgorithm": "nope"},
	} {
		tw.call(t, "Decrypt", m)
	}

	// GenerateDataKey and GenerateDataKeyWithoutPlaintext.
	dataKey := ok("GenerateDataKey", members{"KeyId": sym, "KeySpec": "AES_256", "EncryptionContext": context})
	for _, operation := range []string{"GenerateDataKey", "GenerateDataKeyWithoutPlaintext"} {
		for _, m := range []members{
			{"KeyId": sym, "KeySpec": "AES_256"},
			{"KeyId": "alias/direct", "KeySpec": "AES_128"},
			{"KeyId": arn, "NumberOfBytes": int32(64)},
			{"KeyId": sym, "NumberOfBytes": int32(1)},
			{"KeyId": sym, "NumberOfBytes": int32(1024)},
			{"KeyId": sym, "NumberOfBytes": int32(1025)},
			{"KeyId": sym, "NumberOfBytes": int32(0)},
			{"KeyId": sym, "NumberOfBytes": int32(-1)},
			{"KeyId": sym, "NumberOfBytes": int32(-2147483648)},
			{"KeyId": sym, "NumberOfBytes": int32(32), "KeySpec": "AES_256"},
			{"KeyId": sym},
			{"KeyId": sym, "KeySpec": "AES_512"},
			{"KeyId": sym, "KeySpec": ""},
			{"KeySpec": "AES_256"},
			{"KeyId": "", "KeySpec": "AES_256"},
			{"KeyId": sym, "KeySpec": "AES_256", "EncryptionContext": context},
			{"KeyId": sym, "KeySpec": "AES_256", "EncryptionContext": map[string]string{}},
			{"KeyId": disabled, "KeySpec": "AES_256"},
			{"KeyId": rsa, "KeySpec": "AES_256"},
			{"KeyId": hmac, "KeySpec": "AES_256"},
			{"KeyId": "alias/none", "KeySpec": "AES_256"},
			{"KeyId": mrk, "NumberOfBytes": int32(16)},
		} {
			tw.call(t, operation, m)
		}
	}

	// ReEncrypt.
	dataKeyBlob := blobOf(t, dataKey, "CiphertextBlob")
	for _, m := range []members{
		{"CiphertextBlob": sealed, "SourceEncryptionContext": context, "DestinationKeyId": sym2},
		{"CiphertextBlob": sealed, "SourceEncryptionContext": context, "DestinationKeyId": sym2, "DestinationEncryptionContext": map[string]string{"to": "sym2"}},
		{"CiphertextBlob": sealed, "SourceEncryptionContext": context, "SourceKeyId": "alias/direct", "DestinationKeyId": "alias/direct",
			"DestinationEncryptionContext": map[string]string{}, "SourceEncryptionAlgorithm": "SYMMETRIC_DEFAULT", "DestinationEncryptionAlgorithm": "SYMMETRIC_DEFAULT"},
		{"CiphertextBlob": sealed, "DestinationKeyId": sym2},
		{"CiphertextBlob": sealed, "SourceEncryptionContext": context},
		{"CiphertextBlob": sealed, "SourceEncryptionContext": context, "DestinationKeyId": disabled},
		{"CiphertextBlob": sealed, "SourceEncryptionContext": context, "DestinationKeyId": rsa, "DestinationEncryptionAlgorithm": "RSAES_OAEP_SHA_256"},
		{"CiphertextBlob": sealed, "SourceEncryptionContext": context, "DestinationKeyId": rsa},
		{"CiphertextBlob": rsaSealed, "SourceKeyId": rsa, "SourceEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "DestinationKeyId": sym},
		{"CiphertextBlob": rsaSealed, "SourceEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "DestinationKeyId": sym},
		{"CiphertextBlob": dataKeyBlob, "SourceEncryptionContext": context, "DestinationKeyId": mrk},
		{"CiphertextBlob": flipped, "SourceEncryptionContext": context, "DestinationKeyId": sym},
		{"CiphertextBlob": []byte("x"), "DestinationKeyId": sym, "DestinationEncryptionAlgorithm": "nope"},
		{},
	} {
		tw.call(t, "ReEncrypt", m)
	}

	// Sign and Verify.
	message := []byte("the message")
	digest := bytes.Repeat([]byte{0xab}, 32)
	eccSignature := blobOf(t, ok("Sign", members{"KeyId": ecc, "Message": message, "SigningAlgorithm": "ECDSA_SHA_256"}), "Signature")
	pssSignature := blobOf(t, ok("Sign", members{"KeyId": rsaSign, "Message": digest, "MessageType": "DIGEST", "SigningAlgorithm": "RSASSA_PSS_SHA_256"}), "Signature")
	edSignature := blobOf(t, ok("Sign", members{"KeyId": ed, "Message": message, "SigningAlgorithm": "ED25519_SHA_512"}), "Signature")
	for _, m := range []members{
		{"KeyId": ecc, "Message": message, "SigningAlgorithm": "ECDSA_SHA_256", "MessageType": "RAW"},
		{"KeyId": ecc, "Message": digest, "SigningAlgorithm": "ECDSA_SHA_256", "MessageType": "DIGEST"},
		{"KeyId": ecc, "Message": digest[:31], "SigningAlgorithm": "ECDSA_SHA_256", "MessageType": "DIGEST"},
		{"KeyId": ecc, "Message": message, "SigningAlgorithm": "ECDSA_SHA_384"},
		{"KeyId": ecc, "Message": message, "SigningAlgorithm": "ECDSA_SHA_256", "MessageType": "EXTERNAL_MU"},
		{"KeyId": ecc, "Message": message, "SigningAlgorithm": "ECDSA_SHA_256", "MessageType": "nope"},
		{"KeyId": ecc, "Message": message},
		{"KeyId": ecc, "Message": []byte{}, "SigningAlgorithm": "ECDSA_SHA_256"},
		{"KeyId": ecc, "Message": make([]byte, 4097), "SigningAlgorithm": "ECDSA_SHA_256"},
		{"KeyId": rsaSign, "Message": message, "SigningAlgorithm": "RSASSA_PKCS1_V1_5_SHA_256"},
		{"KeyId": ed, "Message": message, "SigningAlgorithm": "ED25519_SHA_512"},
		{"KeyId": ed, "Message": digest, "SigningAlgorithm": "ED25519_SHA_512", "MessageType": "DIGEST"},
		{"KeyId": sym, "Message": message, "SigningAlgorithm": "ECDSA_SHA_256"},
		{"KeyId": "alias/none", "Message": message, "SigningAlgorithm": "ECDSA_SHA_256"},
		{"Message": message, "SigningAlgorithm": "ECDSA_SHA_256"},
	} {
		tw.call(t, "Sign", m)
	}
	tampered := append([]byte(nil), eccSignature...)
	tampered[len(tampered)-1] ^= 1
	for _, m := range []members{
		{"KeyId": ecc, "Message": message, "Signature": eccSignature, "SigningAlgorithm": "ECDSA_SHA_256"},
		{"KeyId": ecc, "Message": message, "Signature": tampered, "SigningAlgorithm": "ECDSA_SHA_256"},
		{"KeyId": ecc, "Message": message, "Signature": eccSignature, "SigningAlgorithm": "ECDSA_SHA_384"},
		{"KeyId": ecc, "Message": message, "Signature": []byte{}, "SigningAlgorithm": "ECDSA_SHA_256"},
		{"KeyId": ecc, "Message": message, "SigningAlgorithm": "ECDSA_SHA_256"},
		{"KeyId": rsaSign, "Message": digest, "MessageType": "DIGEST", "Signature": pssSignature, "SigningAlgorithm": "RSASSA_PSS_SHA_256"},
		{"KeyId": rsaSign, "Message": digest, "Signature": pssSignature, "SigningAlgorithm": "RSASSA_PSS_SHA_256"},
		{"KeyId": ed, "Message": message, "Signature": edSignature, "SigningAlgorithm": "ED25519_SHA_512", "MessageType": "RAW"},
		{"KeyId": hmac, "Message": message, "Signature": edSignature, "SigningAlgorithm": "ED25519_SHA_512"},
	} {
		tw.call(t, "Verify", m)
	}

	// GenerateMac and VerifyMac.
	mac := blobOf(t, ok("GenerateMac", members{"KeyId": hmac, "Message": message, "MacAlgorithm": "HMAC_SHA_256"}), "Mac")
	for _, m := range []members{
		{"KeyId": hmac, "Message": []byte{0}, "MacAlgorithm": "HMAC_SHA_256"},
		{"KeyId": hmac, "Message": make([]byte, 4096), "MacAlgorithm": "HMAC_SHA_256"},
		{"KeyId": hmac, "Message": make([]byte, 4097), "MacAlgorithm": "HMAC_SHA_256"},
		{"KeyId": hmac, "Message": []byte{}, "MacAlgorithm": "HMAC_SHA_256"},
		{"KeyId": hmac, "Message": message, "MacAlgorithm": "HMAC_SHA_384"},
		{"KeyId": hmac, "Message": message},
		{"KeyId": sym, "Message": message, "MacAlgorithm": "HMAC_SHA_256"},
		{"Message": message, "MacAlgorithm": "HMAC_SHA_256"},
	} {
		tw.call(t, "GenerateMac", m)
	}
	badMac := append([]byte(nil), mac...)
	badMac[0] ^= 1
	for _, m := range []members{
		{"KeyId": hmac, "Message": message, "MacAlgorithm": "HMAC_SHA_256", "Mac": mac},
		{"KeyId": hmac, "Message": message, "MacAlgorithm": "HMAC_SHA_256", "Mac": badMac},
		{"KeyId": hmac, "Message": message, "MacAlgorithm": "HMAC_SHA_256", "Mac": mac[:16]},
		{"KeyId": hmac, "Message": message, "MacAlgorithm": "HMAC_SHA_512", "Mac": mac},
		{"KeyId": hmac, "Message": message, "MacAlgorithm": "HMAC_SHA_256"},
		{"KeyId": ecc, "Message": message, "MacAlgorithm": "HMAC_SHA_256", "Mac": mac},
	} {
		tw.call(t, "VerifyMac", m)
	}

	tw.sameJournals(t)
}

// Faults and latency apply to a direct call as to its JSON twin: the same fault fires on the same call
// (a key named by alias, a probability drawn from the seeded randomness), the same latency is owed, and
// the journal records the same failures.
func TestDirectExportsMeetTheSameFaults(t *testing.T) {
	tw := newDirectTwins(t)
	_, created := tw.both(t, "TrentService.CreateKey", `{}`)
	sym := keyIDOf(t, created)
	_, created = tw.both(t, "TrentService.CreateKey", `{"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC"}`)
	hmac := keyIDOf(t, created)
	_, created = tw.both(t, "TrentService.CreateKey", `{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY"}`)
	ecc := keyIDOf(t, created)
	tw.both(t, "TrentService.CreateAlias", `{"AliasName":"alias/faulty","TargetKeyId":"`+sym+`"}`)
	_, encrypted := tw.both(t, "TrentService.Encrypt", `{"KeyId":"`+sym+`","Plaintext":"aGk="}`)
	sealed := blobOf(t, encrypted, "CiphertextBlob")
	for _, fault := range []string{
		`{"operation":"GenerateDataKey","error":"ThrottlingException","times":2}`,
		`{"operation":"ReEncrypt","keyId":"alias/faulty","error":"KMSInternalException","message":"boom"}`,
		`{"operation":"GenerateMac","error":"DependencyTimeoutException","probability":0.5}`,
		`{"operation":"Sign","latencyMs":40,"times":3}`,
		`{"operation":"CreateKey","error":"LimitExceededException","times":1}`,
		`{"keyId":"` + hmac + `","latencyMs":7}`,
	} {
		tw.both(t, "WasmKMS.AddFault", fault)
	}
	latency := func() {
		t.Helper()
		tw.both(t, "WasmKMS.TakeLatency", `{}`)
	}
	for range 3 {
		tw.call(t, "GenerateDataKey", members{"KeyId": sym, "KeySpec": "AES_256"})
		latency()
		tw.call(t, "ReEncrypt", members{"CiphertextBlob": sealed, "DestinationKeyId": sym})
		tw.call(t, "Sign", members{"KeyId": ecc, "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"})
		latency()
		tw.call(t, "CreateKey", members{"Description": "after the fault"})
		latency()
	}
	statuses := map[int]int{}
	for range 16 {
		status, _ := tw.call(t, "GenerateMac", members{"KeyId": hmac, "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_256"})
		statuses[status]++
		latency()
		tw.call(t, "VerifyMac", members{"KeyId": hmac, "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_256", "Mac": make([]byte, 32)})
		latency()
	}
	if statuses[200] == 0 || statuses[200] == 16 {
		t.Fatalf("a fault of probability 0.5 answered %v over 16 calls", statuses)
	}
	tw.sameJournals(t)
}

// TestDirectExportsRefuseMalformedRequests: a request whose fields do not add up is an ABI error
// (-4), like a malformed wasmkms_call header; unknown worlds and bad pointers as wasmkms_call.
func TestDirectExportsRefuseMalformedRequests(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, newHarness(t), kms.Options{})
	good := directRequest("wasmkms_encrypt", members{"KeyId": "k", "Plaintext": []byte("x")})
	badContext := appendDirectField(nil, nil, true)
	badContext = appendDirectField(badContext, nil, true)
	badContext = appendDirectField(badContext, nil, true)
	badContext = appendDirectField(badContext, []byte("k"), true)
	badContext = appendDirectField(badContext, []byte("x"), true)
	badContext = appendDirectField(badContext, binary.LittleEndian.AppendUint32(nil, 2), true) // two pairs, none given
	badContext = appendDirectField(badContext, nil, false)
	// A first good call sets up the world's request area, which the empty request then points into.
	if status, _, err := w.directCall(ctx, "wasmkms_encrypt", good); err != nil || status != 400 {
		t.Fatalf("a well-formed request for an unknown key: %d %v", status, err)
	}
	malformed := map[string][]byte{
		"empty":         {},
		"truncated":     good[:len(good)-1],
		"trailing byte": append(append([]byte(nil), good...), 0),
	}
	for _, d := range abi.DirectExports {
		for name, req := range malformed {
			_, _, err := w.directCall(ctx, d.Export, req)
			var abiErr *ABIError
			if !errors.As(err, &abiErr) || abiErr.Code != abi.ErrBadHeader {
				t.Errorf("%s %s: %v, want ABI error -4", d.Export, name, err)
			}
		}
	}
	// A field of the wrong size for its kind: an integer of 3 bytes, a boolean of 2 or of value 2.
	wrongSize := func(export, member string, field []byte) []byte {
		out := appendDirectField(nil, nil, true)
		out = appendDirectField(out, nil, true)
		out = appendDirectField(out, nil, true)
		for _, f := range directExport(export).Input {
			out = appendDirectField(out, field, f.Name == member)
		}
		return out
	}
	for name, req := range map[string][]byte{
		"a context pair short":  badContext,
		"an integer of 3 bytes": wrongSize("wasmkms_generate_data_key", "NumberOfBytes", []byte{1, 0, 0}),
		"a boolean of 2 bytes":  wrongSize("wasmkms_create_key", "MultiRegion", []byte{1, 0}),
		"a boolean 2":           wrongSize("wasmkms_create_key", "MultiRegion", []byte{2}),
	} {
		export := "wasmkms_create_key"
		switch {
		case strings.Contains(name, "integer"):
			export = "wasmkms_generate_data_key"
		case strings.Contains(name, "context"):
			export = "wasmkms_encrypt"
		}
		_, _, err := w.directCall(ctx, export, req)
		var abiErr *ABIError
		if !errors.As(err, &abiErr) || abiErr.Code != abi.ErrBadHeader {
			t.Errorf("%s: %v, want ABI error -4", name, err)
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

// benchmarkDirect: an operation through its direct export, against the generic wasmkms_call of the same
// request and against the native core (kms.World.Handle of the JSON request, Go's crypto with its
// assembly), in alternating batches so that all three meet the same machine, each batch timed in the
// process's CPU time (cpuTime: a loaded machine's waits for a core left out), each after a collection
// and one untimed call (so that no batch pays for another's garbage, nor for caches the collection
// emptied: the process holds wazero's compiled module, which a collection walks); medians of the
// batches' time per call (x-generic: direct / generic; x-native: direct / native, issue 15's target of
// at most 4 for Encrypt 32 B).
// setup makes the request's keys with create (a CreateKey body -> the key's ID), once in the module's
// world and once in the native one.
func benchmarkDirect(b *testing.B, setup func(create func(body string) string) (string, members)) {
	ctx := context.Background()
	w := newWorld(b, newHarness(b), kms.Options{})
	operation, m := setup(func(body string) string { return createdKey(b, w, body) })
	native := kms.NewWorld(kms.Options{})
	_, nm := setup(func(body string) string {
		status, resp := native.Handle(kms.Caller{}, "TrentService.CreateKey", []byte(body))
		if status != 200 {
			b.Fatalf("native CreateKey: %d %s", status, resp)
		}
		return keyIDOf(b, resp)
	})
	body, nativeBody := jsonBody(m), jsonBody(nm)
	export := abi.Direct(operation).Export
	req := directRequest(export, m)
	const batch = 50
	var direct, generic, natively []time.Duration
	timed := func(call func()) time.Duration {
		runtime.GC()
		call()
		t0 := cpuTime()
		for range batch {
			call()
		}
		return cpuTime() - t0
	}
	for b.Loop() {
		direct = append(direct, timed(func() {
			if status, resp, err := w.directCall(ctx, export, req); err != nil || status != 200 {
				b.Fatalf("%d %s %v", status, resp, err)
			}
		}))
		generic = append(generic, timed(func() {
			if status, resp, err := w.Call(ctx, kms.Caller{}, "TrentService."+operation, body); err != nil || status != 200 {
				b.Fatalf("%d %s %v", status, resp, err)
			}
		}))
		natively = append(natively, timed(func() {
			if status, resp := native.Handle(kms.Caller{}, "TrentService."+operation, nativeBody); status != 200 {
				b.Fatalf("native: %d %s", status, resp)
			}
		}))
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Nanoseconds()) / batch
	}
	d, g, n := median(direct), median(generic), median(natively)
	b.ReportMetric(d, "direct-cpu-ns/call")
	b.ReportMetric(g, "generic-cpu-ns/call")
	b.ReportMetric(n, "native-cpu-ns/call")
	b.ReportMetric(d/g, "x-generic")
	b.ReportMetric(d/n, "x-native")
}

func createdKey(b *testing.B, w *World, body string) string {
	return keyIDOf(b, mustCall(b, w, "TrentService.CreateKey", body))
}

func benchmarkDirectEncrypt(b *testing.B, size int) {
	benchmarkDirect(b, func(create func(string) string) (string, members) {
		return "Encrypt", members{"KeyId": create(`{}`), "Plaintext": make([]byte, size)}
	})
}

func BenchmarkDirectEncrypt32B(b *testing.B)   { benchmarkDirectEncrypt(b, 32) }
func BenchmarkDirectEncrypt4096B(b *testing.B) { benchmarkDirectEncrypt(b, 4096) }

func BenchmarkDirectGenerateDataKey(b *testing.B) {
	benchmarkDirect(b, func(create func(string) string) (string, members) {
		return "GenerateDataKey", members{"KeyId": create(`{}`), "KeySpec": "AES_256"}
	})
}

func BenchmarkDirectGenerateMac32B(b *testing.B) {
	benchmarkDirect(b, func(create func(string) string) (string, members) {
		keyID := create(`{"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC"}`)
		return "GenerateMac", members{"KeyId": keyID, "Message": make([]byte, 32), "MacAlgorithm": "HMAC_SHA_256"}
	})
}

func BenchmarkDirectCreateKey(b *testing.B) {
	benchmarkDirect(b, func(func(string) string) (string, members) { return "CreateKey", members{} })
}
