#!/usr/bin/env bash
# One entry point for wasmkms: ./build.sh [build|demo|test|bench|web]
set -euo pipefail
cd "$(dirname "$0")"

# The module: committed in the Go module (embed/, for `go get`), copied into the JS package (js/).
WASM_OUT=embed/wasmkms.wasm
WASM_SOURCES=embed/wasmkms.wasm.sources
WASM_JS_COPY=js/wasmkms.wasm
# The Go that builds the module: the committed module is byte for byte what this toolchain makes of the
# sources, whichever Go the machine has (another one is fetched through the module proxy).
WASM_GOTOOLCHAIN=go1.26.8
# Packages compiled without inlining: in no operation's hot path (ASN.1 and DER of keys and signatures,
# the legacy elliptic API, fmt and its sorting of maps: error messages; math/big: our own curves' slow
# paths; time: formatting and zones), where inlining only copies code: 135 KB of the module, no call
# measurably slower (BENCHMARKS.md, "The module's size: where the bytes go, what each cut saved").
WASM_NOINLINE=(crypto/elliptic encoding/asn1 golang.org/x/crypto/cryptobyte internal/fmtsort fmt math/big time)

# setup: the npm packages the tests, the CommonJS build and the demo need (no network beyond the registries).
# Installed again when package-lock.json's content differs from the one installed (its hash, kept in
# node_modules), not when its file is newer: a tree from `git archive` has every file dated at the commit,
# and one whose node_modules is a link to a checkout's would have had npm ci empty that checkout's.
setup() {
  local lock
  lock=$(sha256sum < package-lock.json | cut -d' ' -f1)
  if [ "$(cat node_modules/.wasmkms-lock 2>/dev/null)" != "$lock" ]; then
    npm ci --no-audit --no-fund
    echo "$lock" > node_modules/.wasmkms-lock
  fi
}

# build: the wasm module, reproducibly (the pinned Go, -trimpath, no build id), into embed/ with the
# list of what it was built from (embed.Sources: the sources hashed before the build, so that one edited
# during it makes the module stale, never falsely fresh), then the JS package's copy. Each file is
# written beside its place and renamed into it: tests that embed or load it meanwhile read a whole one.
build_wasm() {
  local sources tmp=embed/.build.$$ p noinline=()
  sources=$(wasm_sources)
  for p in "${WASM_NOINLINE[@]}"; do noinline+=("-gcflags=$p=-l"); done
  # wasmshrink: the same module in fewer bytes (the runtime's findfunctab by a loop, not 75,000 segments;
  # the function table's inlining metadata folded into the callers, as a build without inlining has it;
  # frame loads and stores at an offset from SP instead of after 64-bit address arithmetic).
  if ! GOTOOLCHAIN=$WASM_GOTOOLCHAIN GOOS=wasip1 GOARCH=wasm \
    go build -buildmode=c-shared -trimpath -ldflags="-s -w -buildid=" "${noinline[@]}" -o "$tmp" ./wasm ||
    ! go run ./internal/wasmshrink "$tmp"; then
    rm -f "$tmp"
    return 1
  fi
  { echo "$(sha256sum < "$tmp" | cut -d' ' -f1)  $WASM_OUT"; echo "$sources"; } > "$tmp.sources"
  mv "$tmp" "$WASM_OUT"
  mv "$tmp.sources" "$WASM_SOURCES"
  cp "$WASM_OUT" "js/.wasmkms.wasm.$$"
  mv "js/.wasmkms.wasm.$$" "$WASM_JS_COPY"
  local raw gz sum
  raw=$(wc -c < "$WASM_OUT")
  gz=$(gzip -9 -c "$WASM_OUT" | wc -c)
  sum=$(sha256sum "$WASM_OUT" | cut -d' ' -f1)
  echo "built $WASM_OUT (and $WASM_JS_COPY): $raw bytes raw, $gz bytes gzip -9, sha256 $sum"
}

# wasm_sources: sha256sum's lines for go.mod and the files of this module's packages that go into the
# wasm (Go files, those excluded by build constraints too, and embedded files; not tests), and of the
# rewriter the build runs on it (internal/wasmshrink), as go list names them.
wasm_sources() {
  local files template='{{if and .Module .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .IgnoredGoFiles}}{{$d}}/{{.}}
{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}
{{end}}{{end}}'
  mapfile -t files < <({ GOTOOLCHAIN=$WASM_GOTOOLCHAIN GOOS=wasip1 GOARCH=wasm go list -deps -f "$template" ./wasm
    go list -f "$template" ./internal/wasmshrink; } | sed "s|^$PWD/||" | grep -v '_test\.go$' | LC_ALL=C sort)
  sha256sum go.mod "${files[@]}"
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

# The Nodes the JS suites run on (README's "Requirements"): the oldest supported major and the newer
# ones, pinned. Each is npm's `node` package (the binary of this platform comes in a registry package)
# installed into .tools/node-<version>/, never as a dependency of the project, whose node_modules/.bin/node
# would take the place of the machine's node in every npm script.
NODE_VERSIONS=(20.20.2 22.23.3 24.21.0)
node_bin_dir() { echo "$PWD/.tools/node-$1/node_modules/node/bin"; }
setup_node() {
  local dir=.tools/node-$1
  if [ "$("$(node_bin_dir "$1")/node" --version 2>/dev/null)" = "v$1" ]; then return; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  # allowScripts: the package's preinstall links the platform package's binary into place.
  printf '{"private": true, "allowScripts": {"node": true}, "dependencies": {"node": "%s"}}\n' "$1" > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error
}

# test_js: every JS suite, on each of NODE_VERSIONS in turn, that Node first on PATH (so the processes the
# tests start run on it too). wrangler refuses a Node older than 22.12: its test runs it on the first
# such Node of the list (WASMKMS_WRANGLER_NODE) when the suites run on Node 20.
test_js() {
  local v major minor wrangler_node="" failed=()
  for v in "${NODE_VERSIONS[@]}"; do
    setup_node "$v"
    IFS=. read -r major minor _ <<< "$v"
    if [ -z "$wrangler_node" ] && { [ "$major" -gt 22 ] || { [ "$major" = 22 ] && [ "$minor" -ge 12 ]; }; }; then
      wrangler_node="$(node_bin_dir "$v")/node"
    fi
  done
  # Node 20 runs every file of a directory given to --test (helpers included), so the *.test.mjs files
  # are named one by one. The projects under test/runners/<runner>/ are other runners' tests (jest,
  # vitest, Deno.test), run by test/runners/runners.test.mjs with their own CLIs.
  mapfile -t suites < <(find test -name '*.test.mjs' -not -path '*/node_modules/*' -not -path 'test/runners/*/*' | sort)
  for v in "${NODE_VERSIONS[@]}"; do
    echo "# JS suites on Node $v"
    PATH="$(node_bin_dir "$v"):$PATH" WASMKMS_WRANGLER_NODE="$wrangler_node" \
      node --test --test-concurrency=1 "${suites[@]}" || failed+=("$v")
  done
  if [ "${#failed[@]}" -gt 0 ]; then echo "JS suites failed on Node ${failed[*]}" >&2; return 1; fi
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
  build) setup; build ;; # setup: js/build-types.mjs needs typescript, js/build.mjs esbuild
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
    # Every JS suite (Node, the real SDK, bundlers, browsers and edge runtimes) on every supported Node.
    test_js ;;
  bench)
    setup; build
    go test -run '^$' -bench . ./internal/... ./testharness/... ./kmstest/...
    for f in bench/*.mjs; do [ -e "$f" ] && node "$f"; done ;;
  web)
    setup; build
    node web/serve.mjs ;;
  *) echo "usage: $0 [build|demo|test|bench|web]" >&2; exit 2 ;;
esac
