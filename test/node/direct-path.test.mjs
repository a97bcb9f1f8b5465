// The direct path (Encrypt and Decrypt through the module's direct exports, no JSON) answers exactly what
// the JSON path answers, for inputs that take it and for inputs that fall back to JSON: two worlds with the
// same keys (one state imported into both), one with the direct path and one without.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

import * as pkg from "wasmkms";
import { compileDirect, directRequestFields } from "../../js/core/serde.mjs";

const { KMSClient, CreateKeyCommand, CreateAliasCommand, EncryptCommand, DecryptCommand } = pkg;

async function twinWorlds() {
  const direct = pkg.createWorld({ directPath: true });
  const generic = pkg.createWorld({ directPath: false });
  const setup = new KMSClient({ region: "us-east-1", world: direct });
  const { KeyMetadata } = await setup.send(new CreateKeyCommand({}));
  await setup.send(new CreateAliasCommand({ AliasName: "alias/twin", TargetKeyId: KeyMetadata.KeyId }));
  const state = await direct.call({}, "WasmKMS.ExportState", "");
  const imported = await generic.call({}, "WasmKMS.ImportState", state.body);
  assert.equal(imported.status, 200, imported.body);
  return { direct, generic, keyId: KeyMetadata.KeyId };
}

// What a send gives, without the parts that differ on every call (request id, the blob's random nonce).
async function outcome(client, command) {
  try {
    const output = await client.send(command);
    const { $metadata, ...members } = output;
    const shown = {};
    for (const [name, value] of Object.entries(members)) {
      shown[name] =
        value instanceof Uint8Array
          ? {
              type: value.constructor.name,
              length: value.length,
              ...(name === "Plaintext" ? { bytes: [...value] } : {}),
            }
          : value;
    }
    return {
      ok: true,
      keys: Object.keys(output),
      members: shown,
      status: $metadata.httpStatusCode,
      metadataKeys: Object.keys($metadata),
    };
  } catch (error) {
    return {
      ok: false,
      name: error.name,
      message: error.message,
      fault: error.$fault,
      status: error.$metadata?.httpStatusCode,
      keys: Object.keys(error)
        .filter((k) => k !== "$response" && k !== "$metadata")
        .sort(),
    };
  }
}

test("Encrypt and Decrypt: the direct path answers as the JSON path, fallbacks included", async () => {
  const { direct, generic, keyId } = await twinWorlds();
  const viaDirect = new KMSClient({ region: "us-east-1", world: direct });
  const viaJSON = new KMSClient({ region: "us-east-1", world: generic });
  const context = { purpose: "twin", "caf\u00e9": "\u00e9t\u00e9" };
  const sealed = (
    await viaJSON.send(new EncryptCommand({ KeyId: keyId, Plaintext: "hello", EncryptionContext: context }))
  ).CiphertextBlob;
  const big = new Uint8Array(4096).fill(7);

  const encrypts = {
    bytes: { KeyId: keyId, Plaintext: new Uint8Array([1, 2, 3]) },
    "a string plaintext": { KeyId: keyId, Plaintext: "h\u00e9llo \ud83d\ude00" },
    "a Buffer plaintext": { KeyId: keyId, Plaintext: Buffer.from("buffer") },
    "4096 bytes": { KeyId: keyId, Plaintext: big },
    "4097 bytes": { KeyId: keyId, Plaintext: new Uint8Array(4097) },
    "an empty plaintext": { KeyId: keyId, Plaintext: new Uint8Array(0) },
    "no plaintext": { KeyId: keyId },
    "no key": { Plaintext: "x" },
    "an alias": { KeyId: "alias/twin", Plaintext: "x" },
    "an unknown alias": { KeyId: "alias/none", Plaintext: "x" },
    "a key ID that is a number (JSON path)": { KeyId: 5, Plaintext: "x" },
    "a context": { KeyId: keyId, Plaintext: "x", EncryptionContext: context },
    "a context with a null entry": { KeyId: keyId, Plaintext: "x", EncryptionContext: { a: "b", c: null } },
    "a context with a number (JSON path)": { KeyId: keyId, Plaintext: "x", EncryptionContext: { a: 1 } },
    "a context that is a list (JSON path)": { KeyId: keyId, Plaintext: "x", EncryptionContext: ["a"] },
    "an empty context": { KeyId: keyId, Plaintext: "x", EncryptionContext: {} },
    "a lone surrogate in the context": { KeyId: keyId, Plaintext: "x", EncryptionContext: { "\ud800": "v" } },
    "a bad algorithm": { KeyId: keyId, Plaintext: "x", EncryptionAlgorithm: "AES" },
    "an RSA algorithm on a symmetric key": { KeyId: keyId, Plaintext: "x", EncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
    "grant tokens (JSON path)": { KeyId: keyId, Plaintext: "x", GrantTokens: ["token"] },
    "DryRun (JSON path)": { KeyId: keyId, Plaintext: "x", DryRun: true },
  };
  const decrypts = {
    "the blob": { CiphertextBlob: sealed, EncryptionContext: context },
    "the blob, key named": { CiphertextBlob: sealed, EncryptionContext: context, KeyId: keyId },
    "the blob, alias named": { CiphertextBlob: sealed, EncryptionContext: context, KeyId: "alias/twin" },
    "the wrong context": { CiphertextBlob: sealed, EncryptionContext: { purpose: "other" } },
    "no context": { CiphertextBlob: sealed },
    "no blob": {},
    "a string blob": { CiphertextBlob: "not a blob" },
    "an RSA algorithm without a key": { CiphertextBlob: sealed, EncryptionAlgorithm: "RSAES_OAEP_SHA_1" },
    "Recipient (JSON path)": {
      CiphertextBlob: sealed,
      EncryptionContext: context,
      Recipient: { KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
    },
  };
  const before = direct.directCalls;
  for (const [name, input] of Object.entries(encrypts)) {
    assert.deepEqual(
      await outcome(viaDirect, new EncryptCommand(input)),
      await outcome(viaJSON, new EncryptCommand(input)),
      `Encrypt, ${name}`,
    );
  }
  for (const [name, input] of Object.entries(decrypts)) {
    assert.deepEqual(
      await outcome(viaDirect, new DecryptCommand(input)),
      await outcome(viaJSON, new DecryptCommand(input)),
      `Decrypt, ${name}`,
    );
  }
  const fallbacks = Object.keys(encrypts)
    .concat(Object.keys(decrypts))
    .filter((name) => name.endsWith("(JSON path)")).length;
  assert.equal(direct.directCalls - before, Object.keys(encrypts).length + Object.keys(decrypts).length - fallbacks);
  assert.equal(generic.directCalls, 0);

  // A blob made on the direct path opens on the JSON path, and the other way round.
  const crossed = await viaDirect.send(
    new EncryptCommand({ KeyId: keyId, Plaintext: big, EncryptionContext: context }),
  );
  const opened = await viaJSON.send(
    new DecryptCommand({ CiphertextBlob: crossed.CiphertextBlob, EncryptionContext: context }),
  );
  assert.deepEqual(opened.Plaintext, big);
  const back = await viaDirect.send(new DecryptCommand({ CiphertextBlob: sealed, EncryptionContext: context }));
  assert.equal(new TextDecoder().decode(back.Plaintext), "hello");
});

test("the direct path is skipped when a middleware could see the request", async () => {
  const { direct, keyId } = await twinWorlds();
  const client = new KMSClient({ region: "us-east-1", world: direct });
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

// ---- What the direct exports carry: `direct` in js/core/operations.mjs, the one place that lists it. ----

const require = createRequire(import.meta.url);
const sdk = require("@aws-sdk/client-kms");
const { NormalizedSchema } = require("@smithy/core/schema");
const directOperations = Object.entries(pkg.operations).filter(([, op]) => op.direct !== undefined);

// A value of each shape a member can take: whatever the member, any of them present must send as JSON.
const anyValues = [true, false, 0, 1, "", "x", [], ["x"], {}, { a: "b" }, new Uint8Array(1)];

test("the direct exports are Encrypt's and Decrypt's, with the members wasm/ABI.md lists", async () => {
  assert.deepEqual(
    directOperations.map(([name]) => name),
    ["Encrypt", "Decrypt"],
  );
  const abi = await readFile(new URL("../../wasm/ABI.md", import.meta.url), "utf8");
  for (const [name, op] of directOperations) {
    const request = abi.match(new RegExp(`^- \`${op.direct.export}\`: (.+)$`, "m"));
    assert.ok(request, `wasm/ABI.md lists the request fields of ${op.direct.export}`);
    assert.deepEqual(
      request[1].split(", "),
      ["account", "region", "principal", ...op.direct.input.map(([m]) => m)],
      `${name}: the request fields of wasm/ABI.md`,
    );
    const answer = abi.replace(/\s+/g, " ").match(new RegExp(`for ${name} ([A-Za-z, ]+)[;.]`));
    assert.ok(answer, `wasm/ABI.md lists the answer fields of ${name}`);
    assert.deepEqual(answer[1].split(", "), op.direct.output, `${name}: the answer fields of wasm/ABI.md`);
  }
});

test("every member a direct export carries is the SDK's, of the kind the export writes", () => {
  for (const [name, op] of directOperations) {
    const [, , , , input, output] = sdk[`${name}$`];
    const inputMembers = new Map(NormalizedSchema.of(input).structIterator());
    for (const [member, kind] of op.direct.input) {
      const schema = inputMembers.get(member);
      assert.ok(schema, `${name}.${member} is not an input member of the SDK`);
      const fits = {
        string: () => schema.isStringSchema(),
        blob: () => schema.isBlobSchema(),
        context: () =>
          schema.isMapSchema() && schema.getKeySchema().isStringSchema() && schema.getValueSchema().isStringSchema(),
      };
      assert.ok(fits[kind]?.(), `${name}.${member}: the SDK's schema is not a ${kind}`);
    }
    const outputMembers = [...NormalizedSchema.of(output).structIterator()].map(([member]) => member);
    for (const member of op.direct.output)
      assert.ok(outputMembers.includes(member), `${name}: ${member} is not an output member of the SDK`);
  }
});

test("an input holding any table member a direct export does not carry goes as JSON", async () => {
  const { direct, generic, keyId } = await twinWorlds();
  const viaDirect = new KMSClient({ region: "us-east-1", world: direct });
  const viaJSON = new KMSClient({ region: "us-east-1", world: generic });
  const sealed = (await viaJSON.send(new EncryptCommand({ KeyId: keyId, Plaintext: "x" }))).CiphertextBlob;
  const base = { Encrypt: { KeyId: keyId, Plaintext: "x" }, Decrypt: { CiphertextBlob: sealed } };
  const commands = { Encrypt: EncryptCommand, Decrypt: DecryptCommand };
  // A value the SDK would send for the members known today; any other member gets a string.
  const samples = {
    GrantTokens: ["token"],
    DryRun: true,
    Recipient: { KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
    DryRunModifiers: ["IGNORE_CIPHERTEXT"],
  };
  for (const [name, op] of directOperations) {
    assert.notEqual(directRequestFields(name, base[name]), null, `${name}: the base input takes the direct path`);
    const carried = op.direct.input.map(([member]) => member);
    for (const member of op.input.filter((m) => !carried.includes(m))) {
      for (const value of anyValues) {
        assert.equal(
          directRequestFields(name, { ...base[name], [member]: value }),
          null,
          `${name} with ${member}: ${String(value)}`,
        );
      }
      const input = { ...base[name], [member]: samples[member] ?? "x" };
      const before = direct.directCalls;
      const Command = commands[name];
      assert.deepEqual(
        await outcome(viaDirect, new Command(input)),
        await outcome(viaJSON, new Command(input)),
        `${name} with ${member}`,
      );
      assert.equal(direct.directCalls, before, `${name} with ${member} went through the direct export`);
    }
  }
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
  // The output's members come in the table's output order, whatever the answer's field order.
  const reordered = {
    ...encrypt,
    direct: { ...encrypt.direct, output: ["KeyId", "EncryptionAlgorithm", "CiphertextBlob"] },
  };
  assert.deepEqual(compileDirect("Encrypt", reordered).output, [
    ["CiphertextBlob", 2, true],
    ["KeyId", 0, false],
    ["EncryptionAlgorithm", 1, false],
  ]);
});
