// The tiny application every bundler test builds: it imports the package by name, as a user's code
// does, creates a key, encrypts with a context and decrypts. Each host file (page.js, worker.js,
// node.js) reports the result its own way.
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "wasmkms";

export async function roundTrip(text) {
  const kms = new KMSClient({ region: "us-east-1" });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "bundled" }));
  const context = { app: "bundled" };
  const { CiphertextBlob } = await kms.send(
    new EncryptCommand({
      KeyId: KeyMetadata.KeyId,
      Plaintext: new TextEncoder().encode(text),
      EncryptionContext: context,
    }),
  );
  const { Plaintext, KeyId } = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
  return {
    keyArn: KeyMetadata.Arn,
    decryptedBy: KeyId,
    ciphertextBytes: CiphertextBlob.length,
    text: new TextDecoder().decode(Plaintext),
  };
}
