#!/usr/bin/env bash
# One entry point for wasmkms: ./build.sh [build|demo|test|bench|web]
set -euo pipefail
cd "$(dirname "$0")"

WASM_OUT=js/wasmkms.wasm

# setup: the npm packages the tests, the CommonJS build and the demo need (no network beyond the registries).
setup() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

# build: the wasm module, reproducibly (-trimpath, no build id), into the place the JS package loads it from.
build_wasm() {
  GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath -ldflags="-s -w -buildid=" -o "$WASM_OUT" ./wasm
  local raw gz sum
  raw=$(wc -c < "$WASM_OUT")
  gz=$(gzip -9 -c "$WASM_OUT" | wc -c)
  sum=$(sha256sum "$WASM_OUT" | cut -d' ' -f1)
  echo "built $WASM_OUT: $raw bytes raw, $gz bytes gzip -9, sha256 $sum"
}

# build_js: the declarations and enum objects from the SDK's schemas (js/index.d.ts, js/core/enums.mjs,
# both committed; rewritten only when they change), then the CommonJS entry (dist/node.cjs).
build_js() {
  node js/build-types.mjs
  node js/build.mjs
}

build() { build_wasm; build_js; }

# lint_go: the Go's formatter and linters: gofmt, go vet and staticcheck (the version pinned here,
# built into .tools/ once). The wasm package is checked as wasip1, the rest on the host.
STATICCHECK_VERSION=v0.8.2
lint_go() {
  local unformatted
  unformatted=$(gofmt -l $(git ls-files '*.go'))
  if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted" >&2; return 1; fi
  go vet ./...
  GOOS=wasip1 GOARCH=wasm go vet ./wasm
  if [ ! -x .tools/staticcheck-$STATICCHECK_VERSION ]; then
    GOBIN="$PWD/.tools" go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
    mv .tools/staticcheck ".tools/staticcheck-$STATICCHECK_VERSION"
  fi
  ".tools/staticcheck-$STATICCHECK_VERSION" $(go list ./... | grep -v '/wasm$')
  GOOS=wasip1 GOARCH=wasm ".tools/staticcheck-$STATICCHECK_VERSION" ./wasm
}

# setup_browser: the browser tests drive Debian's chromium (playwright cannot download its own here).
setup_browser() {
  if command -v chromium >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  else
    echo "chromium is missing: install Debian's chromium package (the browser tests need /usr/bin/chromium)" >&2
  fi
}

case "${1:-build}" in
  build) build ;;
  demo)
    setup; build
    node examples/demo.mjs ;;
  test)
    setup; setup_browser; build
    # The JS's one formatter and linter (biome.jsonc): fails on a file it would format differently, or on
    # any finding, warnings included. `npx biome check --write .` fixes what it can.
    node_modules/.bin/biome ci --error-on-warnings .
    lint_go
    go test ./...
    # Every JS suite: Node, the real SDK, browsers and edge runtimes. Node 20 runs every file of a
    # directory given to --test (helpers included), so the *.test.mjs files are named one by one. The
    # projects under test/runners/<runner>/ are other runners' tests (jest, vitest, Deno.test), run by
    # test/runners/runners.test.mjs with their own CLIs.
    mapfile -t suites < <(find test -name '*.test.mjs' -not -path '*/node_modules/*' -not -path 'test/runners/*/*' | sort)
    node --test --test-concurrency=1 "${suites[@]}" ;;
  bench)
    setup; build
    go test -run '^$' -bench . ./internal/... ./testharness/...
    for f in bench/*.mjs; do [ -e "$f" ] && node "$f"; done ;;
  web)
    setup; build
    node web/serve.mjs ;;
  *) echo "usage: $0 [build|demo|test|bench|web]" >&2; exit 2 ;;
esac
