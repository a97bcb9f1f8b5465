// aws-sdk-client-mock stubs and restores our KMSClient as it does the SDK's (it stubs
// KMSClient.prototype.send, which is where send lives).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockClient } from "aws-sdk-client-mock";

import { KMSClient, KMS, EncryptCommand, DecryptCommand, NotFoundException, createWorld } from "wasmkms";

test("mockClient(KMSClient) stubs send, records calls, and restore() brings the real client back", async () => {
  const world = createWorld();
  const mock = mockClient(KMSClient);
  try {
    mock
      .on(EncryptCommand, { KeyId: "alias/mocked" })
      .resolves({ KeyId: "arn:mocked", CiphertextBlob: new Uint8Array([1]) });
    mock.on(DecryptCommand).rejects(new NotFoundException({ message: "mocked", $metadata: {} }));
    const client = new KMSClient({ region: "us-east-1", world });
    assert.equal(
      (await client.send(new EncryptCommand({ KeyId: "alias/mocked", Plaintext: "x" }))).KeyId,
      "arn:mocked",
    );
    await assert.rejects(client.send(new DecryptCommand({ CiphertextBlob: new Uint8Array([1]) })), {
      name: "NotFoundException",
      message: "mocked",
    });
    assert.equal(mock.commandCalls(EncryptCommand).length, 1);
    assert.deepEqual(mock.commandCalls(EncryptCommand)[0].args[0].input, { KeyId: "alias/mocked", Plaintext: "x" });
    const kms = new KMS({ region: "us-east-1", world });
    assert.equal(
      (await kms.encrypt({ KeyId: "alias/mocked", Plaintext: "y" })).KeyId,
      "arn:mocked",
      "KMS goes through send",
    );
  } finally {
    mock.restore();
  }
  const client = new KMSClient({ region: "us-east-1", world });
  await assert.rejects(client.send(new EncryptCommand({ KeyId: "alias/mocked", Plaintext: "x" })), {
    name: "NotFoundException",
    message: "Alias arn:aws:kms:us-east-1:111122223333:alias/mocked is not found.",
  });
});
