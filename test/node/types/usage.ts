// A typed usage of the package, checked with tsc --noEmit by test/node/types.test.mjs: code written
// against @aws-sdk/client-kms's types must compile unchanged against wasmkms's, and the mistakes the
// SDK's types reject must be rejected here too (@ts-expect-error fails the check if they are not).
import {
  CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, KMS, KMSClient, KMSServiceException,
  ListAliasesCommand, ListKeysCommand, NotFoundException, createWorld, sharedWorld,
  type EncryptCommandInput, type EncryptCommandOutput, type KeyMetadata, type KeySpec,
  KeySpec as KeySpecValues, paginateListKeys,
} from "wasmkms";

async function main(): Promise<void> {
  const client = new KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKID", secretAccessKey: "secret", accountId: "444455556666" },
    world: createWorld({ freshRSAKeys: false }),
  });
  const spec: KeySpec = "RSA_2048";
  const created = await client.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: "ENCRYPT_DECRYPT" }));
  const metadata: KeyMetadata | undefined = created.KeyMetadata;
  const date: Date | undefined = metadata?.CreationDate;
  void date;

  const input: EncryptCommandInput = { KeyId: metadata!.KeyId!, Plaintext: new TextEncoder().encode("hi") };
  const encrypted: EncryptCommandOutput = await client.send(new EncryptCommand(input));
  const blob: Uint8Array | undefined = encrypted.CiphertextBlob;
  const status: number | undefined = encrypted.$metadata.httpStatusCode;
  void status;

  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: blob }), { abortSignal: new AbortController().signal });
  const plaintext: Uint8Array | undefined = decrypted.Plaintext;
  void plaintext;

  client.send(new ListKeysCommand({}), (err, data) => { void err; void data?.Keys; });
  client.send(new ListAliasesCommand(), {}, (err, data) => { void err; void data?.Aliases?.[0]?.CreationDate; });

  const kms = new KMS({ region: "eu-west-1" });
  const described = await kms.describeKey({ KeyId: "alias/x" });
  void described.KeyMetadata?.KeyState;
  await kms.listKeys();

  client.middlewareStack.add((next) => async (args) => next(args), { step: "build", name: "mine", priority: "high" });

  try {
    await client.send(new DescribeKeyCommand({ KeyId: "nope" }));
  } catch (error) {
    if (error instanceof NotFoundException) {
      const name: "NotFoundException" = error.name;
      void name;
    } else if (error instanceof KMSServiceException) {
      void error.$metadata.requestId;
    }
  }

  await sharedWorld().call({ account: "111122223333" }, "TrentService.ListKeys", "{}");

  // @ts-expect-error: KeyId is required
  new EncryptCommand({ Plaintext: new Uint8Array(1) });
  // @ts-expect-error: not a key spec
  new CreateKeyCommand({ KeySpec: "RSA_1024" });
  // @ts-expect-error: blobs come back as Uint8Array, not string
  const wrong: string | undefined = encrypted.CiphertextBlob;
  void wrong;
  client.destroy();
}

void main;

async function paginatedAndEnums(client: KMSClient): Promise<void> {
  for await (const page of paginateListKeys({ client, pageSize: 10 }, {})) void page.Keys?.[0]?.KeyArn;
  const kms = new KMS({ region: "us-east-1" });
  for await (const page of kms.paginateListAliases({})) void page.Aliases;
  const spec: KeySpec = KeySpecValues.RSA_4096;
  void spec;
}
void paginatedAndEnums;

import { mockClient } from "aws-sdk-client-mock";

function mocked(): void {
  const mock = mockClient(KMSClient);
  mock.on(EncryptCommand).resolves({ KeyId: "arn", CiphertextBlob: new Uint8Array(1) });
  mock.restore();
}
void mocked;
