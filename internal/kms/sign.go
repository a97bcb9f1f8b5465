package kms

import (
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Sign and Verify with SIGN_VERIFY keys. MessageType (RAW by default) tells whether Message is the
// message or its digest; the rules per algorithm are AWS's (the model's MessageType documentation):
// ED25519_SHA_512 takes RAW only, ED25519_PH_SHA_512 DIGEST only (and KMS still applies Ed25519ph's
// SHA-512 prehash to that digest), EXTERNAL_MU is ML-DSA's 64-byte mu, and a DIGEST must be as long
// as the algorithm's hash.

const (
	messageRaw        = "RAW"
	messageDigest     = "DIGEST"
	messageExternalMu = "EXTERNAL_MU"

	algEd25519      = "ED25519_SHA_512"
	algEd25519ph    = "ED25519_PH_SHA_512"
	algMLDSA        = "ML_DSA_SHAKE_256"
	externalMuBytes = 64
	operationSign   = "Sign"
	operationVerify = "Verify"
)

// signingKey is what Sign and Verify do before the cryptography: validate the request, resolve the
// key (the policy may test the signing algorithm), check the key, algorithm and message for it
// (answering the message type), and end a dry run.
func (w *World) signingKey(c caller, req request, operation string, keyID *string, grantTokens []string,
	algorithm, messageType *string, message []byte, dryRun *bool) (*key, string, *apiError) {
	k, err := w.operationKey(c, req, operation, keyID, grantTokens, conditionRequest{signingAlgorithm: stringOr(algorithm, "")})
	if err != nil {
		return nil, "", err
	}
	checked, err := k.checkSigning(operation, *algorithm, messageType, message)
	if err != nil {
		return nil, "", err
	}
	if isTrue(dryRun) {
		return nil, "", errDryRun()
	}
	return k, checked, nil
}

func sign(w *World, c caller, req *signRequest) (any, *apiError) {
	k, messageType, err := w.signingKey(c, req, operationSign, req.KeyId, req.GrantTokens, req.SigningAlgorithm, req.MessageType, req.Message, req.DryRun)
	if err != nil {
		return nil, err
	}
	signature, cryptoErr := w.crypto().Sign(w.signingRand(), k.private, *req.SigningAlgorithm, messageType, req.Message)
	if cryptoErr != nil {
		return nil, errInternal("signing: " + cryptoErr.Error())
	}
	w.noteUse(k, operationSign)
	return map[string]any{"KeyId": k.arn(), "Signature": signature, "SigningAlgorithm": *req.SigningAlgorithm}, nil
}

func verify(w *World, c caller, req *verifyRequest) (any, *apiError) {
	k, messageType, err := w.signingKey(c, req, operationVerify, req.KeyId, req.GrantTokens, req.SigningAlgorithm, req.MessageType, req.Message, req.DryRun)
	if err != nil {
		return nil, err
	}
	if !kmscrypto.Verify(k.private.Public(), *req.SigningAlgorithm, messageType, req.Message, req.Signature) {
		return nil, errInvalidSignature()
	}
	w.noteUse(k, operationVerify)
	return map[string]any{"KeyId": k.arn(), "SignatureValid": true, "SigningAlgorithm": *req.SigningAlgorithm}, nil
}

// checkSigning answers the error of signing or verifying with key k: its state, its usage, an
// algorithm outside its key spec's, a message type the algorithm does not take, a digest of the
// wrong length. On success it answers the message type to hand kmscrypto.
func (k *key) checkSigning(operation, algorithm string, messageType *string, message []byte) (string, *apiError) {
	if err := k.checkUsable(); err != nil {
		return "", err
	}
	if k.usage != usageSignVerify {
		return "", errKeyUsageInvalidFor(k.arn(), k.usage, operation)
	}
	if !contains(k.keySpec().algorithmsFor(usageSignVerify), algorithm) {
		return "", errAlgorithmIncompatible(algorithm, k.spec)
	}
	mt := stringOr(messageType, messageRaw)
	switch {
	case mt == messageExternalMu && algorithm != algMLDSA,
		mt == messageDigest && (algorithm == algEd25519 || algorithm == algMLDSA),
		mt == messageRaw && algorithm == algEd25519ph:
		return "", errMessageTypeUnsupported(mt, algorithm)
	case mt == messageExternalMu && len(message) != externalMuBytes:
		return "", errExternalMuLength(algorithm)
	case mt == messageDigest && len(message) != kmscrypto.SignatureDigestSize(algorithm):
		return "", errDigestLength(algorithm)
	}
	if algorithm == algEd25519ph {
		// KMS applies Ed25519ph's own SHA-512 prehash to the digest it is given: the digest is the
		// Ed25519ph message, which kmscrypto calls RAW.
		return messageRaw, nil
	}
	return mt, nil
}
