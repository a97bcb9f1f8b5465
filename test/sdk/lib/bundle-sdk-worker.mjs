// Bundles a Worker that imports the real @aws-sdk/client-kms and "wasmkms". test/workerd/lib/bundle.mjs
// bundles for wrangler's neutral platform, where the SDK's Node-only runtime config (node:fs, ...)
// would be pulled in; an application bundling the SDK for Workers takes its browser build, so this
// bundle uses esbuild's browser platform (which honours package.json "browser" maps) with wrangler's
// conditions, and keeps `.wasm` imports as separate CompiledWasm modules as wrangler does.
import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { build } from "esbuild";
import { repoRoot } from "../../workerd/lib/bundle.mjs";

/** Resolves to { dir, scriptPath, close() } for Miniflare's scriptPath and modulesRoot. */
export async function bundleSdkWorker(entry) {
  const dir = await mkdtemp(join(tmpdir(), "wasmkms-sdk-worker-"));
  try {
    const nodeModules = join(dir, "node_modules");
    await mkdir(nodeModules, { recursive: true });
    await symlink(repoRoot, join(nodeModules, "wasmkms"), "dir"); // "wasmkms" as an installed package
    const out = join(dir, "dist");
    const wasmFiles = new Map();
    await build({
      entryPoints: [entry],
      nodePaths: [nodeModules],
      outfile: join(out, "worker.mjs"),
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      logLevel: "silent",
      plugins: [{
        name: "wasm-modules",
        setup(b) {
          b.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
            const file = resolve(args.resolveDir, args.path.replace(/\?module$/, ""));
            wasmFiles.set(basename(file), file);
            return { path: `./${basename(file)}`, external: true };
          });
        },
      }],
    });
    for (const [name, file] of wasmFiles) await copyFile(file, join(out, name));
    return { dir: out, scriptPath: join(out, "worker.mjs"), close: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
