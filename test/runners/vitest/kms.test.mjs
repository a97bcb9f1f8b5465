// vitest: vi.mock replaces @aws-sdk/client-kms with wasmkms for the code under test, and every test
// starts from an empty world. Run in the node, jsdom and happy-dom environments (vitest.config.mjs).
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  KMSClient,
  ListKeysCommand,
  NotFoundException,
  sharedWorld,
} from "wasmkms";
import { seal, unseal } from "./app.mjs";

vi.mock("@aws-sdk/client-kms", () => import("wasmkms"));

describe("app.mjs against wasmkms", () => {
  const kms = new KMSClient({ region: "eu-west-1" });
  beforeEach(() => sharedWorld().reset());

  it("seals and unseals with a real key", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "vitest" }));
    const ciphertext = await seal(KeyMetadata.KeyId, "hello from vitest");
    expect(ciphertext.length).toBeGreaterThan(100);
    expect(await unseal(ciphertext)).toBe("hello from vitest");
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
