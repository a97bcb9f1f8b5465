// jest, CommonJS: @aws-sdk/client-kms is replaced by wasmkms for the code under test; every test starts
// from an empty world. Run in Node and in jsdom (jest.config.cjs).
jest.mock("@aws-sdk/client-kms", () => jest.requireActual("wasmkms"));

const { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand, NotFoundException, sharedWorld } =
  require("wasmkms");
const { seal, unseal } = require("./app.cjs");

describe("app.cjs against wasmkms", () => {
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
