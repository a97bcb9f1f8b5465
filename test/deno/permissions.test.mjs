// Deno's permissions for wasmkms, as the README states them, in an application folder that has the
// package in node_modules: with a region in the client's options, --allow-read (the package's module
// file) is all it needs; without one, the client reads AWS_REGION and AWS_DEFAULT_REGION as the SDK
// does, which takes --allow-env for those two names, and without that Deno stops the read.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeApp, repoRoot, toolEnv } from "../bundlers/lib/app.mjs";

const deno = join(repoRoot, "node_modules", ".bin", "deno");
const missing = existsSync(deno) ? null : `Deno not found at ${deno} (npm ci installs it)`;
if (missing && process.env.CI) throw new Error(missing);
const skip = missing ?? false;
let app;

before(async () => {
  if (missing) return;
  app = await makeApp();
  // The client takes its region from the environment, as the SDK's does.
  await writeFile(
    app.path("src", "env-region.js"),
    `import { CreateKeyCommand, KMSClient } from "wasmkms";\n` +
      `const { KeyMetadata } = await new KMSClient().send(new CreateKeyCommand({}));\n` +
      `console.log(JSON.stringify({ arn: KeyMetadata.Arn }));\n`,
  );
});

after(() => app?.close());

/** Runs `deno run <flags> <script>` in the app folder; resolves to { code, stdout, stderr }. */
function runDeno(flags, script, env = {}) {
  const environment = { ...toolEnv, DENO_NO_UPDATE_CHECK: "1", DENO_DIR: app.path(".deno"), ...env };
  for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION"]) if (!(name in env)) delete environment[name];
  return new Promise((ok) => {
    execFile(
      deno,
      ["run", ...flags, script],
      { cwd: app.dir, env: environment, timeout: 120_000 },
      (error, stdout, stderr) => ok({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

test("with a region in the options, --allow-read is enough", { skip }, async () => {
  const { code, stdout, stderr } = await runDeno(["--allow-read"], "src/node.js");
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).text, "hello from a Node bundle");
});

test("without one, --allow-env=AWS_REGION,AWS_DEFAULT_REGION lets the client read the region", { skip }, async () => {
  const flags = ["--allow-read", "--allow-env=AWS_REGION,AWS_DEFAULT_REGION"];
  const { code, stdout, stderr } = await runDeno(flags, "src/env-region.js", { AWS_REGION: "eu-west-1" });
  assert.equal(code, 0, stderr);
  assert.match(JSON.parse(stdout).arn, /^arn:aws:kms:eu-west-1:/);
});

test("without a region and without --allow-env, Deno refuses the read of AWS_REGION", { skip }, async () => {
  const { code, stderr } = await runDeno(["--allow-read"], "src/env-region.js", { AWS_REGION: "eu-west-1" });
  assert.notEqual(code, 0);
  assert.match(stderr, /NotCapable: Requires env access to "AWS_REGION"/);
});
