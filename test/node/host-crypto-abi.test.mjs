// The JS host's numbers for the host primitives (js/core/host-crypto.mjs) are internal/abi's (host.go),
// the one place that holds them: internal/abi/testdata/host-vectors.json is written from that package
// and checked against it by its test; this test fails when host-crypto.mjs says otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  HOST_CAPABILITIES,
  HOST_CURVES,
  HOST_HASHES,
  HOST_IMPORTS,
  HOST_KEY_KINDS,
  HOST_MODULE,
  HOST_RESULTS,
  createHostCrypto,
} from "../../js/core/host-crypto.mjs";

const vectors = JSON.parse(
  readFileSync(new URL("../../internal/abi/testdata/host-vectors.json", import.meta.url), "utf8"),
);

test("the import module, its imports and their parameter counts are internal/abi's", () => {
  assert.equal(HOST_MODULE, vectors.module);
  assert.deepEqual({ ...HOST_IMPORTS }, vectors.imports);
  for (const nodeCrypto of [null, undefined]) {
    const { imports } = createHostCrypto(nodeCrypto);
    assert.deepEqual(Object.keys(imports), [vectors.module]);
    const fns = imports[vectors.module];
    assert.deepEqual(Object.keys(fns).sort(), Object.keys(vectors.imports).sort());
    for (const [name, params] of Object.entries(vectors.imports)) {
      assert.equal(typeof fns[name], "function", name);
      // A function's declared parameters (rest parameters count 0): wasm passes exactly `params`.
      assert.ok(fns[name].length === params || fns[name].length === 0, `${name}: ${fns[name].length} parameters`);
    }
  }
});

test("the results, capability bits and key kinds are internal/abi's", () => {
  assert.deepEqual({ ...HOST_RESULTS }, vectors.results);
  assert.deepEqual({ ...HOST_CAPABILITIES }, vectors.capabilities);
  assert.deepEqual({ ...HOST_KEY_KINDS }, vectors.keyKinds);
});

test("the curves and hashes by number, with their sizes, are internal/abi's", () => {
  const nodeNames = { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1", secp256k1: "secp256k1" };
  assert.equal(Object.keys(HOST_CURVES).length, Object.keys(vectors.curves).length);
  for (const [name, number] of Object.entries(vectors.curves)) {
    assert.deepEqual(HOST_CURVES[number], { name: nodeNames[name], size: vectors.curveSizes[name] }, name);
  }
  const nodeHashes = { "SHA-224": "sha224", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };
  assert.equal(Object.keys(HOST_HASHES).length, Object.keys(vectors.hashes).length);
  for (const [name, number] of Object.entries(vectors.hashes)) assert.equal(HOST_HASHES[number], nodeHashes[name]);
});

test("without node:crypto every import is a stub: no capabilities, every primitive unavailable", () => {
  const { imports } = createHostCrypto(null);
  const fns = imports[vectors.module];
  assert.equal(fns.capabilities(), 0);
  for (const [name, params] of Object.entries(vectors.imports)) {
    if (name === "capabilities" || name === "key_drop") continue;
    assert.equal(fns[name](...new Array(params).fill(0)), vectors.results.unavailable, name);
  }
});
