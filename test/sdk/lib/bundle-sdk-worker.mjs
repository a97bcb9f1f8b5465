// Bundles a Worker that imports the real @aws-sdk/client-kms and "wasmkms". test/lib/workerd-bundle.mjs
// bundles for wrangler's neutral platform, where the SDK's Node-only runtime config (node:fs, ...)
// would be pulled in; an application bundling the SDK for Workers takes its browser build, so this
// bundle uses esbuild's browser platform (which honours package.json "browser" maps) with wrangler's
// conditions, and keeps `.wasm` imports as separate CompiledWasm modules as wrangler does. It is left
// unminified: its size is not what it tests, and a failure's stack stays readable.
import { bundleWorker } from "../../lib/workerd-bundle.mjs";

/** Resolves to bundleWorker's { dir, scriptPath, close(), ... } for startWorker. */
export function bundleSdkWorker(entry) {
  return bundleWorker(entry, { platform: "browser", minify: false });
}
