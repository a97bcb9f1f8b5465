// The declarations without @aws-sdk/client-kms installed (test/node/types.test.mjs compiles this file
// in a folder where only wasmkms's index.d.ts can be found): they stand alone, strict and not `any`.
import { DescribeKeyCommand, EncryptCommand, KMSClient, NotFoundException, createWorld } from "wasmkms";

async function main(): Promise<void> {
  const client = new KMSClient({ region: "us-east-1", world: createWorld() });
  const encrypted = await client.send(new EncryptCommand({ KeyId: "alias/app", Plaintext: new Uint8Array(1) }));
  const blob: Uint8Array | undefined = encrypted.CiphertextBlob;
  void blob;
  const region: string = await client.config.region();
  void region;
  client.send(new DescribeKeyCommand({ KeyId: "alias/app" }), (err, data) => { void err; void data?.KeyMetadata?.KeyId; });
  try {
    await client.send(new DescribeKeyCommand({ KeyId: "alias/missing" }));
  } catch (err) {
    if (err instanceof NotFoundException) void err.$response?.statusCode;
  }
  // @ts-expect-error: the resolved config is typed (not any) without the SDK too
  const notThere: number = client.config.region;
  void notThere;
  // @ts-expect-error: KeyId is required
  new EncryptCommand({ Plaintext: new Uint8Array(1) });
}
void main;
