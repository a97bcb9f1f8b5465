package crypto

import "errors"

// ErrInvalidCiphertext reports any ciphertext that does not open: tampered, truncated, garbled,
// of another format version, sealed under another key or another encryption context. The causes
// are deliberately not told apart (KMS answers InvalidCiphertextException with an empty message
// for all of them, and telling them apart would be an oracle).
var ErrInvalidCiphertext = errors.New("invalid ciphertext")

// errEmptyPlaintext: KMS never encrypts an empty plaintext (its minimum is 1 byte), and SM2 cannot.
var errEmptyPlaintext = errors.New("crypto: empty plaintext")
