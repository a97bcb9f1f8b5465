package testharness

import (
	"bytes"
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmkms/wasmkms/internal/abi"
	"github.com/wasmkms/wasmkms/internal/kms"
)

// The shapes of FuzzHostileRequest's bodies: nesting, many small members, and large ones (issue 14).
const (
	shapeNestedArrays     = iota // n nested arrays as the whole body
	shapeNestedObjects           // n nested objects as the whole body
	shapeNestedInMember          // n nested arrays inside a member KMS reads (EncryptionContext)
	shapeNestedUnknown           // n nested arrays inside a member KMS does not know
	shapeEscapedStrings          // n strings "\n" in a list
	shapeLongPlaintext           // an Encrypt of n bytes of plaintext
	shapeLongKeyID               // a KeyId of n characters
	shapeWideContext             // an encryption context of n pairs
	shapeEscapedPlaintext        // an Encrypt whose base64 plaintext has n escaped slashes
	shapeCount
)

// Bounds on n, so that every input runs in well under a second: far past the parser's nesting limit
// and encoding/json's, and far past every length the model allows.
const (
	maxHostileDepth = 20_000
	maxHostileCount = 100_000
	maxHostileBytes = 4 << 20
)

// hostileBody builds the body of a shape; keyID is a key of the world it goes to. It answers the
// target too.
func hostileBody(shape uint8, n uint32, keyID string) (target string, body []byte) {
	depth := int(n % (maxHostileDepth + 1))
	count := int(n % (maxHostileCount + 1))
	size := int(n % (maxHostileBytes + 1))
	nested := func(open, leaf, close string, depth int) string {
		return strings.Repeat(open, depth) + leaf + strings.Repeat(close, depth)
	}
	encrypt := "TrentService.Encrypt"
	switch shape % shapeCount {
	case shapeNestedArrays:
		return encrypt, []byte(nested("[", "", "]", depth))
	case shapeNestedObjects:
		return encrypt, []byte(nested(`{"a":`, "1", "}", depth))
	case shapeNestedInMember:
		return encrypt, []byte(`{"KeyId":"` + keyID + `","Plaintext":"aGk=","EncryptionContext":{"k":` + nested("[", "", "]", depth) + `}}`)
	case shapeNestedUnknown:
		return encrypt, []byte(`{"KeyId":"` + keyID + `","Plaintext":"aGk=","Unknown":` + nested("[", "", "]", depth) + `}`)
	case shapeEscapedStrings:
		return encrypt, []byte(`{"KeyId":"` + keyID + `","Plaintext":"aGk=","Unknown":[` + strings.Repeat(`"\n",`, count) + `""]}`)
	case shapeLongPlaintext:
		return encrypt, []byte(`{"KeyId":"` + keyID + `","Plaintext":"` + base64.StdEncoding.EncodeToString(make([]byte, size)) + `"}`)
	case shapeLongKeyID:
		return "TrentService.DescribeKey", []byte(`{"KeyId":"` + strings.Repeat("k", size) + `"}`)
	case shapeWideContext:
		var b bytes.Buffer
		b.WriteString(`{"KeyId":"` + keyID + `","Plaintext":"aGk=","EncryptionContext":{`)
		for i := range count {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"k` + strconv.Itoa(i) + `":"v"`)
		}
		b.WriteString(`}}`)
		return encrypt, b.Bytes()
	default: // shapeEscapedPlaintext
		return encrypt, []byte(`{"KeyId":"` + keyID + `","Plaintext":"` + strings.Repeat(`\/`, size/2) + `"}`)
	}
}

// FuzzHostileRequest: whatever the shape and size of a request, the module answers what the native
// core answers (the same status and error type), never traps, and afterwards every world of the
// instance still answers: the one called, and a bystander made before it, which is unchanged. One
// instance serves every input, as one serves every world of a realm. The seeds (testdata/fuzz) are
// the shapes that trapped or stalled the module before; `go test -fuzz FuzzHostileRequest` explores.
func FuzzHostileRequest(f *testing.F) {
	for shape := range uint8(shapeCount) {
		f.Add(shape, uint32(0))
	}
	ctx := context.Background()
	h := newHarness(f)
	bystander, bystanderKey, before := bystanderWithKey(f, h)
	target := newWorld(f, h, kms.Options{})
	module := moduleCall(f, target)
	native := nativeCall(kms.NewWorld(kms.Options{}))
	moduleKey, nativeKey := createdKeyID(f, module), createdKeyID(f, native)

	f.Fuzz(func(t *testing.T, shape uint8, n uint32) {
		name, body := hostileBody(shape, n, moduleKey)
		status, resp, err := target.Call(ctx, kms.Caller{}, name, body)
		if err != nil {
			t.Fatalf("shape %d, n %d: %v", shape, n, err)
		}
		nativeName, nativeBody := hostileBody(shape, n, nativeKey)
		wantStatus, want := native(nativeName, nativeBody)
		if status != wantStatus || answerType(resp) != answerType(want) {
			t.Fatalf("shape %d, n %d: the module answered %d %.200s, the native core %d %.200s", shape, n, status, resp, wantStatus, want)
		}
		if status, resp := module("TrentService.Encrypt", []byte(`{"KeyId":"`+moduleKey+`","Plaintext":"aGk="}`)); status != 200 {
			t.Fatalf("shape %d, n %d: the world called no longer encrypts: %d %s", shape, n, status, resp)
		}
		if after := worldSnapshot(t, bystander, bystanderKey); after != before {
			t.Fatalf("shape %d, n %d: another world changed:\nbefore %s\nafter  %s", shape, n, before, after)
		}
	})
}

// A request larger than the module allocates is refused before anything is allocated, with one line
// saying so, and every world of the instance goes on serving.
func TestOversizeRequestLeavesEveryWorldServing(t *testing.T) {
	h := newHarness(t)
	bystander, bystanderKey, before := bystanderWithKey(t, h)
	target := newWorld(t, h, kms.Options{})
	keyID := createdKeyID(t, moduleCall(t, target))
	ctx := context.Background()
	_, _, err := target.Call(ctx, kms.Caller{}, "TrentService.DescribeKey", []byte(`{"KeyId":"`+strings.Repeat("k", abi.MaxAllocation)+`"}`))
	if err == nil || !strings.Contains(err.Error(), "more than the module takes") {
		t.Fatalf("a request past the limit: %v", err)
	}
	if status, resp := moduleCall(t, target)("TrentService.Encrypt", []byte(`{"KeyId":"`+keyID+`","Plaintext":"aGk="}`)); status != 200 {
		t.Fatalf("the world called no longer encrypts: %d %s", status, resp)
	}
	if after := worldSnapshot(t, bystander, bystanderKey); after != before {
		t.Fatalf("another world changed:\nbefore %s\nafter  %s", before, after)
	}
}

// createdKeyID creates a symmetric key through call and answers its ID.
func createdKeyID(tb testing.TB, call callFunc) string {
	tb.Helper()
	status, created := call("TrentService.CreateKey", []byte(`{}`))
	if status != 200 {
		tb.Fatalf("CreateKey: %d %s", status, created)
	}
	return jsonString(created, "KeyMetadata", "KeyId")
}
