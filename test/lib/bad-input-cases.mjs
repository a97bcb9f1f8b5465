// Bad input from JavaScript, as data: inputs the SDK's types forbid but a caller can still send. Every
// runtime runs these same cases through its own copy of the package (Node gives the reference answers)
// and must get the same exceptions, with the world unchanged. Pure ESM, no runtime-specific import.

/** Each case builds a command from the package's exports and a key that exists. */
export const badInputCases = [
  { name: "input null", command: (pkg) => new pkg.EncryptCommand(null) },
  { name: "input a string", command: (pkg) => new pkg.EncryptCommand("not an object") },
  { name: "input a number", command: (pkg) => new pkg.EncryptCommand(42) },
  { name: "Plaintext a number", command: (pkg, keyId) => new pkg.EncryptCommand({ KeyId: keyId, Plaintext: 12345 }) },
  {
    name: "Plaintext an object",
    command: (pkg, keyId) => new pkg.EncryptCommand({ KeyId: keyId, Plaintext: { text: "hi" } }),
  },
  {
    name: "Plaintext an array",
    command: (pkg, keyId) => new pkg.EncryptCommand({ KeyId: keyId, Plaintext: [104, 105] }),
  },
  { name: "Plaintext a boolean", command: (pkg, keyId) => new pkg.EncryptCommand({ KeyId: keyId, Plaintext: true }) },
  {
    name: "Plaintext empty",
    command: (pkg, keyId) => new pkg.EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(0) }),
  },
];

/**
 * Runs every case with a fresh client of `pkg` (the package's exports in this runtime).
 * Resolves to { results: [{ case, outcome, name, message, fault, status }], keysBefore, keysAfter }.
 * Key IDs in messages are replaced by <key-id>, so runs in different worlds compare equal.
 */
export async function runBadInputCases(pkg) {
  const client = new pkg.KMSClient({ region: "us-east-1" });
  const keyId = (await client.send(new pkg.CreateKeyCommand({}))).KeyMetadata.KeyId;
  const countKeys = async () => (await client.send(new pkg.ListKeysCommand({}))).Keys.length;
  const keysBefore = await countKeys();
  const results = [];
  for (const c of badInputCases) {
    try {
      await client.send(c.command(pkg, keyId));
      results.push({ case: c.name, outcome: "resolved" });
    } catch (err) {
      results.push({
        case: c.name,
        outcome: "rejected",
        name: err?.name,
        message: String(err?.message).replaceAll(keyId, "<key-id>"),
        fault: err?.$fault ?? null,
        status: err?.$metadata?.httpStatusCode ?? null,
      });
    }
  }
  return { results, keysBefore, keysAfter: await countKeys() };
}
