// A throwaway application folder laid out as a user's: the app's sources (test/bundlers/app/, in src/),
// its package.json, the tool's own files, and wasmkms in node_modules as npm unpacks it: a copy of the
// files package.json's "files" lists, not a link to this repository, so that every bundler sees an
// installed dependency (vite pre-bundles it, webpack and wrangler resolve it through its "exports").
// The bundlers themselves are linked from this repository's node_modules, and run through their CLIs.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const appSources = fileURLToPath(new URL("../app", import.meta.url));

// A bundler on a loaded CI machine (two cores shared with the other suites); a quiet one needs a tenth.
export const TOOL_TIMEOUT_MS = 180_000;

// The child's environment: no node:test marker (a nested runner would talk its private protocol), no
// colours in the output kept for failure messages.
export const toolEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };
delete toolEnv.NODE_TEST_CONTEXT;

/**
 * Makes the application folder: `tools` are package names linked into its node_modules (and their
 * commands into node_modules/.bin, where npx finds them), `files` maps paths in the folder to their
 * text. Resolves to { dir, path(...parts), run(tool, args), script(file), nodeTest(file), close() }.
 */
export async function makeApp({ tools = [], files = {} } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "wasmkms-bundler-"));
  try {
    await cp(appSources, join(dir, "src"), { recursive: true });
    const manifest = { name: "kms-app", private: true, type: "module", dependencies: { wasmkms: "*" } };
    await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await installPackage(join(dir, "node_modules", "wasmkms"));
    await mkdir(join(dir, "node_modules", ".bin"), { recursive: true });
    for (const tool of tools) {
      await symlink(join(repoRoot, "node_modules", tool), join(dir, "node_modules", tool), "dir");
      for (const [command, file] of Object.entries(await binsOf(tool))) {
        await symlink(join("..", tool, file), join(dir, "node_modules", ".bin", command));
      }
    }
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), text);
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    path: (...parts) => join(dir, ...parts),
    run: (tool, args, options) => runTool(dir, tool, args, options),
    script: (file, options) => runScript(dir, file, options),
    nodeTest: (file, options) => runNodeTest(dir, file, options),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

// Copies this repository's package as npm would unpack it: package.json and the "files" entries, less
// the "!" ones and dotfiles (./build.sh's half-written temporaries).
async function installPackage(target) {
  const { files } = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8"));
  const excluded = files.filter((f) => f.startsWith("!")).map((f) => join(repoRoot, f.slice(1)));
  await mkdir(target, { recursive: true });
  await cp(join(repoRoot, "package.json"), join(target, "package.json"));
  for (const entry of files.filter((f) => !f.startsWith("!"))) {
    await cp(join(repoRoot, entry), join(target, entry), {
      recursive: true,
      filter: (src) => !basename(src).startsWith(".") && !excluded.some((x) => src === x || src.startsWith(x + sep)),
    });
  }
}

// A package's commands (its package.json "bin"): { command: file in the package }.
async function binsOf(tool) {
  const { name, bin = {} } = JSON.parse(await readFile(join(repoRoot, "node_modules", tool, "package.json"), "utf8"));
  return typeof bin === "string" ? { [name]: bin } : bin;
}

/** The file of a package's command, as `npx <command>` finds it. */
export async function binOf(tool, command = tool) {
  return join(repoRoot, "node_modules", tool, (await binsOf(tool))[command]);
}

// Runs a command to its end; resolves to { stdout, stderr }, rejects with both when it fails or times out.
function run(file, args, cwd, env) {
  return new Promise((ok, fail) => {
    const options = { cwd, env: { ...toolEnv, ...env }, timeout: TOOL_TIMEOUT_MS, maxBuffer: 64 << 20 };
    execFile(file, args, options, (error, stdout, stderr) => {
      if (error) fail(new Error(`${file} ${args.join(" ")}: ${error.message}\n${stdout}\n${stderr}`));
      else ok({ stdout, stderr });
    });
  });
}

// The environment in which `node` and `npx` are the given Node (npm's commands run on the first node
// of PATH).
function withNode(node, env = {}) {
  return { ...env, PATH: `${dirname(node)}:${process.env.PATH}` };
}

/** Runs a recipe's shell script (test/bundlers/<tool>/<name>.sh) in the app folder, as a user types it. */
export function runScript(cwd, file, { node = process.execPath, env } = {}) {
  return run("sh", ["-e", file], cwd, withNode(node, env));
}

/**
 * Runs a node:test file of the app folder (a user's test) with `node --test`; resolves to its TAP
 * summary { passed, failed, output }.
 */
export async function runNodeTest(cwd, file, { node = process.execPath, env } = {}) {
  let output;
  try {
    output = (await run(node, ["--test", "--test-reporter=tap", file], cwd, withNode(node, env))).stdout;
  } catch (err) {
    output = err.message;
  }
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(output)?.[1] ?? Number.NaN);
  return { passed: count("pass"), failed: count("fail"), output };
}

/**
 * Runs a tool's command (a Node script) in the app folder with `node`, this process's Node unless
 * given, to its end. Resolves to { stdout, stderr }; rejects with both in the message when it fails.
 */
export async function runTool(cwd, tool, args, { node = process.execPath, env, command } = {}) {
  return run(node, [await binOf(tool, command), ...args], cwd, withNode(node, env));
}

/** What app/round-trip.js answers when the bundled package worked: the text back, through one key. */
export function assertRoundTrip(result, text) {
  assert.equal(result.error, undefined, result.error);
  assert.match(result.keyArn, /^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
  assert.equal(result.decryptedBy, result.keyArn);
  assert.equal(result.text, text);
  assert.ok(result.ciphertextBytes > text.length, `a ${result.ciphertextBytes}-byte ciphertext blob`);
}
