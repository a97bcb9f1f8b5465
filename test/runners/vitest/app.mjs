// The code under test: it uses @aws-sdk/client-kms as it would in production.
import { DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";

const kms = new KMSClient({ region: "eu-west-1" });

export async function seal(keyId, text) {
  const { CiphertextBlob } = await kms.send(
    new EncryptCommand({ KeyId: keyId, Plaintext: new TextEncoder().encode(text) }),
  );
  return CiphertextBlob;
}

export async function unseal(ciphertext) {
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }));
  return new TextDecoder().decode(Plaintext);
}
