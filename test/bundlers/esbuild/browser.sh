# The esbuild recipe for a page (README, "Other runtimes"): an ES-module bundle, and the module beside it.
npx esbuild src/page.js --bundle --format=esm --outfile=dist/browser/main.js
cp node_modules/wasmkms/js/wasmkms.wasm dist/browser/
