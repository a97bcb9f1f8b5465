// The direct path (the hot operations through the module's direct exports, no JSON) answers exactly what
// the JSON path answers, for inputs that take it and for inputs that fall back to JSON: twin worlds with
// the same seed and the same clock, one with the direct path and one without, get the same sends and
// must give the same outputs and errors (every byte of every blob, $metadata included), the same journal
// and CloudTrail records, and meet the same faults and latency.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

import * as pkg from "wasmkms";
import { compileDirect, directRequestFields } from "../../js/core/serde.mjs";

const {
  KMSClient,
  CreateKeyCommand,
  CreateAliasCommand,
  DisableKeyCommand,
  EncryptCommand,
  DecryptCommand,
  ReEncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  SignCommand,
  VerifyCommand,
  GenerateMacCommand,
  VerifyMacCommand,
} = pkg;

const vectors = JSON.parse(
  await readFile(new URL("../../internal/abi/testdata/abi-vectors.json", import.meta.url), "utf8"),
);

function twinWorlds() {
  const options = { seed: "direct-path", clock: "2027-03-01T12:00:00Z" };
  const direct = pkg.createWorld({ ...options, directPath: true });
  const generic = pkg.createWorld({ ...options, directPath: false });
  return {
    direct,
    generic,
    viaDirect: new KMSClient({ region: "us-east-1", world: direct }),
    viaJSON: new KMSClient({ region: "us-east-1", world: generic }),
  };
}

// Everything a send gives: the output with its members in order (and their prototypes), or the error
// with every own member but $response (an HTTP-like object either path builds for itself).
async function outcome(client, command) {
  try {
    const output = await client.send(command);
    return { ok: true, keys: Object.keys(output), output };
  } catch (error) {
    const members = {};
    for (const key of Object.keys(error).sort()) if (key !== "$response") members[key] = error[key];
    return { ok: false, name: error.name, message: error.message, constructor: error.constructor.name, members };
  }
}

// Runs a command on both twins and checks that they give the same; answers the JSON twin's output (or
// throws its error). The name of a case that must not take the direct path ends with "(JSON path)".
function sameOn(twins) {
  let sends = 0;
  const run = async (Command, input, name) => {
    const before = twins.direct.directCalls;
    const viaDirect = await outcome(twins.viaDirect, new Command(input));
    const viaJSON = await outcome(twins.viaJSON, new Command(input));
    sends++;
    const label = `${Command.name}, ${name ?? JSON.stringify(input)}`;
    assert.deepStrictEqual(viaDirect, viaJSON, label);
    const fallback = name?.endsWith("(JSON path)") ?? false;
    // Each attempt (the first and the client's retries) goes the same way.
    const attempts = (viaJSON.ok ? viaJSON.output : viaJSON.members).$metadata.attempts;
    assert.equal(
      twins.direct.directCalls - before,
      fallback ? 0 : attempts,
      `${label}: took the ${fallback ? "JSON" : "direct"} path`,
    );
    assert.equal(twins.generic.directCalls, 0);
    if (!viaJSON.ok) return viaJSON;
    return viaJSON.output;
  };
  run.sends = () => sends;
  return run;
}

async function sameJournals({ direct, generic }, sends) {
  const calls = await direct.calls();
  assert.ok(calls.length >= sends, `the journal holds ${calls.length} calls for ${sends} sends`);
  assert.deepStrictEqual(calls, await generic.calls(), "world.calls()");
  assert.deepStrictEqual(await direct.cloudTrail(), await generic.cloudTrail(), "world.cloudTrail()");
  assert.deepStrictEqual(await direct.clock.now(), await generic.clock.now(), "the clocks");
}

test("every direct export answers as the JSON path, fallbacks included, with the same journal", async () => {
  const twins = twinWorlds();
  const same = sameOn(twins);
  const keyOf = async (input, name) => (await same(CreateKeyCommand, input, name)).KeyMetadata.KeyId;

  // CreateKey: the keys of the later cases, then its refusals and fallbacks.
  const sym = await keyOf({});
  const sym2 = await keyOf({ Description: "second", KeyUsage: "ENCRYPT_DECRYPT", KeySpec: "SYMMETRIC_DEFAULT" });
  const rsa = await keyOf({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" });
  const ecc = await keyOf({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", Description: "sign \u00e9" });
  const rsaSign = await keyOf({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
  const hmac = await keyOf({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
  const mrk = await keyOf({ MultiRegion: true });
  const disabled = await keyOf({ Tags: [{ TagKey: "k", TagValue: "v" }] }, "Tags (JSON path)");
  for (const client of [twins.viaDirect, twins.viaJSON]) {
    await client.send(new DisableKeyCommand({ KeyId: disabled }));
    await client.send(new CreateAliasCommand({ AliasName: "alias/twin", TargetKeyId: sym }));
  }
  const createKeys = {
    "an external key": { Origin: "EXTERNAL", MultiRegion: false },
    "a bad key spec": { KeySpec: "NOPE" },
    "empty members": { KeySpec: "", KeyUsage: "", Description: "" },
    "a symmetric key for signing": { KeyUsage: "SIGN_VERIFY" },
    "both key specs": { KeySpec: "RSA_2048", CustomerMasterKeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" },
    "a bad policy": { Policy: "not a policy", BypassPolicyLockoutSafetyCheck: true },
    "an unknown custom key store": { CustomKeyStoreId: "cks-1234567890abcdef0" },
    "an XKS key ID without an XKS store": { XksKeyId: "x" },
    "a multi-Region HMAC key": { MultiRegion: true, KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" },
    "a lone surrogate in the description (JSON path)": { Description: "\ud800" },
    "MultiRegion a string (JSON path)": { MultiRegion: "true" },
    "a number description (JSON path)": { Description: 5 },
  };
  for (const [name, input] of Object.entries(createKeys)) await same(CreateKeyCommand, input, name);

  // Encrypt and Decrypt.
  const context = { purpose: "twin", "caf\u00e9": "\u00e9t\u00e9" };
  const { CiphertextBlob: sealed } = await same(EncryptCommand, {
    KeyId: sym,
    Plaintext: "hello",
    EncryptionContext: context,
  });
  const { CiphertextBlob: rsaSealed } = await same(EncryptCommand, {
    KeyId: rsa,
    Plaintext: "hi",
    EncryptionAlgorithm: "RSAES_OAEP_SHA_256",
  });
  const encrypts = {
    bytes: { KeyId: sym, Plaintext: new Uint8Array([1, 2, 3]) },
    "a string plaintext": { KeyId: sym, Plaintext: "h\u00e9llo \ud83d\ude00" },
    "a Buffer plaintext": { KeyId: sym, Plaintext: Buffer.from("buffer") },
    "4096 bytes": { KeyId: sym, Plaintext: new Uint8Array(4096).fill(7) },
    "4097 bytes": { KeyId: sym, Plaintext: new Uint8Array(4097) },
    "an empty plaintext": { KeyId: sym, Plaintext: new Uint8Array(0) },
    "no plaintext": { KeyId: sym },
    "no key": { Plaintext: "x" },
    "an alias": { KeyId: "alias/twin", Plaintext: "x" },
    "an unknown alias": { KeyId: "alias/none", Plaintext: "x" },
    "a disabled key": { KeyId: disabled, Plaintext: "x" },
    "a context with a null entry": { KeyId: sym, Plaintext: "x", EncryptionContext: { a: "b", c: null } },
    "an empty context": { KeyId: sym, Plaintext: "x", EncryptionContext: {} },
    "a lone surrogate in the context (JSON path)": { KeyId: sym, Plaintext: "x", EncryptionContext: { "\ud800": "v" } },
    "a bad algorithm": { KeyId: sym, Plaintext: "x", EncryptionAlgorithm: "AES" },
    "RSA OAEP": { KeyId: rsa, Plaintext: "x", EncryptionAlgorithm: "RSAES_OAEP_SHA_1" },
    "a key ID that is a number (JSON path)": { KeyId: 5, Plaintext: "x" },
    "a context with a number (JSON path)": { KeyId: sym, Plaintext: "x", EncryptionContext: { a: 1 } },
    "a context that is a list (JSON path)": { KeyId: sym, Plaintext: "x", EncryptionContext: ["a"] },
    "grant tokens (JSON path)": { KeyId: sym, Plaintext: "x", GrantTokens: ["token"] },
    "DryRun (JSON path)": { KeyId: sym, Plaintext: "x", DryRun: true },
  };
  for (const [name, input] of Object.entries(encrypts)) await same(EncryptCommand, input, name);
  const decrypts = {
    "the blob": { CiphertextBlob: sealed, EncryptionContext: context },
    "the blob, alias named": { CiphertextBlob: sealed, EncryptionContext: context, KeyId: "alias/twin" },
    "the wrong context": { CiphertextBlob: sealed, EncryptionContext: { purpose: "other" } },
    "no context": { CiphertextBlob: sealed },
    "no blob": {},
    "a string blob": { CiphertextBlob: "not a blob" },
    "an RSA blob": { CiphertextBlob: rsaSealed, KeyId: rsa, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
    "an RSA algorithm without a key": { CiphertextBlob: sealed, EncryptionAlgorithm: "RSAES_OAEP_SHA_1" },
    "Recipient (JSON path)": {
      CiphertextBlob: sealed,
      EncryptionContext: context,
      Recipient: { KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
    },
  };
  for (const [name, input] of Object.entries(decrypts)) await same(DecryptCommand, input, name);

  // The data keys.
  const dataKeys = {
    AES_256: { KeyId: sym, KeySpec: "AES_256" },
    "AES_128 by alias": { KeyId: "alias/twin", KeySpec: "AES_128", EncryptionContext: context },
    "64 bytes": { KeyId: sym, NumberOfBytes: 64 },
    "1024 bytes": { KeyId: sym, NumberOfBytes: 1024 },
    "1025 bytes": { KeyId: sym, NumberOfBytes: 1025 },
    "0 bytes": { KeyId: sym, NumberOfBytes: 0 },
    "-1 bytes": { KeyId: sym, NumberOfBytes: -1 },
    "-0 bytes": { KeyId: sym, NumberOfBytes: -0 },
    "the smallest int32": { KeyId: sym, NumberOfBytes: -2147483648 },
    "both sizes": { KeyId: sym, NumberOfBytes: 32, KeySpec: "AES_256" },
    "neither size": { KeyId: sym },
    "an empty context": { KeyId: sym, KeySpec: "AES_256", EncryptionContext: {} },
    "an RSA key": { KeyId: rsa, KeySpec: "AES_256" },
    "a disabled key": { KeyId: disabled, KeySpec: "AES_256" },
    "a multi-Region key": { KeyId: mrk, NumberOfBytes: 16 },
    "1.5 bytes (JSON path)": { KeyId: sym, NumberOfBytes: 1.5 },
    "2^31 bytes (JSON path)": { KeyId: sym, NumberOfBytes: 2 ** 31 },
    "a string size (JSON path)": { KeyId: sym, NumberOfBytes: "32" },
    "NaN bytes (JSON path)": { KeyId: sym, NumberOfBytes: Number.NaN },
  };
  for (const Command of [GenerateDataKeyCommand, GenerateDataKeyWithoutPlaintextCommand]) {
    for (const [name, input] of Object.entries(dataKeys)) await same(Command, input, name);
    await same(Command, { KeyId: sym, KeySpec: "AES_256", GrantTokens: ["t"] }, "grant tokens (JSON path)");
  }
  const { CiphertextBlob: dataKeyBlob } = await same(GenerateDataKeyCommand, { KeyId: sym, KeySpec: "AES_256" });

  // ReEncrypt.
  const reEncrypts = {
    "to another key": { CiphertextBlob: sealed, SourceEncryptionContext: context, DestinationKeyId: sym2 },
    "with every member": {
      CiphertextBlob: sealed,
      SourceEncryptionContext: context,
      SourceKeyId: "alias/twin",
      DestinationKeyId: "alias/twin",
      DestinationEncryptionContext: {},
      SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    },
    "a data key to a multi-Region key": { CiphertextBlob: dataKeyBlob, DestinationKeyId: mrk },
    "the wrong context": { CiphertextBlob: sealed, DestinationKeyId: sym2 },
    "no destination": { CiphertextBlob: sealed, SourceEncryptionContext: context },
    "to RSA": {
      CiphertextBlob: sealed,
      SourceEncryptionContext: context,
      DestinationKeyId: rsa,
      DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
    },
    "from RSA": {
      CiphertextBlob: rsaSealed,
      SourceKeyId: rsa,
      SourceEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
      DestinationKeyId: sym,
    },
    "to a disabled key": { CiphertextBlob: sealed, SourceEncryptionContext: context, DestinationKeyId: disabled },
    "DryRunModifiers (JSON path)": {
      CiphertextBlob: sealed,
      SourceEncryptionContext: context,
      DestinationKeyId: sym2,
      DryRun: true,
      DryRunModifiers: ["IGNORE_CIPHERTEXT"],
    },
  };
  for (const [name, input] of Object.entries(reEncrypts)) await same(ReEncryptCommand, input, name);

  // Sign and Verify.
  const message = new TextEncoder().encode("the message");
  const digest = new Uint8Array(32).fill(0xab);
  const signs = {
    "ECDSA, RAW": { KeyId: ecc, Message: message, SigningAlgorithm: "ECDSA_SHA_256", MessageType: "RAW" },
    "ECDSA, a string message": { KeyId: ecc, Message: "the message", SigningAlgorithm: "ECDSA_SHA_256" },
    "ECDSA, DIGEST": { KeyId: ecc, Message: digest, SigningAlgorithm: "ECDSA_SHA_256", MessageType: "DIGEST" },
    "ECDSA, a short digest": {
      KeyId: ecc,
      Message: digest.subarray(1),
      SigningAlgorithm: "ECDSA_SHA_256",
      MessageType: "DIGEST",
    },
    "the wrong algorithm": { KeyId: ecc, Message: message, SigningAlgorithm: "ECDSA_SHA_384" },
    "an empty message": { KeyId: ecc, Message: new Uint8Array(0), SigningAlgorithm: "ECDSA_SHA_256" },
    "RSA PSS": { KeyId: rsaSign, Message: message, SigningAlgorithm: "RSASSA_PSS_SHA_256" },
    "a symmetric key": { KeyId: sym, Message: message, SigningAlgorithm: "ECDSA_SHA_256" },
    "a message that is a number (JSON path)": { KeyId: ecc, Message: 5, SigningAlgorithm: "ECDSA_SHA_256" },
  };
  for (const [name, input] of Object.entries(signs)) await same(SignCommand, input, name);
  const { Signature } = await same(SignCommand, { KeyId: ecc, Message: message, SigningAlgorithm: "ECDSA_SHA_256" });
  const tampered = Signature.slice();
  tampered[tampered.length - 1] ^= 1;
  const verifies = {
    valid: { KeyId: ecc, Message: message, Signature, SigningAlgorithm: "ECDSA_SHA_256" },
    "valid, the message as a string": {
      KeyId: ecc,
      Message: "the message",
      Signature,
      SigningAlgorithm: "ECDSA_SHA_256",
    },
    tampered: { KeyId: ecc, Message: message, Signature: tampered, SigningAlgorithm: "ECDSA_SHA_256" },
    "no signature": { KeyId: ecc, Message: message, SigningAlgorithm: "ECDSA_SHA_256" },
    "the wrong key": { KeyId: rsaSign, Message: message, Signature, SigningAlgorithm: "ECDSA_SHA_256" },
  };
  for (const [name, input] of Object.entries(verifies)) await same(VerifyCommand, input, name);

  // GenerateMac and VerifyMac.
  const { Mac } = await same(GenerateMacCommand, { KeyId: hmac, Message: message, MacAlgorithm: "HMAC_SHA_256" });
  const macs = {
    "4096 bytes": { KeyId: hmac, Message: new Uint8Array(4096), MacAlgorithm: "HMAC_SHA_256" },
    "4097 bytes": { KeyId: hmac, Message: new Uint8Array(4097), MacAlgorithm: "HMAC_SHA_256" },
    "the wrong algorithm": { KeyId: hmac, Message: message, MacAlgorithm: "HMAC_SHA_384" },
    "a symmetric key": { KeyId: sym, Message: message, MacAlgorithm: "HMAC_SHA_256" },
    "DryRun (JSON path)": { KeyId: hmac, Message: message, MacAlgorithm: "HMAC_SHA_256", DryRun: true },
  };
  for (const [name, input] of Object.entries(macs)) await same(GenerateMacCommand, input, name);
  const badMac = Mac.slice();
  badMac[0] ^= 1;
  const verifyMacs = {
    valid: { KeyId: hmac, Message: message, MacAlgorithm: "HMAC_SHA_256", Mac },
    tampered: { KeyId: hmac, Message: message, MacAlgorithm: "HMAC_SHA_256", Mac: badMac },
    "a short MAC": { KeyId: hmac, Message: message, MacAlgorithm: "HMAC_SHA_256", Mac: Mac.subarray(0, 16) },
    "no MAC": { KeyId: hmac, Message: message, MacAlgorithm: "HMAC_SHA_256" },
  };
  for (const [name, input] of Object.entries(verifyMacs)) await same(VerifyMacCommand, input, name);

  await sameJournals(twins, same.sends());
});

test("faults and latency meet a direct call as they meet its JSON twin", async () => {
  const twins = twinWorlds();
  const same = sameOn(twins);
  const { KeyId: sym } = (await same(CreateKeyCommand, {})).KeyMetadata;
  const { KeyId: hmac } = (await same(CreateKeyCommand, { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" }))
    .KeyMetadata;
  for (const { faults } of [twins.direct, twins.generic]) {
    await faults.add({ operation: "GenerateDataKey", error: "ThrottlingException", times: 2 });
    await faults.add({ operation: "GenerateMac", error: "DependencyTimeoutException", probability: 0.5 });
    await faults.add({ keyId: hmac, latencyMs: 25 });
    await faults.add({ operation: "CreateKey", error: "LimitExceededException", times: 1 });
  }
  // The clients' retries (and their seeded jitter) run on both twins alike.
  for (let i = 0; i < 3; i++) {
    await same(GenerateDataKeyCommand, { KeyId: sym, KeySpec: "AES_256" });
    await same(CreateKeyCommand, { Description: "after the fault" });
  }
  const macOutcomes = new Set();
  for (let i = 0; i < 8; i++) {
    const mac = await same(GenerateMacCommand, { KeyId: hmac, Message: "m", MacAlgorithm: "HMAC_SHA_256" });
    macOutcomes.add(mac.ok === false ? mac.name : "ok");
    await same(VerifyMacCommand, { KeyId: hmac, Message: "m", MacAlgorithm: "HMAC_SHA_256", Mac: new Uint8Array(32) });
  }
  // The faults did fire (the seeded draws gave both outcomes), and the latency moved the manual clock.
  assert.deepEqual([...macOutcomes].sort(), ["DependencyTimeoutException", "ok"]);
  assert.ok((await twins.direct.clock.now()) - new Date("2027-03-01T12:00:00Z") >= 16 * 25);
  await sameJournals(twins, same.sends());
});

test("the direct path is skipped when a middleware could see the request", async () => {
  const { direct, viaDirect: client } = twinWorlds();
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  const keyId = KeyMetadata.KeyId;
  const seen = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      seen.push(args.request.body);
      return next(args);
    },
    { step: "build" },
  );
  const before = direct.directCalls;
  await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: "x" }));
  assert.equal(direct.directCalls, before);
  assert.equal(seen.length, 1);
  assert.match(seen[0], /"Plaintext":"eA=="/);

  const plain = new KMSClient({ region: "us-east-1", world: direct });
  const command = new EncryptCommand({ KeyId: keyId, Plaintext: "x" });
  command.middlewareStack.add(
    (next) => async (args) => {
      seen.push(args.request.body);
      return next(args);
    },
    { step: "build" },
  );
  await plain.send(command);
  assert.equal(direct.directCalls, before);
  assert.equal(seen.length, 2);
});

// ---- What the direct exports carry: `direct` in js/core/operations.mjs, internal/abi's copy. ----

const require = createRequire(import.meta.url);
const sdk = require("@aws-sdk/client-kms");
const { NormalizedSchema } = require("@smithy/core/schema");
const directOperations = Object.entries(pkg.operations).filter(([, op]) => op.direct !== undefined);

// A value of each shape a member can take: whatever the member, any of them present must send as JSON.
const anyValues = [true, false, 0, 1, "", "x", [], ["x"], {}, { a: "b" }, new Uint8Array(1)];

test("the direct exports and their fields are internal/abi's (abi-vectors.json, wasm/ABI.md)", async () => {
  const byOperation = (a, b) => a.operation.localeCompare(b.operation);
  assert.deepEqual(
    directOperations
      .map(([name, op]) => ({
        export: op.direct.export,
        operation: name,
        input: op.direct.input.map(([member, kind]) => ({ name: member, kind })),
        output: op.direct.output.map(([member, kind]) => ({ name: member, kind })),
      }))
      .sort(byOperation),
    [...vectors.direct].sort(byOperation),
  );
  const abi = await readFile(new URL("../../wasm/ABI.md", import.meta.url), "utf8");
  for (const [name, op] of directOperations) {
    assert.match(abi, new RegExp(`^\\| \`${op.direct.export}\` \\| ${name} \\|`, "m"), `wasm/ABI.md lists ${name}`);
  }
});

test("every member a direct export carries is the SDK's, of the kind the export writes", () => {
  const fits = {
    string: (schema) => schema.isStringSchema(),
    blob: (schema) => schema.isBlobSchema(),
    context: (schema) =>
      schema.isMapSchema() && schema.getKeySchema().isStringSchema() && schema.getValueSchema().isStringSchema(),
    integer: (schema) => schema.isNumericSchema(),
    boolean: (schema) => schema.isBooleanSchema(),
    json: (schema) => schema.isStructSchema(),
    keylist: (schema) => schema.isListSchema() && schema.getValueSchema().isStructSchema(),
  };
  for (const [name, op] of directOperations) {
    const [, , , , input, output] = sdk[`${name}$`];
    for (const [side, schema, members] of [
      ["input", input, op.direct.input],
      ["output", output, op.direct.output],
    ]) {
      const sdkMembers = new Map(NormalizedSchema.of(schema).structIterator());
      for (const [member, kind] of members) {
        const memberSchema = sdkMembers.get(member);
        assert.ok(memberSchema, `${name}.${member} is not an ${side} member of the SDK`);
        assert.ok(fits[kind]?.(memberSchema), `${name}.${member}: the SDK's schema is not a ${kind}`);
      }
    }
  }
});

test("an input holding any table member a direct export does not carry goes as JSON", async () => {
  const twins = twinWorlds();
  const same = sameOn(twins);
  const { KeyId: sym } = (await same(CreateKeyCommand, {})).KeyMetadata;
  const { KeyId: ecc } = (await same(CreateKeyCommand, { KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }))
    .KeyMetadata;
  const { KeyId: hmac } = (await same(CreateKeyCommand, { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" }))
    .KeyMetadata;
  const { CiphertextBlob: sealed } = await same(EncryptCommand, { KeyId: sym, Plaintext: "x" });
  const { Signature } = await same(SignCommand, { KeyId: ecc, Message: "m", SigningAlgorithm: "ECDSA_SHA_256" });
  const { Mac } = await same(GenerateMacCommand, { KeyId: hmac, Message: "m", MacAlgorithm: "HMAC_SHA_256" });
  const base = {
    Encrypt: { KeyId: sym, Plaintext: "x" },
    Decrypt: { CiphertextBlob: sealed },
    GenerateDataKey: { KeyId: sym, KeySpec: "AES_256" },
    GenerateDataKeyWithoutPlaintext: { KeyId: sym, KeySpec: "AES_256" },
    ReEncrypt: { CiphertextBlob: sealed, DestinationKeyId: sym },
    Sign: { KeyId: ecc, Message: "m", SigningAlgorithm: "ECDSA_SHA_256" },
    Verify: { KeyId: ecc, Message: "m", Signature, SigningAlgorithm: "ECDSA_SHA_256" },
    GenerateMac: { KeyId: hmac, Message: "m", MacAlgorithm: "HMAC_SHA_256" },
    VerifyMac: { KeyId: hmac, Message: "m", MacAlgorithm: "HMAC_SHA_256", Mac },
    CreateKey: { Description: "fallback" },
    ListKeys: { Limit: 2 },
  };
  assert.deepEqual(Object.keys(base).sort(), directOperations.map(([name]) => name).sort());
  // A value the SDK would send for the members known today; any other member gets a string.
  const samples = {
    GrantTokens: ["token"],
    DryRun: true,
    Recipient: { KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
    DryRunModifiers: ["IGNORE_CIPHERTEXT"],
    Tags: [{ TagKey: "k", TagValue: "v" }],
  };
  for (const [name, op] of directOperations) {
    assert.notEqual(directRequestFields(name, base[name]), null, `${name}: the base input takes the direct path`);
    await same(pkg[`${name}Command`], base[name], `${name}, the base input`);
    const carried = op.direct.input.map(([member]) => member);
    for (const member of op.input.filter((m) => !carried.includes(m))) {
      for (const value of anyValues) {
        assert.equal(
          directRequestFields(name, { ...base[name], [member]: value }),
          null,
          `${name} with ${member}: ${String(value)}`,
        );
      }
      await same(
        pkg[`${name}Command`],
        { ...base[name], [member]: samples[member] ?? "x" },
        `${name} with ${member} (JSON path)`,
      );
    }
  }
  await sameJournals(twins, same.sends());
});

test("the direct plan is derived from the table: a member the SDK adds goes as JSON, a carried member must exist", () => {
  const encrypt = pkg.operations.Encrypt;
  const grown = { ...encrypt, input: [...encrypt.input, "SomeNewMember"] };
  assert.ok(compileDirect("Encrypt", grown).refused.includes("SomeNewMember"));
  assert.deepEqual(compileDirect("Encrypt", encrypt).refused, ["GrantTokens", "DryRun"]);
  assert.throws(
    () => compileDirect("Encrypt", { ...encrypt, input: encrypt.input.filter((m) => m !== "KeyId") }),
    /carries KeyId/,
  );
  assert.throws(() => compileDirect("Encrypt", { ...encrypt, inputBlobs: [] }), /carries Plaintext as blob/);
  assert.throws(() => compileDirect("Encrypt", { ...encrypt, output: ["KeyId"] }), /answers CiphertextBlob/);
  assert.throws(() => compileDirect("Encrypt", { ...encrypt, outputBlobs: [] }), /answers CiphertextBlob as blob/);
  // The output's members come in the table's output order, whatever the answer's field order.
  const reordered = {
    ...encrypt,
    direct: {
      ...encrypt.direct,
      output: [
        ["KeyId", "string"],
        ["EncryptionAlgorithm", "string"],
        ["CiphertextBlob", "blob"],
      ],
    },
  };
  assert.deepEqual(compileDirect("Encrypt", reordered).output, [
    ["CiphertextBlob", 2, "blob"],
    ["KeyId", 0, "string"],
    ["EncryptionAlgorithm", 1, "string"],
  ]);
  // CreateKey's KeyMetadata comes as JSON, its timestamps converted as the JSON path converts them.
  const createKey = compileDirect("CreateKey", pkg.operations.CreateKey);
  assert.deepEqual(
    createKey.nested.map(([segments]) => segments.join(".")),
    ["KeyMetadata.CreationDate", "KeyMetadata.DeletionDate", "KeyMetadata.ValidTo"],
  );
});
