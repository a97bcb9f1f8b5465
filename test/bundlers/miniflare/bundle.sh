# The miniflare recipe's build without wrangler (README, "Other runtimes"): esbuild with wrangler's
# conditions (`workerd` first), the .wasm import left as a separate module, the module beside the bundle.
npx esbuild src/worker.js --bundle --format=esm --conditions=workerd,worker,browser --external:*.wasm --outfile=dist/worker.js
cp node_modules/wasmkms/js/wasmkms.wasm dist/
