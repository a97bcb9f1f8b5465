// Builds a Worker the way wrangler does: esbuild bundles the Worker's JavaScript with the conditions
// wrangler passes (workerd, worker, browser), and every `.wasm` import stays a separate module that
// the runtime receives already compiled (wrangler's CompiledWasm rule), because workerd refuses to
// compile WebAssembly from bytes at run time.
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

// wrangler's default module rule for WebAssembly, as miniflare takes it.
export const compiledWasmRule = { type: "CompiledWasm", include: ["**/*.wasm", "**/*.wasm?module"] };

// Keeps `.wasm` imports out of the bundle, as separate modules next to it (wrangler's module collector).
function wasmModulesPlugin(wasmFiles) {
  return {
    name: "wasm-modules",
    setup(b) {
      b.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
        const file = resolve(args.resolveDir, args.path.replace(/\?module$/, ""));
        const name = basename(file);
        wasmFiles.set(name, file);
        return { path: `./${name}`, external: true };
      });
    },
  };
}

/**
 * Bundles `entry` (a Worker's source that imports "wasmkms") into a fresh folder, with the package
 * resolved through node_modules/wasmkms and its exports map, as in an application that installed it.
 * `overrides` replaces esbuild options (test/sdk/lib/bundle-sdk-worker.mjs bundles for the browser
 * platform). Resolves to { dir, scriptPath, files: [{ name, bytes }], gzipBytes, close() }.
 */
export async function bundleWorker(entry, overrides = {}) {
  const dir = await mkdtemp(join(tmpdir(), "wasmkms-worker-"));
  try {
    // A node_modules folder holding the package (the repository itself), where esbuild looks for
    // bare imports, so that "wasmkms" resolves through package.json's exports like an installed package.
    const nodeModules = join(dir, "node_modules");
    await mkdir(nodeModules, { recursive: true });
    await symlink(repoRoot, join(nodeModules, "wasmkms"), "dir");

    const out = join(dir, "dist");
    const wasmFiles = new Map();
    await build({
      entryPoints: [entry],
      nodePaths: [nodeModules],
      outfile: join(out, "worker.mjs"),
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      minify: true,
      logLevel: "silent",
      plugins: [wasmModulesPlugin(wasmFiles)],
      ...overrides,
    });
    for (const [name, file] of wasmFiles) await copyFile(file, join(out, name));

    const files = [{ name: "worker.mjs", bytes: await readFile(join(out, "worker.mjs")) }];
    for (const name of wasmFiles.keys()) files.push({ name, bytes: await readFile(join(out, name)) });
    const gzipBytes = files.reduce((sum, f) => sum + gzipSync(f.bytes, { level: 9 }).length, 0);
    return {
      dir: out,
      scriptPath: join(out, "worker.mjs"),
      files,
      gzipBytes,
      close: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** startWorker resolves to a ready Miniflare running a bundle from bundleWorker, as wrangler dev would. */
export async function startWorker(bundle) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundle.scriptPath,
    modulesRoot: bundle.dir,
    modulesRules: [compiledWasmRule],
    compatibilityDate: "2025-01-01",
  });
  await mf.ready;
  return mf;
}
