# The esbuild recipe for Node (README, "Other runtimes"): the `node` entry, and the module beside the bundle.
npx esbuild src/node.js --bundle --platform=node --format=esm --outfile=dist/node/main.mjs
cp node_modules/wasmkms/js/wasmkms.wasm dist/node/
