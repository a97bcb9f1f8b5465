package kms

// Encrypt and Decrypt with Go types, for Go callers (tests, benchmarks): typed calls (typed.go) with
// every member their direct exports carry, so every answer (errors included) is the one Handle gives for
// the equivalent JSON body without GrantTokens and DryRun.

// EncryptInput is an Encrypt request; a nil pointer or slice is an absent member.
type EncryptInput struct {
	KeyID               *string
	Plaintext           []byte
	EncryptionContext   map[string]string
	EncryptionAlgorithm *string
}

// EncryptOutput is Encrypt's answer.
type EncryptOutput struct {
	CiphertextBlob      []byte
	KeyID               string
	EncryptionAlgorithm string
}

// DecryptInput is a Decrypt request; a nil pointer or slice is an absent member.
type DecryptInput struct {
	CiphertextBlob      []byte
	EncryptionContext   map[string]string
	KeyID               *string
	EncryptionAlgorithm *string
}

// DecryptOutput is Decrypt's answer.
type DecryptOutput struct {
	KeyID               string
	Plaintext           []byte
	EncryptionAlgorithm string
	KeyMaterialID       string // "" for asymmetric keys: the member is absent
}

var (
	typedEncrypt = mustTypedOperation("Encrypt",
		[]Member{{"KeyId", KindString}, {"Plaintext", KindBlob}, {"EncryptionContext", KindContext}, {"EncryptionAlgorithm", KindString}},
		[]Member{{"CiphertextBlob", KindBlob}, {"KeyId", KindString}, {"EncryptionAlgorithm", KindString}})
	typedDecrypt = mustTypedOperation("Decrypt",
		[]Member{{"CiphertextBlob", KindBlob}, {"EncryptionContext", KindContext}, {"KeyId", KindString}, {"EncryptionAlgorithm", KindString}},
		[]Member{{"KeyId", KindString}, {"Plaintext", KindBlob}, {"EncryptionAlgorithm", KindString}, {"KeyMaterialId", KindString}})
)

func mustTypedOperation(operation string, input, output []Member) *TypedOperation {
	op, err := NewTypedOperation(operation, input, output)
	if err != nil {
		panic(err)
	}
	return op
}

func textValue(s *string) Value {
	if s == nil {
		return Value{}
	}
	return Value{Present: true, Text: *s}
}

// Encrypt runs Encrypt. On success status is 200 and errBody nil; otherwise errBody is the JSON error
// answer Handle would give, with its status.
func (w *World) Encrypt(c Caller, in EncryptInput) (out EncryptOutput, status int, errBody []byte) {
	values := [4]Value{textValue(in.KeyID), {Present: in.Plaintext != nil, Bytes: in.Plaintext},
		{Present: in.EncryptionContext != nil, Context: in.EncryptionContext}, textValue(in.EncryptionAlgorithm)}
	var answer [3]Value
	if status, errBody = w.CallTyped(typedEncrypt, c, values[:], answer[:]); status == 200 {
		out = EncryptOutput{CiphertextBlob: answer[0].Bytes, KeyID: answer[1].Text, EncryptionAlgorithm: answer[2].Text}
	}
	return out, status, errBody
}

// Decrypt runs Decrypt, answering as Encrypt does.
func (w *World) Decrypt(c Caller, in DecryptInput) (out DecryptOutput, status int, errBody []byte) {
	values := [4]Value{{Present: in.CiphertextBlob != nil, Bytes: in.CiphertextBlob},
		{Present: in.EncryptionContext != nil, Context: in.EncryptionContext}, textValue(in.KeyID), textValue(in.EncryptionAlgorithm)}
	var answer [4]Value
	if status, errBody = w.CallTyped(typedDecrypt, c, values[:], answer[:]); status == 200 {
		out = DecryptOutput{KeyID: answer[0].Text, Plaintext: answer[1].Bytes, EncryptionAlgorithm: answer[2].Text, KeyMaterialID: answer[3].Text}
	}
	return out, status, errBody
}
