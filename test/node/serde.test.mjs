// Serialization and log filtering against the real SDK: for the same command inputs, our request body
// is the JSON the SDK sends (captured by a request handler that answers at once), and the logger gets
// the same filtered input.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as pkg from "wasmkms";
import * as sdk from "@aws-sdk/client-kms";

const bytes = (...values) => new Uint8Array(values);

const cases = [
  [
    "Encrypt",
    {
      KeyId: "k",
      Plaintext: "text é",
      EncryptionContext: { a: "1", b: null },
      GrantTokens: ["t", null],
      DryRun: false,
    },
  ],
  ["Encrypt", { KeyId: "k", Plaintext: bytes(0, 1, 2, 255), Unknown: "dropped" }],
  ["Encrypt", { KeyId: "k", Plaintext: Buffer.from("a buffer") }],
  ["Encrypt", { KeyId: "k", Plaintext: new Uint8Array(4096).fill(65) }],
  ["Encrypt", { KeyId: 42, Plaintext: 7 }],
  ["Encrypt", { KeyId: "k", Plaintext: new Uint16Array([1, 2]) }],
  ["Encrypt", { KeyId: undefined, Plaintext: null }],
  [
    "Decrypt",
    {
      CiphertextBlob: bytes(1, 2, 3),
      Recipient: { KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256", AttestationDocument: bytes(9, 8) },
    },
  ],
  [
    "CreateKey",
    { KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT", Tags: [{ TagKey: "k", TagValue: "v" }], MultiRegion: false },
  ],
  [
    "ImportKeyMaterial",
    { KeyId: "k", ImportToken: bytes(1), EncryptedKeyMaterial: bytes(2), ValidTo: new Date(1_800_000_000_500) },
  ],
  ["ListKeys", {}],
  ["Verify", { KeyId: "k", Message: "msg", Signature: bytes(5, 6), SigningAlgorithm: "ECDSA_SHA_256" }],
];

// The real SDK's body and logged input for a command input.
async function realSdk(operation, input) {
  let body;
  const infos = [];
  const client = new sdk.KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
    logger: { debug() {}, info: (e) => infos.push(e), warn() {}, error() {} },
    requestHandler: {
      handle: async (request) => {
        body = new TextDecoder().decode(request.body);
        return { response: { statusCode: 200, headers: {}, body: new TextEncoder().encode("{}") } };
      },
    },
  });
  await client.send(new sdk[`${operation}Command`](input));
  return { body, logged: infos[0].input };
}

async function ours(operation, input) {
  let body;
  const infos = [];
  const world = {
    call: async (_caller, _target, b) => {
      body = b;
      return { status: 200, body: "{}" };
    },
  };
  const client = new pkg.KMSClient({
    region: "us-east-1",
    world,
    logger: { debug() {}, info: (e) => infos.push(e), warn() {}, error() {} },
  });
  await client.send(new pkg[`${operation}Command`](input));
  return { body, logged: infos[0].input };
}

for (const [i, [operation, input]] of cases.entries()) {
  test(`${operation} #${i}: the request body the SDK sends`, async () => {
    const expected = await realSdk(operation, input);
    const got = await ours(operation, input);
    assert.deepEqual(JSON.parse(got.body), JSON.parse(expected.body));
    assert.equal(got.body, expected.body, "byte for byte");
  });
}

test("the logger sees the input filtered as the SDK filters it, nested sensitive members included", async () => {
  const input = {
    CustomKeyStoreName: "store",
    KeyStorePassword: "secret",
    XksProxyAuthenticationCredential: { AccessKeyId: "id", RawSecretAccessKey: "raw" },
  };
  const world = { call: async () => ({ status: 200, body: "{}" }) };
  const infos = [];
  const client = new pkg.KMSClient({
    region: "us-east-1",
    world,
    logger: { debug() {}, info: (e) => infos.push(e), warn() {}, error() {} },
  });
  await client.send(new pkg.CreateCustomKeyStoreCommand(input));
  assert.deepEqual(infos[0].input, (await realSdk("CreateCustomKeyStore", input)).logged);
  assert.equal(input.XksProxyAuthenticationCredential.RawSecretAccessKey, "raw", "the caller's input is untouched");
  for (const [operation, caseInput] of [cases[0], cases[7], cases[11]]) {
    assert.deepEqual(
      (await ours(operation, caseInput)).logged,
      (await realSdk(operation, caseInput)).logged,
      operation,
    );
  }
});
