// Application code, as an application would write it: it is handed a KMS client (any client with the
// real SDK's `send`, typed `KMSClient` from @aws-sdk/client-kms in TypeScript) and builds its commands
// from @aws-sdk/client-kms. The recipe tests (dependency-injection.test.mjs) hand it wasmkms clients.
import { DecryptCommand, EncryptCommand } from "@aws-sdk/client-kms";

export class SecretStore {
  /**
   * @param {import("@aws-sdk/client-kms").KMSClient} kms
   * @param {string} keyId the KMS key that protects the secrets
   */
  constructor(kms, keyId) {
    this.kms = kms;
    this.keyId = keyId;
  }

  /** The secret's ciphertext, bound to its name by the encryption context. */
  async seal(name, text) {
    const { CiphertextBlob } = await this.kms.send(
      new EncryptCommand({
        KeyId: this.keyId,
        Plaintext: new TextEncoder().encode(text),
        EncryptionContext: { secret: name },
      }),
    );
    return CiphertextBlob;
  }

  /** The secret's text; null when the ciphertext is not that secret's (KMS says InvalidCiphertextException). */
  async open(name, ciphertext) {
    try {
      const { Plaintext } = await this.kms.send(
        new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: ciphertext, EncryptionContext: { secret: name } }),
      );
      return new TextDecoder().decode(Plaintext);
    } catch (error) {
      if (error.name === "InvalidCiphertextException") return null;
      throw error;
    }
  }
}
