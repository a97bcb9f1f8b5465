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
// production, a seeded reader in reproducible tests). One exception is Go's, not ours: since Go 1.26
// crypto/rsa and crypto/ecdsa ignore the reader and always use the system's secure source (unless
// GODEBUG=cryptocustomrand=1), so GenerateRSA, GenerateECDSA and RSAEncryptOAEP are not
// reproducible from a seed. Symmetric blobs, SM2, HMAC keys and RSA pool draws are. So are ML-DSA
// and ML-KEM keys and ML-KEM encapsulations; ML-DSA signatures are not (filippo.io/mldsa draws the
// hedging bytes from the system itself, see mldsa.go).
package crypto
