// The package's exports map, as each runtime's resolver sees it: bundlers for browsers take the
// browser entry, wrangler the workerd entry (Deno's own resolver is checked in test/deno), and the
// module file itself is exported for bundlers that copy it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { repoRoot } from "../../web/serve.mjs";

// Which of the package's files esbuild pulls in for `import "wasmkms"` with the given conditions.
async function entryFor(conditions) {
  const dir = await mkdtemp(join(tmpdir(), "wasmkms-exports-"));
  try {
    await mkdir(join(dir, "node_modules"));
    await symlink(repoRoot, join(dir, "node_modules", "wasmkms"), "dir");
    await writeFile(join(dir, "app.mjs"), `export * from "wasmkms";\n`);
    const { metafile } = await build({
      entryPoints: [join(dir, "app.mjs")],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      conditions,
      metafile: true,
      external: ["*.wasm"],
      logLevel: "silent",
    });
    const files = Object.keys(metafile.inputs).map((f) => relative(repoRoot, join(process.cwd(), f)));
    return files.filter((f) => /^js\/[a-z-]+\.mjs$/.test(f));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("a browser bundler resolves js/browser.mjs", async () => {
  assert.deepEqual(await entryFor(["browser"]), ["js/browser.mjs"]);
});

test("wrangler's conditions resolve js/workerd.mjs", async () => {
  assert.deepEqual(await entryFor(["workerd", "worker", "browser"]), ["js/workerd.mjs"]);
});

test("wasmkms/wasmkms.wasm is the module file", () => {
  assert.equal(import.meta.resolve("wasmkms/wasmkms.wasm"), new URL("../../js/wasmkms.wasm", import.meta.url).href);
});
