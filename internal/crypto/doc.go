// Package crypto holds the cryptographic primitives of wasmkms and nothing else: the symmetric
// CiphertextBlob (AES-256-GCM in a KMS-shaped, versioned envelope, see BLOB.md), RSAES-OAEP,
// SM2PKE, key generation (including the RSA prime pool for fast test keys) and key encodings
// (PKCS#8, SubjectPublicKeyInfo).
//
// It knows nothing about KMS semantics (key states, limits per key spec, error messages): the kms
// package decides those and maps this package's typed errors to AWS errors. Importers alias it
// kmscrypto to keep it apart from the standard library's crypto.
//
// Every function takes its randomness as an io.Reader so that hosts pick the source (crypto/rand in
// production, a seeded reader in reproducible tests).
package crypto
