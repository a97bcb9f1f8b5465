// jest, ESM (node --experimental-vm-modules): @aws-sdk/client-kms is replaced by wasmkms with
// jest.unstable_mockModule before the code under test is imported. Run in Node and in jsdom.
import { beforeEach, describe, expect, it, jest } from "@jest/globals";

jest.unstable_mockModule("@aws-sdk/client-kms", () => import("wasmkms"));

const { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand, NotFoundException, sharedWorld } =
  await import("wasmkms");
const { seal, unseal } = await import("./app.mjs");

describe("app.mjs against wasmkms", () => {
  const kms = new KMSClient({ region: "eu-west-1" });
  beforeEach(() => sharedWorld().reset());

  it("seals and unseals with a real key", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "jest" }));
    const ciphertext = await seal(KeyMetadata.KeyId, "hello from jest");
    expect(ciphertext.length).toBeGreaterThan(100);
    expect(await unseal(ciphertext)).toBe("hello from jest");
  });

  it("starts every test from an empty world", async () => {
    const { Keys } = await kms.send(new ListKeysCommand({}));
    expect(Keys).toEqual([]);
  });

  it("answers KMS's exceptions", async () => {
    await expect(kms.send(new DescribeKeyCommand({ KeyId: "alias/missing" }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });
});
