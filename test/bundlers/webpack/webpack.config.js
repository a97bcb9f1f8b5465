// The webpack recipe's config (README, "Other runtimes"): nothing for wasmkms but a quieter size check.
// webpack 5 turns the browser entry's `new URL("./wasmkms.wasm", import.meta.url)` into an asset of its
// own (asset/resource), emitted once into dist/ and fetched when the first call needs it.
export default {
  mode: "production",
  entry: "./src/page.js",
  output: { filename: "main.js" },
  // The module (8 MB, about 2.4 MB compressed) is over webpack's 244 KiB hint, and is meant to be.
  performance: { assetFilter: (file) => !file.endsWith(".wasm") },
};
