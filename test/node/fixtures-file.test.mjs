// loadFixtures(path) (Node): a fixtures file in JSON, or in YAML for a .yaml/.yml name, through the
// optional `yaml` package. The same keys from either format make the same world, and a bad key fails
// with the same path-naming error; without the `yaml` package installed, a YAML file fails with one
// error that says to install it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { stringify } from "yaml";

import { DescribeKeyCommand, KMSClient, SignCommand, WasmKMSError, createWorld, loadFixtures } from "wasmkms";

const root = fileURLToPath(new URL("../../", import.meta.url));
const KEY_ID = "0f1e2d3c-4b5a-4678-9abc-def012345678";
const SIGNING_ID = "5a6b7c8d-1e2f-4a3b-8c9d-0e1f2a3b4c5d";
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const pem = privateKey.export({ type: "pkcs8", format: "pem" });

// A fixtures file as a user writes it in YAML: a block scalar holds the PEM private key.
const YAML_TEXT = `keys:
  - keyId: ${KEY_ID}
    description: from a YAML file
    aliases: [alias/orders]
    tags: { team: payments }
    material: ${Buffer.alloc(32, 7).toString("base64")}
  - keyId: ${SIGNING_ID}
    keySpec: ECC_NIST_P256
    keyUsage: SIGN_VERIFY
    material: |
${pem
  .trim()
  .split("\n")
  .map((line) => `      ${line}`)
  .join("\n")}
`;

async function directory(t) {
  const dir = await mkdtemp(join(tmpdir(), "wasmkms-fixtures-file-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test("a YAML fixtures file gives the same document as its JSON, and its keys", async (t) => {
  const dir = await directory(t);
  const yamlFile = join(dir, "fixtures.yaml");
  const jsonFile = join(dir, "fixtures.json");
  await writeFile(yamlFile, YAML_TEXT);
  const fromYaml = await loadFixtures(yamlFile);
  await writeFile(jsonFile, JSON.stringify(fromYaml));
  assert.deepEqual(await loadFixtures(jsonFile), fromYaml);
  assert.equal(fromYaml.keys[1].material, pem, "the block scalar is the PEM text");
  // .yml too, and a file: URL.
  await writeFile(join(dir, "fixtures.yml"), YAML_TEXT);
  assert.deepEqual(await loadFixtures(pathToFileURL(join(dir, "fixtures.yml"))), fromYaml);

  const client = new KMSClient({ region: "us-east-1", world: createWorld({ fixtures: fromYaml }) });
  const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: "alias/orders" }));
  assert.equal(KeyMetadata.KeyId, KEY_ID);
  assert.equal(KeyMetadata.Description, "from a YAML file");
  // The signing key is the file's: node:crypto verifies its signature with the file's public key.
  const { Signature } = await client.send(
    new SignCommand({ KeyId: SIGNING_ID, Message: "m", SigningAlgorithm: "ECDSA_SHA_256" }),
  );
  assert.ok(verify("sha256", Buffer.from("m"), createPublicKey(privateKey), Signature));
});

test("a bad key in YAML fails with the same path-naming error as in JSON", async (t) => {
  const dir = await directory(t);
  const document = {
    keys: [{}, { keySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" }, { material: "not base64!" }],
  };
  const messages = [];
  for (const [name, text] of [
    ["bad.yaml", stringify(document)],
    ["bad.json", JSON.stringify(document)],
  ]) {
    const file = join(dir, name);
    await writeFile(file, text);
    const world = createWorld({ fixtures: await loadFixtures(file) });
    const error = await world.clock.now().then(
      () => assert.fail(`${name}: the world loaded a bad key`),
      (e) => e,
    );
    assert.ok(error instanceof WasmKMSError, name);
    assert.match(error.message, /keys\[2\]\.material: not valid base64/, name);
    messages.push(error.message);
  }
  assert.equal(messages[0], messages[1]);
});

test("a file that is not what its name says, or not an object, is refused with its name", async (t) => {
  const dir = await directory(t);
  const cases = [
    ["duplicate.yaml", "keys: []\nkeys: []\n", /duplicate\.yaml is not YAML: Map keys must be unique/],
    ["yaml-text.json", "keys: []\n", /yaml-text\.json is not JSON/],
    ["list.yml", "- keyId: x\n", /list\.yml must hold an object \{ keys: \[\.\.\.\] \}/],
    ["null.json", "null", /null\.json must hold an object/],
  ];
  for (const [name, text, message] of cases) {
    await writeFile(join(dir, name), text);
    await assert.rejects(loadFixtures(join(dir, name)), message, name);
  }
  await assert.rejects(loadFixtures(join(dir, "missing.yaml")), { code: "ENOENT" });
  await assert.rejects(loadFixtures(42), TypeError);
});

// The package installed without its optional peer dependency `yaml`: a copy of it in a folder whose
// node_modules has no yaml, imported (ESM) and required (CommonJS) by a child process.
test("without the yaml package, a YAML file fails with one error that says to install it", async (t) => {
  const dir = await directory(t);
  const installed = join(dir, "node_modules", "wasmkms");
  await mkdir(installed, { recursive: true });
  await cp(join(root, "package.json"), join(installed, "package.json"));
  await cp(join(root, "js"), join(installed, "js"), { recursive: true });
  await cp(join(root, "dist"), join(installed, "dist"), { recursive: true });
  await writeFile(join(dir, "fixtures.yaml"), "keys: []\n");
  await writeFile(join(dir, "fixtures.json"), '{"keys": []}');
  const script = `
    const esm = await import("wasmkms");
    const cjs = require("wasmkms");
    const out = [JSON.stringify(await esm.loadFixtures("fixtures.json"))];
    for (const { loadFixtures } of [esm, cjs]) {
      out.push(await loadFixtures("fixtures.yaml").then(() => "loaded", (e) => e.message));
    }
    console.log(JSON.stringify(out));`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--input-type=commonjs", "-e", `(async () => { ${script} })()`],
    { cwd: dir },
  );
  const [json, ...yamlErrors] = JSON.parse(stdout);
  assert.equal(json, '{"keys":[]}', "JSON needs no other package");
  for (const message of yamlErrors) {
    assert.equal(
      message,
      "wasmkms: fixtures file fixtures.yaml is YAML, which needs the yaml package: install it " +
        "(npm install --save-dev yaml), or write the fixtures as JSON",
    );
  }
});
