// Runs a GOOS=wasip1 Go binary under Node's WASI (V8, the engine most wasmkms users run the module
// in), for `go test -exec`:
//
//   GOOS=wasip1 GOARCH=wasm go test -exec "node $PWD/internal/crypto/testdata/wasi-run.mjs" \
//     -run '^$' -bench RSAPoolKey -short ./internal/crypto
//
// The host file system is visible at the same paths, and the working directory is the package's.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [binary, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: [binary, ...args],
  env: { ...process.env, PWD: process.cwd() },
  preopens: { '/': '/' },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(binary));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
