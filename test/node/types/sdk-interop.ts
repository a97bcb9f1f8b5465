// Dependency injection, typed (tsc --strict, by test/node/types.test.mjs): application code written
// against @aws-sdk/client-kms's own types takes a wasmkms client, a wasmkms client takes the SDK's
// command objects, and the exceptions of either package are assignable to the other's classes.
import * as Sdk from "@aws-sdk/client-kms";
import {
  KMS, KMSClient, KMSServiceException, NotFoundException, createRequestHandler, createWorld,
} from "wasmkms";

// The application: it takes the SDK's client types and builds its commands from the SDK.
async function sealWith(kms: Sdk.KMSClient, keyId: string, text: string): Promise<Uint8Array | undefined> {
  const { CiphertextBlob } = await kms.send(new Sdk.EncryptCommand({ KeyId: keyId, Plaintext: new TextEncoder().encode(text) }));
  return CiphertextBlob;
}
async function describeWith(kms: Sdk.KMS, keyId: string): Promise<Sdk.KeyState | undefined> {
  return (await kms.describeKey({ KeyId: keyId })).KeyMetadata?.KeyState;
}
function regionOf(kms: Sdk.KMSClient): Promise<string> {
  return kms.config.region();
}

async function main(): Promise<void> {
  const world = createWorld();
  const client = new KMSClient({ region: "us-east-1", world });
  await sealWith(client, "alias/app", "secret");
  await describeWith(new KMS({ region: "us-east-1", world }), "alias/app");
  await regionOf(client);
  // The same application code with the real SDK client over the same world.
  await sealWith(new Sdk.KMSClient({ region: "us-east-1", requestHandler: createRequestHandler({ world }) }), "alias/app", "x");

  // A wasmkms client sends the SDK's commands: promise, callback and options forms, outputs typed.
  const created = await client.send(new Sdk.CreateKeyCommand({ KeySpec: "SYMMETRIC_DEFAULT" }));
  const keyId: string | undefined = created.KeyMetadata?.KeyId;
  const encrypted = await client.send(new Sdk.EncryptCommand({ KeyId: keyId!, Plaintext: new Uint8Array(1) }), {});
  const blob: Uint8Array | undefined = encrypted.CiphertextBlob;
  client.send(new Sdk.ListKeysCommand({}), (err, data) => { void err; void data?.Keys?.[0]?.KeyId; });
  client.send(new Sdk.DecryptCommand({ CiphertextBlob: blob }), {}, (err, data) => { void err; void data?.Plaintext; });
  // @ts-expect-error: blobs come back as Uint8Array, not string
  const wrong: string | undefined = encrypted.CiphertextBlob;
  void wrong;
  // @ts-expect-error: a world is not a KMS client
  await sealWith(world, "alias/app", "x");

  try {
    await sealWith(client, "alias/missing", "x");
  } catch (err) {
    // An exception thrown by either package matches both packages' classes.
    if (err instanceof Sdk.NotFoundException) {
      const ours: NotFoundException = err;
      void ours.$metadata.requestId;
    }
    if (err instanceof NotFoundException) {
      const theirs: Sdk.NotFoundException = err;
      const name: "NotFoundException" = theirs.name;
      void name;
    }
    if (err instanceof KMSServiceException) {
      const theirs: Sdk.KMSServiceException = err;
      void theirs.$fault;
    }
    if (err instanceof Error && err.name === "NotFoundException") void err.message;
  }
}
void main;
