// wasmkms in a few lines: the same code as with @aws-sdk/client-kms, answered in-process by the KMS
// core compiled to WebAssembly. No AWS account, no server, no network. Run: ./build.sh demo
import { KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand } from "wasmkms";

const kms = new KMSClient({ region: "us-east-1" });

const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "wasmkms demo key" }));
console.log(`key:        ${KeyMetadata.Arn}`);

const { CiphertextBlob } = await kms.send(
  new EncryptCommand({
    KeyId: KeyMetadata.KeyId,
    Plaintext: new TextEncoder().encode("hello, KMS"),
    EncryptionContext: { purpose: "demo" },
  }),
);
const base64 = btoa(String.fromCharCode(...CiphertextBlob));
console.log(`ciphertext: ${CiphertextBlob.length} bytes, base64 ${base64.slice(0, 24)}...`);

const { Plaintext, KeyId } = await kms.send(
  new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: "demo" } }),
);
console.log(
  `decrypted:  "${new TextDecoder().decode(Plaintext)}" with ${KeyId === KeyMetadata.Arn ? "the same key" : KeyId}`,
);
