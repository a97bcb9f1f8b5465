// The code under test: it is handed its KMS client (in production, the SDK's aggregated client,
// `new KMS({ region })` from @aws-sdk/client-kms; in tests, wasmkms's).
export function vault(kms) {
  return {
    async seal(keyId, text) {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: new TextEncoder().encode(text) });
      return CiphertextBlob;
    },
    async unseal(ciphertext) {
      const { Plaintext } = await kms.decrypt({ CiphertextBlob: ciphertext });
      return new TextDecoder().decode(Plaintext);
    },
  };
}
