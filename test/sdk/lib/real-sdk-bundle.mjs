// The real @aws-sdk/client-kms as browsers and Workers get it: bundled by esbuild with the browser
// conditions (FetchHttpHandler, WebCrypto hashing), one ES module, as an application's bundler makes it.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const REPOSITORY = fileURLToPath(new URL("../../../", import.meta.url));

/** bundleRealSdk resolves to the ES module text that re-exports all of @aws-sdk/client-kms. */
export async function bundleRealSdk({ conditions = ["browser"] } = {}) {
  const result = await build({
    stdin: { contents: 'export * from "@aws-sdk/client-kms";', resolveDir: REPOSITORY, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
