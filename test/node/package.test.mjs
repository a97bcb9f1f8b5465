// The package as a user gets it: `npm pack`, installed offline into an empty project outside this
// repository, then imported and required there (the quickstart of the README).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("npm pack, npm install in an empty project, import and require work there", () => {
  const dir = mkdtempSync(join(tmpdir(), "wasmkms-package-"));
  try {
    const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: "pipe" });
    npm(["pack", "--ignore-scripts", "--pack-destination", dir], root);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    assert.ok(tarball, "npm pack made a tarball");
    const app = join(dir, "app");
    execFileSync("mkdir", [app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    npm(["install", "--offline", "--no-audit", "--no-fund", join(dir, tarball)], app);
    writeFileSync(
      join(app, "esm.mjs"),
      `
      import { KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand } from "wasmkms";
      const kms = new KMSClient({ region: "us-east-1" });
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "packed" }));
      const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob }));
      console.log(new TextDecoder().decode(Plaintext));`,
    );
    writeFileSync(
      join(app, "cjs.cjs"),
      `
      const { KMSClient, ListKeysCommand } = require("wasmkms");
      new KMSClient({ region: "us-east-1" }).send(new ListKeysCommand({})).then((o) => console.log(JSON.stringify(o.Keys)));`,
    );
    const run = (file) => execFileSync(process.execPath, [file], { cwd: app, encoding: "utf8" }).trim();
    assert.equal(run("esm.mjs"), "packed");
    assert.equal(run("cjs.cjs"), "[]");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
